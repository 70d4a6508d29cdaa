/* { dg-do compile } */
extern void (*fp) (void) __attribute__ ((static_call (alpha))); /* { dg-message "key .alpha. given here" } */
void (*fp) (void) __attribute__ ((static_call (beta))); /* { dg-error "'fp' declared with static call key 'beta', but it already has key 'alpha'" } */

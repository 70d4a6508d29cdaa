/* One variable, one key; one key, one variable.  */
/* { dg-do compile } */
extern int on __attribute__ ((static_key (alpha))); /* { dg-message "key .alpha. given here" } */
int on __attribute__ ((static_key (beta))); /* { dg-error "'on' declared with static key 'beta', but it already has key 'alpha'" } */
extern long n __attribute__ ((immediate (gamma))); /* { dg-message "key .gamma. given here" } */
long n __attribute__ ((immediate (delta))); /* { dg-error "'n' declared with immediate value key 'delta', but it already has key 'gamma'" } */
int first __attribute__ ((static_key (shared))); /* { dg-message "'first' given key 'shared' here" } */
int second __attribute__ ((static_key (shared))); /* { dg-error "static key 'shared' given to 'second', but it already names 'first'" } */
int third __attribute__ ((immediate (shared_imm))); /* { dg-message "'third' given key 'shared_imm' here" } */
int fourth __attribute__ ((immediate (shared_imm))); /* { dg-error "immediate value key 'shared_imm' given to 'fourth', but it already names 'third'" } */
/* Redeclared with the same key: no error.  */
extern int on2 __attribute__ ((static_key (same)));
int on2 __attribute__ ((static_key (same)));
int twice __attribute__ ((static_key (one), static_key (two))); /* { dg-error "'twice' declared with static key 'two', but it already has key 'one'|key 'one' given here" } */

/* A variable is a static key or an immediate value, not both, and not
   a static call pointer.  */
/* { dg-do compile } */
int both __attribute__ ((static_key (kb), immediate (kb2))); /* { dg-error "'both' cannot be both a static key and an immediate value" } */
extern int later __attribute__ ((immediate (kl)));
int later __attribute__ ((static_key (kl))); /* { dg-error "'later' cannot be both a static key and an immediate value" } */
void (*fp) (void) __attribute__ ((static_call (kf), static_key (kfk))); /* { dg-error "'static_key' attribute on pointer 'fp'" } */

/* Another name for a static key or an immediate value would let a
   store bypass the runtime.  */
/* { dg-do compile } */
int on __attribute__ ((static_key (kon))); /* { dg-message "'on' declared here" } */
long n __attribute__ ((immediate (kn))); /* { dg-message "'n' declared here" } */
extern int alias_on __attribute__ ((alias ("on"))); /* { dg-error "'alias_on' names the same object as static key 'on'; a store through it would bypass the runtime" } */
static int weak_on __attribute__ ((weakref ("on"))); /* { dg-error "'weak_on' names the same object as static key 'on'" } */
extern long label_n __asm__ ("n"); /* { dg-error "'label_n' names the same object as immediate value 'n'" } */
int plain;
extern int alias_plain __attribute__ ((alias ("plain"), immediate (kp))); /* { dg-error "immediate value 'alias_plain' cannot be an alias of another variable" } */

void
set (void)
{
  alias_on = 1;
  label_n = 2;
  weak_on = 3;
}

/* _Atomic and volatile variables are refused; on a const one the
   attribute is ignored with a warning.  */
/* { dg-do compile } */
_Atomic int a __attribute__ ((static_key (ka))); /* { dg-error "'static_key' attribute on '_Atomic' variable 'a'; the runtime already makes updates atomic" } */
volatile int v __attribute__ ((immediate (kv))); /* { dg-error "'immediate' attribute on 'volatile' variable 'v'; its reads would not read memory" } */
const int c __attribute__ ((immediate (kc))) = 3; /* { dg-warning "'immediate' attribute ignored on 'const' variable 'c', which can never change" } */
const _Bool cb __attribute__ ((static_key (kcb))); /* { dg-warning "'static_key' attribute ignored on 'const' variable 'cb'" } */
int
f (void)
{
  return c + cb;
}

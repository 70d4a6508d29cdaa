/* { dg-do compile } */
int
f (void)
{
  int on __attribute__ ((static_key (kon))) = 1; /* { dg-error "'static_key' attribute on automatic variable 'on'; a static key must be declared at file scope" } */
  int n __attribute__ ((immediate (kn))) = 2; /* { dg-error "'immediate' attribute on automatic variable 'n'; an immediate value must be declared at file scope" } */
  return on + n;
}

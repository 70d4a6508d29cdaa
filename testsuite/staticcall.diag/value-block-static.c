/* { dg-do compile } */
int
f (void)
{
  static int on __attribute__ ((static_key (kon))); /* { dg-error "'static_key' attribute on block-scope variable 'on'; a static key must be declared at file scope" } */
  static int n __attribute__ ((immediate (kn))); /* { dg-error "'immediate' attribute on block-scope variable 'n'" } */
  return on + n;
}

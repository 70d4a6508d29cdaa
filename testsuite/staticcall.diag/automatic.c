/* { dg-do compile } */
void
f (void)
{
  void (*local) (void) __attribute__ ((static_call (k3))) = 0; /* { dg-error "'static_call' attribute on automatic variable 'local'" } */
  (void) local;
}

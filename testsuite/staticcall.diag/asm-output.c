/* { dg-do compile } */
void (*fp) (void) __attribute__ ((static_call (k)));
void
clobber (void)
{
  __asm__ ("" : "=m" (fp)); /* { dg-error "static call pointer 'fp' is an output of an 'asm' statement" } */
}

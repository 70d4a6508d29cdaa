/* { dg-do compile } */
int on __attribute__ ((static_key (kon)));
long n __attribute__ ((immediate (kn)));
void
clobber (void)
{
  __asm__ ("" : "=m" (on)); /* { dg-error "static key 'on' is an output of an 'asm' statement; assign it in C instead" } */
  __asm__ ("" : "+m" (n)); /* { dg-error "immediate value 'n' is an output of an 'asm' statement; assign it in C instead" } */
}

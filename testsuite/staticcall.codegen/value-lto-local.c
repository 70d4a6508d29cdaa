/* An immediate value defined in the executable, with -flto: a good
   site.  Known limit (the manual's): GCC's LTO reaches the global
   through the GOT, `mov v@GOTPCREL(%rip), %rax' (relaxed by the linker
   into a lea) in front of the site `mov 0(%rax), %esi', where without
   -flto the site is `mov v(%rip), %esi'; that is what the last check
   says, so that a fix shows as an XPASS.  */
/* { dg-do link } */
/* { dg-options "-flto" } */
#include <static_call.h>

unsigned tunable STATIC_IMMEDIATE (tunable) = 3;

unsigned __attribute__ ((noinline, used))
read_tunable (unsigned x)
{
  return x * tunable;
}

int
main (void)
{
  tunable = 7;
  return read_tunable (1) != 7;
}
/* { dg-final { linked-value-sites-ok 1 } } */
/* { dg-final { scan-disasm read_tunable "mov +0x0\\(%r\[a-z0-9\]+\\)," } } */

/* An immediate value defined in the executable binds locally with
   -flto as without it: each read is the padded rip-relative load,
   with no load of the variable's address in front (the manual: "an
   executable (PIE or not) has none").  FAILING: with -flto the plugin
   emits the form for a variable reached through the GOT, `mov
   v@GOTPCREL(%rip), %rax' (relaxed by the linker into a lea) and
   `mov 0(%rax), %esi' as the site, at every level; without -flto the
   site is `mov v(%rip), %esi'.  */
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
/* { dg-final { value-sites-ok 1 } } */
/* { dg-final { scan-disasm read_tunable "mov +0x\[0-9a-f\]+\\(%rip\\)," } } */
/* { dg-final { scan-disasm-not read_tunable "mov +0x0\\(%r\[a-z0-9\]+\\)," } } */

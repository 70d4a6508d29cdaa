/* A call through a member of the const struct an ops pointer points
   to, impl->m, is a direct call of the member's trampoline, named
   KEY..m after the key KEY->m, which loads the pointer and jumps
   through the member (twice indirect, once per call of the
   trampoline).  Its key record names the pointer and has the
   SC_KEY_DEREF flag (2) with the member's offset in the high 32 bits;
   the unit says version 3.  */
/* { dg-do link } */
#include <static_call.h>

static int one (int x) { return x + 1; }
struct impl { long width; int (*mac) (int); struct { int (*init) (int); } ctx; };
static const struct impl generic = { 1, one, { one } };
const struct impl *impl STATIC_CALL (mac) = &generic;

int
main (void)
{
  return impl->mac (1) + impl->ctx.init (2) == 5 ? 0 : 1;
}

/* { dg-final { sites-ok 2 } } */
/* { dg-final { scan-assembler "call\t__static_call_tramp_mac\\.\\.mac\\.impl\n" } } */
/* { dg-final { scan-assembler "call\t__static_call_tramp_mac\\.\\.ctx\\.init\\.impl\n" } } */
/* { dg-final { scan-assembler "__static_call_tramp_mac\\.\\.mac\\.impl:\n(\t\\.cfi_startproc\n)?\tmovq\timpl(\\(%rip\\), %r11|@GOTPCREL\\(%rip\\), %r11\n\tmovq\t\\(%r11\\), %r11)\n\tjmp\t\\*8\\(%r11\\)" } } */
/* { dg-final { scan-assembler "\t\\.quad\timpl\n\t\\.quad\t\\.LSCN\[0-9\]+\n\t\\.quad\t__static_call_tramp_mac\\.\\.ctx\\.init\\.impl\n\t\\.quad\t68719476738\n" } } */
/* { dg-final { scan-assembler "\t\\.string\t\"mac->ctx\\.init\"" } } */
/* { dg-final { scan-assembler "\\.LSC_unit:\n\t\\.long\t3, " } } */
/* { dg-final { scan-disasm-not main "call +\\*" } } */

/* A call through an annotated pointer is a 5-byte direct call to the
   key's trampoline, recorded in .static_call_sites, and inside one
   64-byte line; no indirect call is left.  */
/* { dg-do link } */
#include <static_call.h>

int one (int x) { return x + 1; }
int (*volatile op) (int) STATIC_CALL (op_key) = one;

int
main (void)
{
  int r = op (1);
  r += op (2);
  r += op (3);
  return r == 9 ? 0 : 1;
}

/* { dg-final { sites-ok 3 } } */
/* { dg-final { scan-assembler "\\.bundle_align_mode 6" } } */
/* { dg-final { scan-assembler "\\.section\t\\.static_call_sites,\"a\",@progbits" } } */
/* { dg-final { scan-assembler-times "call\t__static_call_tramp_op_key" 3 } } */
/* { dg-final { scan-disasm-not main "call +\\*" } } */
/* { dg-final { scan-disasm main "call +\[0-9a-f\]+ <__static_call_tramp_op_key.op>" } } */

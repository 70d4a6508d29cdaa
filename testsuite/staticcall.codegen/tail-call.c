/* A call in tail position becomes a recorded `jmp' site (kind 1) when
   GCC makes it a sibling call (-O2 and up).  */
/* { dg-do link } */
/* { dg-options "-foptimize-sibling-calls" } */
#include <static_call.h>

static int add1 (int x) { return x + 1; }
int (*step) (int) STATIC_CALL (step) = add1;

__attribute__ ((noinline)) int
forward (int x)
{
  return step (x);
}

int
main (void)
{
  return forward (1) == 2 ? 0 : 1;
}

/* { dg-final { sites-ok 1 } } */
/* { dg-final { scan-assembler "jmp\t__static_call_tramp_step|call\t__static_call_tramp_step" } } */
/* { dg-final { scan-assembler "\\.long\t\\.LSCK0 - \\. \\+ \[01\]" } } */

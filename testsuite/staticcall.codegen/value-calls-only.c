/* A unit with call sites only stays of version 2 (a runtime that knows
   only version 2 registers it), even where it declares static keys and
   immediate values and stores them.  */
/* { dg-do assemble } */
#include <static_call.h>

extern _Bool on STATIC_KEY (k_on);
extern long n STATIC_IMMEDIATE (k_n);
int (*hook) (int) STATIC_CALL (k_hook);

int
f (int x)
{
  on = x;
  __atomic_store_n (&n, x, __ATOMIC_RELEASE);
  return hook (x);
}

/* { dg-final { unit-version 2 } } */
/* { dg-final { value-sites-ok 0 } } */
/* { dg-final { scan-assembler "\\.LSC_unit:\n\t\\.long\t2, 1, 1, 0\n" } } */
/* { dg-final { scan-assembler "call\t__static_call_atomic_store_8" } } */

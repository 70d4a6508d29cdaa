/* Calls through pointers without the attribute stay indirect.  */
/* { dg-do link } */
#include <static_call.h>

static int two (void) { return 2; }
int (*plain) (void) = two;
int (*fast) (void) STATIC_CALL (fast) = two;

int
main (void)
{
  int (*volatile local) (void) = two;
  return plain () + fast () + local () == 6 ? 0 : 1;
}

/* { dg-final { sites-ok 1 } } */
/* { dg-final { scan-assembler "call\t\\*" } } */
/* { dg-final { scan-assembler-times "call\t__static_call_tramp_fast\\.fast" 1 } } */

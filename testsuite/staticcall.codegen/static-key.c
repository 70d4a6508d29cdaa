/* A static pointer's trampoline carries a unit-unique suffix, so that it
   is never merged with another unit's; a public pointer's is named
   after the key and the pointer.  */
/* { dg-do link } */
#include <static_call.h>

static int one (void) { return 1; }
static int (*mine) (void) STATIC_CALL (local_key) = one;
int (*ours) (void) STATIC_CALL (public_key) = one;

int
main (void)
{
  return mine () + ours () == 2 ? 0 : 1;
}

/* { dg-final { scan-assembler "call\t__static_call_tramp_local_key\\.mine\\.\[0-9a-f\]{8}" } } */
/* { dg-final { scan-assembler "call\t__static_call_tramp_public_key\\.ours\n" } } */
/* { dg-final { sites-ok 2 } } */

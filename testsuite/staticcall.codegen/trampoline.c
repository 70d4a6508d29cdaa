/* The trampoline is named after the key, hidden, COMDAT, and jumps
   through the pointer.  */
/* { dg-do link } */
#include <static_call.h>

static int two (void) { return 2; }
int (*get) (void) STATIC_CALL (getter) = two;

int
main (void)
{
  return get () == 2 ? 0 : 1;
}

/* { dg-final { scan-assembler "\\.section\t\\.text\\.__static_call_tramp_getter\\.get,\"axG\",@progbits,__static_call_tramp_getter\\.get,comdat" } } */
/* { dg-final { scan-assembler "\\.hidden\t__static_call_tramp_getter.get" } } */
/* { dg-final { scan-assembler "__static_call_tramp_getter\\.get:\n(\t\\.cfi_startproc\n)?\tjmp\t\\*get\\(%rip\\)|__static_call_tramp_getter\\.get:\n(\t\\.cfi_startproc\n)?\tmovq\tget@GOTPCREL\\(%rip\\), %r11\n\tjmp\t\\*\\(%r11\\)" } } */
/* { dg-final { sites-ok 1 } } */

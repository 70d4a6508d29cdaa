/* Under -mindirect-branch=thunk the trampoline goes through a
   retpoline; the site itself stays a direct call.  */
/* { dg-do link } */
/* { dg-options "-mindirect-branch=thunk" } */
#include <static_call.h>

static int two (void) { return 2; }
int (*get) (void) STATIC_CALL (getter) = two;

int
main (void)
{
  return get () == 2 ? 0 : 1;
}

/* { dg-final { scan-assembler "\tmovq\t(get\\(%rip\\)|get@GOTPCREL\\(%rip\\)), %r11" } } */
/* { dg-final { scan-assembler "\tjmp\t__static_call_retpoline_r11" } } */
/* { dg-final { scan-assembler "__static_call_retpoline_r11:\n(\t\\.cfi_startproc\n)?\tcall\t1f\n2:\tpause\n\tlfence" } } */
/* { dg-final { scan-disasm-not __static_call_tramp_getter.get "jmp +\\*" } } */
/* { dg-final { sites-ok 1 } } */

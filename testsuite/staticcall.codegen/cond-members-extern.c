/* The conditional trampolines of an extern table's member and of an
   extern ops pointer's member that this unit does not define load
   through the GOT (then, for the ops pointer, through the pointer),
   test and return, and jump through the retpoline under
   -mindirect-branch=thunk; the sites are conditional.  */
/* { dg-do compile } */
/* { dg-options "-fPIC -mindirect-branch=thunk" } */
#include <static_call.h>

struct sub { void (*m) (long); };
struct tab { long data; void (*m) (long); struct sub sub; };
struct ops { void (*m) (long); void (*n) (long); };
extern struct tab xt STATIC_CALL (cx_t);
extern const struct ops *ximpl STATIC_CALL (cx_impl);

void g_sub (long x) { if (xt.sub.m) xt.sub.m (x); }
void g_impl (long x) { if (ximpl->n) ximpl->n (x); }

/* { dg-final { scan-assembler-times "\\.long\t\\.LSCK\[0-9\]+ - \\. \\+ \[23\]" 2 } } */
/* { dg-final { scan-assembler-not "\t(test|cmp)\[a-z\]*\t\[^\n\]*(xt|ximpl)" } } */
/* { dg-final { scan-assembler "\t(?:call|jmp)\t__static_call_cond_cx_t\\.sub\\.m\\.xt\n" } } */
/* { dg-final { scan-assembler "\t(?:call|jmp)\t__static_call_cond_cx_impl\\.\\.n\\.ximpl\n" } } */
/* { dg-final { scan-assembler "__static_call_cond_cx_t\\.sub\\.m\\.xt:\n(\t\\.cfi_startproc\n)?\tmovq\txt@GOTPCREL\\(%rip\\), %r11\n\tmovq\t16\\(%r11\\), %r11\n\ttestq\t%r11, %r11\n\tjz\t3f\n\tjmp\t__static_call_retpoline_r11\n3:\tret" } } */
/* { dg-final { scan-assembler "__static_call_cond_cx_impl\\.\\.n\\.ximpl:\n(\t\\.cfi_startproc\n)?\tmovq\tximpl@GOTPCREL\\(%rip\\), %r11\n\tmovq\t\\(%r11\\), %r11\n\tmovq\t8\\(%r11\\), %r11\n\ttestq\t%r11, %r11\n\tjz\t3f\n\tjmp\t__static_call_retpoline_r11\n3:\tret" } } */

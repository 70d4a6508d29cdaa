/* A guarded call `if (p) p (args);' is one conditional site (kind 2, or
   3 when GCC makes it a sibling call): a call or jmp of the key's
   conditional trampoline, with no test, no branch and no load of the
   pointer left in the function.  Guards of other shapes keep their
   test in front of an ordinary site.  */
/* { dg-do link } */
#include <stddef.h>
#include <static_call.h>

static long acc;
static void add (long x) { acc += x; }
static int twice (int x) { return 2 * x; }

void (*hook) (long) STATIC_CALL (ck_hook);
int (*ihook) (int) STATIC_CALL (ck_ihook) = twice;
void (*other) (long) STATIC_CALL (ck_other) = add;
long global_arg = 3;

__attribute__ ((noinline, noclone)) void g_plain (long x) { if (hook) hook (x); }
__attribute__ ((noinline, noclone)) void g_ne (void) { if (hook != NULL) hook (global_arg); }
__attribute__ ((noinline, noclone)) void g_eq (long x) { if (hook == NULL) return; hook (x + 1); }

__attribute__ ((noinline, noclone)) void s_else (long x) { if (hook) hook (x); else acc += 1000; }
__attribute__ ((noinline, noclone)) int s_value (int x) { int r = 0; if (ihook) r = ihook (x); return r; }
__attribute__ ((noinline, noclone)) void s_more (long x) { if (hook) { hook (x); acc += 100; } }
__attribute__ ((noinline, noclone)) void s_other (long x) { if (other) hook (x); }

int
main (void)
{
  g_plain (1);
  g_ne ();
  g_eq (1);
  s_else (1);
  hook = add;
  g_plain (1);
  g_ne ();
  g_eq (1);
  s_else (1);
  s_more (1);
  s_other (1);
  return acc == 1000 + 1 + 3 + 2 + 1 + 101 + 1 && s_value (2) == 4 ? 0 : 1;
}

/* { dg-final { sites-ok 7 } } */
/* { dg-final { scan-assembler-times "\t(?:call|jmp)\t__static_call_cond_ck_hook\\.hook" 3 } } */
/* { dg-final { scan-assembler-times "\\.long\t\\.LSCK\[0-9\]+ - \\. \\+ \[23\]" 3 } } */
/* { dg-final { scan-assembler "__static_call_cond_ck_hook\\.hook:\n(\t\\.cfi_startproc\n)?\tmovq\thook\\(%rip\\), %r11\n\ttestq\t%r11, %r11\n\tjz\t3f\n\tjmp\t\\*%r11\n3:\tret" } } */
/* { dg-final { scan-disasm-not g_plain "\t(test|cmp)\[a-z\]* |\tj(n?e|n?z) " } } */
/* { dg-final { scan-disasm-not g_plain "\tmov .*<hook>" } } */
/* { dg-final { scan-disasm-not g_ne "\t(test|cmp)\[a-z\]* |\tj(n?e|n?z) " } } */
/* { dg-final { scan-disasm-not g_eq "\t(test|cmp)\[a-z\]* |\tj(n?e|n?z) " } } */
/* { dg-final { scan-disasm-not g_eq "\tmov .*<hook>" } } */
/* { dg-final { scan-disasm s_else "\t(test|cmp)\[a-z\]* " } } */
/* { dg-final { scan-disasm s_value "\t(test|cmp)\[a-z\]* " } } */
/* { dg-final { scan-disasm s_more "\t(test|cmp)\[a-z\]* " } } */
/* { dg-final { scan-disasm s_other "\t(test|cmp)\[a-z\]* " } } */
/* { dg-final { scan-disasm s_else "__static_call_tramp_ck_hook\\.hook>" } } */

/* A guarded call through a member of an annotated table, `if (t.m)
   t.m (x);' or `if (t.sub.m) t.sub.m (x);', of a static or an extern
   table, or through an ops pointer's member, `if (impl->m) impl->m
   (x);', is one conditional site of the member's key: a call or jmp of
   its conditional trampoline, which loads the member (through the ops
   pointer) and returns when it is NULL, with no test, no branch and
   no load of the table or the pointer left in the function.  With
   `if (impl && impl->m)', the test of impl stays in front of the
   conditional site; guards of other shapes keep their test in front
   of an ordinary site.  */
/* { dg-do link } */
#include <stddef.h>
#include <static_call.h>

static long acc;
static void add (long x) { acc += x; }

struct sub { void (*m) (long); };
struct tab { long data; void (*m) (long); void (*n) (long); struct sub sub; };
struct ops { void (*m) (long); void (*n) (long); };

static struct tab t STATIC_CALL (cm_t);
extern struct tab et STATIC_CALL (cm_et);
struct tab et STATIC_CALL (cm_et) = { 0, add, add, { add } };
static const struct ops ops_null;
static const struct ops ops_add = { add, add };
static const struct ops *impl STATIC_CALL (cm_impl) = &ops_null;

__attribute__ ((noinline, noclone)) void g_m (long x) { if (t.m) t.m (x); }
__attribute__ ((noinline, noclone)) void g_sub (long x) { if (t.sub.m != NULL) t.sub.m (x + 1); }
__attribute__ ((noinline, noclone)) void g_extern (long x) { if (et.m) et.m (x); }
__attribute__ ((noinline, noclone)) void g_esub (long x) { if (!et.sub.m) return; et.sub.m (x); }
__attribute__ ((noinline, noclone)) void g_impl (long x) { if (impl->m) impl->m (x); }
__attribute__ ((noinline, noclone)) void g_impl_n (long x) { if (impl->n == NULL) return; impl->n (x * 2); }

/* The test of impl itself stays, then a conditional site.  */
__attribute__ ((noinline, noclone)) void s_both (long x) { if (impl && impl->m) impl->m (x); }
/* These stay a test and an ordinary site.  */
__attribute__ ((noinline, noclone)) void s_other (long x) { if (t.m) t.n (x); }
__attribute__ ((noinline, noclone)) void s_more (long x) { if (impl->m) { impl->m (x); acc += 100; } }
__attribute__ ((noinline, noclone)) void s_else (long x) { if (et.n) et.n (x); else acc += 1000; }

int
main (void)
{
  g_m (1);
  g_sub (1);
  g_impl (1);
  g_impl_n (1);
  s_both (1);
  s_more (1);
  t.m = add;
  t.n = add;
  t.sub.m = add;
  impl = &ops_add;
  g_m (1);
  g_sub (1);
  g_extern (1);
  g_esub (1);
  g_impl (1);
  g_impl_n (1);
  s_both (1);
  s_other (1);
  s_more (1);
  s_else (1);
  return acc == 1 + 2 + 1 + 1 + 1 + 2 + 1 + 1 + 101 + 1 ? 0 : 1;
}

/* { dg-final { sites-ok 10 } } */
/* { dg-final { scan-assembler-times "\\.long\t\\.LSCK\[0-9\]+ - \\. \\+ \[23\]" 7 } } */
/* { dg-final { scan-assembler "\t(?:call|jmp)\t__static_call_cond_cm_t\\.m\\.t\\.\[0-9a-f\]+\n" } } */
/* { dg-final { scan-assembler "\t(?:call|jmp)\t__static_call_cond_cm_t\\.sub\\.m\\.t\\.\[0-9a-f\]+\n" } } */
/* { dg-final { scan-assembler "\t(?:call|jmp)\t__static_call_cond_cm_et\\.m\\.et\n" } } */
/* { dg-final { scan-assembler "\t(?:call|jmp)\t__static_call_cond_cm_et\\.sub\\.m\\.et\n" } } */
/* { dg-final { scan-assembler-times "\t(?:call|jmp)\t__static_call_cond_cm_impl\\.\\.m\\.impl\\.\[0-9a-f\]+\n" 2 } } */
/* { dg-final { scan-assembler "\t(?:call|jmp)\t__static_call_cond_cm_impl\\.\\.n\\.impl\\.\[0-9a-f\]+\n" } } */
/* { dg-final { scan-assembler "__static_call_cond_cm_t\\.sub\\.m\\.t\\.\[0-9a-f\]+:\n(\t\\.cfi_startproc\n)?\tmovq\tt\\+24\\(%rip\\), %r11\n\ttestq\t%r11, %r11\n\tjz\t3f\n\tjmp\t\\*%r11\n3:\tret" } } */
/* { dg-final { scan-assembler "__static_call_cond_cm_et\\.m\\.et:\n(\t\\.cfi_startproc\n)?\tmovq\t(et\\+8\\(%rip\\)|et@GOTPCREL\\(%rip\\), %r11\n\tmovq\t8\\(%r11\\)), %r11\n\ttestq\t%r11, %r11\n\tjz\t3f\n\tjmp\t\\*%r11\n3:\tret" } } */
/* { dg-final { scan-assembler "__static_call_cond_cm_impl\\.\\.n\\.impl\\.\[0-9a-f\]+:\n(\t\\.cfi_startproc\n)?\tmovq\timpl\\(%rip\\), %r11\n\tmovq\t8\\(%r11\\), %r11\n\ttestq\t%r11, %r11\n\tjz\t3f\n\tjmp\t\\*%r11\n3:\tret" } } */
/* { dg-final { scan-disasm-not g_m "\t(test|cmp)\[a-z\]* |\tj(n?e|n?z) |\tmov .*<t\\+" } } */
/* { dg-final { scan-disasm-not g_sub "\t(test|cmp)\[a-z\]* |\tj(n?e|n?z) |\tmov .*<t\\+" } } */
/* { dg-final { scan-disasm-not g_extern "\t(test|cmp)\[a-z\]* |\tj(n?e|n?z) |\tmov .*<et\[+>\]" } } */
/* { dg-final { scan-disasm-not g_esub "\t(test|cmp)\[a-z\]* |\tj(n?e|n?z) |\tmov .*<et\[+>\]" } } */
/* { dg-final { scan-disasm-not g_impl "\t(test|cmp)\[a-z\]* |\tj(n?e|n?z) |\tmov .*<impl>" } } */
/* { dg-final { scan-disasm-not g_impl_n "\t(test|cmp)\[a-z\]* |\tj(n?e|n?z) |\tmov .*<impl>" } } */
/* { dg-final { scan-disasm s_both "\t(test|cmp)\[a-z\]* " } } */
/* { dg-final { scan-disasm s_other "\t(test|cmp)\[a-z\]* " } } */
/* { dg-final { scan-disasm s_more "\t(test|cmp)\[a-z\]* " } } */
/* { dg-final { scan-disasm s_else "\t(test|cmp)\[a-z\]* " } } */
/* { dg-final { scan-disasm s_more "__static_call_tramp_cm_impl\\.\\.m\\.impl\\.\[0-9a-f\]+>" } } */
/* { dg-final { scan-disasm s_else "__static_call_tramp_cm_et\\.n\\.et>" } } */

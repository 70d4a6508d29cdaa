/* Every conditional branch on a static key's truth is one branch site
   (a 5-byte e9 rel32 to GCC's own test of the variable, inside one
   64-byte line): `if (v)', `if (!v)', `v == 0', `v && x', `?:', on
   _Bool, int, unsigned char and long keys, and `__builtin_expect (v,
   1)', the inverted layout.  Other reads are ordinary loads; stores go
   to the runtime.  */
/* { dg-do assemble } */
#include <static_call.h>

_Bool on STATIC_KEY (k_on);
int level STATIC_KEY (k_level);
static unsigned char small STATIC_KEY (k_small);
extern long wide STATIC_KEY (k_wide);
long wide;

extern void work (int);
extern void trace (int);
extern int other;

#define NOINLINE __attribute__ ((noinline, noclone))

NOINLINE void b_if (int x) { if (on) trace (x); work (x); }
NOINLINE void b_not (int x) { if (!level) trace (x); work (x); }
NOINLINE void b_eq (int x) { if (small == 0) trace (x); work (x); }
NOINLINE void b_ne (int x) { if (wide != 0) trace (x); work (x); }
NOINLINE void b_and (int x) { if (on && other) trace (x); work (x); }
NOINLINE int b_cond (int x) { return level ? x + 1 : x * 3; }
NOINLINE void b_likely (int x) { if (__builtin_expect (on, 1)) work (x); else trace (x); }
NOINLINE void b_unlikely (int x) { if (__builtin_expect (level, 0)) trace (x); work (x); }

/* Not conditions: loads.  */
NOINLINE int r_value (void) { return level; }
NOINLINE long r_sum (void) { return wide + 1; }
NOINLINE void r_pass (void) { work (small); }

/* Stores.  */
NOINLINE void s_set (int v) { level = v; }
NOINLINE void s_flip (void) { on = !on; }

/* { dg-final { value-sites-ok 8 8 } } */
/* { dg-final { scan-assembler-times "\t\\.byte\t0xe9\n\t\\.long\t\\.L\[0-9\]+ - \\. - 4\n" 8 } } */
/* { dg-final { scan-assembler-times "\\.LSCVP\[0-9\]+:\n\t\\.bundle_align_mode 6\n\t\\.bundle_lock\n" 8 } } */
/* { dg-final { scan-assembler-times "\t\\.long\t\\.LSCVK\[0-9\]+ - \\. \\+ 1\n" 1 } } */
/* { dg-final { scan-assembler-times "__static_call_update_value" 2 } } */
/* { dg-final { scan-assembler "r_value:\n(\[^\n\]*\n)*?\tmovl\tlevel\\(%rip\\), %eax" } } */
/* { dg-final { unit-version 4 } } */

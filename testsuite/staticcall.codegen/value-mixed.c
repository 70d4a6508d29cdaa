/* Mixed and unusual uses, which must compile at every level: an enum
   key, a switch on a key (a load, not a site), the probability form of
   __builtin_expect, static_key_update, keys in value context, reads of
   immediates as shift counts and indexes, the atomic builtins, and
   compound assignments.  */
/* { dg-do assemble } */
#include <static_call.h>
enum mode { OFF, ON } mode STATIC_KEY (k_mode);
_Bool on STATIC_KEY (k_on);
int level STATIC_IMMEDIATE (k_level);
long big STATIC_IMMEDIATE (k_big);
extern void work (int);
void a (int n) { for (int i = 0; i < n; i++) { if (on) work (i); work (level); } }
int b (void) { switch (mode) { case ON: return 1; default: return 0; } }
void c (int x) { if (__builtin_expect_with_probability (on, 1, 0.9)) work (x); }
void d (int x) { static_key_update (on, x); }
int e (void) { return on ? level : big; }
long f (long x) { return x << level; }
long g (long *p) { return p[level] + big * 3; }
int h (void) { return __atomic_load_n (&level, __ATOMIC_RELAXED) + __atomic_exchange_n (&on, 1, __ATOMIC_SEQ_CST); }
_Bool i2 (void) { return on && mode; }
void j (int x) { if (on || mode) work (x); }
void k (int x) { level += x; big++; }

/* { dg-final { value-sites-ok 15 7 } } */
/* { dg-final { scan-assembler "call\t__static_call_atomic_exchange_1|jmp\t__static_call_atomic_exchange_1" } } */
/* { dg-final { scan-assembler-times "__static_call_update_value" 3 } } */

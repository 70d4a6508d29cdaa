/* Guarded calls through members, `if (t.m) t.m (x);', `if (t.sub.m)
   t.sub.m (x);' and `if (impl->m) impl->m (x);' (conditional sites),
   with the members NULL and not, switching between them by member
   store, whole-table store, memcpy, memset to NULL, an atomic store,
   and by pointing the ops pointer at an ops struct with NULL members;
   a static and an extern table and ops pointer, as sibling calls,
   with arguments on the stack, and next to them guards that stay a
   test.  After each store every site must be a NOP for a NULL member
   and a call of the member otherwise (check_sites).  */
/* { sc-levels "-O1 -O3" } */
#include <string.h>
#include "abi-check.h"

static long acc;
static void add (long x) { acc += x; }
static void sub (long x) { acc -= x; }
static void mul (long x) { acc *= x; }
static void add8 (long a, long b, long c, long d, long e, long f, long g,
		  long h)
{
  acc += a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h;
}

typedef void fn_t (long);
typedef void fn8_t (long, long, long, long, long, long, long, long);

struct inner { fn_t *m; long count; };
struct tab
{
  long data;
  fn_t *m;
  struct inner sub;
  fn8_t *m8;
};
struct ops { fn_t *m; fn8_t *m8; struct { fn_t *init; } ctx; };

static struct tab t STATIC_CALL (cm_t);
extern struct tab et STATIC_CALL (cm_et);
struct tab et STATIC_CALL (cm_et) = { 7, add, { sub, 0 }, add8 };

static const struct tab tables[3] = {
  { 1, add, { sub, 1 }, add8 },
  { 2, NULL, { mul, 2 }, NULL },
  { 3, sub, { NULL, 3 }, add8 },
};

static const struct ops ops_null;
static const struct ops ops_full = { add, add8, { mul } };
static const struct ops ops_half = { NULL, add8, { NULL } };
static const struct ops *impl STATIC_CALL (cm_impl) = &ops_null;
extern const struct ops *eimpl STATIC_CALL (cm_eimpl);
const struct ops *eimpl STATIC_CALL (cm_eimpl) = &ops_full;

static volatile long v_three = 3;

#ifdef __STATICCALL__
static int
count_cond (const struct static_call_site_info *s, void *arg)
{
  if (s->conditional && strncmp (s->key, "cm_", 3) == 0)
    ++*(int *) arg;
  return 0;
}
#endif

/* The guarded calls g_* are conditional sites, one each (the plugin's
   build only; it prints nothing).  */
static void
check_cond_sites (void)
{
#ifdef __STATICCALL__
  int n = 0;
  static_call_for_each_site (count_cond, &n);
  if (n != 12)
    {
      fprintf (stderr, "%d conditional sites, not 12\n", n);
      abort ();
    }
#endif
}

__attribute__ ((noinline)) void g_m (long x) { if (t.m) t.m (x); acc++; }
__attribute__ ((noinline)) void g_tail (long x) { if (t.m != NULL) t.m (x); }
__attribute__ ((noinline)) void g_sub (long x) { if (t.sub.m) t.sub.m (x * 2 + 1); }
__attribute__ ((noinline)) void g_eq (long x) { if (t.sub.m == NULL) return; t.sub.m (x); }
__attribute__ ((noinline)) void
g_stack (long x)
{
  if (t.m8)
    t.m8 (x, x + 1, x + 2, x + 3, x + 4, x + 5, x + 6, x + 7);
}
__attribute__ ((noinline)) void g_ext (long x) { if (et.m) et.m (x); }
__attribute__ ((noinline)) void g_esub (long x) { if (et.sub.m) et.sub.m (x); }
__attribute__ ((noinline)) void g_impl (long x) { if (impl->m) impl->m (x); }
__attribute__ ((noinline)) void g_init (long x) { if (!impl->ctx.init) return; impl->ctx.init (x); }
__attribute__ ((noinline)) void
g_impl8 (long x)
{
  if (impl->m8)
    impl->m8 (x, x, x, x, x, x, x, 1);
}
__attribute__ ((noinline)) void g_eimpl (long x) { if (eimpl->m) eimpl->m (x); }
__attribute__ ((noinline)) void g_both (long x) { if (impl && impl->m) impl->m (x); }

/* These stay a test and a site.  */
__attribute__ ((noinline)) void s_else (long x) { if (t.m) t.m (x); else acc += 1000; }
__attribute__ ((noinline)) void s_more (long x) { if (impl->m) { impl->m (x); acc += 100; } }
__attribute__ ((noinline)) void s_other (long x) { if (t.sub.m) t.m (x); }

static void
run_all (const char *when)
{
  long x = v_three;
  acc = 0;
  g_m (x);
  g_tail (x);
  g_sub (x);
  g_eq (x);
  g_stack (x);
  g_ext (x);
  g_esub (x);
  g_impl (x);
  g_init (x);
  g_impl8 (x);
  g_eimpl (x);
  g_both (x);
  s_else (x);
  s_more (x);
  if (t.m)
    s_other (x);
  check_sites ();
  printf ("%s: %ld\n", when, acc);
}

int
main (void)
{
  check_cond_sites ();
  run_all ("all NULL");
  t.m = add;
  run_all ("t.m add");
  t.sub.m = mul;
  t.m8 = add8;
  run_all ("t.sub.m mul, t.m8");
  for (int i = 0; i < 3; i++)
    {
      char what[32];
      t = tables[i];
      snprintf (what, sizeof what, "tables[%d]", i);
      run_all (what);
    }
  memset (&t, 0, sizeof t);
  run_all ("memset");
  memcpy (&t, &tables[0], sizeof t);
  run_all ("memcpy tables[0]");
  memset (&t.sub, 0, sizeof t.sub);
  run_all ("memset t.sub");
  __atomic_store_n (&t.m, NULL, __ATOMIC_SEQ_CST);
  run_all ("atomic t.m NULL");
  static_call_update (t.sub.m, sub);
  run_all ("update t.sub.m");
  et.m = NULL;
  et.sub.m = add;
  run_all ("et.m NULL");
  impl = &ops_full;
  run_all ("ops_full");
  impl = &ops_half;
  run_all ("ops_half");
  eimpl = &ops_null;
  run_all ("eimpl ops_null");
  impl = &ops_null;
  eimpl = &ops_half;
  run_all ("ops_null");
  impl = &ops_full;
  eimpl = &ops_full;
  memset (&et, 0, sizeof et);
  run_all ("et memset");
  return 0;
}

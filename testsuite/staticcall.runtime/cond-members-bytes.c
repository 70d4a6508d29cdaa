/* Conditional sites of members, read back from the code bytes: a
   guarded call through a table's member (`if (t.m) t.m (x);', nested
   `t.sub.m') or through an ops pointer's member (`if (impl->m)
   impl->m (x);') is a 5-byte NOP while the member is NULL (`ret' when
   it is a sibling call) and a call straight to the member otherwise,
   after a member store, a whole-table store, memset and an ops-pointer
   switch to an ops struct with NULL members.  Each store is one batch
   (3 syncs).  An unguarded call through a NULL member faults as in
   plain C (in a child), and so does a guarded one while the ops
   pointer itself is NULL: `if (impl->m)' loads impl->m, and the
   conditional site then calls its trampoline, which does too.  */
/* { sc-levels "-O1 -O3" } */
/* { sc-run "" } */
/* { sc-run "STATICCALL_BP=trampoline" } */

#include "sc-test.h"

static int hits;
static void bump (int x) { hits += x; }
static void bump2 (int x) { hits += 2 * x; }

struct tab { long data; void (*m) (int); struct { void (*m) (int); } sub; };
struct ops { void (*m) (int); void (*n) (int); };

static struct tab t STATIC_CALL (cmb_t);
static const struct tab full = { 1, bump, { bump2 } };
static const struct tab half = { 2, NULL, { bump } };
static const struct ops ops_full = { bump, bump2 };
static const struct ops ops_half = { bump2, NULL };
static const struct ops *impl STATIC_CALL (cmb_impl) = &ops_half;

__attribute__ ((noinline, noclone)) void
g_m (int x)
{
  if (t.m)
    t.m (x);
  hits += 100;
}

__attribute__ ((noinline, noclone)) void
g_sub (int x)
{
  if (t.sub.m)
    t.sub.m (x);
}

__attribute__ ((noinline, noclone)) void
g_n (int x)
{
  if (impl->n)
    impl->n (x);
  hits += 100;
}

__attribute__ ((noinline, noclone)) void
g_impl_m (int x)
{
  if (impl->m)
    impl->m (x);
}

/* It faults on purpose while IMPL is NULL: not UndefinedBehaviorSanitizer's
   to report (the sc-sanitize matrix).  */
__attribute__ ((noinline, noclone, no_sanitize ("undefined"))) void
unguarded (int x)
{
  impl->n (x);
  hits += 1000;
}

struct expect
{
  const char *key;
  const void *target;
  int seen, conditional, wrong;
  int through_null;	/* an ops pointer's member, the pointer NULL */
};

static int
check_site (const struct static_call_site_info *s, void *arg)
{
  struct expect *e = arg;
  if (strcmp (s->key, e->key))
    return 0;
  e->seen++;
  e->conditional += s->conditional;
  const unsigned char *b = s->addr;
  int tail = -1;
  int ok;
  if (!s->conditional)
    /* The unguarded site: its trampoline while NULL, to fault there.  */
    ok = sc_x86_is_rel32 (b)
	 && sc_x86_rel32_dest (b, &tail)
	    == (e->target ? e->target : s->trampoline);
  else if (e->through_null)
    ok = sc_test_site_is_trampoline (s);
  else if (!e->target)
    ok = sc_test_site_is_nop (s);
  else
    ok = sc_test_site_is_direct (s, e->target);
  if (!ok)
    {
      char want[32];
      snprintf (want, sizeof want, "%p", e->target);
      sc_test_site_wrong (s, want);
      e->wrong++;
    }
  return 0;
}

/* Every site of KEY goes to TARGET, or is a NOP when it is NULL; N
   sites, NCOND of them conditional.  */
static void
expect (const char *key, const void *target, int n, int ncond)
{
  struct expect e = { key, target, 0, 0, 0, !impl && !strncmp (key, "cmb_impl", 8) };
  static_call_for_each_site (check_site, &e);
  if (e.wrong || e.seen != n || e.conditional != ncond)
    fprintf (stderr, "%s: %d sites, %d conditional, %d wrong\n", key,
	     e.seen, e.conditional, e.wrong);
  CHECK (e.wrong == 0 && e.seen == n && e.conditional == ncond);
}

static void
expect_all (const struct tab *tab, const struct ops *ops)
{
  expect ("cmb_t.m", (const void *) tab->m, 1, 1);
  expect ("cmb_t.sub.m", (const void *) tab->sub.m, 1, 1);
  expect ("cmb_impl->m", (const void *) ops->m, 1, 1);
  expect ("cmb_impl->n", (const void *) ops->n, 2, 1);
  hits = 0;
  g_m (3);
  g_sub (5);
  g_n (7);
  g_impl_m (11);
  int want = 200;
  want += tab->m == bump ? 3 : tab->m == bump2 ? 6 : 0;
  want += tab->sub.m == bump ? 5 : tab->sub.m == bump2 ? 10 : 0;
  want += ops->n == bump ? 7 : ops->n == bump2 ? 14 : 0;
  want += ops->m == bump ? 11 : ops->m == bump2 ? 22 : 0;
  CHECK (hits == want);
}

static unsigned long
syncs (void)
{
  struct static_call_stats st;
  static_call_get_stats (&st);
  CHECK (st.syncs == 3 * st.batches);
  return st.syncs;
}

int
main (void)
{
  static const struct tab null_tab;
  /* NULL from the start.  */
  expect_all (&null_tab, &ops_half);
  CHECK (sc_test_child_signal (unguarded, 1) == SIGSEGV);

  unsigned long s0 = syncs ();
  t.m = bump2;
  CHECK (syncs () == s0 + 3);
  struct tab now = { 0, bump2, { NULL } };
  expect_all (&now, &ops_half);

  /* Whole-table stores: one batch each, NULLs and not.  */
  s0 = syncs ();
  t = full;
  CHECK (syncs () == s0 + 3);
  expect_all (&full, &ops_half);
  t = half;
  expect_all (&half, &ops_half);
  t = full;
  s0 = syncs ();
  memset (&t, 0, sizeof t);
  CHECK (syncs () == s0 + 3);
  expect_all (&null_tab, &ops_half);
  memcpy (&t, &half, sizeof t);
  expect_all (&half, &ops_half);
  t.sub.m = NULL;
  now = half;
  now.sub.m = NULL;
  expect_all (&now, &ops_half);

  /* Ops-pointer switches, to and from NULL members.  */
  s0 = syncs ();
  impl = &ops_full;
  CHECK (syncs () == s0 + 3);
  expect_all (&now, &ops_full);
  CHECK (sc_test_child_signal (unguarded, 1) == 0);
  impl = &ops_half;
  expect_all (&now, &ops_half);
  CHECK (sc_test_child_signal (unguarded, 1) == SIGSEGV);
  static_call_update (impl, &ops_full);
  expect_all (&now, &ops_full);

  /* A NULL ops pointer: its guarded sites fault, as in plain C.  */
  impl = NULL;
  expect ("cmb_impl->m", NULL, 1, 1);
  expect ("cmb_impl->n", NULL, 2, 1);
  CHECK (sc_test_child_signal (g_impl_m, 1) == SIGSEGV);
  CHECK (sc_test_child_signal (g_n, 1) == SIGSEGV);
  CHECK (sc_test_child_signal (unguarded, 1) == SIGSEGV);
  impl = &ops_half;
  expect_all (&now, &ops_half);
  printf ("%lu syncs\n", syncs ());
  return 0;
}

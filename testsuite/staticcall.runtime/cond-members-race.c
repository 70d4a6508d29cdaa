/* Race on conditional sites of members: caller threads run guarded
   calls through a table's members (`if (t.m) t.m (&out);', nested, one
   a sibling call at -O2) and through an ops pointer's members, while
   one thread switches the whole table between one with NULL members
   and one without (by struct assignment, memcpy and memset) and points
   the ops pointer at an ops struct with NULL members or a full one.
   Per-thread timer signals run the sites from signal handlers too.

   Each target says where the call went (1 or 2; a NULL member leaves
   0).  As in cond-stress.c, the updater records the state of
   generation G in hist[G] before announcing `started = G' and
   announces `completed = G' once the store returned; a call that read
   completed = C0 before and started = S1 after must have seen the
   member of one of the states hist[C0..S1].  Runs SC_STRESS_MS
   milliseconds (default 200).  */
/* { sc-levels "-O3" } */
/* { sc-run "" } */
/* { sc-run "STATICCALL_SLOWPATH_US=50" } */
/* { sc-run "STATICCALL_BP=trampoline" } */
/* { sc-run "STATICCALL_BP=trampoline STATICCALL_SLOWPATH_US=50" } */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

#include "sc-test.h"

#define NCALLERS 3

static void f (int *out) { *out = 1; }
static void g (int *out) { *out = 2; }

struct tab { long data; void (*a) (int *); struct { void (*b) (int *); } sub; void (*c) (int *); };
struct ops { void (*a) (int *); void (*b) (int *); };

/* The table's states: 0 with NULLs, 1 without, 2 all NULL (memset).  */
static const struct tab tabs[2] = { { 1, f, { NULL }, g }, { 2, g, { f }, f } };
static const int tab_value[3][3] = { { 1, 0, 2 }, { 2, 1, 1 }, { 0, 0, 0 } };
static const struct ops opss[2] = { { NULL, g }, { f, f } };
static const int ops_value[2][2] = { { 0, 2 }, { 1, 1 } };

static struct tab t STATIC_CALL (cmr_t);
static const struct ops *impl STATIC_CALL (cmr_impl) = &opss[0];

static struct sc_test_history h[2];
static atomic_ulong nulls;
static struct sc_test_race race;

/* What member MEMBER of the table (KEY 0) or the ops (KEY 1) in STATE
   calls: 1, 2, or 0 when NULL.  */
static int
tab_member (int state, int member)
{
  return tab_value[state][member];
}

static int
ops_member (int state, int member)
{
  return ops_value[state][member];
}

/* Async-signal-safe: atomics only.  */
static void
check (int key, int member, int got, unsigned long c0, unsigned long s1)
{
  sc_test_race_check (&race, &h[key], c0, s1, got,
		      key ? ops_member : tab_member, member);
}

__attribute__ ((noinline, noclone)) static void
g_a (int *out)
{
  if (t.a)
    t.a (out);
  __asm__ volatile ("" ::: "memory");
}

__attribute__ ((noinline, noclone)) static void
g_b (int *out)
{
  if (t.sub.b)
    t.sub.b (out);
}

__attribute__ ((noinline, noclone)) static void
g_c (int *out)
{
  if (t.c != NULL)
    t.c (out);
}

__attribute__ ((noinline, noclone)) static void
g_ia (int *out)
{
  if (impl->a)
    impl->a (out);
  __asm__ volatile ("" ::: "memory");
}

__attribute__ ((noinline, noclone)) static void
g_ib (int *out)
{
  if (impl->b)
    impl->b (out);
}

static void (*const guarded[5]) (int *) = { g_a, g_b, g_c, g_ia, g_ib };

static void
call_all (long unused)
{
  for (int i = 0; i < 5; i++)
    {
      int key = i >= 3, out = 0;
      unsigned long c0 = atomic_load (&h[key].completed);
      guarded[i] (&out);
      check (key, key ? i - 3 : i, out, c0, atomic_load (&h[key].started));
      if (!out)
	atomic_fetch_add_explicit (&nulls, 1, memory_order_relaxed);
    }
}

static int
count_cond (const struct static_call_site_info *s, void *arg)
{
  if (s->conditional && strncmp (s->key, "cmr_", 4) == 0)
    ++*(int *) arg;
  return 0;
}

/* Generation GEN of KEY (0 the table, 1 the ops pointer), the I-th
   store.  */
static void
retarget (int key, unsigned long gen, unsigned long i)
{
  int state = key ? (int) (i % 2) : (int) (i % 3);
  sc_test_history_start (&h[key], gen, state);
  if (key)
    impl = &opss[state];
  else if (state == 2)
    memset (&t, 0, sizeof t);
  else if (i % 2)
    t = tabs[state];
  else
    memcpy (&t, &tabs[state], sizeof t);
  atomic_store (&h[key].completed, gen);
}

static void
update (unsigned long n)
{
  static unsigned long gen[2];
  int key = n % 2;
  retarget (key, ++gen[key], n / 2 + 1);
}

int
main (void)
{
  /* Generation 0: the initial values, the table all NULL.  */
  atomic_store (&h[0].hist[0], 2);
  atomic_store (&h[1].hist[0], 0);
  race.fail_msg = "cond-members-race: a call saw a target that was not "
		  "current during the call\n";
  race.call = call_all;
  race.calls_per_round = 5;
  race.update = update;
  race.self_timer_ns = 300000;
  race.ms = 200;
  sc_test_race_run (&race, NCALLERS);

  /* The guarded sites are conditional, and hold the last state.  */
  t = tabs[0];
  impl = &opss[0];
  sc_test_expect_direct ("cmr_t.a", (const void *) f);
  sc_test_expect_direct ("cmr_impl->b", (const void *) g);
  int out = 0;
  g_b (&out);
  g_ia (&out);
  CHECK (out == 0);
  int ncond = 0;
  static_call_for_each_site (count_cond, &ncond);
  CHECK (ncond == 5);

  struct static_call_stats st;
  static_call_get_stats (&st);
  printf ("cond-members-race: %lu calls (%lu through NULL members), %lu "
	  "from signal handlers, %lu stores, ", atomic_load (&race.calls),
	  atomic_load (&nulls), atomic_load (&race.handler_calls),
	  race.updates);
  sc_test_print_bp_stats (&st);
  printf ("%lu unchecked\n", atomic_load (&race.unchecked));
  CHECK (atomic_load (&nulls) > 0);
  CHECK (st.syncs == 3 * st.batches);
  sc_test_race_verdict (&race, &st);
  return 0;
}

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

#define RING (1 << 16)
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

struct history
{
  atomic_ulong started, completed;
  atomic_int hist[RING];
};
static struct history h[2];

static atomic_int stop;
static atomic_ulong calls, handler_calls, unchecked, nulls;

static void
fail_call (void)
{
  static const char msg[] = "cond-members-race: a call saw a target that "
			     "was not current during the call\n";
  write (2, msg, sizeof msg - 1);
  abort ();
}

/* Async-signal-safe: atomics only.  */
static void
check (int key, int member, int got, unsigned long c0, unsigned long s1)
{
  if (s1 - c0 >= RING - 1)
    {
      atomic_fetch_add (&unchecked, 1);
      return;
    }
  for (unsigned long gen = c0; gen <= s1; gen++)
    {
      int state = atomic_load (&h[key].hist[gen % RING]);
      if ((key ? ops_value[state][member] : tab_value[state][member]) == got)
	return;
    }
  fail_call ();
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
call_all (void)
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

static void
on_timer (int sig)
{
  call_all ();
  atomic_fetch_add (&handler_calls, 1);
}

static void *
caller (void *arg)
{
  timer_t tm = sc_test_thread_timer (SIGALRM, 200000);
  unsigned long n = 0;
  while (!atomic_load_explicit (&stop, memory_order_relaxed))
    {
      call_all ();
      n++;
    }
  timer_delete (tm);
  atomic_fetch_add (&calls, 5 * n);
  return NULL;
}

/* Generation GEN of KEY (0 the table, 1 the ops pointer), the I-th
   store.  */
static void
retarget (int key, unsigned long gen, unsigned long i)
{
  int state = key ? (int) (i % 2) : (int) (i % 3);
  atomic_store (&h[key].hist[gen % RING], state);
  atomic_store (&h[key].started, gen);
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

int
main (void)
{
  const char *ms_env = getenv ("SC_STRESS_MS");
  long ms = ms_env ? atol (ms_env) : 200;
  struct sigaction sa;
  memset (&sa, 0, sizeof sa);
  sa.sa_handler = on_timer;
  sa.sa_flags = SA_RESTART;
  sigaction (SIGALRM, &sa, NULL);
  /* Generation 0: the initial values, the table all NULL.  */
  atomic_store (&h[0].hist[0], 2);
  atomic_store (&h[1].hist[0], 0);

  pthread_t th[NCALLERS];
  for (long i = 0; i < NCALLERS; i++)
    CHECK (pthread_create (&th[i], NULL, caller, NULL) == 0);
  timer_t self_timer = sc_test_thread_timer (SIGALRM, 300000);

  double t0 = sc_test_now (), elapsed;
  unsigned long updates = 0, gen[2] = { 0, 0 };
  /* At least SC_STRESS_MS, and on a loaded machine longer (up to 20
     times that) until 300 stores have raced the callers.  */
  do
    {
      int key = updates % 2;
      retarget (key, ++gen[key], updates / 2 + 1);
      updates++;
      elapsed = (sc_test_now () - t0) * 1000;
    }
  while (elapsed < ms || (updates < 300 && elapsed < 20 * ms));
  timer_delete (self_timer);
  atomic_store (&stop, 1);
  for (int i = 0; i < NCALLERS; i++)
    pthread_join (th[i], NULL);

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
	  "from signal handlers, %lu stores, %lu batches, %lu syncs; "
	  "breakpoint hits: %lu emulated, %lu stub, %lu self, %lu stale; "
	  "%lu unchecked\n",
	  atomic_load (&calls), atomic_load (&nulls),
	  atomic_load (&handler_calls), updates, st.batches, st.syncs,
	  st.bp_emulated, st.bp_stub, st.bp_self, st.bp_stale,
	  atomic_load (&unchecked));
  CHECK (updates >= 300 && atomic_load (&calls) > 1000);
  CHECK (atomic_load (&nulls) > 0 && atomic_load (&handler_calls) > 0);
  CHECK (st.syncs == 3 * st.batches);
  const char *slow = getenv ("STATICCALL_SLOWPATH_US");
  const char *bp = getenv ("STATICCALL_BP");
  if (slow && atol (slow) > 0)
    {
      CHECK (st.bp_emulated + st.bp_stub > 0);
      if (bp && !strcmp (bp, "trampoline"))
	CHECK (st.bp_stub > 0);
      else
	CHECK (st.bp_stub == 0);
    }
  return 0;
}

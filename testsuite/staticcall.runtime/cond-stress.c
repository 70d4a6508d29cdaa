/* Stress of conditional and return-0 sites: caller threads run guarded
   calls `if (hook) hook (&out);' (one followed by more code, one a
   sibling call at -O2) and an unguarded call of a long-returning key,
   while one thread switches the guarded key between NULL, f, g and
   static_call_return0 and the other key between f, g and
   static_call_return0, as fast as it can, by assignment and by
   static_call_update.  Per-thread timer signals run the sites from
   signal handlers too, the updating thread's own included (self-hits).

   Each target says where the call went: f 1, g 2, NULL and
   static_call_return0 nothing (0).  As in stress.c, the updater records
   the value of generation G in hist[G] before announcing `started = G'
   and announces `completed = G' once the update returned; a call that
   read completed = C0 before and started = S1 after must have seen one
   of hist[C0..S1].  Runs SC_STRESS_MS milliseconds (default 300).  */
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

static void hf (int *out) { *out = 1; }
static void hg (int *out) { *out = 2; }
static long nf (long x) { return 1 + 0 * x; }
static long ng (long x) { return 2 + 0 * x; }

static void (*const hooks[4]) (int *)
  = { NULL, hf, hg, (void (*) (int *)) static_call_return0 };
static long (*const nums[3]) (long)
  = { nf, ng, (long (*) (long)) static_call_return0 };
static const int hook_value[4] = { 0, 1, 2, 0 };
static const int num_value[3] = { 1, 2, 0 };

void (*hook) (int *) STATIC_CALL (cs_hook);
long (*num) (long) STATIC_CALL (cs_num) = nf;

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
  static const char msg[] = "cond-stress: a call saw a target that was "
			     "not current during the call\n";
  write (2, msg, sizeof msg - 1);
  abort ();
}

/* Async-signal-safe: atomics only.  */
static void
check (int key, int got, unsigned long c0, unsigned long s1)
{
  if (s1 - c0 >= RING - 1)
    {
      atomic_fetch_add (&unchecked, 1);
      return;
    }
  for (unsigned long g = c0; g <= s1; g++)
    if (atomic_load (&h[key].hist[g % RING]) == got)
      return;
  fail_call ();
}

__attribute__ ((noinline, noclone)) static void
guarded (int *out)
{
  if (hook)
    hook (out);
  __asm__ volatile ("" ::: "memory");
}

__attribute__ ((noinline, noclone)) static void
guarded_tail (int *out)
{
  if (hook)
    hook (out);
}

static void
call_all (void)
{
  int out = 0;
  unsigned long c0 = atomic_load (&h[0].completed);
  guarded (&out);
  check (0, out, c0, atomic_load (&h[0].started));
  if (!out)
    atomic_fetch_add_explicit (&nulls, 1, memory_order_relaxed);

  out = 0;
  c0 = atomic_load (&h[0].completed);
  guarded_tail (&out);
  check (0, out, c0, atomic_load (&h[0].started));

  c0 = atomic_load (&h[1].completed);
  long v = num (7);
  check (1, (int) v, c0, atomic_load (&h[1].started));
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
  timer_t t = sc_test_thread_timer (SIGALRM, 200000);
  unsigned long n = 0;
  while (!atomic_load_explicit (&stop, memory_order_relaxed))
    {
      call_all ();
      n++;
    }
  timer_delete (t);
  atomic_fetch_add (&calls, 3 * n);
  return NULL;
}

static void
retarget (int key, unsigned long g, int i)
{
  atomic_store (&h[key].hist[g % RING],
		key ? num_value[i % 3] : hook_value[i % 4]);
  atomic_store (&h[key].started, g);
  switch (key * 2 + (g & 1))
    {
    case 0: hook = hooks[i % 4]; break;
    case 1: CHECK (static_call_update (hook, hooks[i % 4]) == 0); break;
    case 2: num = nums[i % 3]; break;
    case 3: CHECK (static_call_update (num, nums[i % 3]) == 0); break;
    }
  atomic_store (&h[key].completed, g);
}

int
main (void)
{
  const char *ms_env = getenv ("SC_STRESS_MS");
  long ms = ms_env ? atol (ms_env) : 300;
  struct sigaction sa;
  memset (&sa, 0, sizeof sa);
  sa.sa_handler = on_timer;
  sa.sa_flags = SA_RESTART;
  sigaction (SIGALRM, &sa, NULL);
  /* Generation 0: the initial values.  */
  atomic_store (&h[0].hist[0], 0);
  atomic_store (&h[1].hist[0], 1);

  pthread_t th[NCALLERS];
  for (long i = 0; i < NCALLERS; i++)
    CHECK (pthread_create (&th[i], NULL, caller, NULL) == 0);
  /* The updater's own timer: its handler runs sites under patch.  */
  timer_t self_timer = sc_test_thread_timer (SIGALRM, 300000);

  double t0 = sc_test_now (), elapsed;
  unsigned long updates = 0, g[2] = { 0, 0 };
  /* At least SC_STRESS_MS, and on a loaded machine longer (up to 20
     times that) until 300 updates have raced the callers.  */
  do
    {
      int key = updates % 2;
      retarget (key, ++g[key], (int) (updates / 2 + 1));
      updates++;
      elapsed = (sc_test_now () - t0) * 1000;
    }
  while (elapsed < ms || (updates < 300 && elapsed < 20 * ms));
  timer_delete (self_timer);
  atomic_store (&stop, 1);
  for (int i = 0; i < NCALLERS; i++)
    pthread_join (th[i], NULL);

  /* The sites hold the last state.  */
  hook = NULL;
  int out = 0;
  guarded (&out);
  guarded_tail (&out);
  CHECK (out == 0);
  hook = hf;
  guarded_tail (&out);
  CHECK (out == 1);
  sc_test_expect_direct ("cs_hook", (const void *) hf);

  struct static_call_stats st;
  static_call_get_stats (&st);
  printf ("cond-stress: %lu calls (%lu guarded ones skipped), %lu from "
	  "signal handlers, %lu updates, %lu batches, %lu syncs; breakpoint "
	  "hits: %lu emulated, %lu stub, %lu self, %lu stale; %lu "
	  "unchecked\n",
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

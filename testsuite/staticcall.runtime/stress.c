/* Stress: caller threads run sites of three keys (a plain call, a call
   with stack arguments, a tail call) while one thread retargets them as
   fast as it can, by assignment and by static_call_update, and per-thread
   timer signals run the sites from signal handlers too.

   Every call must land on a target that was current at some moment
   during the call: for each key the updater records the target of
   generation g in hist[g] before announcing `started = g', and announces
   `completed = g' when the update returned.  A call that read
   completed = c0 before and started = s1 after must have reached one of
   hist[c0..s1].  Runs SC_STRESS_MS milliseconds (default 300).  */
/* { sc-run "" } */
/* { sc-run "STATICCALL_SLOWPATH_US=50" } */
/* { sc-run "STATICCALL_BP=trampoline" } */
/* { sc-run "STATICCALL_BP=trampoline STATICCALL_SLOWPATH_US=50" } */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "sc-test.h"

#define NT 4
#define RING (1 << 16)
#define NCALLERS 3

/* Targets: each returns its index, so the caller knows where it went.  */
#define DEF_A(i) static int a##i (int x) { return i + 0 * x; }
#define DEF_B(i)							\
  static long b##i (long p1, long p2, long p3, long p4, long p5, long p6,	\
		    long p7, long p8)					\
  {									\
    return i * 1000000 + p1 + p2 + p3 + p4 + p5 + p6 + p7 + p8;		\
  }
DEF_A (0) DEF_A (1) DEF_A (2) DEF_A (3)
DEF_B (0) DEF_B (1) DEF_B (2) DEF_B (3)

static int (*const ta[NT]) (int) = { a0, a1, a2, a3 };
static long (*const tb[NT]) (long, long, long, long, long, long, long,
			      long) = { b0, b1, b2, b3 };

int (*ka) (int) STATIC_CALL (stress_a) = a0;
long (*kb) (long, long, long, long, long, long, long, long)
  STATIC_CALL (stress_b) = b0;
int (*kc) (int) STATIC_CALL (stress_c) = a0;

struct history
{
  atomic_ulong started, completed;
  atomic_int hist[RING];
};
static struct history h[3];

static atomic_int stop;
static atomic_ulong calls, handler_calls, unchecked;

static void
fail_call (int key, int got, unsigned long c0, unsigned long s1)
{
  static const char msg[] = "stress: call reached a target that was not "
			     "current during the call\n";
  (void) key; (void) got; (void) c0; (void) s1;
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
  fail_call (key, got, c0, s1);
}

__attribute__ ((noinline)) static int
via_tail (int x)
{
  return kc (x);
}

static void
call_all (long salt)
{
  unsigned long c0 = atomic_load (&h[0].completed);
  int r = ka ((int) salt);
  check (0, r, c0, atomic_load (&h[0].started));

  c0 = atomic_load (&h[1].completed);
  long v = kb (salt, 1, 2, 3, 4, 5, 6, 7);
  unsigned long s1 = atomic_load (&h[1].started);
  if (v % 1000000 != salt + 28)
    fail_call (1, -1, c0, s1);
  check (1, (int) (v / 1000000), c0, s1);

  c0 = atomic_load (&h[2].completed);
  r = via_tail ((int) salt);
  check (2, r, c0, atomic_load (&h[2].started));
}

static void
on_timer (int sig)
{
  call_all (7);
  atomic_fetch_add (&handler_calls, 1);
}

static void *
caller (void *arg)
{
  timer_t t = sc_test_thread_timer (SIGALRM, 200000);

  long salt = (long) (intptr_t) arg;
  unsigned long n = 0;
  while (!atomic_load_explicit (&stop, memory_order_relaxed))
    {
      call_all (salt);
      n++;
    }
  timer_delete (t);
  atomic_fetch_add (&calls, 3 * n);
  return NULL;
}

static void
retarget (int key, unsigned long g, int i)
{
  atomic_store (&h[key].hist[g % RING], i);
  atomic_store (&h[key].started, g);
  switch (key * 2 + (g & 1))
    {
    case 0: ka = ta[i]; break;
    case 1: CHECK (static_call_update (ka, ta[i]) == 0); break;
    case 2: kb = tb[i]; break;
    case 3: CHECK (static_call_update (kb, tb[i]) == 0); break;
    case 4: kc = ta[i]; break;
    case 5: CHECK (static_call_update (kc, ta[i]) == 0); break;
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

  pthread_t th[NCALLERS];
  for (long i = 0; i < NCALLERS; i++)
    CHECK (pthread_create (&th[i], NULL, caller, (void *) (i + 1)) == 0);

  struct timespec t0, t;
  clock_gettime (CLOCK_MONOTONIC, &t0);
  unsigned long updates = 0;
  unsigned long g[3] = { 0, 0, 0 };
  /* At least SC_STRESS_MS, and on a loaded machine longer (up to 20
     times that) until 300 updates have raced the callers.  */
  long elapsed;
  do
    {
      int key = updates % 3;
      retarget (key, ++g[key], (int) ((updates / 3 + 1) % NT));
      updates++;
      clock_gettime (CLOCK_MONOTONIC, &t);
      elapsed = (t.tv_sec - t0.tv_sec) * 1000
		+ (t.tv_nsec - t0.tv_nsec) / 1000000;
    }
  while (elapsed < ms || (updates < 300 && elapsed < 20 * ms));
  atomic_store (&stop, 1);
  for (int i = 0; i < NCALLERS; i++)
    pthread_join (th[i], NULL);

  /* The sites hold the last targets.  */
  sc_test_expect_direct ("stress_a", (const void *) ka);
  sc_test_expect_direct ("stress_b", (const void *) kb);
  sc_test_expect_direct ("stress_c", (const void *) kc);

  struct static_call_stats st;
  static_call_get_stats (&st);
  printf ("stress: %lu calls, %lu from signal handlers, %lu updates, "
	  "%lu batches, %lu syncs; breakpoint hits: %lu emulated, %lu stub, "
	  "%lu self, %lu stale; %lu rseq aborts; %lu unchecked\n",
	  atomic_load (&calls), atomic_load (&handler_calls), updates,
	  st.batches, st.syncs, st.bp_emulated, st.bp_stub, st.bp_self,
	  st.bp_stale, st.rseq_aborts, atomic_load (&unchecked));
  CHECK (updates >= 300 && atomic_load (&calls) > 1000);
  CHECK (atomic_load (&handler_calls) > 0);
  /* With the slow path forced, callers must have taken the handler.  */
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

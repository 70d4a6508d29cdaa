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
/* { sc-sanitize } */
/* One caller and few updates under helgrind and drd: they run one
   thread at a time, and an update waits for every other thread's turn
   at each of its system calls.  Up to 20 s for the 5 updates, on a
   loaded machine.  */
/* { sc-valgrind-tools "SC_STRESS_MS=1000 SC_STRESS_CALLERS=1 SC_STRESS_UPDATES=5" } */
/* { sc-valgrind-tools "SC_STRESS_MS=1000 SC_STRESS_CALLERS=1 SC_STRESS_UPDATES=5 STATICCALL_SLOWPATH_US=50" } */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "sc-test.h"

#define NT 4
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

static struct sc_test_history h[3];
static struct sc_test_race race;

/* Async-signal-safe: atomics only.  */
static void
check (int key, int got, unsigned long c0, unsigned long s1)
{
  sc_test_race_check (&race, &h[key], c0, s1, got, NULL, 0);
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
    sc_test_race_fail (&race);
  check (1, (int) (v / 1000000), c0, s1);

  c0 = atomic_load (&h[2].completed);
  r = via_tail ((int) salt);
  check (2, r, c0, atomic_load (&h[2].started));
}

static void
retarget (int key, unsigned long g, int i)
{
  sc_test_history_start (&h[key], g, i);
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

static void
update (unsigned long n)
{
  static unsigned long g[3];
  int key = n % 3;
  retarget (key, ++g[key], (int) ((n / 3 + 1) % NT));
}

int
main (void)
{
  race.fail_msg = "stress: call reached a target that was not current "
		  "during the call\n";
  race.call = call_all;
  race.signal_arg = 7;
  race.calls_per_round = 3;
  race.update = update;
  race.ms = 300;
  sc_test_race_run (&race, NCALLERS);

  /* The sites hold the last targets.  */
  sc_test_expect_direct ("stress_a", (const void *) ka);
  sc_test_expect_direct ("stress_b", (const void *) kb);
  sc_test_expect_direct ("stress_c", (const void *) kc);

  struct static_call_stats st;
  static_call_get_stats (&st);
  printf ("stress: %lu calls, %lu from signal handlers, %lu updates, ",
	  atomic_load (&race.calls), atomic_load (&race.handler_calls),
	  race.updates);
  sc_test_print_bp_stats (&st);
  printf ("%lu rseq aborts; %lu unchecked\n", st.rseq_aborts,
	  atomic_load (&race.unchecked));
  sc_test_race_verdict (&race, &st);
  return 0;
}

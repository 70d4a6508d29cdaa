/* Self-hit: the patching thread's own signal handler calls a site of
   the batch being patched.  The handler must finish that site locally
   and restart the call (no deadlock, right target).  A per-thread timer
   interrupts the updater while it sleeps in the forced slow path.

   The timer's period must be long against one handler round (SIGALRM,
   the site's int3, SIGTRAP, the self-hit's code write): the signal is
   blocked while its handler runs and a periodic timer's overruns merge
   into one pending signal, so with a round as long as the period the
   updater would run nothing but handlers.  A round takes up to about
   50 us on a slow 2-vCPU VM; a 1 ms period leaves the updater at least
   nine tenths of its time even at 100 us a round, and a 3 ms hold
   still sees about three expirations per batch, so nearly every batch
   makes a self-hit.  The loop stops after WANT self-hits, or on its
   bounds of updates and elapsed time; then it says how far it got, and
   passes only with at least ENOUGH real self-hits.  */
/* { sc-run "STATICCALL_SLOWPATH_US=3000" } */
/* { sc-run "STATICCALL_SLOWPATH_US=3000 STATICCALL_BP=trampoline" } */
/* { sc-run "STATICCALL_SLOWPATH_US=3000 STATICCALL_WRITER=mprotect" } */
#include <signal.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "sc-test.h"

enum { WANT = 20, ENOUGH = 5, MAX_UPDATES = 1000 };
#define PERIOD_NS 1000000L
#define TIME_BOUND_S 10.0

static int even (int x) { return 2 * x; }
static int odd (int x) { return 2 * x + 1; }

int (*f) (int) STATIC_CALL (self_hit) = even;

static atomic_int calls_in_handler, bad;

static void
on_timer (int sig)
{
  int r = f (3);
  if (r != 6 && r != 7)
    atomic_store (&bad, 1);
  atomic_fetch_add (&calls_in_handler, 1);
}

int
main (void)
{
  struct sigaction sa;
  memset (&sa, 0, sizeof sa);
  sa.sa_handler = on_timer;
  sigaction (SIGALRM, &sa, NULL);
  /* Interrupts the updater itself, mid-batch.  */
  timer_t t = sc_test_thread_timer (SIGALRM, PERIOD_NS);

  struct static_call_stats st;
  double start = sc_test_now (), elapsed = 0;
  int updates = 0;
  do
    {
      f = (updates & 1) ? even : odd;
      updates++;
      static_call_get_stats (&st);
      elapsed = sc_test_now () - start;
    }
  while (st.bp_self < WANT && updates < MAX_UPDATES
	 && elapsed < TIME_BOUND_S);
  timer_delete (t);
  CHECK (!atomic_load (&bad));
  CHECK (f (3) == even (3) || f (3) == odd (3));
  CHECK (sc_test_expect_direct ("self_hit", (const void *) f) == 3);
  printf ("%d updates in %.2f s, %d calls from the updater's handler, "
	  "%lu self-hits\n", updates, elapsed,
	  atomic_load (&calls_in_handler), st.bp_self);
  if (st.bp_self < WANT)
    printf ("stopped on its bound (%s) before %d self-hits: %s\n",
	    updates >= MAX_UPDATES ? "updates" : "time", WANT,
	    st.bp_self >= ENOUGH ? "enough to pass" : "too few to pass");
  CHECK (st.bp_self >= ENOUGH);
  return 0;
}

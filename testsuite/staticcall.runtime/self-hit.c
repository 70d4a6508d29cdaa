/* Self-hit: the patching thread's own signal handler calls a site of
   the batch being patched.  The handler must finish that site locally
   and restart the call (no deadlock, right target).  A per-thread timer
   interrupts the updater while it sleeps in the forced slow path.  */
/* { sc-run "STATICCALL_SLOWPATH_US=300" } */
/* { sc-run "STATICCALL_SLOWPATH_US=300 STATICCALL_BP=trampoline" } */
/* { sc-run "STATICCALL_SLOWPATH_US=300 STATICCALL_WRITER=mprotect" } */
#include <signal.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "sc-test.h"

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
  timer_t t = sc_test_thread_timer (SIGALRM, 50000);

  struct static_call_stats st;
  for (int i = 0; i < 2000; i++)
    {
      f = (i & 1) ? even : odd;
      static_call_get_stats (&st);
      if (st.bp_self >= 20)
	break;
    }
  timer_delete (t);
  CHECK (!atomic_load (&bad));
  CHECK (f (3) == even (3) || f (3) == odd (3));
  CHECK (sc_test_expect_direct ("self_hit", (const void *) f) == 3);
  printf ("%d calls from the updater's handler, %lu self-hits\n",
	  atomic_load (&calls_in_handler), st.bp_self);
  CHECK (st.bp_self > 0);
  return 0;
}

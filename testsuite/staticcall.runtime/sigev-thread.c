/* Threads the C library makes with signals blocked still get SIGTRAP:
   SIGEV_THREAD timer notifications, threads whose attribute mask is
   full (pthread_attr_setsigmask_np), and sigblock.  A site hit mid-patch
   in one of them would otherwise kill the process.  */
/* { sc-run "STATICCALL_SLOWPATH_US=500" } */
/* { sc-options "-pthread -Wno-deprecated-declarations" } */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "sc-test.h"

static int add1 (int x) { return x + 1; }
static int add2 (int x) { return x + 2; }
int (*op) (int) STATIC_CALL (sigev) = add1;

static int
sigtrap_blocked (void)
{
  sigset_t cur;
  pthread_sigmask (SIG_SETMASK, NULL, &cur);
  return sigismember (&cur, SIGTRAP);
}

static atomic_int notified, blocked_seen, bad;
static atomic_long calls;

static void
notification (union sigval v)
{
  if (sigtrap_blocked ())
    atomic_store (&blocked_seen, 1);
  for (int i = 0; i < 20000; i++)
    {
      int r = op (i);
      if (r != i + 1 && r != i + 2)
	atomic_store (&bad, 1);
    }
  atomic_fetch_add (&calls, 20000);
  atomic_fetch_add (&notified, 1);
}

static void *
full_mask_thread (void *arg)
{
  *(int *) arg = sigtrap_blocked ();
  return NULL;
}

int
main (void)
{
#ifdef __SANITIZE_THREAD__
  /* Even with no static call, its runtime crashes in a notification's
     thread, which the C library starts without pthread_create.  */
  sc_test_unsupported ("ThreadSanitizer does not run SIGEV_THREAD "
		       "notifications");
#endif
  /* A thread made with a full mask in its attributes.  */
  pthread_attr_t attr;
  sigset_t all;
  sigfillset (&all);
  CHECK (pthread_attr_init (&attr) == 0);
  CHECK (pthread_attr_setsigmask_np (&attr, &all) == 0);
  pthread_t t;
  int blocked = -1;
  CHECK (pthread_create (&t, &attr, full_mask_thread, &blocked) == 0);
  pthread_join (t, NULL);
  pthread_attr_destroy (&attr);
  CHECK (blocked == 0);

  /* sigblock, the BSD call.  */
  int old = sigblock (~0);
  CHECK (!sigtrap_blocked ());
  sigsetmask (old);

  /* Timer notifications calling sites while they are retargeted.  */
  struct sigevent ev;
  memset (&ev, 0, sizeof ev);
  ev.sigev_notify = SIGEV_THREAD;
  ev.sigev_notify_function = notification;
  timer_t timer;
  CHECK (timer_create (CLOCK_MONOTONIC, &ev, &timer) == 0);
  struct itimerspec its = { { 0, 2000000 }, { 0, 2000000 } };
  CHECK (timer_settime (timer, 0, &its, NULL) == 0);
  /* 20 notifications and 200 updates, or as many as 20 s allow (at
     least 5 notifications).  */
  double end = sc_test_now () + 20;
  int n;
  for (n = 0; (atomic_load (&notified) < 20 || n < 200)
	      && sc_test_now () < end; n++)
    static_call_update (op, (n & 1) ? add1 : add2);
  timer_delete (timer);
  struct static_call_stats st;
  static_call_get_stats (&st);
  printf ("%d notifications, %ld calls, %d updates, %lu breakpoint hits%s\n",
	  atomic_load (&notified), atomic_load (&calls), n, st.bp_emulated,
	  sc_test_now () >= end ? " (stopped on its 20 s bound)" : "");
  CHECK (atomic_load (&notified) >= 5);
  CHECK (!atomic_load (&blocked_seen));
  CHECK (!atomic_load (&bad));
  return 0;
}

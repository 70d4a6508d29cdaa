/* Worker threads that block every signal (the common "signals go to one
   thread" pattern), and a signal handler installed with a full sa_mask,
   call sites while updates hold their breakpoints: none may be killed.
   The kernel forces a blocked SIGTRAP to its default action, so the
   runtime keeps SIGTRAP out of every mask the program sets.  300
   updates, or as many as 20 s allow (at least 30).  */
/* { sc-run "STATICCALL_SLOWPATH_US=100" } */
/* { sc-run "STATICCALL_SLOWPATH_US=100 STATICCALL_BP=trampoline" } */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "sc-test.h"

static int one (int x) { return x + 1; }
static int two (int x) { return x + 2; }
int (*f) (int) STATIC_CALL (blocked) = one;

static atomic_int stop;
static atomic_long worker_calls, handler_calls;

static void
on_usr1 (int sig)
{
  int r = f (1);
  if (r != 2 && r != 3)
    abort ();
  atomic_fetch_add (&handler_calls, 1);
}

static void *
worker (void *arg)
{
  sigset_t all;
  sigfillset (&all);
  CHECK (pthread_sigmask (SIG_BLOCK, &all, NULL) == 0);
  sigset_t now;
  pthread_sigmask (SIG_SETMASK, NULL, &now);
  CHECK (sigismember (&now, SIGUSR2));	/* the rest stays blocked */
  while (!atomic_load (&stop))
    {
      int r = f (1);
      CHECK (r == 2 || r == 3);
      atomic_fetch_add (&worker_calls, 1);
    }
  return NULL;
}

static void *
signaller (void *arg)
{
  pid_t main_tid = (pid_t) (intptr_t) arg;
  while (!atomic_load (&stop))
    {
      /* One signal at a time, and a pause once its handler has run: at
	 a fixed rate the signals would livelock the main thread (the
	 updater) on a machine where one handler round, with its
	 breakpoint, takes as long as the interval.  */
      long seen = atomic_load (&handler_calls);
      syscall (SYS_tgkill, getpid (), main_tid, SIGUSR1);
      while (atomic_load (&handler_calls) == seen && !atomic_load (&stop))
	sc_test_sleep_ns (20000);
      sc_test_sleep_ns (100000);
    }
  return NULL;
}

int
main (void)
{
  struct sigaction sa;
  memset (&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sigfillset (&sa.sa_mask);
  CHECK (sigaction (SIGUSR1, &sa, NULL) == 0);

  pthread_t w[2], s;
  for (int i = 0; i < 2; i++)
    CHECK (pthread_create (&w[i], NULL, worker, NULL) == 0);
  CHECK (pthread_create (&s, NULL, signaller,
			 (void *) (intptr_t) syscall (SYS_gettid)) == 0);
  double end = sc_test_now () + 20;
  int i;
  for (i = 0; i < 300 && sc_test_now () < end; i++)
    {
      f = (i & 1) ? one : two;
      for (int j = 0; j < 20; j++)
	CHECK (f (0) >= 1);
    }
  atomic_store (&stop, 1);
  for (int i = 0; i < 2; i++)
    pthread_join (w[i], NULL);
  pthread_join (s, NULL);
  struct static_call_stats st;
  static_call_get_stats (&st);
  printf ("%d updates, %ld worker calls, %ld handler calls, %lu breakpoint "
	  "hits, %lu self-hits%s\n", i, atomic_load (&worker_calls),
	  atomic_load (&handler_calls), st.bp_emulated + st.bp_stub,
	  st.bp_self, i < 300 ? " (stopped on its 20 s bound)" : "");
  CHECK (i >= 30);
  CHECK (st.bp_emulated + st.bp_stub > 0);
  return 0;
}

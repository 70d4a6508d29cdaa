/* STI-shadow path: a stub reached from a stale context must not run.

   The sequence, forced here with a test hook, that real programs hit
   about once a minute under load (a thread preempted in the trap
   handler, then a signal whose handler calls a site under patch):
     1. thread T hits site A during batch 1; the handler arms rseq_cs
	and points T at stub 0;
     2. T is preempted before it returns from the handler: the kernel
	clears rseq_cs (T is outside the stub area).  The hook does that
	clearing itself, and queues SIGUSR1 for T;
     3. SIGUSR1 is delivered as T returns to stub 0: rseq_cs is clear,
	so no abort, and T's SIGUSR1 handler runs with stub 0 as its
	return address;
     4. batch 1 ends; batch 2 starts and reuses the stub area.  The
	SIGUSR1 handler calls site B, which traps; the handler arms
	rseq_cs again and gives T stub 0, now written for site B.  T
	runs it and returns to the SIGUSR1 handler;
     5. the SIGUSR1 handler returns: T is back at stub 0, with rseq_cs
	still armed (from step 4).  A guard that only checks rseq_cs lets
	it run stub 0, whose content is site B's: it returns into the
	SIGUSR1 handler's code on the main program's stack.
   Each arming hands the thread a ticket that its stub checks and
   consumes, so at step 5 T goes to the abort handler and re-executes
   site A, which by then calls t2.

   Every wait for another thread gives up after 20 s, saying which step
   did not come (each batch holds its int3 for 200 ms).  */
/* { sc-run "STATICCALL_BP=trampoline STATICCALL_SLOWPATH_US=200000" } */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/rseq.h>

#include "sc-test.h"

int __static_call_debug_after_arm (void (*fn) (void));

static int t1 (int x) { return 100 + x; }
static int t2 (int x) { return 200 + x; }

int (*fa) (int) STATIC_CALL (nested_a) = t1;
int (*fb) (int) STATIC_CALL (nested_b) = t1;

static atomic_int phase;
static atomic_int hook_runs;
static int b_result = -1;
static unsigned long b_stubs;

static void
simulate_preemption (void)
{
  if (atomic_fetch_add (&hook_runs, 1) != 0)
    return;
  struct rseq *rs = (struct rseq *) ((char *) __builtin_thread_pointer ()
				     + __rseq_offset);
  __atomic_store_n (&rs->rseq_cs, 0, __ATOMIC_RELAXED);
  syscall (SYS_tgkill, getpid (), gettid (), SIGUSR1);
}

static void
on_usr1 (int sig)
{
  (void) sig;
  atomic_store (&phase, 1);		/* off stub 0, in a handler */
  if (!SC_TEST_WAIT (atomic_load (&phase) == 2, 20)) /* batch 2's int3 */
    {
      static const char msg[] = "batch 2 did not start within 20 s\n";
      write (2, msg, sizeof msg - 1);
      _exit (1);
    }
  unsigned long before = sc_test_stub_hits ();
  b_result = fb (2);
  b_stubs = sc_test_stub_hits () - before;
}

__attribute__ ((noinline)) static void *
thread_t (void *arg)
{
  (void) arg;
  return (void *) (long) fa (1);
}

static void *
update (void *arg)
{
  if (arg == (void *) 1)
    fa = t2;
  else
    fb = t2;
  return NULL;
}

static const unsigned char *site_a, *site_b;

static int
find_sites (const struct static_call_site_info *s, void *arg)
{
  (void) arg;
  if (!strcmp (s->key, "nested_a"))
    site_a = s->addr;
  else if (!strcmp (s->key, "nested_b"))
    site_b = s->addr;
  return 0;
}

static void
wait_for_int3 (const unsigned char *site, const char *which)
{
  if (!SC_TEST_WAIT (*(volatile const unsigned char *) site == 0xcc, 20))
    {
      printf ("%s's int3 did not show within 20 s\n", which);
      exit (1);
    }
}

int
main (void)
{
#ifdef __SANITIZE_THREAD__
  /* Step 3 needs SIGUSR1 delivered as T returns from the trap handler:
     ThreadSanitizer defers it to its next interceptor or atomic
     operation, which may be inside the trap handler or never.  */
  sc_test_unsupported ("ThreadSanitizer defers the asynchronous signal "
		       "this test needs at a given instruction");
#endif
  static_call_for_each_site (find_sites, NULL);
  CHECK (site_a && site_b);
  struct sigaction sa;
  memset (&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  CHECK (sigaction (SIGUSR1, &sa, NULL) == 0);
  CHECK (__static_call_debug_after_arm (simulate_preemption) == 0);

  /* Batch 1: T traps at site A and is sent to stub 0 (steps 1-3).  */
  pthread_t up, t;
  CHECK (pthread_create (&up, NULL, update, (void *) 1) == 0);
  wait_for_int3 (site_a, "site A");
  CHECK (pthread_create (&t, NULL, thread_t, NULL) == 0);
  if (!SC_TEST_WAIT (atomic_load (&phase) == 1, 20))
    {
      printf ("T did not reach its SIGUSR1 handler within 20 s (%d "
	      "arming hooks ran)\n", atomic_load (&hook_runs));
      return 1;
    }
  pthread_join (up, NULL);		/* batch 1 retired */
  CHECK (atomic_load (&hook_runs) == 1);

  /* Batch 2: the SIGUSR1 handler traps at site B (step 4).  */
  CHECK (pthread_create (&up, NULL, update, (void *) 2) == 0);
  wait_for_int3 (site_b, "site B");
  atomic_store (&phase, 2);
  void *a_result;
  pthread_join (t, &a_result);		/* step 5 */
  pthread_join (up, NULL);

  CHECK (b_result == 202);
  CHECK (b_stubs == 1);			/* site B went through a stub */
  CHECK ((long) a_result == 201);
  struct static_call_stats st;
  static_call_get_stats (&st);
  CHECK (st.rseq_aborts >= 1);
  printf ("stale stub left through the abort handler: a=%ld b=%d, "
	  "%lu rseq aborts\n", (long) a_result, b_result, st.rseq_aborts);
  return 0;
}

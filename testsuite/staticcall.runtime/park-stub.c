/* STI-shadow path: a stub is never rewritten while a thread can be in
   it.  Thread A, alone on its CPU so nothing preempts it, is parked
   inside its stub (test hook: new stubs spin while a flag is set).  When
   the batch retires, its membarrier RSEQ fence must move A out of the
   stub (rseq abort) and restart it at its site, which by then holds the
   finished call: A completes while the flag is still set.  Without the
   fence A would still be spinning in stub slot 0 when the next batches
   reuse that slot for thread B's hits, and would then run B's stub and
   return into B's code.

   Each wait is bounded by elapsed time.  The 200 ms hold leaves a slow
   or loaded machine time to see the int3 and to send A into its stub.
   Only when A has a CPU of its own at real-time priority is its prompt
   exit (20 ms) the fence's doing; elsewhere a preemption may have moved
   it, and the test says so.  */
/* { sc-run "STATICCALL_BP=trampoline STATICCALL_SLOWPATH_US=200000" } */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

#include "sc-test.h"

int __static_call_debug_park (int on);

static int t1 (int x) { return 100 + x; }
static int t2 (int x) { return 200 + x; }
static int t3 (int x) { return 300 + x; }

int (*fa) (int) STATIC_CALL (park_a) = t1;
int (*fb) (int) STATIC_CALL (park_b) = t1;

static atomic_int a_result = -1;
static atomic_int go_a, go_b, stop_b;

/* Pin the calling thread to CPU N, so that A spins on a CPU of its own
   and is not preempted: then only the membarrier fence, not a
   preemption, can move it out of its stub.  */
static void
pin (int n)
{
  cpu_set_t set;
  CPU_ZERO (&set);
  CPU_SET (n, &set);
  pthread_setaffinity_np (pthread_self (), sizeof set, &set);
}

static int ncpus;
static atomic_int a_alone;		/* A pinned, at real-time priority */

static void *
thread_a (void *arg)
{
  if (ncpus >= 2)
    {
      pin (1);
      /* Real-time priority where allowed (root): nothing else on the
	 machine preempts A then, which would abort it out of its stub
	 by itself and hide a missing fence.  */
      struct sched_param sp = { .sched_priority = 1 };
      if (pthread_setschedparam (pthread_self (), SCHED_FIFO, &sp) == 0)
	atomic_store (&a_alone, 1);
    }
  while (!atomic_load (&go_a))
    ;
  atomic_store (&a_result, fa (1));
  return NULL;
}

static void *
thread_b (void *arg)
{
  if (ncpus >= 2)
    pin (0);
  while (!atomic_load (&go_b))
    usleep (100);
  long n = 0;
  while (!atomic_load (&stop_b))
    {
      int r = fb (2);
      CHECK (r == 102 || r == 202 || r == 302);
      n++;
    }
  return (void *) n;
}

static const unsigned char *site_a;

static int
find_site_a (const struct static_call_site_info *s, void *arg)
{
  if (!strcmp (s->key, "park_a"))
    site_a = s->addr;
  return 0;
}

static void *
update_a (void *fn)
{
  fa = (int (*) (int)) fn;
  return NULL;
}

int
main (void)
{
  CHECK (__static_call_debug_park (1) == 0);
  cpu_set_t set;
  sched_getaffinity (0, sizeof set, &set);
  ncpus = CPU_COUNT (&set);
  if (ncpus >= 2)
    pin (0);
  pthread_t a, b, up;
  CHECK (pthread_create (&a, NULL, thread_a, NULL) == 0);
  CHECK (pthread_create (&b, NULL, thread_b, NULL) == 0);

  /* Update park_a in the background (its int3 phase lasts 200 ms) and
     let thread A run into the breakpoint, then into a stub, where it
     spins.  */
  static_call_for_each_site (find_site_a, NULL);
  CHECK (site_a != NULL);
  CHECK (pthread_create (&up, NULL, update_a, (void *) t2) == 0);
  if (!SC_TEST_WAIT (*(volatile const unsigned char *) site_a == 0xcc, 20))
    {
      puts ("park_a's int3 did not show within 20 s");
      return 1;
    }
  atomic_store (&go_a, 1);
  /* A went into a stub, within the hold,  */
  if (!SC_TEST_WAIT (sc_test_stub_hits () >= 1, 0.15))
    {
      puts ("A did not reach a stub within 150 ms of the int3");
      return 1;
    }
  CHECK (atomic_load (&a_result) == -1);	/* and is parked there */
  pthread_join (up, NULL);

  /* The batch has retired: A must be out of the stub and done, though
     new stubs still park.  The fence moves it out at once; the wait is
     short because this kernel also aborts a spinning thread now and
     then (about every 100 ms here), which would hide a missing fence.  */
  double retired = sc_test_now ();
  int prompt = SC_TEST_WAIT (atomic_load (&a_result) != -1, 0.02);
  if (!prompt)
    {
      SC_TEST_WAIT (atomic_load (&a_result) != -1, 5);
      printf ("A left its stub %.0f ms after the batch retired%s\n",
	      (sc_test_now () - retired) * 1e3,
	      atomic_load (&a_alone) ? "" : " (A shares its CPU here: a "
	      "preemption, not the fence, may have moved it)");
      /* With a CPU of its own, only a missing fence keeps A there.  */
      CHECK (!atomic_load (&a_alone));
    }
  CHECK (atomic_load (&a_result) == 201);
  struct static_call_stats st0;
  static_call_get_stats (&st0);
  CHECK (st0.rseq_aborts >= 1);

  /* Recycle the stub area while B hits its site: B's stubs take slot 0
     again.  B parks too, and each retiring batch moves it out.  */
  unsigned long stubs = sc_test_stub_hits ();
  atomic_store (&go_b, 1);
  int (*const tb[]) (int) = { t2, t3, t1, t2, t3 };
  for (int i = 0; i < 5; i++)
    fb = tb[i];
  __static_call_debug_park (0);
  atomic_store (&stop_b, 1);
  pthread_join (a, NULL);
  void *nb;
  pthread_join (b, &nb);
  struct static_call_stats st1;
  static_call_get_stats (&st1);
  CHECK (st1.bp_stub > stubs);
  CHECK (sc_test_expect_direct ("park_b", (const void *) t3) == 1);
  printf ("parked thread left its stub at batch end; %lu rseq aborts, "
	  "%lu stub hits, B made %ld calls; A had a CPU of its own: %s\n",
	  st1.rseq_aborts, st1.bp_stub, (long) nb,
	  atomic_load (&a_alone) ? "yes" : "no");
  return 0;
}

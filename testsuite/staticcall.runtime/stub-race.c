/* Many more threads than CPUs hit sites while the stub area is recycled
   batch after batch.  A thread preempted between the trap handler and
   its stub (its rseq_cs then cleared by the kernel) must not run a
   recycled stub: each stub checks rseq_cs first and otherwise restarts
   the call.  Before that guard this crashed within seconds.  16 sites in
   16 functions with different frames, so a wrong return address is
   caught.  */
/* { sc-run "STATICCALL_BP=trampoline STATICCALL_SLOWPATH_US=300" } */
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "sc-test.h"

static long t0 (long x) { return x + 1; }
static long t1 (long x) { return x + 1; }
long (*op) (long) STATIC_CALL (stub_race) = t0;

#define S(i)								\
  __attribute__ ((noinline)) static long s##i (long x)			\
  {									\
    volatile long pad[i + 1];						\
    pad[0] = x;								\
    long r = op (pad[0]);						\
    return r + pad[0] - x;						\
  }
S (0) S (1) S (2) S (3) S (4) S (5) S (6) S (7)
S (8) S (9) S (10) S (11) S (12) S (13) S (14) S (15)
static long (*const fs[16]) (long)
  = { s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13, s14, s15 };

static atomic_int stop;

static void *
caller (void *arg)
{
  long id = (long) arg;
  while (!atomic_load_explicit (&stop, memory_order_relaxed))
    for (int i = 0; i < 16; i++)
      {
	long x = id * 1000 + i;
	CHECK (fs[i] (x) == x + 1);
      }
  return NULL;
}

int
main (void)
{
  enum { N = 24 };
  pthread_t th[N];
  for (long i = 0; i < N; i++)
    CHECK (pthread_create (&th[i], NULL, caller, (void *) i) == 0);
  struct timespec t, t0s;
  clock_gettime (CLOCK_MONOTONIC, &t0s);
  unsigned long updates = 0;
  do
    {
      op = (updates++ & 1) ? t0 : t1;
      clock_gettime (CLOCK_MONOTONIC, &t);
    }
  while (t.tv_sec - t0s.tv_sec < 2);
  atomic_store (&stop, 1);
  for (int i = 0; i < N; i++)
    pthread_join (th[i], NULL);
  struct static_call_stats st;
  static_call_get_stats (&st);
  printf ("%lu updates, %lu stub hits, %lu rseq aborts or bail-outs\n",
	  updates, st.bp_stub, st.rseq_aborts);
  CHECK (st.bp_stub > 0);
  return 0;
}

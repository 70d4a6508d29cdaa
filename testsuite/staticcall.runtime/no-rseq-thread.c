/* STATICCALL_BP=trampoline: a thread without an rseq registration (it
   unregistered glibc's, as a program with its own rseq use does) could
   not be moved out of a stub before the stub is reused, so its hits are
   emulated instead; calls stay correct.  */
/* { sc-run "STATICCALL_BP=trampoline STATICCALL_SLOWPATH_US=2000" } */
/* { sc-options "-pthread" } */
#include <pthread.h>
#include <stdatomic.h>
#include <sys/rseq.h>
#include <sys/syscall.h>

#include "sc-test.h"

static int add1 (int x) { return x + 1; }
static int add2 (int x) { return x + 2; }
int (*op) (int) STATIC_CALL (no_rseq) = add1;

static atomic_int stop, ready;

static void *
caller (void *arg)
{
  struct rseq *rs = (struct rseq *) ((char *) __builtin_thread_pointer ()
				     + __rseq_offset);
  if (__rseq_size)
    CHECK (syscall (SYS_rseq, rs, 32, 1 /* UNREGISTER; glibc registers 32 bytes */,
		    RSEQ_SIG) == 0);
  atomic_store (&ready, 1);
  long n = 0;
  while (!atomic_load (&stop))
    {
      int r = op (40);
      CHECK (r == 41 || r == 42);
      n++;
    }
  return (void *) n;
}

int
main (void)
{
  pthread_t t;
  CHECK (pthread_create (&t, NULL, caller, NULL) == 0);
  if (!SC_TEST_WAIT (atomic_load (&ready), 20))
    {
      puts ("the caller thread did not start within 20 s");
      return 1;
    }
  struct static_call_stats before, after;
  static_call_get_stats (&before);
  for (int i = 0; i < 100; i++)
    static_call_update (op, (i & 1) ? add1 : add2);
  static_call_get_stats (&after);
  atomic_store (&stop, 1);
  void *calls;
  pthread_join (t, &calls);
  printf ("%ld calls, %lu emulated, %lu stub hits\n", (long) calls,
	  after.bp_emulated - before.bp_emulated,
	  after.bp_stub - before.bp_stub);
  CHECK (after.bp_emulated > before.bp_emulated);
  CHECK (after.bp_stub == before.bp_stub);
  CHECK (op (40) == 41);
  return 0;
}

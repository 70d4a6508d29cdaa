/* Threads with asynchronous cancellation calling sites while updates
   run: a cancel can arrive while a thread is in the breakpoint handler
   (it must wait until the handler is done), and no later update may
   hang waiting for a handler that will never finish.  200 rounds, or as
   many as 20 s allow (at least 20).  */
/* { sc-run "STATICCALL_SLOWPATH_US=500" } */
/* { sc-run "STATICCALL_BP=trampoline STATICCALL_SLOWPATH_US=50" } */
/* { sc-options "-pthread" } */
#include <pthread.h>

#include "sc-test.h"

static int add1 (int x) { return x + 1; }
static int add2 (int x) { return x + 2; }
int (*op) (int) STATIC_CALL (async_cancel) = add1;

static void *
caller (void *arg)
{
  pthread_setcanceltype (PTHREAD_CANCEL_ASYNCHRONOUS, NULL);
  for (volatile int sink = 0;;)
    sink += op (1);
  return NULL;
}

int
main (void)
{
  int cancels = 0, round;
  double end = sc_test_now () + 20;
  for (round = 0; round < 200 && sc_test_now () < end; round++)
    {
      pthread_t t[2];
      for (int i = 0; i < 2; i++)
	CHECK (pthread_create (&t[i], NULL, caller, NULL) == 0);
      for (int n = 0; n < 3; n++)
	static_call_update (op, ((round + n) & 1) ? add1 : add2);
      for (int i = 0; i < 2; i++)
	{
	  pthread_cancel (t[i]);
	  pthread_join (t[i], NULL);
	  cancels++;
	}
    }
  /* The updates after all those cancels still finish.  */
  CHECK (static_call_update (op, add2) == 0);
  CHECK (op (1) == 3);
  struct static_call_stats st;
  static_call_get_stats (&st);
  printf ("%d rounds, %d cancels, %lu breakpoint hits%s\n", round, cancels,
	  st.bp_emulated + st.bp_stub,
	  round < 200 ? " (stopped on its 20 s bound)" : "");
  CHECK (round >= 20);
  return 0;
}

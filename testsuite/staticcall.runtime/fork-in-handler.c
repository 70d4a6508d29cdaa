/* A child made by _Fork (no fork handlers run) from a signal handler
   that interrupted an update on the patching thread inherits the
   unfinished batch.  It must complete its own calls without writing
   code -- its code writer and stub area are its parent's -- and the
   parent's sites must stay its own.  The 5 ms timer ticks about four
   times in each 20 ms hold; the loop gives up after 20 s.  */
/* { sc-run "STATICCALL_SLOWPATH_US=20000" } */
/* { sc-run "STATICCALL_BP=trampoline STATICCALL_SLOWPATH_US=20000" } */
#include <sys/time.h>
#include <sys/wait.h>

#include "sc-test.h"

extern pid_t _Fork (void);

static int add1 (int x) { return x + 1; }
static int add2 (int x) { return x + 2; }
int (*op) (int) STATIC_CALL (fork_in_handler) = add1;

static volatile pid_t child;
static volatile sig_atomic_t in_update;

static void
on_alarm (int sig)
{
  if (child || !in_update)
    return;
  pid_t p = _Fork ();
  if (p == 0)
    {
      int r = 0;
      for (int i = 0; i < 100; i++)
	r |= op (1) != 2 && op (1) != 3;
      _exit (r ? 1 : 0);
    }
  child = p;
}

int
main (void)
{
  signal (SIGALRM, on_alarm);
  struct itimerval it = { { 0, 5000 }, { 0, 5000 } };
  setitimer (ITIMER_REAL, &it, NULL);
  double end = sc_test_now () + 20;
  int n;
  for (n = 0; !child && sc_test_now () < end; n++)
    {
      in_update = 1;
      static_call_update (op, (n & 1) ? add1 : add2);
      in_update = 0;
    }
  struct itimerval off = { { 0, 0 }, { 0, 0 } };
  setitimer (ITIMER_REAL, &off, NULL);
  if (!child)
    {
      printf ("no timer signal interrupted any of %d updates in 20 s\n", n);
      return 1;
    }
  printf ("forked from the handler during update %d\n", n);

  int status;
  CHECK (waitpid (child, &status, 0) == child);
  CHECK (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  CHECK (static_call_update (op, add2) == 0);
  CHECK (sc_test_expect_direct ("fork_in_handler", (const void *) add2) >= 1);
  CHECK (static_call_update (op, add1) == 0);
  CHECK (sc_test_expect_direct ("fork_in_handler", (const void *) add1) >= 1);
  return 0;
}

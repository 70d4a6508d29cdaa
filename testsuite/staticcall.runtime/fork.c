/* fork: never mid-batch, and the child patches its own code, not its
   parent's (the /proc/self/mem descriptor is reopened).  Another thread
   updates continuously while the main thread forks (paced, so that fork
   gets the runtime's lock).  */
/* { sc-run "" } */
/* { sc-run "STATICCALL_SLOWPATH_US=100" } */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sc-test.h"

static int one (void) { return 1; }
static int two (void) { return 2; }
static int three (void) { return 3; }
int (*f) (void) STATIC_CALL (fork_key) = one;
int (*g) (void) STATIC_CALL (parent_only) = one;

static atomic_int stop;

static atomic_long churns;

static void *
churn (void *arg)
{
  double round = sc_test_now ();
  while (!atomic_load (&stop))
    {
      f = two;
      f = one;
      atomic_fetch_add (&churns, 2);
      sc_test_pace (&round);
    }
  return NULL;
}

int
main (void)
{
  int n = sc_test_expect_direct ("parent_only", (const void *) one);
  pthread_t t;
  CHECK (pthread_create (&t, NULL, churn, NULL) == 0);
  for (int i = 0; i < 20; i++)
    {
      pid_t pid = fork ();
      if (pid == 0)
	{
	  /* The child's sites hold a finished instruction, never an
	     int3, and it can update.  */
	  int r = f ();
	  if (r != 1 && r != 2)
	    _exit (1);
	  g = three;
	  if (g () != 3 || sc_test_expect_direct ("parent_only",
						  (const void *) three) != n)
	    _exit (2);
	  _exit (0);
	}
      int status;
      CHECK (waitpid (pid, &status, 0) == pid);
      CHECK (WIFEXITED (status) && WEXITSTATUS (status) == 0);
      /* The child's update did not touch the parent's code.  */
      CHECK (sc_test_expect_direct ("parent_only", (const void *) one) == n);
      CHECK (g () == 1);
    }
  atomic_store (&stop, 1);
  pthread_join (t, NULL);
  printf ("20 forks during %ld updates\n", atomic_load (&churns));

  /* _Fork runs no fork handlers: the runtime must notice the new
     process by itself before writing code.  */
  pid_t pid = _Fork ();
  if (pid == 0)
    {
      g = three;
      _exit (g () == 3 && sc_test_expect_direct ("parent_only",
						  (const void *) three) == n
	     ? 0 : 1);
    }
  int status;
  CHECK (waitpid (pid, &status, 0) == pid);
  CHECK (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  CHECK (sc_test_expect_direct ("parent_only", (const void *) one) == n);
  CHECK (g () == 1);
  puts ("fork ok");
  return 0;
}

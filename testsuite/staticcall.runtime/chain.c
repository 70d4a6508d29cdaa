/* Traps that are not at a site under patch go to the handler the
   program installed (before or after the runtime's), or get the
   default action.  */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sc-test.h"

static int one (void) { return 1; }
static int two (void) { return 2; }
int (*g) (void) STATIC_CALL (chain) = one;

static volatile sig_atomic_t user_traps, user_code;
static struct sigaction saved;

/* A handler that forwards what it does not own to the one it replaced,
   which is the runtime's: the runtime, chaining back to it, must not
   loop.  */
static void
forwarding_handler (int sig, siginfo_t *si, void *ctx)
{
  saved.sa_sigaction (sig, si, ctx);
}

static void
user_handler (int sig, siginfo_t *si, void *ctx)
{
  user_traps++;
  user_code = si->si_code;
}

int
main (void)
{
  /* Installed after the runtime's: the next update re-installs the
     runtime's handler and chains to this one.  */
  struct sigaction sa;
  memset (&sa, 0, sizeof sa);
  sa.sa_sigaction = user_handler;
  sa.sa_flags = SA_SIGINFO;
  sigaction (SIGTRAP, &sa, NULL);
  g = two;
  CHECK (g () == 2);

  __asm__ volatile ("int3");		/* the program's own breakpoint */
  CHECK (user_traps == 1 && user_code == SI_KERNEL);
  raise (SIGTRAP);			/* and a SIGTRAP sent by kill */
  CHECK (user_traps == 2 && user_code == SI_TKILL);

  /* With the default disposition, an int3 of the program's still
     kills it with SIGTRAP, as without the runtime.  */
  pid_t pid = fork ();
  if (pid == 0)
    {
      signal (SIGTRAP, SIG_DFL);
      g = one;				/* runtime re-installs, chains to DFL */
      __asm__ volatile ("int3");
      _exit (0);
    }
  int status;
  CHECK (waitpid (pid, &status, 0) == pid);
  CHECK (WIFSIGNALED (status) && WTERMSIG (status) == SIGTRAP);

  pid = fork ();
  if (pid == 0)
    {
      g = one;				/* the runtime's handler is current */
      struct sigaction fwd;
      memset (&fwd, 0, sizeof fwd);
      fwd.sa_sigaction = forwarding_handler;
      fwd.sa_flags = SA_SIGINFO;
      sigaction (SIGTRAP, &fwd, &saved);
      g = two;				/* re-installed, chains to fwd */
      __asm__ volatile ("int3");	/* nobody's: default action */
      _exit (0);
    }
  CHECK (waitpid (pid, &status, 0) == pid);
  CHECK (WIFSIGNALED (status) && WTERMSIG (status) == SIGTRAP);
  CHECK (g () == 2);
  puts ("chained");
  return 0;
}

/* staticcall runtime: keep SIGTRAP deliverable in every thread.

   The kernel delivers the breakpoint of a site under patch as a forced
   SIGTRAP: if the thread has SIGTRAP blocked, it is unblocked and reset
   to the default action, which kills the whole process.  Programs block
   signals wholesale all the time (sigfillset + pthread_sigmask in worker
   threads; sigfillset for a handler's sa_mask), so the shared library
   interposes the calls that set a mask and leaves SIGTRAP out of it.
   Nothing else about the mask changes.

   Only in the shared library (libtool compiles it with -DPIC): in a
   static link these definitions would clash with the C library's.  A
   statically linked program must not block SIGTRAP in threads that
   call static calls.  */

#include "config.h"

#ifdef PIC

#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "internal.h"

typedef int mask_fn (int, const sigset_t *, sigset_t *);
typedef int action_fn (int, const struct sigaction *, struct sigaction *);

static mask_fn *next_pthread_sigmask, *next_sigprocmask;
static action_fn *next_sigaction;

/* Resolved before main and before any thread exists, so that the
   wrappers (which must be async-signal-safe) never call dlsym.  */
__attribute__ ((constructor (101))) static void
resolve_next (void)
{
  next_pthread_sigmask = (mask_fn *) dlsym (RTLD_NEXT, "pthread_sigmask");
  next_sigprocmask = (mask_fn *) dlsym (RTLD_NEXT, "sigprocmask");
  next_sigaction = (action_fn *) dlsym (RTLD_NEXT, "sigaction");
}

static const sigset_t *
without_sigtrap (int how, const sigset_t *set, sigset_t *copy)
{
  if (!set || how == SIG_UNBLOCK || !sigismember (set, SIGTRAP))
    return set;
  *copy = *set;
  sigdelset (copy, SIGTRAP);
  return copy;
}

static int
set_mask (mask_fn **next, int how, const sigset_t *set, sigset_t *old)
{
  if (!*next)
    resolve_next ();
  sigset_t copy;
  return (*next) (how, without_sigtrap (how, set, &copy), old);
}

int
pthread_sigmask (int how, const sigset_t *set, sigset_t *old)
{
  return set_mask (&next_pthread_sigmask, how, set, old);
}

int
sigprocmask (int how, const sigset_t *set, sigset_t *old)
{
  return set_mask (&next_sigprocmask, how, set, old);
}

int
sigaction (int sig, const struct sigaction *act, struct sigaction *old)
{
  if (!next_sigaction)
    resolve_next ();
  struct sigaction copy;
  if (act && sigismember (&act->sa_mask, SIGTRAP))
    {
      copy = *act;
      sigdelset (&copy.sa_mask, SIGTRAP);
      act = &copy;
    }
  return next_sigaction (sig, act, old);
}

#endif /* PIC */

/* staticcall runtime: keep SIGTRAP deliverable in every thread.

   The kernel delivers the breakpoint of a site under patch as a forced
   SIGTRAP: if the thread has SIGTRAP blocked, it is unblocked and reset
   to the default action, which kills the whole process.  Programs block
   signals wholesale all the time (sigfillset + pthread_sigmask in worker
   threads; sigfillset for a handler's sa_mask), so the shared library
   interposes the calls that set a mask and leaves SIGTRAP out of it.
   Nothing else about the mask changes.

   The C library also blocks signals on its own in threads it makes:
   SIGEV_THREAD notifications (timer_create, mq_notify) run with every
   signal blocked, and pthread_attr_setsigmask_np passes a mask to the
   kernel directly.  Those are interposed too: the notification
   function is wrapped in one that unblocks SIGTRAP first, and the
   attribute's mask loses SIGTRAP.

   Only in the shared library (libtool compiles it with -DPIC): in a
   static link these definitions would clash with the C library's.  A
   statically linked program must not block SIGTRAP in threads that
   call static calls.  */

#include "config.h"

#ifdef PIC

#include <dlfcn.h>
#include <errno.h>
#include <mqueue.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

/* A sanitizer's runtime calls sigaction and the mask setters while it
   starts, before instrumented code may run (ThreadSanitizer's entry
   hook crashes then): in a library built with -fsanitize, these and
   what they call stay uninstrumented.  So does the wrapper that runs in
   the C library's SIGEV_THREAD thread, which ThreadSanitizer never saw
   start.  */
#define sc_uninstrumented \
  __attribute__ ((no_sanitize ("address", "thread", "undefined")))

typedef int mask_fn (int, const sigset_t *, sigset_t *);
typedef int action_fn (int, const struct sigaction *, struct sigaction *);
typedef int attr_mask_fn (pthread_attr_t *, const sigset_t *);
typedef int timer_create_fn (clockid_t, struct sigevent *, timer_t *);
typedef int mq_notify_fn (mqd_t, const struct sigevent *);
typedef int old_mask_fn (int);

static mask_fn *next_pthread_sigmask, *next_sigprocmask;
static action_fn *next_sigaction;
static attr_mask_fn *next_pthread_attr_setsigmask_np;
static timer_create_fn *next_timer_create;
static mq_notify_fn *next_mq_notify;
static old_mask_fn *next_sigblock, *next_sigsetmask;

/* Resolved before main and before any thread exists, so that the
   wrappers (which must be async-signal-safe) never call dlsym.  */
sc_uninstrumented __attribute__ ((constructor (101))) static void
resolve_next (void)
{
  next_pthread_sigmask = (mask_fn *) dlsym (RTLD_NEXT, "pthread_sigmask");
  next_sigprocmask = (mask_fn *) dlsym (RTLD_NEXT, "sigprocmask");
  next_sigaction = (action_fn *) dlsym (RTLD_NEXT, "sigaction");
  next_pthread_attr_setsigmask_np
    = (attr_mask_fn *) dlsym (RTLD_NEXT, "pthread_attr_setsigmask_np");
  next_timer_create = (timer_create_fn *) dlsym (RTLD_NEXT, "timer_create");
  next_mq_notify = (mq_notify_fn *) dlsym (RTLD_NEXT, "mq_notify");
  next_sigblock = (old_mask_fn *) dlsym (RTLD_NEXT, "sigblock");
  next_sigsetmask = (old_mask_fn *) dlsym (RTLD_NEXT, "sigsetmask");
}

/* The function that next_NAME must hold, resolving it if it does not
   yet (a call before our constructor ran), or failing with ENOSYS.  */
#define NEXT(name)							\
  do									\
    {									\
      if (!next_##name)							\
	resolve_next ();						\
      if (!next_##name)							\
	{								\
	  errno = ENOSYS;						\
	  return -1;							\
	}								\
    }									\
  while (0)

sc_uninstrumented static const sigset_t *
without_sigtrap (int how, const sigset_t *set, sigset_t *copy)
{
  if (!set || how == SIG_UNBLOCK || !sigismember (set, SIGTRAP))
    return set;
  *copy = *set;
  sigdelset (copy, SIGTRAP);
  return copy;
}

sc_uninstrumented static int
set_mask (mask_fn **next, int how, const sigset_t *set, sigset_t *old)
{
  if (!*next)
    resolve_next ();
  sigset_t copy;
  return (*next) (how, without_sigtrap (how, set, &copy), old);
}

sc_uninstrumented int
pthread_sigmask (int how, const sigset_t *set, sigset_t *old)
{
  return set_mask (&next_pthread_sigmask, how, set, old);
}

sc_uninstrumented int
sigprocmask (int how, const sigset_t *set, sigset_t *old)
{
  return set_mask (&next_sigprocmask, how, set, old);
}

sc_uninstrumented int
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

sc_uninstrumented int
pthread_attr_setsigmask_np (pthread_attr_t *attr, const sigset_t *set)
{
  if (!next_pthread_attr_setsigmask_np)
    resolve_next ();
  if (!next_pthread_attr_setsigmask_np)
    return ENOSYS;
  sigset_t copy;
  return next_pthread_attr_setsigmask_np
	   (attr, without_sigtrap (SIG_SETMASK, set, &copy));
}

/* BSD masks: an int with bit SIG - 1 for each signal SIG.  */
sc_uninstrumented int
sigblock (int mask)
{
  NEXT (sigblock);
  return next_sigblock (mask & ~(1 << (SIGTRAP - 1)));
}

sc_uninstrumented int
sigsetmask (int mask)
{
  NEXT (sigsetmask);
  return next_sigsetmask (mask & ~(1 << (SIGTRAP - 1)));
}

/* A SIGEV_THREAD notification: the user's function and value, behind
   the wrapper that runs in the C library's thread.  One record per
   distinct pair, kept for the life of the process: a notification may
   still start after its timer is deleted, so a record is never freed,
   and sharing them bounds their number by the program's distinct
   callbacks, however many timers it makes.  */
struct notification
{
  void (*fn) (union sigval);
  union sigval value;
  struct notification *next;
};

static struct notification *notifications;
static pthread_mutex_t notifications_lock = PTHREAD_MUTEX_INITIALIZER;

sc_uninstrumented static void
notify_with_sigtrap (union sigval v)
{
  const struct notification *n = v.sival_ptr;
  sigset_t trap;
  sigemptyset (&trap);
  sigaddset (&trap, SIGTRAP);
  next_pthread_sigmask (SIG_UNBLOCK, &trap, NULL);
  n->fn (n->value);
}

/* EV, or a copy in *COPY whose notification unblocks SIGTRAP.  NULL
   when no record could be made.  */
static struct sigevent *
wrap_notification (const struct sigevent *ev, struct sigevent *copy)
{
  if (!ev || ev->sigev_notify != SIGEV_THREAD || !next_pthread_sigmask)
    return (struct sigevent *) ev;
  pthread_mutex_lock (&notifications_lock);
  struct notification *n;
  for (n = notifications; n; n = n->next)
    if (n->fn == ev->sigev_notify_function
	&& n->value.sival_ptr == ev->sigev_value.sival_ptr)
      break;
  if (!n && (n = malloc (sizeof *n)))
    {
      n->fn = ev->sigev_notify_function;
      n->value = ev->sigev_value;
      n->next = notifications;
      notifications = n;
    }
  pthread_mutex_unlock (&notifications_lock);
  if (!n)
    return NULL;
  *copy = *ev;
  copy->sigev_notify_function = notify_with_sigtrap;
  copy->sigev_value.sival_ptr = n;
  return copy;
}

int
timer_create (clockid_t clock, struct sigevent *restrict ev,
	      timer_t *restrict id)
{
  NEXT (timer_create);
  struct sigevent copy;
  struct sigevent *use = wrap_notification (ev, &copy);
  if (!use && ev)
    {
      errno = EAGAIN;
      return -1;
    }
  return next_timer_create (clock, use, id);
}

int
mq_notify (mqd_t q, const struct sigevent *ev)
{
  NEXT (mq_notify);
  struct sigevent copy;
  const struct sigevent *use = wrap_notification (ev, &copy);
  if (!use && ev)
    {
      errno = ENOMEM;
      return -1;
    }
  return next_mq_notify (q, use);
}

/* The guard only works where the dynamic linker finds these functions
   here before the C library: when the executable links libstaticcall
   (or it is preloaded).  A shared library that alone links it comes
   after the C library in lookup order, and a dlopen'ed one is not in
   the global scope at all.  Another library may come first and still
   end up here (a sanitizer's interceptors call the next definition):
   so try it, by blocking SIGTRAP through whatever pthread_sigmask the
   program would call and reading the mask back from the kernel.
   Done when the library is loaded (not later: dlsym takes the dynamic
   linker's lock, which a thread in dlopen holds while it waits for the
   registry's).  The loading thread (the main thread, unless this is a
   dlopen) also loses a SIGTRAP block inherited across exec, which no
   interposed call would ever see.  */
static bool guard_bypassed;

static void
kernel_mask (int how, const sigset_t *set, sigset_t *old)
{
  syscall (SYS_rt_sigprocmask, how, set, old, _NSIG / 8);
}

__attribute__ ((constructor (101))) static void
check_lookup_order (void)
{
  sigset_t trap, saved, probed;
  sigemptyset (&trap);
  sigaddset (&trap, SIGTRAP);
  kernel_mask (SIG_UNBLOCK, &trap, &saved);
  mask_fn *global = (mask_fn *) dlsym (RTLD_DEFAULT, "pthread_sigmask");
  if (global)
    {
      global (SIG_BLOCK, &trap, NULL);
      kernel_mask (SIG_BLOCK, NULL, &probed);
      guard_bypassed = sigismember (&probed, SIGTRAP);
    }
  sigdelset (&saved, SIGTRAP);
  kernel_mask (SIG_SETMASK, &saved, NULL);
}

/* Say so, once, since a thread or a handler that blocks every signal
   would be killed by an update.  */
void
sc_warn_if_guard_bypassed (void)
{
  if (!guard_bypassed)
    return;
  sc_warn ("sigaction and pthread_sigmask resolve to the C library's, "
	   "not libstaticcall's (libstaticcall comes after the C library "
	   "in lookup order: the executable does not link it): a thread or "
	   "handler that blocks every signal keeps SIGTRAP blocked and is "
	   "killed if it runs a site during an update; link the executable "
	   "with `pkg-config --libs staticcall` (-Wl,--no-as-needed "
	   "-lstaticcall) or preload libstaticcall.so");
}

#else /* !PIC */

/* A static link: the C library's functions are the only ones (see
   the manual).  */
void
sc_warn_if_guard_bypassed (void)
{
}

#endif /* PIC */

/* staticcall runtime: the userspace environment's leaves, which every
   other file may use and which use nothing of theirs: memory,
   warnings, the thread id and who patches, the slow path's sleep
   (env.h).  */

#include "config.h"

#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

void *
sc_alloc (size_t size)
{
  return malloc (size);
}

void *
sc_zalloc (size_t size)
{
  return calloc (1, size);
}

void *
sc_realloc (void *p, size_t old_size, size_t new_size)
{
  return realloc (p, new_size);
}

void
sc_free (void *p)
{
  free (p);
}

const char *
sc_strerror (int errnum)
{
  return strerror (errnum);
}

/* STATICCALL_QUIET, set by config.c.  Its own state, not the config's:
   the config reports bad values through sc_warn.  */
static bool quiet;

void
sc_warn_set_quiet (bool on)
{
  quiet = on;
}

void
sc_warn (const char *fmt, ...)
{
  if (quiet)
    return;
  char buf[512];
  va_list ap;
  va_start (ap, fmt);
  int n = snprintf (buf, sizeof buf, "staticcall: ");
  n += vsnprintf (buf + n, sizeof buf - n, fmt, ap);
  va_end (ap);
  if (n >= (int) sizeof buf - 1)
    n = sizeof buf - 2;
  buf[n++] = '\n';
  /* One write, so lines from several threads do not interleave.  */
  ssize_t r = write (STDERR_FILENO, buf, n);
  (void) r;
}

/* The thread's id, cached: the trap handler needs it on every hit, and
   the system call was an eighth of a hit's cost.  Initial-exec TLS, so
   reading it from a signal handler never allocates.  */
static __thread pid_t cached_tid __attribute__ ((tls_model ("initial-exec")));

pid_t
sc_gettid (void)
{
  if (!cached_tid)
    cached_tid = (pid_t) syscall (SYS_gettid);
  return cached_tid;
}

/* In a new process the cached id is the parent thread's.  */
void
sc_gettid_after_fork (void)
{
  cached_tid = 0;
}

/* The patching thread, and the process: a child forked mid-batch (from
   a signal handler, by _Fork) inherits the batch and the cached id.  */
void
sc_batch_owner (struct sc_batch *b)
{
  b->patcher = sc_gettid ();
  b->pid = getpid ();
}

bool
sc_is_patcher (const struct sc_batch *b)
{
  return sc_gettid () == b->patcher && getpid () == b->pid;
}

static __thread int last_status;

int *
sc_status_slot (void)
{
  return &last_status;
}

void
sc_relax (void)
{
  sched_yield ();
}

/* Hold until an absolute deadline: a sleep restarted with its
   remaining time never ends when the updating thread's own signal
   handlers (a timer, a self-hit) keep interrupting it faster than the
   time advances between them.  */
void
sc_delay_us (unsigned us)
{
  struct timespec until;
  clock_gettime (CLOCK_MONOTONIC, &until);
  until.tv_sec += us / 1000000;
  until.tv_nsec += (long) (us % 1000000) * 1000;
  if (until.tv_nsec >= 1000000000L)
    {
      until.tv_sec++;
      until.tv_nsec -= 1000000000L;
    }
  while (clock_nanosleep (CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL)
	 == EINTR)
    ;
}

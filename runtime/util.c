/* staticcall runtime: what every other file uses, and which uses
   nothing of theirs: warnings, the thread id, the counters.  */

#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"

struct static_call_stats sc_stats;

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

/* staticcall runtime: environment variables.

   STATICCALL_BP=emulate|trampoline   how the trap handler completes a call
				      that hits a site under patch
   STATICCALL_SLOWPATH_US=N           hold every batch N microseconds with
				      its breakpoints in place (tests)
   STATICCALL_WRITER=procmem|mprotect|none
				      force one way of writing code (tests)
   STATICCALL_QUIET=1                 no warnings on stderr
   STATICCALL_PERF_MAP=1              name generated code in
				      /tmp/perf-PID.map (perf_map.c)

   Bad values are reported once and the default is used.  Read once, at
   start-up (process.c); the rest of the runtime sees them through a
   const view and never changes them.

   Secure mode.  In a program that the kernel runs in secure-execution
   mode (AT_SECURE: setuid, setgid, file capabilities, an LSM's
   transition), the environment is its unprivileged caller's, and none
   of these is read: each changes the protections the runtime uses
   (WRITER: writable-and-executable windows; BP=trampoline: stub pages
   made at start-up), its timing (SLOWPATH_US stalls every update), or
   what it writes (PERF_MAP: a file in /tmp; QUIET: whether the
   program's warnings are seen).  The defaults are what such a program
   needs, so no exception: one warning names those that were set.  */

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>

#include "internal.h"

static struct sc_config config;
const struct sc_config *const sc_config = &config;

static bool secure;
/* The variables set but ignored in secure mode, for the warning.  */
static char ignored[160];

/* NAME's value, or NULL when it is unset or secure mode ignores it.  */
static const char *
env (const char *name)
{
  const char *v = getenv (name);
  if (!v || !*v || !secure)
    return v;
  size_t n = strlen (ignored);
  if (n + strlen (name) + 3 < sizeof ignored)
    {
      if (n)
	strcpy (ignored + n, ", ");
      strcat (ignored, name);
    }
  return NULL;
}

void
sc_config_load (void)
{
  const char *v;

  /* Once, before any variable (sc_config_load runs once).  Every
     kernel that glibc runs on gives AT_SECURE (Linux has since
     2.6.0).  */
  secure = getauxval (AT_SECURE) != 0;

  sc_warn_set_quiet ((v = env ("STATICCALL_QUIET")) && *v && *v != '0');

  config.bp = SC_BP_EMULATE;
  if ((v = env ("STATICCALL_BP")) && *v)
    {
      if (!strcmp (v, "trampoline"))
	config.bp = SC_BP_TRAMPOLINE;
      else if (strcmp (v, "emulate"))
	sc_warn ("STATICCALL_BP=%s: expected 'emulate' or 'trampoline'; "
		 "using 'emulate'", v);
    }

  config.slowpath_us = 0;
  if ((v = env ("STATICCALL_SLOWPATH_US")) && *v)
    {
      char *end;
      unsigned long us = strtoul (v, &end, 10);
      if (*end || us > 10000000)
	sc_warn ("STATICCALL_SLOWPATH_US=%s: expected microseconds "
		 "(0 to 10000000); ignored", v);
      else
	config.slowpath_us = us;
    }

  config.perf_map = false;
  if ((v = env ("STATICCALL_PERF_MAP")) && *v)
    {
      if (!strcmp (v, "1"))
	config.perf_map = true;
      else if (strcmp (v, "0"))
	sc_warn ("STATICCALL_PERF_MAP=%s: expected '1' or '0'; ignored", v);
    }

  config.writer = NULL;
  if ((v = env ("STATICCALL_WRITER")) && *v)
    {
      if (!strcmp (v, "procmem") || !strcmp (v, "mprotect")
	  || !strcmp (v, "none"))
	config.writer = v;
      else
	sc_warn ("STATICCALL_WRITER=%s: expected 'procmem', 'mprotect' or "
		 "'none'; choosing automatically", v);
    }

  if (*ignored)
    sc_warn ("a program in secure-execution mode (setuid, setgid or with "
	     "capabilities): %s ignored", ignored);
}

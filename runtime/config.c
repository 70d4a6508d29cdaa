/* staticcall runtime: environment variables.

   STATICCALL_BP=emulate|trampoline   how the trap handler completes a call
				      that hits a site under patch
   STATICCALL_SLOWPATH_US=N           hold every batch N microseconds with
				      its breakpoints in place (tests)
   STATICCALL_WRITER=procmem|mprotect|none
				      force one way of writing code (tests)
   STATICCALL_QUIET=1                 no warnings on stderr

   Bad values are reported once and the default is used.  */

#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

struct sc_config sc_config;

void
sc_warn (const char *fmt, ...)
{
  if (sc_config.quiet)
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

void
sc_config_load (void)
{
  const char *v;

  sc_config.quiet = (v = getenv ("STATICCALL_QUIET")) && *v && *v != '0';

  sc_config.bp = SC_BP_EMULATE;
  if ((v = getenv ("STATICCALL_BP")) && *v)
    {
      if (!strcmp (v, "trampoline"))
	sc_config.bp = SC_BP_TRAMPOLINE;
      else if (strcmp (v, "emulate"))
	sc_warn ("STATICCALL_BP=%s: expected 'emulate' or 'trampoline'; "
		 "using 'emulate'", v);
    }

  sc_config.slowpath_us = 0;
  if ((v = getenv ("STATICCALL_SLOWPATH_US")) && *v)
    {
      char *end;
      unsigned long us = strtoul (v, &end, 10);
      if (*end || us > 10000000)
	sc_warn ("STATICCALL_SLOWPATH_US=%s: expected microseconds "
		 "(0 to 10000000); ignored", v);
      else
	sc_config.slowpath_us = us;
    }

  sc_config.writer = NULL;
  if ((v = getenv ("STATICCALL_WRITER")) && *v)
    {
      if (!strcmp (v, "procmem") || !strcmp (v, "mprotect")
	  || !strcmp (v, "none"))
	sc_config.writer = v;
      else
	sc_warn ("STATICCALL_WRITER=%s: expected 'procmem', 'mprotect' or "
		 "'none'; choosing automatically", v);
    }
}

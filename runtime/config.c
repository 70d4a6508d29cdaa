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
   const view and never changes them.  */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "internal.h"

static struct sc_config config;
const struct sc_config *const sc_config = &config;

void
sc_config_load (void)
{
  const char *v;

  sc_warn_set_quiet ((v = getenv ("STATICCALL_QUIET")) && *v && *v != '0');

  config.bp = SC_BP_EMULATE;
  if ((v = getenv ("STATICCALL_BP")) && *v)
    {
      if (!strcmp (v, "trampoline"))
	config.bp = SC_BP_TRAMPOLINE;
      else if (strcmp (v, "emulate"))
	sc_warn ("STATICCALL_BP=%s: expected 'emulate' or 'trampoline'; "
		 "using 'emulate'", v);
    }

  config.slowpath_us = 0;
  if ((v = getenv ("STATICCALL_SLOWPATH_US")) && *v)
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
  if ((v = getenv ("STATICCALL_PERF_MAP")) && *v)
    {
      if (!strcmp (v, "1"))
	config.perf_map = true;
      else if (strcmp (v, "0"))
	sc_warn ("STATICCALL_PERF_MAP=%s: expected '1' or '0'; ignored", v);
    }

  config.writer = NULL;
  if ((v = getenv ("STATICCALL_WRITER")) && *v)
    {
      if (!strcmp (v, "procmem") || !strcmp (v, "mprotect")
	  || !strcmp (v, "none"))
	config.writer = v;
      else
	sc_warn ("STATICCALL_WRITER=%s: expected 'procmem', 'mprotect' or "
		 "'none'; choosing automatically", v);
    }
}

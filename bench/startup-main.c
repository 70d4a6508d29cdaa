/* startup-main: main of the start-up benchmark's executables, linked
   with the units bench/gen-startup.py writes (bench/startup.c runs
   them).  Built with the plugin and, for comparison, without it.

   usage: startup-exe [T0]
   Prints one line: the nanoseconds from T0 (CLOCK_MONOTONIC, taken by
   the parent just before execve) to the start of main, then the
   runtime's counters at main (syncs, batches, sites patched: all of it
   is start-up), the sites registered and how many of them call their
   target directly (all 0 without the plugin), and the result of
   calling every site once, which is the same with and without the
   plugin when the patched calls are right.  */

#include <static_call.h>

#include "bench.h"

unsigned startup_run (void);

int
main (int argc, char **argv)
{
  double now = bench_now_ns ();
  double t0 = argc > 1 ? strtod (argv[1], NULL) : now;
  unsigned long syncs = 0, batches = 0, patched = 0;
  long sites[2] = { 0, 0 };
#ifdef __STATICCALL__
  struct static_call_stats st;
  static_call_get_stats (&st);
  syncs = st.syncs;
  batches = st.batches;
  patched = st.sites_patched;
  static_call_for_each_site (bench_count_site, sites);
#endif
  printf ("%.0f %lu %lu %lu %ld %ld %u\n", now - t0, syncs, batches,
	  patched, sites[0], sites[1], startup_run ());
  return 0;
}

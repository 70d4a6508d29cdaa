/* slow-path: what a call costs the calling thread when it hits a site
   while the site is being patched (the breakpoint path).

   A caller thread runs one static call site (key slow_site) in a tight
   loop, timing every call on its own with CLOCK_MONOTONIC and reading
   the runtime's counters (static_call_get_stats) before and after it.
   Meanwhile the main thread retargets the key, alternating between two
   functions, once a millisecond.  Run with STATICCALL_SLOWPATH_US=T the
   runtime holds each batch T microseconds with its breakpoint in place,
   so the caller hits it many times per update; a call during which
   bp_emulated, bp_stub or bp_stale moved is a call that took the slow
   path, every other call is a normal one, and both kinds are sampled in
   the same loop at the same time.  The table gives the median, 90th
   percentile and maximum time of a slow-path call, the median of a
   normal call (both include the clock reads), and their difference:
   the extra cost of one hit.

   For reference, measured in the same process before the updates
   start: the bare cost of the mechanism every hit goes through, an
   int3 delivered as SIGTRAP to an empty handler installed with the
   runtime's flags (then the runtime's handler is put back), and of one
   gettid system call (the handler makes one per hit, to tell the
   patching thread from others).  What a hit costs beyond those is the
   runtime's own work.

   Which slow path is measured is the runtime's choice, from
   STATICCALL_BP: `emulate' (the SIGTRAP handler pushes the return
   address and jumps to the target) or `trampoline' (the handler sends
   the thread through an rseq-protected stub); the counters say which
   one actually ran.  Run it once per setting (`make bench' does).

   usage: [STATICCALL_BP=emulate|trampoline] STATICCALL_SLOWPATH_US=T \
	  slow-path [-o RESULT.json] [--updates N]  */

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/syscall.h>

#include <static_call.h>

#include "bench.h"

typedef unsigned leaf_fn (unsigned);

static unsigned __attribute__ ((noipa))
leaf_a (unsigned h)
{
  return h + 1;
}

static unsigned __attribute__ ((noipa))
leaf_b (unsigned h)
{
  return h + 3;
}

leaf_fn *slow_site STATIC_CALL (slow_site) = leaf_a;

#define MAX_SAMPLES (1 << 20)

static atomic_int started, stop;
static double *hit_ns, *fast_ns;
static size_t nhit, nfast_seen;
static unsigned long traps_emulated, traps_stub, traps_stale;
static unsigned sink;

static unsigned long
slow_hits (unsigned long *emulated, unsigned long *stub,
	   unsigned long *stale)
{
  struct static_call_stats st;
  static_call_get_stats (&st);
  *emulated = st.bp_emulated;
  *stub = st.bp_stub;
  *stale = st.bp_stale;
  return st.bp_emulated + st.bp_stub + st.bp_stale;
}

static void *
caller (void *arg)
{
  unsigned h = 0;
  atomic_store (&started, 1);
  while (!atomic_load_explicit (&stop, memory_order_relaxed))
    {
      unsigned long e0, s0, x0, e1, s1, x1;
      unsigned long before = slow_hits (&e0, &s0, &x0);
      double t0 = bench_now_ns ();
      h = slow_site (h);
      __asm__ volatile ("" : "+r" (h));
      double t1 = bench_now_ns ();
      unsigned long after = slow_hits (&e1, &s1, &x1);
      if (after != before)
	{
	  if (nhit < MAX_SAMPLES)
	    hit_ns[nhit++] = t1 - t0;
	  traps_emulated += e1 - e0;
	  traps_stub += s1 - s0;
	  traps_stale += x1 - x0;
	}
      else
	/* A ring: keeps the latest normal calls.  */
	fast_ns[nfast_seen++ % MAX_SAMPLES] = t1 - t0;
    }
  sink = h;
  return arg;
}

static void
empty_handler (int sig, siginfo_t *si, void *uc)
{
  (void) sig, (void) si, (void) uc;
}

/* Median time of one int3 -> SIGTRAP -> empty handler -> return, with
   the runtime's handler flags (runtime/trap_signal.c), over N traps.  */
static double
bare_trap_ns (int n)
{
  struct sigaction sa, old;
  memset (&sa, 0, sizeof sa);
  sa.sa_sigaction = empty_handler;
  sa.sa_flags = SA_SIGINFO | SA_RESTART | SA_ONSTACK | SA_NODEFER;
  sigfillset (&sa.sa_mask);
  sigdelset (&sa.sa_mask, SIGTRAP);
  sigaction (SIGTRAP, &sa, &old);
  double *t = calloc (n, sizeof *t);
  for (int i = 0; i < n; i++)
    {
      double t0 = bench_now_ns ();
      __asm__ volatile ("int3" ::: "memory");
      t[i] = bench_now_ns () - t0;
    }
  sigaction (SIGTRAP, &old, NULL);
  double m = bench_median (t, n);
  free (t);
  return m;
}

/* Median time of one gettid system call (plus a clock read).  */
static double
gettid_ns (int n)
{
  double *t = calloc (n, sizeof *t);
  for (int i = 0; i < n; i++)
    {
      double t0 = bench_now_ns ();
      syscall (SYS_gettid);
      t[i] = bench_now_ns () - t0;
    }
  double m = bench_median (t, n);
  free (t);
  return m;
}

static int
update_to (leaf_fn *f)
{
  return static_call_update (slow_site, f);
}

int
main (int argc, char **argv)
{
  FILE *out = bench_open_result (argc, argv);
  int updates = bench_long_arg (argc, argv, "--updates", 21);
  const char *bp = getenv ("STATICCALL_BP");
  const char *hold = getenv ("STATICCALL_SLOWPATH_US");
  if (!bp || !*bp)
    bp = "emulate";
  if (!hold || !*hold)
    {
      fprintf (stderr, "slow-path: set STATICCALL_SLOWPATH_US (e.g. 1000), "
	       "or no call will ever hit a breakpoint\n");
      return 2;
    }

  hit_ns = calloc (MAX_SAMPLES, sizeof *hit_ns);
  fast_ns = calloc (MAX_SAMPLES, sizeof *fast_ns);
  double *upd_us = calloc (updates, sizeof *upd_us);
  struct static_call_stats st0, st1;

  /* References; then a first update, so that the runtime's handler is
     installed again, over ours.  */
  double trap_ns = bare_trap_ns (2001);
  double tid_ns = gettid_ns (2001);
  double t_clock[101];
  for (int i = 0; i < 101; i++)
    {
      double t0 = bench_now_ns ();
      t_clock[i] = bench_now_ns () - t0;
    }
  double clock_ns = bench_median (t_clock, 101);
  update_to (leaf_b);

  pthread_t th;
  pthread_create (&th, NULL, caller, NULL);
  while (!atomic_load (&started))
    ;
  static_call_get_stats (&st0);
  int failures = 0;
  for (int i = 0; i < updates; i++)
    {
      struct timespec ms = { 0, 1000000 };
      nanosleep (&ms, NULL);
      double t0 = bench_now_ns ();
      failures += update_to (i % 2 ? leaf_b : leaf_a) != 0;
      upd_us[i] = (bench_now_ns () - t0) / 1e3;
    }
  struct timespec ms = { 0, 1000000 };
  nanosleep (&ms, NULL);
  atomic_store (&stop, 1);
  pthread_join (th, NULL);
  static_call_get_stats (&st1);

  size_t nfast = nfast_seen < MAX_SAMPLES ? nfast_seen : MAX_SAMPLES;
  double fast_med = bench_median (fast_ns, nfast);
  double hit_med = bench_median (hit_ns, nhit);
  double hit_p90 = bench_quantile (hit_ns, nhit, 0.9);
  double hit_max = bench_quantile (hit_ns, nhit, 1);
  double upd_med = bench_median (upd_us, updates);
  unsigned long traps = traps_emulated + traps_stub + traps_stale;
  const char *path = traps_stub && !traps_emulated ? "stub"
		     : traps_emulated && !traps_stub ? "emulate"
		     : traps ? "mixed" : "none";

  printf ("== slow-path (STATICCALL_BP=%s, STATICCALL_SLOWPATH_US=%s): "
	  "%d updates, caller in a loop\n", bp, hold, updates);
  bench_machine_print ();
  printf ("  calls: %zu normal, %zu slow (%lu traps: %lu emulated, %lu "
	  "stub, %lu stale; %.0f per update)\n", nfast_seen, nhit, traps,
	  traps_emulated, traps_stub, traps_stale, (double) traps / updates);
  printf ("  normal call             median %8.3f us\n", fast_med / 1e3);
  printf ("  slow-path call          median %8.3f us   p90 %8.3f us   "
	  "max %8.3f us\n", hit_med / 1e3, hit_p90 / 1e3, hit_max / 1e3);
  printf ("  extra cost of one hit   median %8.3f us   (path: %s)\n",
	  (hit_med - fast_med) / 1e3, path);
  printf ("  reference: int3 + empty SIGTRAP handler %8.3f us, gettid "
	  "%8.3f us (minus a clock read, %.3f us)\n",
	  (trap_ns - clock_ns) / 1e3, (tid_ns - clock_ns) / 1e3,
	  clock_ns / 1e3);
  printf ("  one update (holding %s us)  median %8.1f us\n", hold, upd_med);
  printf ("  runtime: %lu syncs, %lu rseq aborts, %lu stub-area "
	  "exhausted, over %lu updates\n", st1.syncs - st0.syncs,
	  st1.rseq_aborts - st0.rseq_aborts,
	  st1.stub_exhausted - st0.stub_exhausted,
	  st1.updates - st0.updates);
  if (failures)
    printf ("  FAILED: %d updates returned an error\n", failures);

  if (out)
    {
      bench_json_head (out, "slow-path");
      fprintf (out, "  \"STATICCALL_BP\": \"%s\",\n"
	       "  \"STATICCALL_SLOWPATH_US\": %lu,\n  \"updates\": %d,\n"
	       "  \"path\": \"%s\",\n  \"normal_calls\": %zu,\n"
	       "  \"slow_calls\": %zu,\n  \"traps\": {\"emulated\": %lu, "
	       "\"stub\": %lu, \"stale\": %lu},\n"
	       "  \"normal_call_us\": {\"median\": %.4f},\n"
	       "  \"slow_call_us\": {\"median\": %.4f, \"p90\": %.4f, "
	       "\"max\": %.4f},\n  \"extra_per_hit_us\": %.4f,\n"
	       "  \"update_us\": {\"median\": %.1f},\n"
	       "  \"reference_us\": {\"bare_int3_signal\": %.4f, "
	       "\"gettid\": %.4f, \"clock_read\": %.4f},\n"
	       "  \"rseq_aborts\": %lu,\n  \"stub_exhausted\": %lu,\n"
	       "  \"failed_updates\": %d\n}\n", bp, strtoul (hold, NULL, 10),
	       updates, path,
	       nfast_seen, nhit, traps_emulated, traps_stub, traps_stale,
	       fast_med / 1e3, hit_med / 1e3, hit_p90 / 1e3, hit_max / 1e3,
	       (hit_med - fast_med) / 1e3, upd_med,
	       (trap_ns - clock_ns) / 1e3, (tid_ns - clock_ns) / 1e3,
	       clock_ns / 1e3,
	       st1.rseq_aborts - st0.rseq_aborts,
	       st1.stub_exhausted - st0.stub_exhausted, failures);
      fclose (out);
    }
  return failures != 0 || nhit == 0;
}

/* cold-cost: calls through table members in code too large for the
   branch predictor, static call sites against plain indirect calls,
   in one process.

   The program holds the source of bench/gen-cold.py twice: compiled
   with the plugin (cold_run_static: a table of 4096 members, key
   cold, and 4096 distinct callers, each making one call through its own
   member, a static call site the runtime patched to a direct call of
   the member's own target) and without it (cold_run_indirect: the same
   C, each call an indirect call through the table).  One pass calls
   every caller once, with direct calls, so each site runs once per
   pass; between two passes of one variant the program runs a pass of
   the other (and 8192 other callers, targets and sites), so that
   neither finds its branches in the predictor or its code in the
   first-level caches: this is what static calls are said to save even
   without Spectre mitigations.  The driver itself is built without
   the plugin.

   Rounds are interleaved (every round runs one pass of each, in an
   order alternating from round to round); the table gives the median
   time per call (pass time / 4096) over the rounds, with quartiles,
   and the per-round ratio static/indirect, median [q1, q3] (below 1:
   the static calls win).  Before the rounds it checks that both
   variants compute the same result, and that every site of the
   static variant is registered and calls its target directly.

   usage: cold-cost [-o RESULT.json] [--label NAME] [--rounds N]  */

#include <static_call.h>

#include "bench-rounds.h"

/* One pass each (the pass count is the loop signature of
   bench-rounds.h, unused: a round is one pass).  */
extern bench_loop_fn cold_run_static, cold_run_indirect;
extern const unsigned cold_functions_static, cold_functions_indirect;

enum { V_STATIC, V_INDIRECT, NV };
static const char *const vname[NV] = { "static", "indirect" };
static bench_loop_fn *const vrun[NV] = {
  cold_run_static, cold_run_indirect
};

struct count
{
  long sites, direct;
};

static int
count_site (const struct static_call_site_info *s, void *arg)
{
  struct count *c = arg;
  if (strncmp (s->key, "cold.", 5))
    return 0;
  c->sites++;
  c->direct += s->state == STATIC_CALL_SITE_DIRECT
	       && s->calls != s->trampoline;
  return 0;
}

int
main (int argc, char **argv)
{
  FILE *out = bench_open_result (argc, argv);
  const char *label = bench_label_arg (argc, argv);
  int rounds = bench_rounds_arg (argc, argv, 2001);
  unsigned n = cold_functions_static;

  struct count c = { 0, 0 };
  static_call_for_each_site (count_site, &c);
  if (n != cold_functions_indirect || c.sites != n || c.direct != n)
    {
      fprintf (stderr, "cold-cost: %u and %u functions; %ld sites of "
	       "cold.*, %ld direct\n", n, cold_functions_indirect, c.sites,
	       c.direct);
      return 1;
    }
  if (!bench_loops_agree ("cold-cost", vname, vrun, NV))
    return 1;

  double *t[NV];
  /* 10 passes of warm-up, not counted.  */
  unsigned sink = bench_rounds (vrun, NV, 10, rounds, 1, n, t);
  double *ratio = bench_ratio (t[V_STATIC], t[V_INDIRECT], rounds);

  printf ("== cold-cost (%s build): ns per call, %u callers through %u "
	  "table members, %d interleaved rounds of one pass\n", label, n, n,
	  rounds);
  bench_machine_print ();
  printf ("  %-9s %-9s %9s %9s %9s\n", "calls", "sites", "median", "q1",
	  "q3");
  static const char *const state[NV] = { "direct", "-" };
  double med[NV];
  bench_print_variants (vname, state, med, t, NV, rounds, 9, -1);
  printf ("  per-round ratio, median [q1, q3]:\n");
  bench_print_ratio (stdout, "static/indirect", ratio, rounds, 0, 0);

  if (out)
    {
      bench_json_head (out, "cold-cost");
      fprintf (out, "  \"build\": \"%s\",\n  \"rounds\": %d,\n"
	       "  \"functions\": %u,\n  \"ns_per_call\": {\n", label, rounds,
	       n);
      bench_json_variants (out, vname, NULL, med, t, NV, rounds);
      fputs ("  },\n  \"ratios\": {\n", out);
      bench_print_ratio (out, "static/indirect", ratio, rounds, 1, 1);
      fputs ("  },\n  \"rounds_ns_per_call\": {\n", out);
      bench_json_rounds_end (out, vname, t, NV, rounds);
    }
  return (int) (sink & 0);
}

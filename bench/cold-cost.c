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

#include "bench.h"

extern unsigned cold_run_static (unsigned);
extern unsigned cold_run_indirect (unsigned);
extern const unsigned cold_functions_static, cold_functions_indirect;

enum { V_STATIC, V_INDIRECT, NV };
static const char *const vname[NV] = { "static", "indirect" };
static unsigned (*const vrun[NV]) (unsigned)
  = { cold_run_static, cold_run_indirect };

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
  const char *label = "plain";
  for (int i = 1; i + 1 < argc; i++)
    if (!strcmp (argv[i], "--label"))
      label = argv[i + 1];
  int rounds = bench_long_arg (argc, argv, "--rounds", 2001);
  if (rounds < 3)
    rounds = 3;
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
  if (cold_run_static (7) != cold_run_indirect (7))
    {
      fprintf (stderr, "cold-cost: the two variants disagree\n");
      return 1;
    }

  double *t[NV];
  for (int v = 0; v < NV; v++)
    t[v] = calloc (rounds, sizeof (double));
  double *ratio = calloc (rounds, sizeof (double));
  volatile unsigned sink = 0;
  for (int w = 0; w < 10; w++)		/* warm-up, not counted */
    for (int v = 0; v < NV; v++)
      sink += vrun[v] (w);
  for (int i = 0; i < rounds; i++)
    {
      for (int j = 0; j < NV; j++)
	{
	  int v = (i + j) % NV;
	  double t0 = bench_now_ns ();
	  sink += vrun[v] (i);
	  t[v][i] = (bench_now_ns () - t0) / n;
	}
      ratio[i] = t[V_STATIC][i] / t[V_INDIRECT][i];
    }

  printf ("== cold-cost (%s build): ns per call, %u callers through %u "
	  "table members, %d interleaved rounds of one pass\n", label, n, n,
	  rounds);
  bench_machine_print ();
  printf ("  %-9s %-9s %9s %9s %9s\n", "calls", "sites", "median", "q1",
	  "q3");
  double med[NV];
  for (int v = 0; v < NV; v++)
    {
      med[v] = bench_median (t[v], rounds);
      printf ("  %-9s %-9s %9.3f %9.3f %9.3f\n", vname[v],
	      v == V_STATIC ? "direct" : "-", med[v],
	      bench_quantile (t[v], rounds, 0.25),
	      bench_quantile (t[v], rounds, 0.75));
    }
  double rm = bench_median (ratio, rounds);
  double r1 = bench_quantile (ratio, rounds, 0.25);
  double r3 = bench_quantile (ratio, rounds, 0.75);
  printf ("  per-round ratio, median [q1, q3]:\n"
	  "    static/indirect     %6.3f [%.3f, %.3f]\n", rm, r1, r3);

  if (out)
    {
      fputs ("{\n  \"benchmark\": \"cold-cost\",\n", out);
      bench_machine_json (out);
      fprintf (out, "  \"build\": \"%s\",\n  \"rounds\": %d,\n"
	       "  \"functions\": %u,\n  \"ns_per_call\": {\n", label, rounds,
	       n);
      for (int v = 0; v < NV; v++)
	fprintf (out, "    \"%s\": {\"median\": %.4f, \"q1\": %.4f, "
		 "\"q3\": %.4f}%s\n", vname[v], med[v],
		 bench_quantile (t[v], rounds, 0.25),
		 bench_quantile (t[v], rounds, 0.75), v + 1 < NV ? "," : "");
      fprintf (out, "  },\n  \"ratios\": {\n    \"static/indirect\": "
	       "{\"median\": %.4f, \"q1\": %.4f, \"q3\": %.4f}\n  },\n"
	       "  \"rounds_ns_per_call\": {\n", rm, r1, r3);
      for (int v = 0; v < NV; v++)
	{
	  fprintf (out, "    \"%s\": [", vname[v]);
	  for (int i = 0; i < rounds; i++)
	    fprintf (out, "%s%.4f", i ? ", " : "", t[v][i]);
	  fprintf (out, "]%s\n", v + 1 < NV ? "," : "");
	}
      fputs ("  }\n}\n", out);
      fclose (out);
    }
  return (int) (sink & 0);
}

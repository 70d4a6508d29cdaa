/* cond-cost: what a guarded call `if (p) p (x);' costs while P is NULL,
   as a conditional static call site (a 5-byte NOP once patched) and as
   plain C, in one process.

   Four loops, identical but for the guarded call, each run 2^20
   iterations of a short dependent computation (h = h * K + 1), and in
   each iteration:

     none        no call at all: the loop's own cost;
     nop         `if (bench_hook) bench_hook (h);' with bench_hook
		 annotated (key bench_hook) and NULL: the plugin made it
		 one conditional site, which the runtime patched to a
		 5-byte NOP;
     test        the same with an ordinary pointer, NULL: a load, a test
		 and a branch, as GCC compiles it;
     unpatched   a direct call of the key's conditional trampoline,
		 which loads the pointer, finds it NULL and returns: what
		 the site does before the runtime patched it (or when it
		 cannot write code), made as call-cost.c makes its
		 trampoline row (the runtime never touches a call it has
		 no record of).

   Rounds are interleaved (every round runs all the loops, in an order
   rotated from round to round); the table gives the median time per
   iteration over the rounds with the quartiles, and the per-round
   ratio nop/test, median [q1, q3], whose target is at most 1 (not
   slower).  static_call_for_each_site gives the `site' column, and the
   loop's code is checked to hold the NOP.

   usage: cond-cost [-o RESULT.json] [--rounds N] [--calls LOG2]  */

#include <stdint.h>

#include <static_call.h>

#include "bench.h"
#include "../tools/x86-insn.h"

typedef void hook_fn (unsigned);

/* External, like a real hook, so the compiler cannot see it stays
   NULL; never assigned here but through a volatile pointer.  */
hook_fn *bench_hook STATIC_CALL (bench_hook);
hook_fn *bench_plain_hook;
hook_fn *volatile *volatile plain_hook_ref = &bench_plain_hook;

#ifdef __STATICCALL__
/* The conditional trampoline the plugin emits for bench_hook's sites
   (hidden, so a call of it is the e8 rel32 of an unpatched site).  */
extern hook_fn cond_tramp
  __asm__ ("__static_call_cond_bench_hook.bench_hook")
  __attribute__ ((visibility ("hidden")));
#endif

#define STEP(h) ((h) * 2654435761u + 1)

__attribute__ ((noinline, noclone)) static unsigned
loop_none (unsigned h, long n)
{
  for (long i = 0; i < n; i++)
    {
      h = STEP (h);
      __asm__ volatile ("" : "+r" (h));
    }
  return h;
}

__attribute__ ((noinline, noclone)) static unsigned
loop_nop (unsigned h, long n)
{
  for (long i = 0; i < n; i++)
    {
      if (bench_hook)
	bench_hook (h);
      h = STEP (h);
      __asm__ volatile ("" : "+r" (h));
    }
  return h;
}

__attribute__ ((noinline, noclone)) static unsigned
loop_test (unsigned h, long n)
{
  for (long i = 0; i < n; i++)
    {
      if (bench_plain_hook)
	bench_plain_hook (h);
      h = STEP (h);
      __asm__ volatile ("" : "+r" (h));
    }
  return h;
}

__attribute__ ((noinline, noclone)) static unsigned
loop_unpatched (unsigned h, long n)
{
  for (long i = 0; i < n; i++)
    {
#ifdef __STATICCALL__
      cond_tramp (h);
#endif
      h = STEP (h);
      __asm__ volatile ("" : "+r" (h));
    }
  return h;
}

enum { V_NONE, V_NOP, V_TEST, V_UNPATCHED, NV };
static const char *const vname[NV] = { "none", "nop", "test", "unpatched" };
static unsigned (*const vloop[NV]) (unsigned, long)
  = { loop_none, loop_nop, loop_test, loop_unpatched };

struct key_state
{
  const char *state;
  int n;
};

static int
note_site (const struct static_call_site_info *s, void *arg)
{
  struct key_state *k = arg;
  if (strcmp (s->key, "bench_hook"))
    return 0;
  const char *name = s->state == STATIC_CALL_SITE_NOP ? "nop"
		     : s->calls == s->trampoline ? "trampoline" : "other";
  if (k->n++ && strcmp (k->state, name))
    k->state = "mixed";
  else
    k->state = name;
  return 0;
}

/* Whether a site of bench_hook inside loop_nop's code (its first 256
   bytes) holds the 5-byte NOP, read from the code itself.  */
static int
find_nop (const struct static_call_site_info *s, void *arg)
{
  const unsigned char *f = (const unsigned char *) loop_nop;
  const unsigned char *a = s->addr;
  if (!strcmp (s->key, "bench_hook") && a >= f && a < f + 256
      && sc_x86_is_nop5 (a))
    *(int *) arg = 1;
  return 0;
}

static const char *
holds_nop (void)
{
  int found = 0;
  static_call_for_each_site (find_nop, &found);
  return found ? "yes" : "no";
}

int
main (int argc, char **argv)
{
  FILE *out = bench_open_result (argc, argv);
  int rounds = bench_long_arg (argc, argv, "--rounds", 51);
  long calls = 1l << bench_long_arg (argc, argv, "--calls", 20);
  if (rounds < 3)
    rounds = 3;
  *plain_hook_ref = NULL;

  struct key_state k = { "no sites", 0 };
  static_call_for_each_site (note_site, &k);
  const char *state[NV] = { "-", k.state, "-", "(never)" };
  const char *nop_in_code = holds_nop ();

  unsigned check[NV];
  for (int v = 0; v < NV; v++)
    check[v] = vloop[v] (7, 1000);
  for (int v = 1; v < NV; v++)
    if (check[v] != check[0])
      {
	fprintf (stderr, "cond-cost: loop %s computes %u, none %u\n",
		 vname[v], check[v], check[0]);
	return 1;
      }

  double *t[NV];
  for (int v = 0; v < NV; v++)
    t[v] = calloc (rounds, sizeof (double));
  double *ratio_nt = calloc (rounds, sizeof (double));
  double *ratio_un = calloc (rounds, sizeof (double));
  volatile unsigned sink = 0;
  for (int v = 0; v < NV; v++)
    sink += vloop[v] (0, calls);	/* warm-up round, not counted */
  for (int i = 0; i < rounds; i++)
    {
      for (int j = 0; j < NV; j++)
	{
	  int v = (i + j) % NV;
	  double t0 = bench_now_ns ();
	  sink += vloop[v] (i, calls);
	  t[v][i] = (bench_now_ns () - t0) / calls;
	}
      ratio_nt[i] = t[V_NOP][i] / t[V_TEST][i];
      ratio_un[i] = t[V_UNPATCHED][i] / t[V_NOP][i];
    }

  printf ("== cond-cost: ns per iteration with a NULL guarded call, %d "
	  "interleaved rounds of %ld iterations\n", rounds, calls);
  bench_machine_print ();
  printf ("  %-11s %-11s %9s %9s %9s\n", "call", "site", "median", "q1",
	  "q3");
  double med[NV];
  for (int v = 0; v < NV; v++)
    {
      med[v] = bench_median (t[v], rounds);
      printf ("  %-11s %-11s %9.3f %9.3f %9.3f\n", vname[v], state[v],
	      med[v], bench_quantile (t[v], rounds, 0.25),
	      bench_quantile (t[v], rounds, 0.75));
    }
  printf ("  the nop loop's code holds the 5-byte NOP: %s\n", nop_in_code);
  printf ("  per-round ratios, median [q1, q3]:\n"
	  "    nop/test            %6.3f [%.3f, %.3f]\n"
	  "    unpatched/nop       %6.3f [%.3f, %.3f]\n",
	  bench_median (ratio_nt, rounds),
	  bench_quantile (ratio_nt, rounds, 0.25),
	  bench_quantile (ratio_nt, rounds, 0.75),
	  bench_median (ratio_un, rounds),
	  bench_quantile (ratio_un, rounds, 0.25),
	  bench_quantile (ratio_un, rounds, 0.75));

  if (out)
    {
      fputs ("{\n  \"benchmark\": \"cond-cost\",\n", out);
      bench_machine_json (out);
      fprintf (out, "  \"rounds\": %d,\n  \"calls_per_round\": %ld,\n"
	       "  \"nop_in_code\": %s,\n  \"ns_per_iteration\": {\n",
	       rounds, calls, !strcmp (nop_in_code, "yes") ? "true" : "false");
      for (int v = 0; v < NV; v++)
	fprintf (out, "    \"%s\": {\"site\": \"%s\", \"median\": %.4f, "
		 "\"q1\": %.4f, \"q3\": %.4f}%s\n", vname[v], state[v],
		 med[v], bench_quantile (t[v], rounds, 0.25),
		 bench_quantile (t[v], rounds, 0.75), v + 1 < NV ? "," : "");
      fprintf (out, "  },\n  \"ratios\": {\n"
	       "    \"nop/test\": {\"median\": %.4f, \"q1\": %.4f, "
	       "\"q3\": %.4f},\n"
	       "    \"unpatched/nop\": {\"median\": %.4f, \"q1\": %.4f, "
	       "\"q3\": %.4f}\n  }\n}\n",
	       bench_median (ratio_nt, rounds),
	       bench_quantile (ratio_nt, rounds, 0.25),
	       bench_quantile (ratio_nt, rounds, 0.75),
	       bench_median (ratio_un, rounds),
	       bench_quantile (ratio_un, rounds, 0.25),
	       bench_quantile (ratio_un, rounds, 0.75));
      fclose (out);
    }
  return sink == 0xdeadbeef;
}

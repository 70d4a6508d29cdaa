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

#include "bench-rounds.h"

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

/* One loop per variant: N iterations of STEP, each after the
   statement GUARDED.  */
#define GUARDED_LOOP(name, guarded)					\
  __attribute__ ((noinline, noclone)) static unsigned			\
  name (unsigned h, long n)						\
  {									\
    for (long i = 0; i < n; i++)					\
      {									\
	guarded;							\
	h = STEP (h);							\
	__asm__ volatile ("" : "+r" (h));				\
      }									\
    return h;								\
  }

#ifdef __STATICCALL__
# define CALL_COND_TRAMP(h) cond_tramp (h)
#else
# define CALL_COND_TRAMP(h) (void) 0
#endif

GUARDED_LOOP (loop_none, )
GUARDED_LOOP (loop_nop, if (bench_hook) bench_hook (h))
GUARDED_LOOP (loop_test, if (bench_plain_hook) bench_plain_hook (h))
GUARDED_LOOP (loop_unpatched, CALL_COND_TRAMP (h))

enum { V_NONE, V_NOP, V_TEST, V_UNPATCHED, NV };
static const char *const vname[NV] = { "none", "nop", "test", "unpatched" };
static bench_loop_fn *const vloop[NV] = {
  loop_none, loop_nop, loop_test, loop_unpatched
};

/* What a site does now, as the runtime reports it.  */
static const char *
state_name (const struct static_call_site_info *s)
{
  return s->state == STATIC_CALL_SITE_NOP ? "nop"
	 : s->calls == s->trampoline ? "trampoline" : "other";
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
  int rounds = bench_rounds_arg (argc, argv, 51);
  long calls = 1l << bench_long_arg (argc, argv, "--calls", 20);
  *plain_hook_ref = NULL;

  const char *state[NV] = {
    "-", bench_site_state ("bench_hook", state_name), "-", "(never)"
  };
  const char *nop_in_code = holds_nop ();

  if (!bench_loops_agree ("cond-cost", vname, vloop, NV))
    return 1;

  double *t[NV];
  unsigned sink = bench_rounds (vloop, NV, 1, rounds, calls, calls, t);
  double *ratio_nt = bench_ratio (t[V_NOP], t[V_TEST], rounds);
  double *ratio_un = bench_ratio (t[V_UNPATCHED], t[V_NOP], rounds);

  printf ("== cond-cost: ns per iteration with a NULL guarded call, %d "
	  "interleaved rounds of %ld iterations\n", rounds, calls);
  bench_machine_print ();
  printf ("  %-11s %-11s %9s %9s %9s\n", "call", "site", "median", "q1",
	  "q3");
  double med[NV];
  bench_print_variants (vname, state, med, t, NV, rounds, 11, -1);
  printf ("  the nop loop's code holds the 5-byte NOP: %s\n", nop_in_code);
  printf ("  per-round ratios, median [q1, q3]:\n");
  bench_print_ratio (stdout, "nop/test", ratio_nt, rounds, 0, 0);
  bench_print_ratio (stdout, "unpatched/nop", ratio_un, rounds, 0, 0);

  if (out)
    {
      bench_json_head (out, "cond-cost");
      fprintf (out, "  \"rounds\": %d,\n  \"calls_per_round\": %ld,\n"
	       "  \"nop_in_code\": %s,\n  \"ns_per_iteration\": {\n",
	       rounds, calls, !strcmp (nop_in_code, "yes") ? "true" : "false");
      bench_json_variants (out, vname, state, med, t, NV, rounds);
      fputs ("  },\n  \"ratios\": {\n", out);
      bench_print_ratio (out, "nop/test", ratio_nt, rounds, 1, 0);
      bench_print_ratio (out, "unpatched/nop", ratio_un, rounds, 1, 1);
      fputs ("  }\n}\n", out);
      fclose (out);
    }
  return sink == 0xdeadbeef;
}

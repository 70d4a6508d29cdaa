/* key-cost: what a test of a disabled flag costs, `if (flag) rare (h);'
   with flag a static key (a 5-byte NOP once patched) and with flag a
   plain global (a load, a test and a branch), in one process.

   Three loops, identical but for the test, each run iterations of a
   short dependent computation (h = h * K + 1), and in each iteration:

     none   no test at all: the loop's own cost;
     nop    `if (bench_flag) bench_rare (h);' with bench_flag a
	    STATIC_KEY (key bench_flag), zero: the plugin made the test a
	    branch site, which the runtime patched to the 5-byte NOP;
     test   the same with bench_plain_flag, an ordinary _Bool, zero: a
	    load, a compare and a conditional branch, as GCC compiles it.

   The three are measured twice (bench-value.h): with the flags' cache
   lines in cache (2^20 iterations a round), and cold, with both flags'
   lines flushed by clflush before every test, in all three loops
   (2^14 iterations a round).  Rounds are interleaved; the tables give
   the median time per iteration over the rounds with the quartiles,
   and the per-round ratios nop/test, whose targets are at most 1 in
   cache (not slower) and below 1 cold (faster).  The runtime's
   for_each_site gives the `site' column, and both nop loops' code is
   checked to hold the NOP.

   usage: key-cost [-o RESULT.json] [--rounds N] [--calls LOG2]
		   [--cold-calls LOG2]  */

#include <static_call.h>

#include "bench-value.h"

/* External, so the compiler cannot see they stay zero; each on a line
   of its own, so that a flush of one is not a flush of the other nor
   of anything else the loops touch.  */
_Bool bench_flag STATIC_KEY (bench_flag) __attribute__ ((aligned (64)));
_Bool bench_plain_flag __attribute__ ((aligned (64)));

/* Never called (both flags stay zero); noipa, so each site keeps the
   call in its true block and the loops cannot tell it does nothing.  */
void __attribute__ ((noipa))
bench_rare (unsigned h)
{
  printf ("bench_rare %u\n", h);
}

#define STEP(h) ((h) * 2654435761u + 1)
#define FLUSH BENCH_FLUSH2 (bench_flag, bench_plain_flag)

BENCH_VALUE_LOOP (loop_none, h = STEP (h))
BENCH_VALUE_LOOP (loop_nop, if (bench_flag) bench_rare (h); h = STEP (h))
BENCH_VALUE_LOOP (loop_test,
		  if (bench_plain_flag) bench_rare (h); h = STEP (h))
BENCH_VALUE_LOOP (cold_none, FLUSH; h = STEP (h))
BENCH_VALUE_LOOP (cold_nop,
		  FLUSH; if (bench_flag) bench_rare (h); h = STEP (h))
BENCH_VALUE_LOOP (cold_test,
		  FLUSH; if (bench_plain_flag) bench_rare (h); h = STEP (h))

/* What a branch site does now, as the runtime reports it.  */
static const char *
state_name (const struct static_call_site_info *s)
{
  return s->state == STATIC_CALL_SITE_FALLTHROUGH ? "nop"
	 : s->state == STATIC_CALL_SITE_JUMP ? "jmp"
	 : s->state == STATIC_CALL_SITE_UNPATCHED ? "unpatched" : "other";
}

/* A site whose code bytes are the 5-byte NOP.  */
static int
is_nop (const struct static_call_site_info *s)
{
  return s->kind == STATIC_CALL_KIND_BRANCH && sc_x86_is_nop5 (s->addr);
}

int
main (int argc, char **argv)
{
  FILE *out = bench_open_result (argc, argv);
  int rounds = bench_rounds_arg (argc, argv, 51);
  long warm = 1l << bench_long_arg (argc, argv, "--calls", 20);
  long cold = 1l << bench_long_arg (argc, argv, "--cold-calls", 14);
  const char *site = bench_site_state ("bench_flag", state_name);
  struct bench_value b = {
    "key-cost", "`if (flag) rare (h);' with flag zero",
    { "none", "nop", "test" },
    { "-", site, "-" },
    { loop_none, loop_nop, loop_test },
    { cold_none, cold_nop, cold_test },
    "the 5-byte NOP",
    bench_value_code_ok ("bench_flag", loop_nop, cold_nop, is_nop)
  };
  return bench_value_run (&b, out, rounds, warm, cold);
}

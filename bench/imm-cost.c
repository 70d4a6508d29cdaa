/* imm-cost: what a read of a rarely changed integer costs, `h * scale'
   with scale an immediate value (mov $imm, %reg once patched) and with
   scale a plain global (a load), in one process.

   Three loops, identical but for where the multiplier comes from, each
   run iterations of h = h * scale + 1 (a dependent chain; the value is
   K, the same multiplier key-cost.c's loops use):

     const  h * K with K a constant of the source: imul $K, the best
	    any read could do;
     imm    h * bench_scale, bench_scale a STATIC_IMMEDIATE (key
	    bench_scale), K: the plugin made the read an immediate site,
	    which the runtime patched to `mov $K, %reg';
     load   h * bench_plain_scale, an ordinary unsigned, K: a load from
	    memory in every iteration (imul with a memory operand; the
	    loop's compiler barrier keeps GCC from hoisting it, as calls
	    and stores between reads do in real code).

   The three are measured twice (bench-value.h): with the variables'
   cache lines in cache (2^20 iterations a round), and cold, with both
   lines flushed by clflush before every read, in all three loops (2^14
   iterations a round).  Rounds are interleaved; the tables give the
   median time per iteration over the rounds with the quartiles, and the
   per-round ratios imm/load, whose targets are at most 1 in cache (not
   slower) and below 1 cold (faster).  The runtime's for_each_site gives
   the `site' column, and both imm loops' code is checked to hold the
   move of K.

   usage: imm-cost [-o RESULT.json] [--rounds N] [--calls LOG2]
		   [--cold-calls LOG2]  */

#include <static_call.h>

#include "bench-value.h"

#define K 2654435761u

/* External, so the compiler cannot see they stay K; each on a line of
   its own.  */
unsigned bench_scale STATIC_IMMEDIATE (bench_scale)
  __attribute__ ((aligned (64))) = K;
unsigned bench_plain_scale __attribute__ ((aligned (64))) = K;

#define FLUSH BENCH_FLUSH2 (bench_scale, bench_plain_scale)

BENCH_VALUE_LOOP (loop_const, h = h * K + 1)
BENCH_VALUE_LOOP (loop_imm, h = h * bench_scale + 1)
BENCH_VALUE_LOOP (loop_load, h = h * bench_plain_scale + 1)
BENCH_VALUE_LOOP (cold_const, FLUSH; h = h * K + 1)
BENCH_VALUE_LOOP (cold_imm, FLUSH; h = h * bench_scale + 1)
BENCH_VALUE_LOOP (cold_load, FLUSH; h = h * bench_plain_scale + 1)

/* What an immediate site does now, as the runtime reports it.  */
static const char *
state_name (const struct static_call_site_info *s)
{
  return s->state == STATIC_CALL_SITE_IMMEDIATE ? "mov $imm"
	 : s->state == STATIC_CALL_SITE_UNPATCHED ? "load" : "other";
}

/* A site whose code bytes move K into a register.  */
static int
is_mov_k (const struct static_call_site_info *s)
{
  unsigned reg;
  int wide;
  unsigned long v;
  return s->kind == STATIC_CALL_KIND_IMMEDIATE
	 && sc_x86_decode_mov_imm (s->addr, s->length, &reg, &wide, &v)
	 && (unsigned) v == K;
}

int
main (int argc, char **argv)
{
  FILE *out = bench_open_result (argc, argv);
  int rounds = bench_rounds_arg (argc, argv, 51);
  long warm = 1l << bench_long_arg (argc, argv, "--calls", 20);
  long cold = 1l << bench_long_arg (argc, argv, "--cold-calls", 14);
  const char *site = bench_site_state ("bench_scale", state_name);
  struct bench_value b = {
    "imm-cost", "h = h * scale + 1",
    { "const", "imm", "load" },
    { "-", site, "-" },
    { loop_const, loop_imm, loop_load },
    { cold_const, cold_imm, cold_load },
    "the move of the value",
    bench_value_code_ok ("bench_scale", loop_imm, cold_imm, is_mov_k)
  };
  return bench_value_run (&b, out, rounds, warm, cold);
}

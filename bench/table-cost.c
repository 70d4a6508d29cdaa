/* table-cost: what one call through a member of an ops table costs, as
   a static call site, against a direct call and against the plain
   indirect call through the same table, in one process.

   Five loops, identical but for the call, each make 2^20 dependent
   calls (h = f (h)) of one tiny out-of-line function, `bench_leaf'
   (leal 1(%rdi),%eax; ret, in assembler, as in call-cost.c):

     direct        call bench_leaf, as the compiler emits it;
     member        `bench_table.leaf (h)', a site of the key
		   bench_tbl.leaf of the annotated struct bench_table,
		   patched by the runtime to `call bench_leaf';
     ops           `bench_impl->leaf (h)', a site of the key
		   bench_ops->leaf of the annotated pointer bench_impl
		   (to a const struct), patched the same way;
     member-ind    the same member called as plain C does: the member
		   is loaded from the table every iteration and called
		   through (`call *%rax', or a retpoline thunk under
		   -mindirect-branch=thunk);
     ops-ind       the same for the ops pointer: the pointer, then the
		   member of its pointee, loaded every iteration, and an
		   indirect call.

   How the two `-ind' loops stay indirect with the plugin: reads of a
   table's members and of an ops pointer stay reads, and an empty asm
   that takes the loaded value as an operand hides where it came from,
   so the call is through an ordinary pointer (the verbose note of a
   call through a copy).  Both tables hold other data members too, as
   real ones do.

   Rounds are interleaved (every round runs all the loops, in an order
   rotated from round to round); the table gives, per loop, the median
   time per call over the rounds with the quartiles, and the per-round
   ratios member/direct and ops/direct (target at most 1.02),
   member-ind/member and ops-ind/ops, as median [q1, q3].  It checks
   that, once patched, the member and ops loops are the direct loop byte
   for byte but for the call's displacement (all three calling
   bench_leaf), and static_call_for_each_site gives the `site' column.

   usage: table-cost [-o RESULT.json] [--label NAME] [--rounds N]
		     [--calls LOG2]  */

#include <stdint.h>

#include <static_call.h>

#include "bench-rounds.h"

typedef unsigned leaf_fn (unsigned);

BENCH_DEFINE_LEAF ()

static unsigned
other (unsigned h)
{
  return h + 2;
}

/* A table as real ones are: data members among the function pointers,
   the called one not first.  */
struct bench_ops
{
  int level;
  leaf_fn *before;
  leaf_fn *leaf;
  long flags;
  leaf_fn *after;
};

struct bench_ops bench_table STATIC_CALL (bench_tbl) = {
  1, other, bench_leaf, 2, other
};

static const struct bench_ops bench_ops_a = { 1, other, bench_leaf, 2, other };
static const struct bench_ops bench_ops_b = { 3, other, other, 4, other };
const struct bench_ops *bench_impl STATIC_CALL (bench_ops) = &bench_ops_b;

#ifndef __STATICCALL__
# error "table-cost measures static calls: build it with -fplugin=staticcall"
#endif

/* The plain C call through the same member: a fresh load each time,
   through a value the compiler (and so the plugin) cannot trace.  */
static inline leaf_fn *
hidden_member (void)
{
  leaf_fn *f = bench_table.leaf;
  __asm__ ("" : "+r" (f));
  return f;
}

static inline const struct bench_ops *
hidden_impl (void)
{
  const struct bench_ops *p = bench_impl;
  __asm__ ("" : "+r" (p));
  return p;
}

BENCH_CALL_LOOP (loop_direct, bench_leaf (h))
BENCH_CALL_LOOP (loop_member, bench_table.leaf (h))
BENCH_CALL_LOOP (loop_ops, bench_impl->leaf (h))
BENCH_CALL_LOOP (loop_member_ind, hidden_member () (h))
BENCH_CALL_LOOP (loop_ops_ind, hidden_impl ()->leaf (h))

enum { V_DIRECT, V_MEMBER, V_OPS, V_MEMBER_IND, V_OPS_IND, NV };

static const char *const vname[NV] = {
  "direct", "member", "ops", "member-ind", "ops-ind"
};

static bench_loop_fn *const vloop[NV] = {
  loop_direct, loop_member, loop_ops, loop_member_ind, loop_ops_ind
};

/* What a site does now, as the runtime reports it.  */
static const char *
state_name (const struct static_call_site_info *s)
{
  return s->calls == s->trampoline ? "trampoline"
	 : s->state == STATIC_CALL_SITE_DIRECT ? "direct" : "other";
}

int
main (int argc, char **argv)
{
  FILE *out = bench_open_result (argc, argv);
  const char *label = bench_label_arg (argc, argv);
  int rounds = bench_rounds_arg (argc, argv, 51);
  long calls = 1l << bench_long_arg (argc, argv, "--calls", 20);

  /* The ops pointer starts at the other implementation, as when
     initialisation picks one: this store is the switch of its sites.  */
  bench_impl = &bench_ops_a;
  const char *state[NV] = {
    "-", bench_site_state ("bench_tbl.leaf", state_name),
    bench_site_state ("bench_ops->leaf", state_name), "-", "-"
  };
  /* Whether the member and ops loops are the direct loop byte for byte
     but for the displacement of their call, all calling bench_leaf.  */
  int same_member = bench_same_code (loop_direct, loop_member, bench_leaf);
  int same_ops = bench_same_code (loop_direct, loop_ops, bench_leaf);

  if (!bench_loops_agree ("table-cost", vname, vloop, NV))
    return 1;

  double *t[NV];
  unsigned sink = bench_rounds (vloop, NV, 1, rounds, calls, calls, t);
  enum { R_MD, R_OD, R_MIM, R_OIO, NR };
  static const char *const rname[NR] = {
    "member/direct", "ops/direct", "member-ind/member", "ops-ind/ops"
  };
  double *ratio[NR] = {
    bench_ratio (t[V_MEMBER], t[V_DIRECT], rounds),
    bench_ratio (t[V_OPS], t[V_DIRECT], rounds),
    bench_ratio (t[V_MEMBER_IND], t[V_MEMBER], rounds),
    bench_ratio (t[V_OPS_IND], t[V_OPS], rounds)
  };

  printf ("== table-cost (%s build): ns per call through a table member, "
	  "%d interleaved rounds of %ld calls\n", label, rounds, calls);
  bench_machine_print ();
  printf ("  %-11s %-11s %9s %9s %9s %9s\n", "call", "site", "median",
	  "q1", "q3", "/direct");
  double med[NV];
  bench_print_variants (vname, state, med, t, NV, rounds, 11, V_DIRECT);
  printf ("  member loop = direct loop, byte for byte: %s; ops loop: %s\n",
	  same_member ? "yes" : "no", same_ops ? "yes" : "no");
  printf ("  per-round ratios, median [q1, q3]:\n");
  for (int r = 0; r < NR; r++)
    bench_print_ratio (stdout, rname[r], ratio[r], rounds, 0, 0);

  if (out)
    {
      bench_json_head (out, "table-cost");
      fprintf (out, "  \"build\": \"%s\",\n  \"rounds\": %d,\n"
	       "  \"calls_per_round\": %ld,\n"
	       "  \"member_code_is_direct_code\": %s,\n"
	       "  \"ops_code_is_direct_code\": %s,\n"
	       "  \"ns_per_call\": {\n", label, rounds, calls,
	       same_member ? "true" : "false", same_ops ? "true" : "false");
      bench_json_variants (out, vname, state, med, t, NV, rounds);
      fputs ("  },\n  \"ratios\": {\n", out);
      for (int r = 0; r < NR; r++)
	bench_print_ratio (out, rname[r], ratio[r], rounds, 1, r + 1 == NR);
      fputs ("  },\n  \"rounds_ns_per_call\": {\n", out);
      bench_json_rounds_end (out, vname, t, NV, rounds);
    }
  return (int) (sink & 0);
}

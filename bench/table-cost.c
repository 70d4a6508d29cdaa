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

#include "bench.h"
#include "../tools/x86-insn.h"

typedef unsigned leaf_fn (unsigned);

extern leaf_fn bench_leaf __attribute__ ((visibility ("hidden")));
__asm__ ("\t.text\n"
	 "\t.p2align 6\n"
	 "\t.globl bench_leaf\n"
	 "\t.hidden bench_leaf\n"
	 "\t.type bench_leaf, @function\n"
	 "bench_leaf:\n"
	 "\tleal 1(%rdi), %eax\n"
	 "\tret\n"
	 "\t.size bench_leaf, .-bench_leaf\n");

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

/* As in call-cost.c: noipa, aligned alike, every result kept live.  */
#define CALL_LOOP(name, call)						\
  static unsigned __attribute__ ((noipa, aligned (64)))			\
  name (unsigned h, long n)						\
  {									\
    for (long i = 0; i < n; i++)					\
      {									\
	h = call;							\
	__asm__ volatile ("" : "+r" (h));				\
      }									\
    return h;								\
  }

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

CALL_LOOP (loop_direct, bench_leaf (h))
CALL_LOOP (loop_member, bench_table.leaf (h))
CALL_LOOP (loop_ops, bench_impl->leaf (h))
CALL_LOOP (loop_member_ind, hidden_member () (h))
CALL_LOOP (loop_ops_ind, hidden_impl ()->leaf (h))

enum { V_DIRECT, V_MEMBER, V_OPS, V_MEMBER_IND, V_OPS_IND, NV };

static const char *const vname[NV] = {
  "direct", "member", "ops", "member-ind", "ops-ind"
};

static unsigned (*const vloop[NV]) (unsigned, long) = {
  loop_direct, loop_member, loop_ops, loop_member_ind, loop_ops_ind
};

struct key_state
{
  const char *key;
  const char *state;
  int n;
};

static int
note_site (const struct static_call_site_info *s, void *arg)
{
  struct key_state *k = arg;
  if (strcmp (s->key, k->key))
    return 0;
  const char *name = s->calls == s->trampoline ? "trampoline"
		     : s->state == STATIC_CALL_SITE_DIRECT ? "direct"
		     : "other";
  if (k->n++ && strcmp (k->state, name))
    k->state = "mixed";
  else
    k->state = name;
  return 0;
}

static const char *
site_state (const char *key)
{
  struct key_state k = { key, "no sites", 0 };
  static_call_for_each_site (note_site, &k);
  return k.state;
}

/* Whether LOOP is the direct loop byte for byte but for the
   displacement of its call, both calls going to bench_leaf.  */
static int
same_code (unsigned (*loop) (unsigned, long))
{
  const unsigned char *d = (const unsigned char *) loop_direct;
  const unsigned char *p = (const unsigned char *) loop;
  for (int i = 0; i < 64; i++)
    {
      if (sc_x86_is_call_rel32 (d + i))
	{
	  if (!sc_x86_is_call_rel32 (p + i)
	      || sc_x86_rel32_dest (d + i, NULL) != (const void *) bench_leaf
	      || sc_x86_rel32_dest (p + i, NULL) != (const void *) bench_leaf)
	    return 0;
	  i += SC_X86_REL32_LEN - 1;
	  continue;
	}
      if (d[i] != p[i])
	return 0;
      if (d[i] == 0xc3)
	return 1;
    }
  return 0;
}

static void
print_ratio (FILE *f, const char *name, const double *v, int n, int json,
	     int last)
{
  if (json)
    fprintf (f, "    \"%s\": {\"median\": %.4f, \"q1\": %.4f, "
	     "\"q3\": %.4f}%s\n", name, bench_median (v, n),
	     bench_quantile (v, n, 0.25), bench_quantile (v, n, 0.75),
	     last ? "" : ",");
  else
    fprintf (f, "    %-19s %6.3f [%.3f, %.3f]\n", name, bench_median (v, n),
	     bench_quantile (v, n, 0.25), bench_quantile (v, n, 0.75));
}

int
main (int argc, char **argv)
{
  FILE *out = bench_open_result (argc, argv);
  const char *label = "plain";
  for (int i = 1; i + 1 < argc; i++)
    if (!strcmp (argv[i], "--label"))
      label = argv[i + 1];
  int rounds = bench_long_arg (argc, argv, "--rounds", 51);
  long calls = 1l << bench_long_arg (argc, argv, "--calls", 20);
  if (rounds < 3)
    rounds = 3;

  /* The ops pointer starts at the other implementation, as when
     initialisation picks one: this store is the switch of its sites.  */
  bench_impl = &bench_ops_a;
  const char *state[NV] = {
    "-", site_state ("bench_tbl.leaf"), site_state ("bench_ops->leaf"),
    "-", "-"
  };
  int same_member = same_code (loop_member);
  int same_ops = same_code (loop_ops);

  unsigned check[NV];
  for (int v = 0; v < NV; v++)
    check[v] = vloop[v] (7, 1000);
  for (int v = 1; v < NV; v++)
    if (check[v] != check[0])
      {
	fprintf (stderr, "table-cost: loop %s computes %u, direct %u\n",
		 vname[v], check[v], check[0]);
	return 1;
      }

  double *t[NV];
  for (int v = 0; v < NV; v++)
    t[v] = calloc (rounds, sizeof (double));
  enum { R_MD, R_OD, R_MIM, R_OIO, NR };
  static const char *const rname[NR] = {
    "member/direct", "ops/direct", "member-ind/member", "ops-ind/ops"
  };
  double *ratio[NR];
  for (int r = 0; r < NR; r++)
    ratio[r] = calloc (rounds, sizeof (double));
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
      ratio[R_MD][i] = t[V_MEMBER][i] / t[V_DIRECT][i];
      ratio[R_OD][i] = t[V_OPS][i] / t[V_DIRECT][i];
      ratio[R_MIM][i] = t[V_MEMBER_IND][i] / t[V_MEMBER][i];
      ratio[R_OIO][i] = t[V_OPS_IND][i] / t[V_OPS][i];
    }

  printf ("== table-cost (%s build): ns per call through a table member, "
	  "%d interleaved rounds of %ld calls\n", label, rounds, calls);
  bench_machine_print ();
  printf ("  %-11s %-11s %9s %9s %9s %9s\n", "call", "site", "median",
	  "q1", "q3", "/direct");
  double med[NV];
  for (int v = 0; v < NV; v++)
    med[v] = bench_median (t[v], rounds);
  for (int v = 0; v < NV; v++)
    printf ("  %-11s %-11s %9.3f %9.3f %9.3f %9.2f\n", vname[v], state[v],
	    med[v], bench_quantile (t[v], rounds, 0.25),
	    bench_quantile (t[v], rounds, 0.75), med[v] / med[V_DIRECT]);
  printf ("  member loop = direct loop, byte for byte: %s; ops loop: %s\n",
	  same_member ? "yes" : "no", same_ops ? "yes" : "no");
  printf ("  per-round ratios, median [q1, q3]:\n");
  for (int r = 0; r < NR; r++)
    print_ratio (stdout, rname[r], ratio[r], rounds, 0, 0);

  if (out)
    {
      fputs ("{\n  \"benchmark\": \"table-cost\",\n", out);
      bench_machine_json (out);
      fprintf (out, "  \"build\": \"%s\",\n  \"rounds\": %d,\n"
	       "  \"calls_per_round\": %ld,\n"
	       "  \"member_code_is_direct_code\": %s,\n"
	       "  \"ops_code_is_direct_code\": %s,\n"
	       "  \"ns_per_call\": {\n", label, rounds, calls,
	       same_member ? "true" : "false", same_ops ? "true" : "false");
      for (int v = 0; v < NV; v++)
	fprintf (out, "    \"%s\": {\"site\": \"%s\", \"median\": %.4f, "
		 "\"q1\": %.4f, \"q3\": %.4f}%s\n", vname[v], state[v],
		 med[v], bench_quantile (t[v], rounds, 0.25),
		 bench_quantile (t[v], rounds, 0.75), v + 1 < NV ? "," : "");
      fputs ("  },\n  \"ratios\": {\n", out);
      for (int r = 0; r < NR; r++)
	print_ratio (out, rname[r], ratio[r], rounds, 1, r + 1 == NR);
      fputs ("  },\n  \"rounds_ns_per_call\": {\n", out);
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

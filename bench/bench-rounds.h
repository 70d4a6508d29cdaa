/* The interleaved rounds of the benchmarks that time loops of calls
   (call-cost, cond-cost, table-cost, cold-cost), and what they print
   and write from them: the check that the loops agree, the rounds
   themselves, the per-round ratios, the JSON rows; and the two things
   call-cost and table-cost read from the code: what the runtime says
   of a key's sites, and whether a patched loop is the direct one.  */

#ifndef BENCH_ROUNDS_H
#define BENCH_ROUNDS_H

#include <static_call.h>

#include "bench.h"
#include "../tools/x86-insn.h"

/* One variant's loop: N iterations from H, returning the chained
   result.  */
typedef unsigned bench_loop_fn (unsigned h, long n);

/* The callee of the call loops, `bench_leaf' (leal 1(%rdi),%eax; ret,
   written in assembler so the compiler can neither inline nor analyse
   it), with `bench_leaf_end', the end of its bytes; of type leaf_fn
   (unsigned (unsigned)), hidden.  */
#define BENCH_DEFINE_LEAF()						\
  extern leaf_fn bench_leaf __attribute__ ((visibility ("hidden")));	\
  extern const unsigned char bench_leaf_end[]				\
    __attribute__ ((visibility ("hidden")));				\
  __asm__ ("\t.text\n"							\
	   "\t.p2align 6\n"						\
	   "\t.globl bench_leaf\n"						\
	   "\t.hidden bench_leaf\n"					\
	   "\t.type bench_leaf, @function\n"				\
	   "bench_leaf:\n"						\
	   "\tleal 1(%rdi), %eax\n"					\
	   "\tret\n"							\
	   "\t.size bench_leaf, .-bench_leaf\n"				\
	   "\t.globl bench_leaf_end\n"					\
	   "\t.hidden bench_leaf_end\n"					\
	   "bench_leaf_end:\n");

/* A loop NAME of N dependent calls h = CALL (an expression of h).
   noipa: the loop count stays a run-time value and nothing is
   specialised; the empty asm keeps every result live, so no call can
   be dropped or merged.  Aligned alike, so no loop gets a better fetch
   alignment than another by accident.  */
#define BENCH_CALL_LOOP(name, call)					\
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

/* Whether the NV loops compute the same from 7 in 1000 iterations
   (they warm up doing it); if not, says which does not, against the
   first, as PROG, and returns 0.  */
static inline int
bench_loops_agree (const char *prog, const char *const *vname,
		   bench_loop_fn *const *vloop, int nv)
{
  unsigned check[nv];
  for (int v = 0; v < nv; v++)
    check[v] = vloop[v] (7, 1000);
  for (int v = 1; v < nv; v++)
    if (check[v] != check[0])
      {
	fprintf (stderr, "%s: loop %s computes %u, %s %u\n", prog, vname[v],
		 check[v], vname[0], check[0]);
	return 0;
      }
  return 1;
}

/* WARM rounds not counted, then ROUNDS interleaved ones: round I runs
   each of the NV loops once, loop (I + J) % NV J-th, as
   VLOOP[V] (I, CALLS), and T[V][I] (allocated here) is its time
   divided by PER (the calls it makes).  Returns the sum of the
   results, for the caller to keep live.  */
static inline unsigned
bench_rounds (bench_loop_fn *const *vloop, int nv, int warm, int rounds,
	      long calls, double per, double **t)
{
  for (int v = 0; v < nv; v++)
    t[v] = calloc (rounds, sizeof (double));
  volatile unsigned sink = 0;
  for (int w = 0; w < warm; w++)
    for (int v = 0; v < nv; v++)
      sink += vloop[v] (w, calls);
  for (int i = 0; i < rounds; i++)
    for (int j = 0; j < nv; j++)
      {
	int v = (i + j) % nv;
	double t0 = bench_now_ns ();
	sink += vloop[v] (i, calls);
	t[v][i] = (bench_now_ns () - t0) / per;
      }
  return sink;
}

/* The per-round ratios NUM[I] / DEN[I] over ROUNDS rounds.  */
static inline double *
bench_ratio (const double *num, const double *den, int rounds)
{
  double *r = calloc (rounds, sizeof (double));
  for (int i = 0; i < rounds; i++)
    r[i] = num[i] / den[i];
  return r;
}

/* A ratio over the N rounds V, median [q1, q3]: a line of the printed
   table, or with JSON a member of the "ratios" object (LAST: no
   comma).  */
static inline void
bench_print_ratio (FILE *f, const char *name, const double *v, int n,
		   int json, int last)
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

/* The rows of the printed table: per variant, its name and its
   site's state (columns WIDTH wide), then the median MED[V] (computed
   here) and quartiles over the ROUNDS of T[V], and with REF >= 0 the
   median over that of variant REF.  */
static inline void
bench_print_variants (const char *const *vname, const char *const *state,
		      double *med, double *const *t, int nv, int rounds,
		      int width, int ref)
{
  for (int v = 0; v < nv; v++)
    med[v] = bench_median (t[v], rounds);
  for (int v = 0; v < nv; v++)
    {
      printf ("  %-*s %-*s %9.3f %9.3f %9.3f", width, vname[v], width,
	      state[v], med[v], bench_quantile (t[v], rounds, 0.25),
	      bench_quantile (t[v], rounds, 0.75));
      if (ref >= 0)
	printf (" %9.2f", med[v] / med[ref]);
      putchar ('\n');
    }
}

/* The members of the "ns_per_call" (or the like) object: per variant,
   its site's state (none when STATE is NULL), median and quartiles.  */
static inline void
bench_json_variants (FILE *out, const char *const *vname,
		     const char *const *state, const double *med,
		     double *const *t, int nv, int rounds)
{
  for (int v = 0; v < nv; v++)
    {
      fprintf (out, "    \"%s\": {", vname[v]);
      if (state)
	fprintf (out, "\"site\": \"%s\", ", state[v]);
      fprintf (out, "\"median\": %.4f, \"q1\": %.4f, \"q3\": %.4f}%s\n",
	       med[v], bench_quantile (t[v], rounds, 0.25),
	       bench_quantile (t[v], rounds, 0.75), v + 1 < nv ? "," : "");
    }
}

/* The members of "rounds_ns_per_call", every round's time per
   variant, and the end of the result file, which is closed.  */
static inline void
bench_json_rounds_end (FILE *out, const char *const *vname,
		       double *const *t, int nv, int rounds)
{
  for (int v = 0; v < nv; v++)
    {
      fprintf (out, "    \"%s\": [", vname[v]);
      for (int i = 0; i < rounds; i++)
	fprintf (out, "%s%.4f", i ? ", " : "", t[v][i]);
      fprintf (out, "]%s\n", v + 1 < nv ? "," : "");
    }
  fputs ("  }\n}\n", out);
  fclose (out);
}

/* What the sites of a key do now, as the runtime reports it, each
   named by NAME: that name if they all agree, else "mixed", or "no
   sites".  */
typedef const char *bench_site_namer (const struct static_call_site_info *);

struct bench_key_state
{
  const char *key;
  bench_site_namer *name;
  const char *state;
  int n;
};

static inline int
bench_note_site (const struct static_call_site_info *s, void *arg)
{
  struct bench_key_state *k = arg;
  if (strcmp (s->key, k->key))
    return 0;
  const char *name = k->name (s);
  if (k->n++ && strcmp (k->state, name))
    k->state = "mixed";
  else
    k->state = name;
  return 0;
}

static inline const char *
bench_site_state (const char *key, bench_site_namer *name)
{
  struct bench_key_state k = { key, name, "no sites", 0 };
  static_call_for_each_site (bench_note_site, &k);
  return k.state;
}

/* Whether the code of LOOP is that of DIRECT byte for byte (within
   their first 64 bytes, up to a ret), but for the displacement of a
   call rel32, where both must call TARGET: then any difference
   between their times is the machine's noise.  */
static inline int
bench_same_code (bench_loop_fn *direct, bench_loop_fn *loop,
		 unsigned (*target) (unsigned))
{
  const unsigned char *d = (const unsigned char *) direct;
  const unsigned char *p = (const unsigned char *) loop;
  for (int i = 0; i < 64; i++)
    {
      if (sc_x86_is_call_rel32 (d + i))
	{
	  if (!sc_x86_is_call_rel32 (p + i)
	      || sc_x86_rel32_dest (d + i, NULL) != (const void *) target
	      || sc_x86_rel32_dest (p + i, NULL) != (const void *) target)
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

#endif /* BENCH_ROUNDS_H */

/* What key-cost.c and imm-cost.c share: three loops (a baseline, the
   patched site, the plain C it replaces) measured twice, with the
   variables' cache lines in cache and with them flushed before every
   test, and the table, ratios and JSON made of that.

   Cold means: every iteration of every loop of the cold set, the
   baseline's included, first flushes the cache lines of both variables
   (the annotated one and the plain one) with clflush, then does what
   its warm twin does.  So the loops differ only in what the site reads:
   the plain loop's load misses to memory each time, the site reads
   nothing but its own code.  clflush, not a walk of a working set: a
   walk large enough to evict a line from this CPU's caches would cost
   microseconds per test and bury a 100-nanosecond difference in its
   own noise; clflush evicts exactly the two lines, every time.  */

#ifndef BENCH_VALUE_H
#define BENCH_VALUE_H

#include "bench-rounds.h"

/* Flush the lines of A and B (variables), then continue; a compiler
   barrier too, so nothing is cached in registers across it.  */
#define BENCH_FLUSH2(a, b)						\
  __asm__ volatile ("clflush %0\n\tclflush %1" : : "m" (a), "m" (b)	\
		    : "memory")

/* A loop NAME of N iterations of BODY (a statement on h); the empty
   asm keeps h live and is a compiler barrier, so that a read of a
   plain global in BODY stays a load in every iteration, as it is in
   code that calls or stores between two reads.  Aligned alike.  */
#define BENCH_VALUE_LOOP(name, body)					\
  static unsigned __attribute__ ((noipa, aligned (64)))			\
  name (unsigned h, long n)						\
  {									\
    for (long i = 0; i < n; i++)					\
      {									\
	body;								\
	__asm__ volatile ("" : "+r" (h) : : "memory");			\
      }									\
    return h;								\
  }

enum { BV_BASE, BV_SITE, BV_PLAIN, BV_N };

struct bench_value
{
  const char *prog;		/* "key-cost" */
  const char *title;		/* what one iteration does */
  const char *vname[BV_N];	/* the loops' names */
  const char *state[BV_N];	/* what the site is now, per loop */
  bench_loop_fn *warm[BV_N], *cold[BV_N];
  const char *code_what;	/* what the code check looks for */
  int code_ok;			/* whether both site loops hold it */
};

/* The ratios printed and written: site/plain and site/base, in cache
   then cold.  */
static inline void
bench_value_ratios (FILE *f, const struct bench_value *b, double *const *w,
		    double *const *c, int rounds, int json)
{
  char name[4][64];
  double *r[4] = {
    bench_ratio (w[BV_SITE], w[BV_PLAIN], rounds),
    bench_ratio (w[BV_SITE], w[BV_BASE], rounds),
    bench_ratio (c[BV_SITE], c[BV_PLAIN], rounds),
    bench_ratio (c[BV_SITE], c[BV_BASE], rounds)
  };
  for (int k = 0; k < 4; k++)
    {
      snprintf (name[k], sizeof name[k], "%s%s/%s", k < 2 ? "" : "cold ",
		b->vname[BV_SITE], b->vname[k % 2 ? BV_BASE : BV_PLAIN]);
      bench_print_ratio (f, name[k], r[k], rounds, json, k == 3);
      free (r[k]);
    }
}

/* Run B: ROUNDS interleaved rounds of the warm loops, WARM iterations
   each, then ROUNDS of the cold ones, COLD iterations each; print the
   tables and write OUT (closed) when not NULL.  Returns 0, or 1 when
   the loops disagree.  */
static inline int
bench_value_run (const struct bench_value *b, FILE *out, int rounds,
		 long warm, long cold)
{
  if (!bench_loops_agree (b->prog, b->vname, b->warm, BV_N)
      || !bench_loops_agree (b->prog, b->vname, b->cold, BV_N))
    return 1;
  double *w[BV_N], *c[BV_N];
  unsigned sink = bench_rounds (b->warm, BV_N, 1, rounds, warm, warm, w);
  sink += bench_rounds (b->cold, BV_N, 1, rounds, cold, cold, c);

  printf ("== %s: ns per iteration (%s), %d interleaved rounds\n", b->prog,
	  b->title, rounds);
  bench_machine_print ();
  double wmed[BV_N], cmed[BV_N];
  printf ("  in cache, %ld iterations a round:\n", warm);
  printf ("  %-9s %-9s %9s %9s %9s\n", "loop", "site", "median", "q1",
	  "q3");
  bench_print_variants (b->vname, b->state, wmed, w, BV_N, rounds, 9, -1);
  printf ("  cold (both variables' lines flushed before each test), %ld "
	  "iterations a round:\n", cold);
  bench_print_variants (b->vname, b->state, cmed, c, BV_N, rounds, 9, -1);
  printf ("  the %s loops' code holds %s: %s\n", b->vname[BV_SITE],
	  b->code_what, b->code_ok ? "yes" : "no");
  printf ("  per-round ratios, median [q1, q3]:\n");
  bench_value_ratios (stdout, b, w, c, rounds, 0);

  if (out)
    {
      bench_json_head (out, b->prog);
      fprintf (out, "  \"rounds\": %d,\n  \"code_holds_patched_form\": %s,\n"
	       "  \"eviction\": \"clflush of both variables' lines before "
	       "each test, in every cold loop\",\n"
	       "  \"in_cache\": {\n  \"iterations_per_round\": %ld,\n"
	       "  \"ns_per_iteration\": {\n", rounds,
	       b->code_ok ? "true" : "false", warm);
      bench_json_variants (out, b->vname, b->state, wmed, w, BV_N, rounds);
      fprintf (out, "  }},\n  \"cold\": {\n  \"iterations_per_round\": %ld,\n"
	       "  \"ns_per_iteration\": {\n", cold);
      bench_json_variants (out, b->vname, b->state, cmed, c, BV_N, rounds);
      fputs ("  }},\n  \"ratios\": {\n", out);
      bench_value_ratios (out, b, w, c, rounds, 1);
      fputs ("  }\n}\n", out);
      fclose (out);
    }
  for (int v = 0; v < BV_N; v++)
    {
      free (w[v]);
      free (c[v]);
    }
  return sink == 0xdeadbeef;
}

/* For static_call_for_each_site: whether the site S of key ARG's key
   lies in one of the two loops' first 256 bytes and passes ARG's
   check, counted per loop.  */
struct bench_value_find
{
  const char *key;
  bench_loop_fn *loop[2];
  int (*ok) (const struct static_call_site_info *);
  int found[2];
};

static inline int
bench_value_find_site (const struct static_call_site_info *s, void *arg)
{
  struct bench_value_find *f = arg;
  if (strcmp (s->key, f->key))
    return 0;
  for (int k = 0; k < 2; k++)
    {
      const unsigned char *p = (const unsigned char *) f->loop[k];
      const unsigned char *a = s->addr;
      if (a >= p && a < p + 256 && f->ok (s))
	f->found[k] = 1;
    }
  return 0;
}

/* Whether both the warm and the cold site loop hold a site of KEY that
   passes OK, read from the code.  */
static inline int
bench_value_code_ok (const char *key, bench_loop_fn *warm,
		     bench_loop_fn *cold,
		     int (*ok) (const struct static_call_site_info *))
{
  struct bench_value_find f = { key, { warm, cold }, ok, { 0, 0 } };
  static_call_for_each_site (bench_value_find_site, &f);
  return f.found[0] && f.found[1];
}

#endif /* BENCH_VALUE_H */

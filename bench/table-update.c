/* table-update: what one store into an ops table of 16 members costs:
   the syncs, batches and sites patched, and the time, in one process.

   The table `bench_t16' (key t16) and the ops pointer `bench_impl16'
   (key i16) have 16 function-pointer members each (and a data member),
   and every member has one call site here.  Five ways of retargeting
   all 16, each alternating between two const tables of different
   functions, so that every store rewrites all 16 sites:

     assign     `bench_t16 = tables[i];', the whole-struct assignment of
		a table chosen at run time (one batch, the target: 3
		syncs);
     switch     `bench_impl16 = &ops_b;' (or &ops_a), an ops-pointer
		switch (one batch, 3 syncs);
     members    the 16 member stores `bench_t16.m0 = tables[i].m0;' and
		so on, one statement each, one after the other: the
		plugin gathers such a run of stores into one update;
     separate   the same 16 member stores, each in a function of its
		own (noipa): 16 updates, for comparison;
     one        a single member store, `bench_t16.m0 = ...': the cost of
		one update of one site.

   Rounds are interleaved (every round runs all five, in an order
   rotated from round to round); each store is timed alone
   (CLOCK_MONOTONIC), with the runtime's counters
   (static_call_get_stats) read around it.  The table gives the median
   time over the rounds with the quartiles, and the syncs, batches and
   sites patched per store, as min-max over the rounds.  After every
   store the 16 calls are made and checked against the table's new
   members.

   usage: table-update [-o RESULT.json] [--rounds N]  */

#include <static_call.h>

#include "bench.h"

typedef unsigned fn (unsigned);

#define M16(X) X (0) X (1) X (2) X (3) X (4) X (5) X (6) X (7) X (8)	\
  X (9) X (10) X (11) X (12) X (13) X (14) X (15)

#define DEFINE_TARGETS(i)						\
  static unsigned __attribute__ ((noipa)) fa##i (unsigned h)		\
  { return h + i; }							\
  static unsigned __attribute__ ((noipa)) fb##i (unsigned h)		\
  { return h + 100 + i; }
M16 (DEFINE_TARGETS)

#define MEMBER(i) fn *m##i;
struct ops16
{
  M16 (MEMBER)
  long data;
};

#define INIT_A(i) .m##i = fa##i,
#define INIT_B(i) .m##i = fb##i,
static const struct ops16 tables[2] = {
  { M16 (INIT_A) .data = 1 },
  { M16 (INIT_B) .data = 2 },
};
static const struct ops16 ops_a = { M16 (INIT_A) .data = 1 };
static const struct ops16 ops_b = { M16 (INIT_B) .data = 2 };

struct ops16 bench_t16 STATIC_CALL (t16) = { M16 (INIT_A) .data = 1 };
const struct ops16 *bench_impl16 STATIC_CALL (i16) = &ops_a;

#ifndef __STATICCALL__
# error "table-update measures static calls: build it with -fplugin=staticcall"
#endif

/* The index, from memory each time: the assignment is of a table
   chosen at run time, not of a constant GCC could expand member by
   member.  */
static volatile int which;

static void __attribute__ ((noipa))
store_assign (int i)
{
  which = i;
  bench_t16 = tables[which];
}

static void __attribute__ ((noipa))
store_switch (int i)
{
  bench_impl16 = i ? &ops_b : &ops_a;
}

#define STORE_MEMBER(i) bench_t16.m##i = tables[which].m##i;
static void __attribute__ ((noipa))
store_members (int i)
{
  which = i;
  M16 (STORE_MEMBER)
}

#define STORE_ALONE(i)						\
  static void __attribute__ ((noipa)) store_alone_##i (void)		\
  {									\
    bench_t16.m##i = tables[which].m##i;				\
  }
M16 (STORE_ALONE)

#define CALL_ALONE(i) store_alone_##i ();
static void __attribute__ ((noipa))
store_separate (int i)
{
  which = i;
  M16 (CALL_ALONE)
}

static void __attribute__ ((noipa))
store_one (int i)
{
  which = i;
  bench_t16.m0 = tables[which].m0;
}

/* The 16 sites of each object, one per member: their results, summed
   with weights, so that every member counts.  */
#define CALL_T(i) + (i + 1) * bench_t16.m##i (h)
#define CALL_I(i) + (i + 1) * bench_impl16->m##i (h)
static unsigned __attribute__ ((noipa))
call_t16 (unsigned h)
{
  return 0 M16 (CALL_T);
}

static unsigned __attribute__ ((noipa))
call_i16 (unsigned h)
{
  return 0 M16 (CALL_I);
}

/* What the 16 calls must give when every member is table I's.  */
static unsigned
expected (int i, unsigned h)
{
  unsigned s = 0;
  for (unsigned k = 0; k < 16; k++)
    s += (k + 1) * (h + (i ? 100 : 0) + k);
  return s;
}

enum { V_ASSIGN, V_SWITCH, V_MEMBERS, V_SEPARATE, V_ONE, NV };
static const char *const vname[NV] = {
  "assign", "switch", "members", "separate", "one"
};
static void (*const vstore[NV]) (int) = {
  store_assign, store_switch, store_members, store_separate, store_one
};

int
main (int argc, char **argv)
{
  FILE *out = bench_open_result (argc, argv);
  int rounds = bench_rounds_arg (argc, argv, 101);

  double *t[NV];
  unsigned long lo[NV][3], hi[NV][3];
  for (int v = 0; v < NV; v++)
    {
      t[v] = calloc (rounds, sizeof (double));
      for (int c = 0; c < 3; c++)
	lo[v][c] = -1ul, hi[v][c] = 0;
    }
  int bad = 0;
  /* Which table each object holds now (for `one', member 0 alone
     changes: it is set back by the next whole store).  */
  int state_t = 0, state_i = 0;
  for (int i = 0; i < rounds + 1; i++)
    for (int j = 0; j < NV; j++)
      {
	int v = (i + j) % NV;
	int to = v == V_SWITCH ? !state_i : !state_t;
	struct static_call_stats before, after;
	static_call_get_stats (&before);
	double t0 = bench_now_ns ();
	vstore[v] (to);
	double t1 = bench_now_ns ();
	static_call_get_stats (&after);
	if (v == V_SWITCH)
	  {
	    state_i = to;
	    bad += call_i16 (i) != expected (to, i);
	  }
	else if (v == V_ONE)
	  {
	    /* Member 0 is now table TO's, the others are not: put them
	       all back to table TO's for the next store.  */
	    store_assign (to);
	    state_t = to;
	    bad += call_t16 (i) != expected (to, i);
	  }
	else
	  {
	    state_t = to;
	    bad += call_t16 (i) != expected (to, i);
	  }
	if (i == 0)
	  continue;		/* round 0 is a warm-up: not counted */
	t[v][i - 1] = (t1 - t0) / 1e3;
	unsigned long d[3] = { after.syncs - before.syncs,
			       after.batches - before.batches,
			       after.sites_patched - before.sites_patched };
	for (int c = 0; c < 3; c++)
	  {
	    if (d[c] < lo[v][c])
	      lo[v][c] = d[c];
	    if (d[c] > hi[v][c])
	      hi[v][c] = d[c];
	  }
      }

  printf ("== table-update: one store retargeting a table of 16 members, "
	  "%d interleaved rounds (microseconds)\n", rounds);
  bench_machine_print ();
  printf ("  %-8s %9s %9s %9s %7s %7s %7s\n", "store", "median", "q1", "q3",
	  "syncs", "batches", "patched");
  for (int v = 0; v < NV; v++)
    {
      char b[3][32];
      for (int c = 0; c < 3; c++)
	if (lo[v][c] == hi[v][c])
	  snprintf (b[c], sizeof b[c], "%lu", lo[v][c]);
	else
	  snprintf (b[c], sizeof b[c], "%lu-%lu", lo[v][c], hi[v][c]);
      printf ("  %-8s %9.2f %9.2f %9.2f %7s %7s %7s\n", vname[v],
	      bench_median (t[v], rounds), bench_quantile (t[v], rounds, 0.25),
	      bench_quantile (t[v], rounds, 0.75), b[0], b[1], b[2]);
    }
  printf ("  (assign: bench_t16 = tables[i]; switch: bench_impl16 = &ops_b; "
	  "members: 16 member\n   stores in a row; separate: 16 member stores, each alone; one: one member\n   store; syncs, "
	  "batches, patched: per store, min-max)\n");
  if (bad)
    printf ("  FAILED: %d checks of the 16 calls after a store\n", bad);

  if (out)
    {
      bench_json_head (out, "table-update");
      fprintf (out, "  \"rounds\": %d,\n  \"members\": 16,\n"
	       "  \"bad_checks\": %d,\n  \"stores\": {\n", rounds, bad);
      for (int v = 0; v < NV; v++)
	{
	  fprintf (out, "    \"%s\": {\"us\": {\"median\": %.3f, "
		   "\"q1\": %.3f, \"q3\": %.3f}, \"syncs\": [%lu, %lu], "
		   "\"batches\": [%lu, %lu], \"sites_patched\": [%lu, %lu], "
		   "\"rounds_us\": [", vname[v], bench_median (t[v], rounds),
		   bench_quantile (t[v], rounds, 0.25),
		   bench_quantile (t[v], rounds, 0.75), lo[v][0], hi[v][0],
		   lo[v][1], hi[v][1], lo[v][2], hi[v][2]);
	  for (int i = 0; i < rounds; i++)
	    fprintf (out, "%s%.3f", i ? ", " : "", t[v][i]);
	  fprintf (out, "]}%s\n", v + 1 < NV ? "," : "");
	}
      fputs ("  }\n}\n", out);
      fclose (out);
    }
  return bad != 0;
}

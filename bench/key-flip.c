/* key-flip: what one store to a static key or an immediate value costs
   when it has 10000 sites, against one site and against the update of
   a static call with 10000 sites, in one process.

   The program is linked with the sources bench/gen-values.py writes,
   values-key-10000.c (10000 branch sites `if (vkey_10000) h =
   vkey_hit (h);') and values-imm-10000.c (10000 reads
   `h = h * 3 + vimm_10000;', each after a compiler barrier), and with
   bench/gen-sites.py's sites-10000-0.c (10000 call sites of gen_10000,
   as update-cost.c is).  The variables are defined here, with vkey_1 and vimm_1, one
   site each, below.  Five stores:

     key 10000    vkey_10000 = !vkey_10000 (every site NOP <-> jmp);
     imm 10000    vimm_10000 = the other of two values;
     key 1, imm 1 the same for the one-site variables;
     call 10000   static_call_update (gen_10000, the other target).

   One round makes each store once, in an order rotated from round to
   round; each store is timed alone (CLOCK_MONOTONIC) with the
   runtime's counters (static_call_get_stats) read around it: batches,
   syncs and sites rewritten per store, which must be 1, 3 and the
   number of sites, every time.  Before the rounds it checks that the
   runtime knows every site; after them, from the code bytes of every
   site, that each branch site is the NOP or the jmp its key's value
   says and each immediate site moves the value last stored, and that
   running all the sites computes what the values say.

   usage: key-flip [-o RESULT.json] [--rounds N]  */

#include <static_call.h>

#include "bench.h"
#include "../tools/x86-insn.h"

#define N 10000
#define IMM_A 0x12345678u
#define IMM_B 0x9abcdefu

_Bool vkey_10000 STATIC_KEY (vkey_10000);
unsigned vimm_10000 STATIC_IMMEDIATE (vimm_10000) = IMM_A;
_Bool vkey_1 STATIC_KEY (vkey_1);
unsigned vimm_1 STATIC_IMMEDIATE (vimm_1) = IMM_A;

typedef unsigned gen_fn (unsigned);

static unsigned __attribute__ ((noipa))
target_a (unsigned h)
{
  return h + 1;
}

static unsigned __attribute__ ((noipa))
target_b (unsigned h)
{
  return h + 2;
}

gen_fn *gen_10000 STATIC_CALL (gen_10000) = target_a;

/* What was stored last, kept here: in this unit, built with the
   plugin, a read of an immediate value is a site of its own, and a
   test of a key too, which would add to the counts checked.  */
static _Bool key_10000, key_1;
static unsigned imm_10000 = IMM_A, imm_1 = IMM_A;
static gen_fn *call_10000 = target_a;

unsigned __attribute__ ((noipa))
vkey_hit (unsigned h)
{
  return h + 1;
}

/* The generated files' entry points: all their sites, in order.  */
unsigned values_key_10000 (unsigned);
unsigned values_imm_10000 (unsigned);

static unsigned __attribute__ ((noipa))
one_key (unsigned h)
{
  if (vkey_1)
    h = vkey_hit (h);
  return h;
}

static unsigned __attribute__ ((noipa))
one_imm (unsigned h)
{
  return h * 3 + vimm_1;
}

/* The stores; each returns 0 or a negative errno value.  */
static int
flip_key_10000 (void)
{
  key_10000 = !key_10000;
  return static_key_update (vkey_10000, key_10000);
}

static int
flip_imm_10000 (void)
{
  imm_10000 = imm_10000 == IMM_A ? IMM_B : IMM_A;
  return static_key_update (vimm_10000, imm_10000);
}

static int
flip_key_1 (void)
{
  key_1 = !key_1;
  return static_key_update (vkey_1, key_1);
}

static int
flip_imm_1 (void)
{
  imm_1 = imm_1 == IMM_A ? IMM_B : IMM_A;
  return static_key_update (vimm_1, imm_1);
}

static int
flip_call_10000 (void)
{
  call_10000 = call_10000 == target_a ? target_b : target_a;
  return static_call_update (gen_10000, call_10000);
}

enum { S_KEY, S_IMM, S_KEY1, S_IMM1, S_CALL, NS };

struct store
{
  const char *name, *key;
  long sites;
  int (*flip) (void);
  double *us;
  unsigned long batches[2], syncs[2], patched[2];
  long failed;
};

static struct store stores[NS] = {
  { .name = "key 10000", .key = "vkey_10000", .sites = N, .flip = flip_key_10000 },
  { .name = "imm 10000", .key = "vimm_10000", .sites = N, .flip = flip_imm_10000 },
  { .name = "key 1", .key = "vkey_1", .sites = 1, .flip = flip_key_1 },
  { .name = "imm 1", .key = "vimm_1", .sites = 1, .flip = flip_imm_1 },
  { .name = "call 10000", .key = "gen_10000", .sites = N, .flip = flip_call_10000 },
};

/* The counter a store of kind S rewrites sites under.  */
static unsigned long
patched_count (const struct static_call_stats *st, int s)
{
  return s == S_CALL ? st->sites_patched
	 : s == S_KEY || s == S_KEY1 ? st->branch_sites_patched
	 : st->imm_sites_patched;
}

/* Per key: how many sites the runtime knows, and how many of them hold
   what the key's value says in their code bytes.  */
struct key_check
{
  const char *key;
  long long want;		/* the key's value now */
  const void *call;		/* a call site's target now */
  long sites, good;
};

static int
check_site (const struct static_call_site_info *s, void *arg)
{
  struct key_check *k = arg;
  if (strcmp (s->key, k->key))
    return 0;
  k->sites++;
  const unsigned char *a = s->addr;
  unsigned reg;
  int wide;
  unsigned long v;
  switch (s->kind)
    {
    case STATIC_CALL_KIND_BRANCH:
      /* Jumps while the key is non-zero, unless inverted.  */
      if ((!k->want ^ s->inverted)
	  ? sc_x86_is_nop5 (a)
	    && s->state == STATIC_CALL_SITE_FALLTHROUGH
	  : sc_x86_is_jmp_rel32 (a) && sc_x86_rel32_dest (a, NULL) == s->target
	    && s->state == STATIC_CALL_SITE_JUMP)
	k->good++;
      break;
    case STATIC_CALL_KIND_IMMEDIATE:
      if (sc_x86_decode_mov_imm (a, s->length, &reg, &wide, &v)
	  && (unsigned) v == (unsigned) k->want
	  && s->state == STATIC_CALL_SITE_IMMEDIATE)
	k->good++;
      break;
    default:
      if (sc_x86_is_call_rel32 (a) && sc_x86_rel32_dest (a, NULL) == k->call
	  && s->state == STATIC_CALL_SITE_DIRECT)
	k->good++;
      break;
    }
  return 0;
}

static struct key_check
check_key (int s)
{
  struct key_check k = { stores[s].key, 0, NULL, 0, 0 };
  switch (s)
    {
    case S_KEY: k.want = key_10000; break;
    case S_IMM: k.want = imm_10000; break;
    case S_KEY1: k.want = key_1; break;
    case S_IMM1: k.want = imm_1; break;
    default: k.call = (const void *) call_10000; break;
    }
  static_call_for_each_site (check_site, &k);
  return k;
}

/* What the sites must compute, from the variables' values: the chain
   gen-values.py writes, run here in C.  */
static unsigned
expect_values (int imm, unsigned h)
{
  for (int f = 0; f < N / 100; f++)
    {
      for (int i = 0; i < 100; i++)
	h = imm ? h * 3 + imm_10000 : key_10000 ? h + 1 : h;
      h ^= f;
    }
  return h;
}

/* Whether every site of every store's key is right, by its bytes and
   by what it computes; says which is not.  */
static int
check_all (const char *when)
{
  int ok = 1;
  for (int s = 0; s < NS; s++)
    {
      struct key_check k = check_key (s);
      if (k.sites != stores[s].sites || k.good != k.sites)
	{
	  fprintf (stderr, "key-flip: %s: %s has %ld sites, %ld right; "
		   "want %ld\n", when, k.key, k.sites, k.good,
		   stores[s].sites);
	  ok = 0;
	}
    }
  if (values_key_10000 (5) != expect_values (0, 5)
      || values_imm_10000 (5) != expect_values (1, 5)
      || one_key (5) != (key_1 ? 6u : 5u)
      || one_imm (5) != 15u + imm_1)
    {
      fprintf (stderr, "key-flip: %s: the sites compute the wrong value\n",
	       when);
      ok = 0;
    }
  return ok;
}

static void
minmax (unsigned long *mm, unsigned long v, int first)
{
  if (first || v < mm[0])
    mm[0] = v;
  if (first || v > mm[1])
    mm[1] = v;
}

int
main (int argc, char **argv)
{
  FILE *out = bench_open_result (argc, argv);
  int rounds = bench_rounds_arg (argc, argv, 51);
  int ok = check_all ("before");

  for (int s = 0; s < NS; s++)
    stores[s].us = calloc (rounds, sizeof (double));
  /* One store of each not counted: the first write to a page of code
     since start-up may fault, which the rounds are not about.  */
  for (int s = 0; s < NS; s++)
    stores[s].flip ();
  for (int i = 0; i < rounds; i++)
    for (int j = 0; j < NS; j++)
      {
	int s = (i + j) % NS;
	struct store *st = &stores[s];
	struct static_call_stats a, b;
	static_call_get_stats (&a);
	double t0 = bench_now_ns ();
	int r = st->flip ();
	double t1 = bench_now_ns ();
	static_call_get_stats (&b);
	st->us[i] = (t1 - t0) / 1e3;
	st->failed += r != 0;
	minmax (st->batches, b.batches - a.batches, !i);
	minmax (st->syncs, b.syncs - a.syncs, !i);
	minmax (st->patched, patched_count (&b, s) - patched_count (&a, s),
		!i);
      }
  ok &= check_all ("after");

  /* Per-round ratios against the one-site store of the same kind, and
     of the 10000-site stores against the static call's.  */
  double *r_key1 = calloc (rounds, sizeof (double));
  double *r_imm1 = calloc (rounds, sizeof (double));
  double *r_keyc = calloc (rounds, sizeof (double));
  double *r_immc = calloc (rounds, sizeof (double));
  for (int i = 0; i < rounds; i++)
    {
      r_key1[i] = stores[S_KEY].us[i] / stores[S_KEY1].us[i];
      r_imm1[i] = stores[S_IMM].us[i] / stores[S_IMM1].us[i];
      r_keyc[i] = stores[S_KEY].us[i] / stores[S_CALL].us[i];
      r_immc[i] = stores[S_IMM].us[i] / stores[S_CALL].us[i];
    }

  printf ("== key-flip: one store, microseconds, %d interleaved rounds\n",
	  rounds);
  bench_machine_print ();
  printf ("  %-11s %6s %9s %9s %9s %9s %8s %6s %8s %6s\n", "store", "sites",
	  "median", "q1", "q3", "per site", "batches", "syncs", "patched",
	  "failed");
  for (int s = 0; s < NS; s++)
    {
      struct store *st = &stores[s];
      double med = bench_median (st->us, rounds);
      printf ("  %-11s %6ld %9.1f %9.1f %9.1f %9.4f %4lu-%-3lu %2lu-%-3lu "
	      "%3lu-%-4lu %6ld\n", st->name, st->sites, med,
	      bench_quantile (st->us, rounds, 0.25),
	      bench_quantile (st->us, rounds, 0.75), med / st->sites,
	      st->batches[0], st->batches[1], st->syncs[0], st->syncs[1],
	      st->patched[0], st->patched[1], st->failed);
    }
  printf ("  (batches, syncs, patched: min-max per store over the rounds)\n"
	  "  every site right, by its bytes and what it computes, before and "
	  "after: %s\n", ok ? "yes" : "NO");
  printf ("  per-round ratios, median [q1, q3]:\n");
  static const char *const rname[4] = {
    "key 10000 / key 1", "imm 10000 / imm 1", "key 10000 / call 10000",
    "imm 10000 / call 10000"
  };
  double *rv[4] = { r_key1, r_imm1, r_keyc, r_immc };
  for (int k = 0; k < 4; k++)
    printf ("    %-24s %6.3f [%.3f, %.3f]\n", rname[k],
	    bench_median (rv[k], rounds), bench_quantile (rv[k], rounds, 0.25),
	    bench_quantile (rv[k], rounds, 0.75));

  if (out)
    {
      bench_json_head (out, "key-flip");
      fprintf (out, "  \"rounds\": %d,\n  \"sites_right\": %s,\n"
	       "  \"stores\": {\n", rounds, ok ? "true" : "false");
      for (int s = 0; s < NS; s++)
	{
	  struct store *st = &stores[s];
	  fprintf (out, "    \"%s\": {\"key\": \"%s\", \"sites\": %ld, "
		   "\"us\": {\"median\": %.3f, \"q1\": %.3f, \"q3\": %.3f, "
		   "\"min\": %.3f, \"max\": %.3f}, \"batches\": [%lu, %lu], "
		   "\"syncs\": [%lu, %lu], \"sites_patched\": [%lu, %lu], "
		   "\"failed\": %ld}%s\n", st->name, st->key, st->sites,
		   bench_median (st->us, rounds),
		   bench_quantile (st->us, rounds, 0.25),
		   bench_quantile (st->us, rounds, 0.75),
		   bench_quantile (st->us, rounds, 0),
		   bench_quantile (st->us, rounds, 1), st->batches[0],
		   st->batches[1], st->syncs[0], st->syncs[1], st->patched[0],
		   st->patched[1], st->failed, s + 1 < NS ? "," : "");
	}
      fputs ("  },\n  \"ratios\": {\n", out);
      for (int k = 0; k < 4; k++)
	fprintf (out, "    \"%s\": {\"median\": %.4f, \"q1\": %.4f, "
		 "\"q3\": %.4f}%s\n", rname[k], bench_median (rv[k], rounds),
		 bench_quantile (rv[k], rounds, 0.25),
		 bench_quantile (rv[k], rounds, 0.75), k < 3 ? "," : "");
      fputs ("  }\n}\n", out);
      fclose (out);
    }
  return !ok;
}

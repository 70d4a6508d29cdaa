/* update-cost: what one retarget costs, as a function of the number of
   call sites it patches.

   The program is linked with the sources bench/gen-sites.py writes:
   for each N in 1, 10, 100, 1000, 10000, 100000, N call sites of the
   key gen_N (100 per function), compiled with the plugin.  The keys'
   pointers are defined here; 111111 sites in all, in one process.

   One round updates every key once, in an order rotated from round to
   round, each update `static_call_update (gen_N, F)' alternating F
   between two functions, so that every update rewrites all N sites.
   Each update is timed alone (CLOCK_MONOTONIC), and the runtime's
   counters (static_call_get_stats) are read around it, so the table
   gives, per N, the median time of one update over the rounds (with
   quartiles, min and max), the time per site, and exactly how many
   all-core syncs (membarrier), breakpoint batches and site rewrites
   each update took, and how many page faults (getrusage) happened
   during it.  Before the rounds it checks that every site of
   every key is registered, and after them that the code bytes of every
   site are a call to the key's current target.

   For reference, the costs of the system calls an update makes, timed
   the same way in the same process: one membarrier
   (PRIVATE_EXPEDITED_SYNC_CORE, as the runtime issues it; 3 per
   update), one pwrite of one byte of this program's code, with its own
   value, to /proc/self/mem (the default writer), one pwrite of all the
   code from the first to the last site of gen_10000, again with its
   own bytes (what each of the 3 phases of that update writes, in
   chunks of at most 64 KiB), and one gettid (the cheapest system call,
   for scale).

   The time from the first constructor of this program to main, which
   includes registering (and first patching) all 111111 sites, is
   printed too.

   The runtime writes code through /proc/self/mem unless
   STATICCALL_WRITER says otherwise; `make bench' runs this benchmark a
   second time with STATICCALL_WRITER=mprotect, for comparison.

   usage: [STATICCALL_WRITER=procmem|mprotect] update-cost
	  [-o RESULT.json] [--rounds N]  */

#include <fcntl.h>
#include <stdint.h>
#include <linux/membarrier.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#include <static_call.h>

#include "bench.h"
#include "../tools/x86-insn.h"

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

#define SIZES(X) X (1) X (10) X (100) X (1000) X (10000) X (100000)

/* The keys' pointers, and for each a function that updates it and one
   that reads it (the plugin forbids taking a static call pointer's
   address, so a table cannot hold the pointers themselves).  */
#define DEFINE_KEY(n)							\
  gen_fn *gen_##n STATIC_CALL (gen_##n) = target_a;			\
  static int update_##n (gen_fn *f)					\
  {									\
    return static_call_update (gen_##n, f);				\
  }									\
  static gen_fn *query_##n (void)					\
  {									\
    return static_call_query (gen_##n);					\
  }
SIZES (DEFINE_KEY)

struct size
{
  long n;
  const char *key;
  int (*update) (gen_fn *);
  gen_fn *(*query) (void);
};

#define SIZE_ENTRY(n) { n, "gen_" #n, update_##n, query_##n },
static struct size sizes[] = { SIZES (SIZE_ENTRY) };
#define NSIZES (sizeof sizes / sizeof *sizes)

/* Start-up: from before the first constructor of this executable to
   main.  The plugin's registration constructors run at priority 100,
   before any a program may declare (101 and up), so the clock starts
   from .preinit_array, which the dynamic loader (or a static
   executable's start-up) runs before every .init_array entry.  */
static double t_first_ctor;

static void
first_ctor (void)
{
  t_first_ctor = bench_now_ns ();
}

static void (*const preinit_first_ctor) (void)
  __attribute__ ((section (".preinit_array"), used)) = first_ctor;

/* Per key: how many sites the runtime knows, and how many of them hold
   a call to the expected target in their code bytes.  */
struct key_check
{
  const char *key;
  const void *want;
  long sites, good;
};

static int
check_site (const struct static_call_site_info *s, void *arg)
{
  struct key_check *k = arg;
  if (strcmp (s->key, k->key))
    return 0;
  k->sites++;
  if (sc_x86_is_call_rel32 (s->addr)
      && sc_x86_rel32_dest (s->addr, NULL) == k->want
      && s->state == STATIC_CALL_SITE_DIRECT)
    k->good++;
  return 0;
}

static struct key_check
check_key (const struct size *sz, const void *want)
{
  struct key_check k = { sz->key, want, 0, 0 };
  static_call_for_each_site (check_site, &k);
  return k;
}

/* Median time of one call of F over N calls, minus a clock read.  */
static double
syscall_us (void (*f) (void), int n)
{
  double *t = calloc (n, sizeof *t), *c = calloc (n, sizeof *c);
  for (int i = 0; i < n; i++)
    {
      double t0 = bench_now_ns ();
      f ();
      double t1 = bench_now_ns ();
      c[i] = bench_now_ns () - t1;
      t[i] = t1 - t0;
    }
  double r = (bench_median (t, n) - bench_median (c, n)) / 1e3;
  free (t);
  free (c);
  return r;
}

static void
do_membarrier (void)
{
  syscall (__NR_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0);
}

static int mem_fd = -1;

static void
do_pwrite (void)
{
  const unsigned char *b = (const unsigned char *) target_a;
  if (pwrite (mem_fd, b, 1, (off_t) (uintptr_t) b) != 1)
    abort ();
}

/* The code range of the sites of gen_10000.  */
static const unsigned char *range_lo, *range_hi;

static int
note_range (const struct static_call_site_info *s, void *arg)
{
  const unsigned char *a = s->addr;
  if (strcmp (s->key, "gen_10000"))
    return 0;
  if (!range_lo || a < range_lo)
    range_lo = a;
  if (a + 5 > range_hi)
    range_hi = a + 5;
  (void) arg;
  return 0;
}

static void
do_pwrite_range (void)
{
  for (const unsigned char *p = range_lo; p < range_hi; p += 65536)
    {
      size_t len = range_hi - p < 65536 ? range_hi - p : 65536;
      if (pwrite (mem_fd, p, len, (off_t) (uintptr_t) p) != (ssize_t) len)
	abort ();
    }
}

static void
do_gettid (void)
{
  syscall (SYS_gettid);
}

int
main (int argc, char **argv)
{
  double startup_ms = (bench_now_ns () - t_first_ctor) / 1e6;
  FILE *out = bench_open_result (argc, argv);
  int rounds = bench_rounds_arg (argc, argv, 21);

  long total = 0;
  for (size_t s = 0; s < NSIZES; s++)
    {
      struct key_check k = check_key (&sizes[s], (const void *) target_a);
      if (k.sites != sizes[s].n || k.good != sizes[s].n)
	{
	  fprintf (stderr, "update-cost: key %s: %ld sites registered, %ld "
		   "calling target_a; want %ld\n", sizes[s].key, k.sites,
		   k.good, sizes[s].n);
	  return 1;
	}
      total += k.sites;
    }

  /* The references (the runtime has registered for membarrier's
     SYNC_CORE command by now).  */
  mem_fd = open ("/proc/self/mem", O_RDWR | O_CLOEXEC);
  double membarrier_us = syscall_us (do_membarrier, 101);
  double pwrite_us = mem_fd >= 0 ? syscall_us (do_pwrite, 101) : -1;
  double gettid_us = syscall_us (do_gettid, 101);
  static_call_for_each_site (note_range, NULL);
  double range_us = mem_fd >= 0 && range_lo
		    ? syscall_us (do_pwrite_range, 21) : -1;

  double *t[NSIZES];
  unsigned long syncs_min[NSIZES], syncs_max[NSIZES];
  unsigned long batches_min[NSIZES], batches_max[NSIZES];
  unsigned long sites_min[NSIZES], sites_max[NSIZES];
  double *faults[NSIZES];
  for (size_t s = 0; s < NSIZES; s++)
    {
      t[s] = calloc (rounds, sizeof (double));
      faults[s] = calloc (rounds, sizeof (double));
      syncs_min[s] = batches_min[s] = sites_min[s] = -1ul;
      syncs_max[s] = batches_max[s] = sites_max[s] = 0;
    }
  int failures = 0;
  for (int i = 0; i < rounds + 1; i++)
    for (size_t j = 0; j < NSIZES; j++)
      {
	size_t s = (i + j) % NSIZES;
	gen_fn *to = sizes[s].query () == target_a ? target_b : target_a;
	struct static_call_stats before, after;
	struct rusage ru0, ru1;
	static_call_get_stats (&before);
	getrusage (RUSAGE_SELF, &ru0);
	double t0 = bench_now_ns ();
	int r = sizes[s].update (to);
	double t1 = bench_now_ns ();
	getrusage (RUSAGE_SELF, &ru1);
	static_call_get_stats (&after);
	if (r)
	  failures++;
	/* Round 0 is a warm-up: not counted.  */
	if (i == 0)
	  continue;
	t[s][i - 1] = (t1 - t0) / 1e3;
	faults[s][i - 1] = ru1.ru_minflt - ru0.ru_minflt
			   + ru1.ru_majflt - ru0.ru_majflt;
#define MINMAX(field, lo, hi)						\
	do {								\
	  unsigned long d = after.field - before.field;			\
	  if (d < lo[s])						\
	    lo[s] = d;							\
	  if (d > hi[s])						\
	    hi[s] = d;							\
	} while (0)
	MINMAX (syncs, syncs_min, syncs_max);
	MINMAX (batches, batches_min, batches_max);
	MINMAX (sites_patched, sites_min, sites_max);
      }

  long bad = 0;
  for (size_t s = 0; s < NSIZES; s++)
    {
      const void *now = (const void *) sizes[s].query ();
      struct key_check k = check_key (&sizes[s], now);
      bad += k.sites - k.good;
    }

  const char *writer = getenv ("STATICCALL_WRITER");
  if (!writer || !*writer)
    writer = "automatic";
  printf ("== update-cost: one static_call_update, %d interleaved rounds "
	  "(microseconds; STATICCALL_WRITER=%s)\n", rounds, writer);
  bench_machine_print ();
  printf ("  start-up (registering and patching %ld sites): %.2f ms\n",
	  total, startup_ms);
  printf ("  %7s %9s %9s %9s %9s %9s %9s %7s %7s %9s %7s\n", "sites",
	  "median", "q1", "q3", "min", "max", "us/site", "syncs", "batches",
	  "patched", "faults");
#define RANGE(buf, lo, hi)						\
  (lo == hi ? snprintf (buf, sizeof buf, "%lu", lo)			\
	    : snprintf (buf, sizeof buf, "%lu-%lu", lo, hi), buf)
  for (size_t s = 0; s < NSIZES; s++)
    {
      char b1[32], b2[32], b3[32];
      double med = bench_median (t[s], rounds);
      printf ("  %7ld %9.1f %9.1f %9.1f %9.1f %9.1f %9.4f %7s %7s %9s %7.0f\n",
	      sizes[s].n, med, bench_quantile (t[s], rounds, 0.25),
	      bench_quantile (t[s], rounds, 0.75),
	      bench_quantile (t[s], rounds, 0),
	      bench_quantile (t[s], rounds, 1), med / sizes[s].n,
	      RANGE (b1, syncs_min[s], syncs_max[s]),
	      RANGE (b2, batches_min[s], batches_max[s]),
	      RANGE (b3, sites_min[s], sites_max[s]),
	      bench_median (faults[s], rounds));
    }
  printf ("  (syncs, batches, patched: per update, as min-max over the "
	  "rounds; faults: page faults\n   during one update, median)\n");
  printf ("  reference, one system call: membarrier(SYNC_CORE) %.2f us, "
	  "pwrite of 1 byte\n   to /proc/self/mem %.2f us, gettid %.2f us; "
	  "pwrite of the %ld bytes from the first\n   to the last site of "
	  "gen_10000 (one phase of its update) %.1f us\n",
	  membarrier_us, pwrite_us, gettid_us, (long) (range_hi - range_lo),
	  range_us);
  if (failures || bad)
    printf ("  FAILED: %d updates returned an error, %ld sites do not "
	    "call their target\n", failures, bad);

  if (out)
    {
      bench_json_head (out, "update-cost");
      fprintf (out, "  \"STATICCALL_WRITER\": \"%s\",\n", writer);
      fprintf (out, "  \"rounds\": %d,\n  \"startup_ms\": %.3f,\n"
	       "  \"total_sites\": %ld,\n  \"failed_updates\": %d,\n"
	       "  \"bad_sites\": %ld,\n", rounds, startup_ms, total, failures,
	       bad);
      fprintf (out, "  \"reference_us\": {\"membarrier_sync_core\": %.3f, "
	       "\"procmem_pwrite_1byte\": %.3f, \"gettid\": %.3f, "
	       "\"procmem_pwrite_10000_sites\": {\"bytes\": %ld, "
	       "\"us\": %.2f}},\n  \"updates\": [\n", membarrier_us,
	       pwrite_us, gettid_us, (long) (range_hi - range_lo), range_us);
      for (size_t s = 0; s < NSIZES; s++)
	{
	  double med = bench_median (t[s], rounds);
	  fprintf (out, "    {\"sites\": %ld, \"us\": {\"median\": %.2f, "
		   "\"q1\": %.2f, \"q3\": %.2f, \"min\": %.2f, "
		   "\"max\": %.2f}, \"us_per_site\": %.5f, "
		   "\"syncs_per_update\": [%lu, %lu], "
		   "\"batches_per_update\": [%lu, %lu], "
		   "\"sites_patched_per_update\": [%lu, %lu], "
		   "\"page_faults_per_update\": %.0f, \"rounds_us\": [",
		   sizes[s].n, med, bench_quantile (t[s], rounds, 0.25),
		   bench_quantile (t[s], rounds, 0.75),
		   bench_quantile (t[s], rounds, 0),
		   bench_quantile (t[s], rounds, 1), med / sizes[s].n,
		   syncs_min[s], syncs_max[s], batches_min[s], batches_max[s],
		   sites_min[s], sites_max[s], bench_median (faults[s], rounds));
	  for (int i = 0; i < rounds; i++)
	    fprintf (out, "%s%.2f", i ? ", " : "", t[s][i]);
	  fprintf (out, "]}%s\n", s + 1 < NSIZES ? "," : "");
	}
      fputs ("  ]\n}\n", out);
      fclose (out);
    }
  return failures || bad;
}

/* checksum: a CPU-feature style dispatch through a static call.

   `checksum_impl' is chosen at start-up and called in a hot loop; with
   the staticcall plugin every call through it is a direct call that the
   runtime retargets when the pointer is assigned.  The demo prints the
   converted sites, retargets them, and times the same loop through the
   static call and through an ordinary function pointer, in one run.

   Build:  gcc -O2 $(pkg-config --cflags staticcall) checksum.c \
	       $(pkg-config --libs staticcall)  */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <static_call.h>

typedef uint32_t checksum_fn (uint32_t, uint32_t);

/* Two interchangeable one-word steps (Adler-like and FNV-like).  Kept
   out of line so both loops below pay for a real call.  */
__attribute__ ((noinline)) static uint32_t
step_add (uint32_t h, uint32_t w)
{
  return (h + w) * 31u;
}

__attribute__ ((noinline)) static uint32_t
step_fnv (uint32_t h, uint32_t w)
{
  return (h ^ w) * 16777619u;
}

/* The static call, and an ordinary pointer to compare against.  */
checksum_fn *checksum_impl STATIC_CALL (checksum) = step_add;
checksum_fn *volatile plain_impl = step_add;

__attribute__ ((noinline)) static uint32_t
run_static (const uint32_t *w, size_t n)
{
  uint32_t h = 1;
  for (size_t i = 0; i < n; i++)
    h = checksum_impl (h, w[i]);
  return h;
}

__attribute__ ((noinline)) static uint32_t
run_plain (const uint32_t *w, size_t n)
{
  checksum_fn *fn = plain_impl;
  uint32_t h = 1;
  for (size_t i = 0; i < n; i++)
    h = fn (h, w[i]);
  return h;
}

static double
now_ns (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static int site_states[4];

static int
print_site (const struct static_call_site_info *s, void *arg)
{
  site_states[s->state]++;
  static const char *const state[] = { "direct", "trampoline", "refused",
					"near-slot" };
  const char *target = s->calls == (const void *) step_add ? "step_add"
		       : s->calls == (const void *) step_fnv ? "step_fnv"
		       : "?";
  printf ("  site %p  %s key '%s'  %-10s -> %s\n", s->addr,
	  s->tail ? "jmp " : "call", s->key, state[s->state], target);
  (void) arg;
  return 0;
}

int
main (int argc, char **argv)
{
  size_t n = 1 << 20;
  int rounds = argc > 1 ? atoi (argv[1]) : 31;
  uint32_t *words = malloc (n * sizeof *words);
  for (size_t i = 0; i < n; i++)
    words[i] = (uint32_t) (i * 2654435761u);

#ifdef __STATICCALL__
  puts ("built with the staticcall plugin; sites after start-up:");
  static_call_for_each_site (print_site, NULL);
#else
  puts ("built without the plugin: checksum_impl is an ordinary pointer");
#endif

  /* Retarget: every site now calls step_fnv directly.  */
  int r = static_call_update (checksum_impl, step_fnv);
  plain_impl = step_fnv;
  printf ("static_call_update (checksum_impl, step_fnv) = %d\n", r);
#ifdef __STATICCALL__
  memset (site_states, 0, sizeof site_states);
  static_call_for_each_site (print_site, NULL);
  printf ("sites: %d direct, %d near-slot, %d trampoline, %d refused\n",
	  site_states[STATIC_CALL_SITE_DIRECT],
	  site_states[STATIC_CALL_SITE_SLOT],
	  site_states[STATIC_CALL_SITE_TRAMPOLINE],
	  site_states[STATIC_CALL_SITE_REFUSED]);
#endif
  if (run_static (words, n) != run_plain (words, n))
    {
      puts ("MISMATCH between static and plain calls");
      return 1;
    }

  /* Interleaved rounds; medians of per-call cost.  */
  double *ts = malloc (rounds * sizeof *ts), *tp = malloc (rounds * sizeof *tp);
  volatile uint32_t sink = 0;
  for (int i = 0; i < rounds; i++)
    {
      double t0 = now_ns ();
      sink += run_static (words, n);
      double t1 = now_ns ();
      sink += run_plain (words, n);
      double t2 = now_ns ();
      ts[i] = (t1 - t0) / n;
      tp[i] = (t2 - t1) / n;
    }
  qsort (ts, rounds, sizeof *ts, cmp_double);
  qsort (tp, rounds, sizeof *tp, cmp_double);
  double ms = ts[rounds / 2], mp = tp[rounds / 2];
  printf ("per call, median of %d interleaved rounds of %zu calls:\n"
	  "  static call   %.3f ns\n  plain pointer %.3f ns\n"
	  "  plain / static = %.2f\n", rounds, n, ms, mp, mp / ms);

#ifdef __STATICCALL__
  struct static_call_stats st;
  static_call_get_stats (&st);
  printf ("runtime: %lu updates, %lu batches, %lu sites patched, %lu syncs\n",
	  st.updates, st.batches, st.sites_patched, st.syncs);
#endif
  free (words);
  free (ts);
  free (tp);
  return (int) (sink & 0);
}

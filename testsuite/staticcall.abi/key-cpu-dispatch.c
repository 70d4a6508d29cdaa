/* CPU-feature dispatch: static keys set in a constructor from
   __builtin_cpu_supports, before main, tested in a hot loop (one of
   them as likely), then forced off and detected again.  The paths give
   the same results, and the counts of each path follow the keys.  A
   held-out program of issue 12's.  */
/* { sc-levels "-O1 -O3" } */
#include <stdio.h>
#include <stdint.h>
#include <static_call.h>
#include "abi-check.h"

static _Bool have_popcnt STATIC_KEY (have_popcnt);
static _Bool have_avx2 STATIC_KEY (have_avx2);
_Bool have_sse42 STATIC_KEY (have_sse42);
static unsigned fast_paths, slow_paths;

static void __attribute__ ((constructor))
detect (void)
{
  __builtin_cpu_init ();
  have_popcnt = __builtin_cpu_supports ("popcnt");
  have_avx2 = __builtin_cpu_supports ("avx2");
  have_sse42 = __builtin_cpu_supports ("sse4.2");
}

static int __attribute__ ((target ("popcnt"), noinline))
pop_hw (uint64_t x)
{
  return __builtin_popcountll (x);
}

static int __attribute__ ((noinline))
pop_sw (uint64_t x)
{
  int n = 0;
  while (x)
    {
      x &= x - 1;
      n++;
    }
  return n;
}

static void __attribute__ ((target ("avx2"), noinline))
add_avx2 (int *a, const int *b, int n)
{
  for (int i = 0; i < n; i++)
    a[i] += b[i];
}

static void __attribute__ ((noinline))
add_plain (int *a, const int *b, int n)
{
  for (int i = 0; i < n; i++)
    a[i] += b[i];
}

static long __attribute__ ((noinline))
hot (int rounds)
{
  long total = 0;
  static int a[256], b[256];
  for (int i = 0; i < 256; i++)
    a[i] = i, b[i] = 3 * i + 1;
  for (int r = 0; r < rounds; r++)
    {
      uint64_t x = 0x9e3779b97f4a7c15ull * (r + 1);
      if (have_popcnt)
	total += pop_hw (x), fast_paths++;
      else
	total += pop_sw (x), slow_paths++;
      if (__builtin_expect (have_avx2, 1))
	add_avx2 (a, b, 256);
      else
	add_plain (a, b, 256);
      total += have_sse42 ? 1 : 2;
    }
  for (int i = 0; i < 256; i++)
    total += a[i];
  return total;
}

int
main (void)
{
  printf ("features popcnt=%d avx2=%d sse42=%d\n", have_popcnt, have_avx2,
	  have_sse42);
  long t = hot (5000);
  printf ("hot=%ld fast=%u slow=%u\n", t, fast_paths, slow_paths);
  check_sites ();
  have_popcnt = 0;
  have_avx2 = 0;
  fast_paths = slow_paths = 0;
  t = hot (5000);
  printf ("forced-off hot=%ld fast=%u slow=%u\n", t, fast_paths, slow_paths);
  check_sites ();
  detect ();
  fast_paths = slow_paths = 0;
  t = hot (100);
  printf ("redetect hot=%ld fast=%u slow=%u\n", t, fast_paths, slow_paths);
  check_sites ();
  return 0;
}

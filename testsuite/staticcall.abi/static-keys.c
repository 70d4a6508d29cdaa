/* Static keys: every form of branch on a key's truth (if, if-not, &&,
   ||, ?:, while and for conditions, __builtin_expect either way), on
   _Bool, char, int, unsigned and long keys, static and extern, flipped
   by assignment, static_key_update, increments and the atomic
   builtins; reads that are not branches (a copy, arithmetic, an
   argument).  Each result is printed and checked, and in the plugin
   build every site must be a NOP or a jmp matching its key.  */
/* { sc-levels "-O1 -O3" } */
#include <stdio.h>
#include <stdlib.h>
#include <static_call.h>
#include "abi-check.h"

_Bool tracing STATIC_KEY (tracing);
static int level STATIC_KEY (level) = 2;
unsigned char small STATIC_KEY (small);
static long wide STATIC_KEY (wide);
unsigned flags STATIC_KEY (flags) = 1;

static int events;

static void __attribute__ ((noinline))
trace (int what)
{
  events += what;
}

static int __attribute__ ((noinline))
branches (int x)
{
  int r = 0;
  if (tracing)
    trace (1);
  if (!tracing)
    r += 1;
  if (level && x > 0)
    r += 10;
  if (small || x < 0)
    r += 100;
  r += wide ? 1000 : 2000;
  if (__builtin_expect (flags, 1))
    r += 10000;
  if (__builtin_expect (!level, 0))
    r += 100000;
  if (__builtin_expect (tracing, 0) && x == 3)
    trace (7);
  for (int i = 0; i < 3 && small; i++)
    r += 1000000;
  return r;
}

static int __attribute__ ((noinline))
loop_while (void)
{
  int n = 0;
  while (level && n < 5)
    n++;
  return n;
}

static long __attribute__ ((noinline))
plain_reads (void)
{
  long copy = level;
  return copy * 100 + wide + small + (tracing ? 7 : 0) + flags;
}

static int __attribute__ ((noinline))
pass (int v)
{
  return v * 3;
}

static void
report (const char *what, int x, long long want)
{
  char name[64];
  snprintf (name, sizeof name, "%s(%d)", what, x);
  check (name, branches (x), want);
  check_sites ();
}

static long long
expected (int x)
{
  long long r = 0;
  if (!tracing)
    r += 1;
  if (level && x > 0)
    r += 10;
  if (small || x < 0)
    r += 100;
  r += wide ? 1000 : 2000;
  if (flags)
    r += 10000;
  if (!level)
    r += 100000;
  if (small)
    r += 3000000;
  return r;
}

int
main (void)
{
  int x;
  for (x = -1; x <= 3; x += 2)
    report ("initial", x, expected (x));
  tracing = 1;
  report ("tracing", 3, expected (3));
  check ("events", events, 8);
  level = 0;
  report ("level 0", 1, expected (1));
  check ("while level 0", loop_while (), 0);
  check ("static_key_update", static_key_update (level, 5), 0);
  check ("while level 5", loop_while (), 5);
  small = 200;
  wide = -1L << 40;
  report ("small wide", 1, expected (1));
  flags = 0;
  report ("flags 0", 1, expected (1));
  level++;
  check ("level++", level, 6);
  level -= 6;
  report ("level -= 6", 1, expected (1));
  __atomic_store_n (&tracing, 0, __ATOMIC_SEQ_CST);
  report ("atomic store", 1, expected (1));
  check ("atomic exchange", __atomic_exchange_n (&flags, 9, __ATOMIC_SEQ_CST),
	 0);
  report ("after exchange", 1, expected (1));
  unsigned char want = 200;
  check ("cas", __atomic_compare_exchange_n (&small, &want, 0, 0,
					     __ATOMIC_SEQ_CST,
					     __ATOMIC_SEQ_CST), 1);
  report ("after cas", 1, expected (1));
  check ("atomic load", __atomic_load_n (&flags, __ATOMIC_ACQUIRE), 9);
  check ("plain reads", plain_reads (), 0 + (-1L << 40) + 0 + 0 + 9);
  check ("passed", pass (flags), 27);
  for (int i = 0; i < 200; i++)
    {
      tracing = i & 1;
      level = i % 3;
      if (branches (1) != expected (1))
	abort ();
    }
  report ("after 200 flips", 1, expected (1));
  return 0;
}

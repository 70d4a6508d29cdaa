/* Void functions and recursion through static calls: void targets with
   and without arguments, a function that calls itself through its own
   key (factorial, Fibonacci), mutual recursion between two keys, tail
   calls through a key (`return p (x - 1);', jmp sites at -O2) to the
   same and to another key, void tail calls, and a recursion that
   retargets its own key while its frames are live.  */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <static_call.h>
#include "abi-check.h"

/* Void targets.  */
static char trail[64];
static int ticks;

static void note_a (int c) { trail[strlen (trail)] = (char) ('a' + c); }
static void note_b (int c) { trail[strlen (trail)] = (char) ('A' + c); }
static void tick_a (void) { ticks += 1; }
static void tick_b (void) { ticks += 100; }

void (*note) (int) STATIC_CALL (note) = note_a;
void (*tick) (void) STATIC_CALL (tick) = tick_a;

/* Self recursion.  */
static long fact_rec (long n);
static long fact_iter (long n);
long (*fact) (long) STATIC_CALL (fact) = fact_rec;

static long
fact_rec (long n)
{
  return n <= 1 ? 1 : n * fact (n - 1);
}

static long
fact_iter (long n)
{
  long r = 1;
  while (n > 1)
    r *= n--;
  return r;
}

/* Retargets its own key half-way down: the outer frames return
   through the sites being rewritten.  */
static long
fact_switch (long n)
{
  if (n == 6)
    fact = fact_iter;
  return n <= 1 ? 1 : n * fact (n - 1);
}

static int fib_rec (int n);
int (*fib) (int) STATIC_CALL (fib) = fib_rec;

static int
fib_rec (int n)
{
  return n < 2 ? n : fib (n - 1) + fib (n - 2);
}

/* Mutual recursion between two keys.  */
static int even_rec (unsigned n);
static int odd_rec (unsigned n);
int (*is_even) (unsigned) STATIC_CALL (even) = even_rec;
int (*is_odd) (unsigned) STATIC_CALL (odd) = odd_rec;

static int
even_rec (unsigned n)
{
  if (n == 0)
    return 1;
  return is_odd (n - 1);
}

static int
odd_rec (unsigned n)
{
  if (n == 0)
    return 0;
  return is_even (n - 1);
}

/* Tail calls.  */
static long sum_tail (long n, long acc);
long (*sum) (long, long) STATIC_CALL (sum) = sum_tail;

static long
sum_tail (long n, long acc)
{
  if (n == 0)
    return acc;
  return sum (n - 1, acc + n);
}

static long
sum_squares_tail (long n, long acc)
{
  if (n == 0)
    return acc;
  return sum (n - 1, acc + n * n);
}

/* A tail call into another key, with a different signature.  */
static long twice (long x) { return 2 * x; }
long (*finish) (long) STATIC_CALL (finish) = twice;

static long
count_tail (long n, long acc)
{
  if (n == 0)
    return finish (acc);
  return sum (n - 1, acc + 1);
}

/* Void tail recursion.  */
static void walk_rec (int n);
void (*walk) (int) STATIC_CALL (walk) = walk_rec;

static void
walk_rec (int n)
{
  if (n == 0)
    return;
  note (n % 26);
  walk (n - 1);
}

static void
run (int round)
{
  printf ("round %d\n", round);
  memset (trail, 0, sizeof trail);
  ticks = 0;
  for (int i = 0; i < 5; i++)
    {
      note (i);
      tick ();
    }
  printf ("trail = %s\n", trail);
  if (strcmp (trail, round ? "ABCDE" : "abcde"))
    abort ();
  check ("ticks", ticks, round ? 500 : 5);

  check ("fact (20)", fact (20), 2432902008176640000L);
  check ("fib (20)", fib (20), 6765);
  check ("is_even (1001)", is_even (1001), 0);
  check ("is_odd (1001)", is_odd (1001), 1);
  check ("is_even (2000)", is_even (2000), 1);
  check ("sum (10000, 0)", sum (10000, 0),
	 round ? 10000L * 10001 * 20001 / 6 : 10000L * 10001 / 2);
  memset (trail, 0, sizeof trail);
  walk (30);
  printf ("walk = %s\n", trail);
  if (strcmp (trail, round ? "EDCBAZYXWVUTSRQPONMLKJIHGFEDCB"
			   : "edcbazyxwvutsrqponmlkjihgfedcb"))
    abort ();
  check_sites ();
}

int
main (void)
{
  run (0);
  note = note_b;
  tick = tick_b;
  fact = fact_iter;
  sum = sum_squares_tail;
  run (1);

  /* Retargeting during the recursion.  */
  fact = fact_switch;
  check ("fact_switch (15)", fact (15), 1307674368000L);
  if (static_call_query (fact) != fact_iter)
    abort ();
  check ("fact (15)", fact (15), 1307674368000L);
  fact = fact_switch;
  check ("fact_switch (5)", fact (5), 120);
  if (static_call_query (fact) != fact_switch)
    abort ();

  /* Tail call from one key into another.  */
  sum = count_tail;
  check ("count (1000)", sum (1000, 0), 2000);
  finish = fact_iter;
  check ("count (3)", sum (3, 0), 6);
  check_sites ();
  return 0;
}

/* Less common call forms through static calls: a volatile-qualified
   annotated pointer, calls through casts of the pointer (an identity
   cast, a cast to an unprototyped type, and a generic `void (*) (void)'
   key cast back to each target's real type), `(*p) (x)', calls in
   conditional expressions, short-circuit operands, loop conditions and
   increments, calls whose result is unused, calls whose arguments are
   themselves static calls (`p (q (1), p (2))'), and a call through a
   conditional choice of two keys' pointers.  */
#include <stdio.h>
#include <stdlib.h>
#include <static_call.h>
#include "abi-check.h"

static int calls;

static int inc (int x) { calls++; return x + 1; }
static int dbl (int x) { calls++; return x * 2; }
static int sub (int a, int b) { calls++; return a - b; }
static int mul (int a, int b) { calls++; return a * b; }
static long lneg (long x) { return -x; }
static long lsq (long x) { return x * x; }
static double half (double x) { return x / 2; }
static const char *greet (const char *s) { return s + 1; }

int (*volatile vp) (int) STATIC_CALL (vp) = inc;
int (*p) (int, int) STATIC_CALL (p) = sub;
int (*q) (int) STATIC_CALL (q) = dbl;
long (*lp) (long) STATIC_CALL (lp) = lneg;
/* A generic function pointer: each call casts it back to the type of
   the function it holds.  */
void (*gp) (void) STATIC_CALL (gp) = (void (*) (void)) half;

static volatile int v_seven = 7;

static void
run (int round)
{
  int seven = v_seven;
  int i, n;

  printf ("round %d\n", round);
  calls = 0;

  /* The volatile pointer.  */
  check ("vp (seven)", vp (seven), round ? 14 : 8);
  check ("(*vp) (seven)", (*vp) (seven), round ? 14 : 8);

  /* Casts.  */
  check ("((long (*) (long)) lp) (5)", ((long (*) (long)) lp) (5),
	 round ? 25 : -5);
  check ("((long (*) ()) lp) (6L)", ((long (*) ()) lp) (6L),
	 round ? 36 : -6);
  if (round == 0)
    {
      double d = ((double (*) (double)) gp) (seven);
      printf ("gp as double (*) (double) = %g\n", d);
      if (d != 3.5)
	abort ();
    }
  else
    {
      const char *s = ((const char *(*) (const char *)) gp) ("xhello");
      printf ("gp as const char *(*) (const char *) = %s\n", s);
      if (s[0] != 'h')
	abort ();
    }

  /* Conditional expressions and short circuits.  */
  n = seven > 3 ? p (seven, 1) : q (seven);
  check ("cond p", n, round ? 7 : 6);
  n = seven < 3 ? p (seven, 1) : q (seven);
  check ("cond q", n, round ? 8 : 14);
  int before = calls;
  if (q (0) != 0 && p (1, 1) != 1)
    abort ();
  check ("short-circuit calls", calls - before, round ? 2 : 1);
  n = (q (seven) > 10) ? vp (q (seven)) : vp (-q (seven));
  check ("nested cond", n, round ? -16 : 15);

  /* Loops: condition, increment and body.  */
  n = 0;
  for (i = 1; p (i, 50) < p (50, 50); i = q (i))
    n++;
  check ("for iterations", n, round ? 49 : 6);
  check ("for final i", i, round ? 50 : 64);
  n = seven;
  i = 0;
  while (vp (n) < 100)
    {
      n = vp (n);
      i++;
    }
  check ("while iterations", i, round ? 3 : 92);
  do
    n = p (n, 2);
  while (q (n) > 20 && n < 1000);
  check ("do-while final n", n, round ? 1792 : 9);

  /* Results unused.  */
  before = calls;
  vp (1);
  p (2, 3);
  (void) q (4);
  for (i = 0; i < 10; i++)
    vp (i);
  check ("unused-result calls", calls - before, 13);

  /* Arguments that are themselves static calls.  The functions have
     no side effects beyond the count, so evaluation order does not
     change what is printed.  */
  check ("p (q (1), p (2, 3))", p (q (1), p (2, 3)), round ? 12 : 3);
  check ("q (p (vp (3), q (4)))", q (p (vp (3), q (4))), round ? 31 : -8);
  check ("p (p (p (1, 2), p (3, 4)), p (5, 6))",
	 p (p (p (1, 2), p (3, 4)), p (5, 6)), round ? 2 * 12 * 30 : 1);

  /* A call through a choice between two keys' pointers.  */
  int (*pick) (int) = (seven & 1) ? q : vp;
  check ("pick (5)", pick (5), round ? 6 : 10);
  check ("((seven & 2) ? q : vp) (5)", ((seven & 2) ? q : vp) (5),
	 round ? 6 : 10);
  check_sites ();
}

int
main (void)
{
  run (0);
  /* The update macro on the volatile pointer.  */
  if (static_call_update (vp, dbl) != 0)
    abort ();
  p = mul;
  q = inc;
  lp = lsq;
  gp = (void (*) (void)) greet;
  run (1);
  return 0;
}

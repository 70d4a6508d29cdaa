/* _Float16 through static calls: passed and returned in the low part
   of an SSE register, alone and among float and double arguments.
   Apart from float-types.c because GCC 11 has no _Float16 on x86-64:
   there this test is UNSUPPORTED.  Values are exact in binary, so
   results are compared exactly.  */
/* { dg-require-effective-target float16 } */
#include <stdio.h>
#include <stdlib.h>
#include <static_call.h>
#include "abi-check.h"

static _Float16
fh_a (_Float16 a, _Float16 b, float c)
{
  return a * b + (_Float16) c;
}

static _Float16
fh_b (_Float16 a, _Float16 b, float c)
{
  return a - b - (_Float16) c;
}

/* Every argument in its own SSE register, the _Float16s between the
   others.  */
static double
fhm_a (double a, _Float16 b, float c, _Float16 d, double e)
{
  return a + 2 * b + 4 * c + 8 * d + 16 * e;
}

static double
fhm_b (double a, _Float16 b, float c, _Float16 d, double e)
{
  return a - b - c - d - e;
}

_Float16 (*pfh) (_Float16, _Float16, float) STATIC_CALL (fh) = fh_a;
double (*pfhm) (double, _Float16, float, _Float16, double) STATIC_CALL (fhm)
  = fhm_a;

static volatile double v_three = 3.0;

static void
run (int round)
{
  double three = v_three;

  printf ("round %d\n", round);
  check_real ("pfh (1.5, 3, 0.25)", pfh (1.5f16, (_Float16) three, 0.25f),
	      round ? -1.75 : 4.75);
  check_real ("pfhm (1, 0.5, 3, -0.25, 0.125)",
	      pfhm (1, 0.5f16, (float) three, -0.25f16, 0.125),
	      round ? 1 - 0.5 - 3 + 0.25 - 0.125 : 1 + 1 + 12 - 2 + 2);
  check_sites ();
}

int
main (void)
{
  run (0);
  pfh = fh_b;
  pfhm = fhm_b;
  run (1);
  return 0;
}

/* Floating and wide scalar types through static calls: float and
   double (SSE registers), long double (memory, returned on the x87
   stack), __int128 (register pairs), _Complex float, double and long
   double, __float128 (one SSE register), more than eight double
   arguments (stack), and all of them mixed with integers in one call.
   Values are exact in binary, so results are compared exactly.
   _Float16, which GCC 11 lacks on x86-64, is in float16.c.  */
#include <stdio.h>
#include <stdlib.h>
#include <static_call.h>
#include "abi-check.h"

static void
check_d (const char *what, long double got, long double want)
{
  printf ("%s = %.21Lg\n", what, got);
  if (got != want)
    abort ();
}

static void
check_i128 (const char *what, __int128 got, __int128 want)
{
  unsigned __int128 u = (unsigned __int128) got;
  printf ("%s = 0x%016llx%016llx\n", what, (unsigned long long) (u >> 64),
	  (unsigned long long) u);
  if (got != want)
    abort ();
}

static void
check_c (const char *what, _Complex long double got,
	 _Complex long double want)
{
  printf ("%s = %.21Lg%+.21Lgi\n", what, __real__ got, __imag__ got);
  if (got != want)
    abort ();
}

static float ff_a (float a, float b) { return a * b + 0.5f; }
static float ff_b (float a, float b) { return a - b; }

static double fd_a (double a, double b, double c) { return a * b - c; }
static double fd_b (double a, double b, double c) { return a + b + c; }

static long double
fld_a (long double a, long double b)
{
  return a * b;
}

static long double
fld_b (long double a, long double b)
{
  return a / b;
}

static __int128
fi_a (__int128 a, long b, __int128 c)
{
  return a * b + c;
}

static __int128
fi_b (__int128 a, long b, __int128 c)
{
  return a - c - b;
}

static _Complex double
fcd_a (_Complex double a, _Complex double b)
{
  return a * b;
}

static _Complex double
fcd_b (_Complex double a, _Complex double b)
{
  return a - b;
}

static _Complex float
fcf_a (_Complex float a, float s)
{
  return a * s;
}

static _Complex float
fcf_b (_Complex float a, float s)
{
  return a + s;
}

static _Complex long double
fcl_a (_Complex long double a, int k)
{
  return a * k;
}

static _Complex long double
fcl_b (_Complex long double a, int k)
{
  return __builtin_conjl (a) + k;
}

static __float128
fq_a (__float128 a, int k, __float128 b)
{
  return a * k + b;
}

static __float128
fq_b (__float128 a, int k, __float128 b)
{
  return (a - b) / k;
}

/* Ten doubles: the last two on the stack, with an int between them.  */
static double
f10_a (double a, double b, double c, double d, double e, double f,
       double g, double h, int k, double i, double j)
{
  return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h
	 + 9 * i + 10 * j + k;
}

static double
f10_b (double a, double b, double c, double d, double e, double f,
       double g, double h, int k, double i, double j)
{
  return (a - b - c - d - e - f - g - h - i - j) * k;
}

/* Everything at once: integer, SSE, x87 and memory classes.  */
static long double
mix_a (int a, float b, long double c, double d, __int128 e, char f,
       _Complex double g, long double h)
{
  return a + b + c + d + (long double) e + f + __real__ g + __imag__ g + h;
}

static long double
mix_b (int a, float b, long double c, double d, __int128 e, char f,
       _Complex double g, long double h)
{
  return a * b * c * d - (long double) e * f + __real__ g * __imag__ g - h;
}

float (*pff) (float, float) STATIC_CALL (ff) = ff_a;
double (*pfd) (double, double, double) STATIC_CALL (fd) = fd_a;
long double (*pfld) (long double, long double) STATIC_CALL (fld) = fld_a;
__int128 (*pfi) (__int128, long, __int128) STATIC_CALL (fi) = fi_a;
_Complex double (*pfcd) (_Complex double, _Complex double) STATIC_CALL (fcd)
  = fcd_a;
_Complex float (*pfcf) (_Complex float, float) STATIC_CALL (fcf) = fcf_a;
_Complex long double (*pfcl) (_Complex long double, int) STATIC_CALL (fcl)
  = fcl_a;
__float128 (*pfq) (__float128, int, __float128) STATIC_CALL (fq) = fq_a;
double (*pf10) (double, double, double, double, double, double, double,
		double, int, double, double) STATIC_CALL (f10) = f10_a;
long double (*pmix) (int, float, long double, double, __int128, char,
		     _Complex double, long double) STATIC_CALL (mix) = mix_a;

static volatile double v_three = 3.0;

static void
run (int round)
{
  double three = v_three;
  float f3 = (float) three;
  long double l3 = three;
  __int128 big = ((__int128) 0x0123456789abcdefLL << 64) | 0xfedcba98u;
  _Complex double z1 = three + 2.0i, z2 = 0.5 - 1.0i;
  _Complex float zf = f3 - 4.0fi;
  _Complex long double zl = l3 + 0.25Li;

  printf ("round %d\n", round);
  check_d ("pff (3, 1.5)", pff (f3, 1.5f), round ? 1.5f : 5.0f);
  check_d ("pfd (3, 0.25, -1)", pfd (three, 0.25, -1), round ? 2.25 : 1.75);
  check_d ("pfld (3, 2^-70)", pfld (l3, 0x1p-70L),
	   round ? 3 * 0x1p70L : 3 * 0x1p-70L);
  check_i128 ("pfi (big, -3, 5)", pfi (big, -3, 5),
	      round ? big - 5 + 3 : big * -3 + 5);
  check_c ("pfcd (z1, z2)", pfcd (z1, z2),
	   round ? 2.5 + 3.0i : (1.5 + 2.0) + (-3.0 + 1.0) * 1.0i);
  check_c ("pfcf (zf, 0.5)", pfcf (zf, 0.5f),
	   round ? 3.5f - 4.0fi : 1.5f - 2.0fi);
  check_c ("pfcl (zl, -2)", pfcl (zl, -2),
	   round ? 1.0L - 0.25Li : -6.0L - 0.5Li);
  /* 1 + 2^-100 needs more than long double's 64 bits of mantissa.  */
  __float128 fq = pfq (0x1p-101Q, (int) three - 1, 1.0Q);
  printf ("pfq (2^-101, 2, 1) = %g + %g * 2^-100\n", (double) fq,
	  (double) ((fq - (double) fq) * 0x1p100Q));
  if (fq != (round ? (0x1p-101Q - 1) / 2 : 1.0Q + 0x1p-100Q))
    abort ();
  check_d ("pf10 (...)",
	   pf10 (1, 1, 1, 1, 1, 1, 1, 1, -2, three, 0.5),
	   round ? (1 - 7 - 3 - 0.5) * -2 : 36 + 27 + 5 - 2);
  check_d ("pmix (...)",
	   pmix (-1, 0.5f, l3, 0.25, big, -7, z2, 0x1p-64L),
	   round ? mix_b (-1, 0.5f, l3, 0.25, big, -7, z2, 0x1p-64L)
		 : mix_a (-1, 0.5f, l3, 0.25, big, -7, z2, 0x1p-64L));
  check_sites ();
}

int
main (void)
{
  run (0);
  pff = ff_b;
  pfd = fd_b;
  pfld = fld_b;
  pfi = fi_b;
  pfcd = fcd_b;
  pfcf = fcf_b;
  pfcl = fcl_b;
  pfq = fq_b;
  pf10 = f10_b;
  pmix = mix_b;
  run (1);
  return 0;
}

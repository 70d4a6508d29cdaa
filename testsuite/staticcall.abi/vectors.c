/* 16-byte GCC vector types (SSE class, no -mavx) through static calls:
   int, float, double, long long, short and char vectors as arguments
   and return values, more vectors than there are vector argument
   registers (the rest go on the stack), and vectors mixed with integer
   and double arguments.  */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <static_call.h>
#include "abi-check.h"

typedef int v4si __attribute__ ((vector_size (16)));
typedef float v4sf __attribute__ ((vector_size (16)));
typedef double v2df __attribute__ ((vector_size (16)));
typedef long long v2di __attribute__ ((vector_size (16)));
typedef short v8hi __attribute__ ((vector_size (16)));
typedef signed char v16qi __attribute__ ((vector_size (16)));

static void
print_v4si (const char *what, v4si v)
{
  printf ("%s = {%d, %d, %d, %d}\n", what, v[0], v[1], v[2], v[3]);
}

static void
check_v4si (const char *what, v4si got, v4si want)
{
  print_v4si (what, got);
  if (memcmp (&got, &want, sizeof got))
    abort ();
}

static void
check_v4sf (const char *what, v4sf got, v4sf want)
{
  printf ("%s = {%g, %g, %g, %g}\n", what, got[0], got[1], got[2], got[3]);
  if (memcmp (&got, &want, sizeof got))
    abort ();
}

static void
check_v2df (const char *what, v2df got, v2df want)
{
  printf ("%s = {%g, %g}\n", what, got[0], got[1]);
  if (memcmp (&got, &want, sizeof got))
    abort ();
}

static void
check_long (const char *what, long got, long want)
{
  printf ("%s = %ld\n", what, got);
  if (got != want)
    abort ();
}

static v4si si_a (v4si a, v4si b) { return a * b + 1; }
static v4si si_b (v4si a, v4si b) { return a - b; }

static v4sf sf_a (v4sf a, float s) { return a * s; }
static v4sf sf_b (v4sf a, float s) { return a + s; }

static v2df df_a (double x, v2df a, int k, v2df b)
{
  return a * x + b * k;
}

static v2df df_b (double x, v2df a, int k, v2df b)
{
  return (a - b) / x + k;
}

/* Ten vector arguments: eight in %xmm0-7, two on the stack, with
   integer arguments interleaved.  */
static v2di
di_a (v2di a, long i, v2di b, v2di c, v2di d, v2di e, long j, v2di f,
      v2di g, v2di h, v2di k, v2di l)
{
  return a + b * 2 + c * 3 + d * 4 + e * 5 + f * 6 + g * 7 + h * 8
	 + k * 9 + l * 10 + i - j;
}

static v2di
di_b (v2di a, long i, v2di b, v2di c, v2di d, v2di e, long j, v2di f,
      v2di g, v2di h, v2di k, v2di l)
{
  return (a ^ b ^ c ^ d ^ e ^ f ^ g ^ h) - k - l + i * j;
}

/* Narrow lanes: sums of all lanes, returned as a scalar.  */
static long
hi_a (v8hi a, v16qi b)
{
  long s = 0;
  for (int i = 0; i < 8; i++)
    s += a[i] * (i + 1);
  for (int i = 0; i < 16; i++)
    s += b[i];
  return s;
}

static long
hi_b (v8hi a, v16qi b)
{
  return a[0] - a[7] + b[0] - b[15];
}

v4si (*psi) (v4si, v4si) STATIC_CALL (vsi) = si_a;
v4sf (*psf) (v4sf, float) STATIC_CALL (vsf) = sf_a;
v2df (*pdf) (double, v2df, int, v2df) STATIC_CALL (vdf) = df_a;
v2di (*pdi) (v2di, long, v2di, v2di, v2di, v2di, long, v2di, v2di, v2di,
	     v2di, v2di) STATIC_CALL (vdi) = di_a;
long (*phi) (v8hi, v16qi) STATIC_CALL (vhi) = hi_a;

static volatile int v_two = 2;

static void
run (int round)
{
  int two = v_two;
  v4si a = { 1, -2, 3, two }, b = { two, 5, -6, 7 };
  v4sf f = { 0.5f, -1.0f, 2.0f, (float) two };
  v2df d1 = { 1.5, -2.0 }, d2 = { 0.25, two };
  v2di q = { 1, -1 };
  v8hi h = { 1, -2, 3, -4, 5, -6, 7, (short) -30000 };
  v16qi c = { 1, 2, 3, 4, 5, 6, 7, 8, -1, -2, -3, -4, -5, -6, -7, -128 };

  printf ("round %d\n", round);
  check_v4si ("psi (a, b)", psi (a, b),
	      round ? (v4si) { -1, -7, 9, -5 } : (v4si) { 3, -9, -17, 15 });
  check_v4sf ("psf (f, 2)", psf (f, (float) two),
	      round ? (v4sf) { 2.5f, 1.0f, 4.0f, 4.0f }
		    : (v4sf) { 1.0f, -2.0f, 4.0f, 4.0f });
  check_v2df ("pdf (2, d1, -1, d2)", pdf (two, d1, -1, d2),
	      round ? (v2df) { 0.625 - 1, -2.0 - 1 }
		    : (v2df) { 3.0 - 0.25, -4.0 - 2.0 });
  v2di r = pdi (q, 100, q * 2, q * 3, q * 4, q * 5, two, q * 6, q * 7, q * 8,
		q * 9, q * 10);
  printf ("pdi (...) = {%lld, %lld}\n", r[0], r[1]);
  v2di want = round ? ((q ^ q * 2 ^ q * 3 ^ q * 4 ^ q * 5 ^ q * 6 ^ q * 7
			^ q * 8) - q * 19 + 200)
		    : q * 385 + 98;
  if (memcmp (&r, &want, sizeof r))
    abort ();
  check_long ("phi (h, c)", phi (h, c),
	      round ? 1 + 30000 + 1 + 128
		    : 1 - 4 + 9 - 16 + 25 - 36 + 49 - 240000
		      + 36 - 28 - 128);
  check_sites ();
}

int
main (void)
{
  run (0);
  psi = si_b;
  psf = sf_b;
  pdf = df_b;
  pdi = di_b;
  phi = hi_b;
  run (1);
  return 0;
}

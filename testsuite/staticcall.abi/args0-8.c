/* Integer and pointer arguments through static calls: 0 to 10
   arguments (from the 7th on they are passed on the stack), mixed
   char/short/int/long widths, sign and zero extension of narrow
   arguments and return values, pointer arguments and returns, and a
   key of an ms_abi function type (four register arguments, then the
   stack above the 32-byte shadow area).  Every
   key is also retargeted once, so both the first and a patched target
   are called.  */
#include <stdio.h>
#include <stdlib.h>
#include <static_call.h>
#include "abi-check.h"

static int f0a (void) { return 42; }
static int f0b (void) { return -42; }

static long f1a (long a) { return a * 3; }
static long f1b (long a) { return a - 7; }

static int f2a (int a, long b) { return (int) (a * 10 + b); }
static int f2b (int a, long b) { return (int) (a - b); }

/* Narrow arguments: the callee must see the value, not stray bits.  */
static long
f3a (signed char a, short b, int c)
{
  return (long) a * 1000000 + (long) b * 100 + c;
}

static long
f3b (signed char a, short b, int c)
{
  return (long) a + b + c;
}

static unsigned long
f4a (unsigned char a, unsigned short b, unsigned int c, long d)
{
  return a + (unsigned long) b * 256 + (unsigned long) c * 65536 + d;
}

static unsigned long
f4b (unsigned char a, unsigned short b, unsigned int c, long d)
{
  return (unsigned long) a * b + c - d;
}

static long
f5a (long a, int b, short c, char d, long e)
{
  return a * 1 + b * 2 + c * 3 + d * 4 + e * 5;
}

static long
f5b (long a, int b, short c, char d, long e)
{
  return a - b - c - d - e;
}

static long
f6a (long a, long b, long c, long d, long e, long f)
{
  return a * 1 + b * 2 + c * 3 + d * 4 + e * 5 + f * 6;
}

static long
f6b (long a, long b, long c, long d, long e, long f)
{
  return a ^ b ^ c ^ d ^ e ^ f;
}

/* The seventh argument is the first on the stack.  */
static long
f7a (int a, int b, int c, int d, int e, int f, int g)
{
  return a * 1L + b * 2L + c * 3L + d * 4L + e * 5L + f * 6L + g * 7L;
}

static long
f7b (int a, int b, int c, int d, int e, int f, int g)
{
  return (long) g * 1000 + a;
}

/* Pointers mixed with integers, two on the stack.  */
static long
f8a (int *out, long a, const char *s, short b, long *acc, char c,
     signed char d, const int *in)
{
  *out = (int) a + b;
  *acc += c + d + *in;
  return s[0] * 100 + s[1];
}

static long
f8b (int *out, long a, const char *s, short b, long *acc, char c,
     signed char d, const int *in)
{
  *out = (int) (a - b);
  *acc -= c - d - *in;
  return s[2];
}

/* Ten arguments, narrow and negative ones on the stack.  */
static long
f10a (long a, int b, short c, signed char d, long e, int f, short g,
      signed char h, unsigned short i, unsigned char j)
{
  return a * 1 + b * 2 + c * 3 + d * 4 + e * 5 + f * 6 + g * 7 + h * 8
	 + i * 9 + j * 10;
}

static long
f10b (long a, int b, short c, signed char d, long e, int f, short g,
      signed char h, unsigned short i, unsigned char j)
{
  return (long) g * h + (long) i * j - a - b - c - d - e - f;
}

/* Narrow returns: the caller must extend them itself.  */
static signed char rc_a (int x) { return (signed char) (x - 200); }
static signed char rc_b (int x) { return (signed char) -x; }
static unsigned short rs_a (int x) { return (unsigned short) (x * 1000); }
static unsigned short rs_b (int x) { return (unsigned short) -x; }
static _Bool rb_a (long x) { return x > 5; }
static _Bool rb_b (long x) { return x < 5; }

/* The Microsoft x64 convention, chosen by the function type.  */
typedef long __attribute__ ((ms_abi)) ms_fn (long, int, short, long,
					     signed char, long);

static long __attribute__ ((ms_abi))
ms_a (long a, int b, short c, long d, signed char e, long f)
{
  return a * 1 + b * 2 + c * 3 + d * 4 + e * 5 + f * 6;
}

static long __attribute__ ((ms_abi))
ms_b (long a, int b, short c, long d, signed char e, long f)
{
  return a - b - c - d - e - f;
}

static char buf_a[] = "alpha";
static char buf_b[] = "bravo";
static char *rp_a (char *s, long i) { return s + i; }
static char *rp_b (char *s, long i) { (void) s; return buf_b + i; }

int (*p0) (void) STATIC_CALL (k0) = f0a;
long (*p1) (long) STATIC_CALL (k1) = f1a;
int (*p2) (int, long) STATIC_CALL (k2) = f2a;
long (*p3) (signed char, short, int) STATIC_CALL (k3) = f3a;
unsigned long (*p4) (unsigned char, unsigned short, unsigned int, long)
  STATIC_CALL (k4) = f4a;
long (*p5) (long, int, short, char, long) STATIC_CALL (k5) = f5a;
long (*p6) (long, long, long, long, long, long) STATIC_CALL (k6) = f6a;
long (*p7) (int, int, int, int, int, int, int) STATIC_CALL (k7) = f7a;
long (*p8) (int *, long, const char *, short, long *, char, signed char,
	    const int *) STATIC_CALL (k8) = f8a;
long (*p10) (long, int, short, signed char, long, int, short, signed char,
	     unsigned short, unsigned char) STATIC_CALL (k10) = f10a;
signed char (*prc) (int) STATIC_CALL (krc) = rc_a;
unsigned short (*prs) (int) STATIC_CALL (krs) = rs_a;
_Bool (*prb) (long) STATIC_CALL (krb) = rb_a;
char *(*prp) (char *, long) STATIC_CALL (krp) = rp_a;
ms_fn *pms STATIC_CALL (kms) = ms_a;

/* Values the optimiser cannot see through.  */
static volatile long v_neg = -3, v_big = 0x123456789L;

static void
run (int round)
{
  long n = v_neg, big = v_big;
  int out = 0, in = 5;
  long acc = 100;

  printf ("round %d\n", round);
  check ("p0 ()", p0 (), round ? -42 : 42);
  check ("p1 (big)", p1 (big), round ? big - 7 : big * 3);
  check ("p2 (7, n)", p2 (7, n), round ? 10 : 67);
  check ("p3 (-5, -300, n)", p3 (-5, -300, (int) n),
	 round ? -308 : -5030003);
  check ("p4 (200, 60000, 4000000000, n)", p4 (200, 60000, 4000000000u, n),
	 round ? 200UL * 60000 + 4000000000UL + 3
	       : 200 + 60000UL * 256 + 4000000000UL * 65536 - 3);
  check ("p5 (big, -2, -3, -4, n)", p5 (big, -2, -3, -4, n),
	 round ? big + 2 + 3 + 4 + 3 : big - 4 - 9 - 16 - 15);
  check ("p6 (1..5, n)", p6 (1, 2, 3, 4, 5, n),
	 round ? (1 ^ 2 ^ 3 ^ 4 ^ 5 ^ -3L) : 1 + 4 + 9 + 16 + 25 - 18);
  check ("p7 (1..6, n)", p7 (1, 2, 3, 4, 5, 6, (int) n),
	 round ? -2999 : 1 + 4 + 9 + 16 + 25 + 36 - 21);
  check ("p8 (...)", p8 (&out, big, "xyz", -6, &acc, 'a', -9, &in),
	 round ? 'z' : 'x' * 100 + 'y');
  check ("p8 out", out, round ? (int) (big + 6) : (int) big - 6);
  check ("p8 acc", acc, round ? 100 - ('a' + 9 - 5) : 100 + 'a' - 9 + 5);
  check ("p10 (...)",
	 p10 (big, -1, -2, -3, n, -5, -6, -128, 65535, 255),
	 round ? -6L * -128 + 65535L * 255 - big + 1 + 2 + 3 + 3 + 5
	       : big - 2 - 6 - 12 - 15 - 30 - 42 - 1024 + 65535L * 9
		 + 2550);
  check ("prc (n)", prc ((int) n), round ? 3 : 53);
  check ("prs (n)", prs ((int) n), round ? 3 : 62536);
  check ("prb (big)", prb (big), round ? 0 : 1);
  check ("prb (n)", prb (n), round ? 1 : 0);
  check ("prp (buf_a, 2)[0]", *prp (buf_a, 2), round ? 'a' : 'p');
  check ("pms (big, -1, -2, n, -4, 5)", pms (big, -1, -2, n, -4, 5),
	 round ? big + 1 + 2 + 3 + 4 - 5 : big - 2 - 6 - 12 - 20 + 30);
  check_sites ();
}

int
main (void)
{
  run (0);
  p0 = f0b;
  p1 = f1b;
  p2 = f2b;
  p3 = f3b;
  p4 = f4b;
  p5 = f5b;
  p6 = f6b;
  p7 = f7b;
  p8 = f8b;
  p10 = f10b;
  prc = rc_b;
  prs = rs_b;
  prb = rb_b;
  prp = rp_b;
  pms = ms_b;
  run (1);
  return 0;
}

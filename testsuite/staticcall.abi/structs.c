/* Structures by value through static calls, arguments and returns:
   1, 2, 4, 8, 12 and 16 bytes with the eightbyte classes INTEGER, SSE
   and their mixes (int and float in one eightbyte is INTEGER), structs
   that no longer fit the remaining registers (passed whole on the
   stack), large structs (memory class, returned through the hidden
   pointer in %rdi), a struct with a long double (memory class), a
   union of double and long (INTEGER), a packed struct with a misaligned
   member, bit-fields, a float array member, and an empty struct (GNU
   C: takes no register or stack slot).  */
#include <stdio.h>
#include <stdlib.h>
#include <static_call.h>
#include "abi-check.h"

struct s1 { signed char c; };
struct s2 { short s; };
struct s4 { char a, b; short c; };
struct s8m { int i; float f; };			/* INTEGER */
struct s8f { float x, y; };			/* SSE */
struct s12 { float x, y; int k; };		/* SSE, INTEGER */
struct s12f { float x, y, z; };			/* SSE, SSE */
struct s16id { long l; double d; };		/* INTEGER, SSE */
struct s16di { double d; long l; };		/* SSE, INTEGER */
struct s16dd { double a, b; };			/* SSE, SSE */
struct s16ll { long a, b; };			/* INTEGER, INTEGER */
struct s24 { long a, b, c; };			/* MEMORY */
struct s64 { int v[15]; char tag; };		/* MEMORY */
struct sld { long double x; int k; };		/* MEMORY (x87) */
union udl { double d; long l; };		/* INTEGER */
struct __attribute__ ((packed)) spk { char c; long l; };	/* 9 bytes */
struct sbf { unsigned a : 3; int b : 7; unsigned c : 22; long d : 40; };
struct sfa { float f[3]; };			/* SSE, SSE */
struct sempty { };

/* Small ones: each function takes several and returns one.  */
static struct s1
f1_a (struct s1 a, struct s2 b, struct s4 c)
{
  return (struct s1) { (signed char) (a.c + b.s + c.a + c.b + c.c) };
}

static struct s1
f1_b (struct s1 a, struct s2 b, struct s4 c)
{
  return (struct s1) { (signed char) (a.c - b.s - c.c) };
}

static struct s4
f4_a (struct s4 a)
{
  return (struct s4) { a.b, a.a, (short) -a.c };
}

static struct s4
f4_b (struct s4 a)
{
  return (struct s4) { (char) (a.a + 1), (char) (a.b + 1), (short) (a.c + 1) };
}

static struct s8m
f8_a (struct s8m a, struct s8f b)
{
  return (struct s8m) { a.i * 2, a.f + b.x * b.y };
}

static struct s8m
f8_b (struct s8m a, struct s8f b)
{
  return (struct s8m) { -a.i, b.x - b.y };
}

static struct s12
f12_a (struct s12 a, struct s12f b, int n)
{
  return (struct s12) { a.x + b.x, a.y + b.y, a.k + (int) b.z + n };
}

static struct s12
f12_b (struct s12 a, struct s12f b, int n)
{
  return (struct s12) { b.z, a.x, a.k * n };
}

static struct s12f
f12f_a (float x)
{
  return (struct s12f) { x, x * 2, x * 4 };
}

static struct s12f
f12f_b (float x)
{
  return (struct s12f) { -x, 0, x };
}

static struct s16id
f16id_a (struct s16id a, struct s16di b)
{
  return (struct s16id) { a.l + b.l, a.d + b.d };
}

static struct s16id
f16id_b (struct s16id a, struct s16di b)
{
  return (struct s16id) { a.l * b.l, a.d * b.d };
}

static struct s16di
f16di_a (struct s16dd a, struct s16ll b)
{
  return (struct s16di) { a.a - a.b, b.a - b.b };
}

static struct s16di
f16di_b (struct s16dd a, struct s16ll b)
{
  return (struct s16di) { a.a * a.b, b.a * b.b };
}

/* Four 16-byte INTEGER structs need eight registers: the fourth (and
   the third, since a struct is never split) goes on the stack.  */
static struct s16ll
f16ll_a (struct s16ll a, struct s16ll b, struct s16ll c, struct s16ll d,
	 long e)
{
  return (struct s16ll) { a.a + b.a * 2 + c.a * 3 + d.a * 4 + e,
			  a.b + b.b * 2 + c.b * 3 + d.b * 4 - e };
}

static struct s16ll
f16ll_b (struct s16ll a, struct s16ll b, struct s16ll c, struct s16ll d,
	 long e)
{
  return (struct s16ll) { d.a - c.a, b.b - a.b + e };
}

/* Nine SSE eightbytes in 16-byte structs: the fifth struct goes on the
   stack.  */
static double
fdd_a (struct s16dd a, struct s16dd b, struct s16dd c, struct s16dd d,
       struct s16dd e)
{
  return a.a + b.a * 2 + c.a * 3 + d.a * 4 + e.a * 5
	 + a.b - b.b - c.b - d.b - e.b;
}

static double
fdd_b (struct s16dd a, struct s16dd b, struct s16dd c, struct s16dd d,
       struct s16dd e)
{
  return e.a * e.b - a.a * a.b + b.a + c.a + d.a;
}

static struct s24
f24_a (struct s24 a, long k, struct s24 b)
{
  return (struct s24) { a.a + b.a * k, a.b + b.b * k, a.c + b.c * k };
}

static struct s24
f24_b (struct s24 a, long k, struct s24 b)
{
  return (struct s24) { a.c - k, b.b, a.a + b.c };
}

static struct s64
f64_a (int k, struct s64 a)
{
  struct s64 r;
  for (int i = 0; i < 15; i++)
    r.v[i] = a.v[14 - i] * k;
  r.tag = (char) (a.tag + 1);
  return r;
}

static struct s64
f64_b (int k, struct s64 a)
{
  struct s64 r;
  for (int i = 0; i < 15; i++)
    r.v[i] = a.v[i] + k;
  r.tag = 'b';
  return r;
}

static struct sld
fld_a (struct sld a, double s, struct sld b)
{
  return (struct sld) { a.x * s + b.x, a.k - b.k };
}

static struct sld
fld_b (struct sld a, double s, struct sld b)
{
  return (struct sld) { a.x - b.x / s, a.k * b.k };
}

static union udl
fu_a (union udl a, struct spk b, struct sempty e, int k)
{
  (void) e;
  return (union udl) { .l = a.l + b.l * k + b.c };
}

static union udl
fu_b (union udl a, struct spk b, struct sempty e, int k)
{
  (void) e;
  return (union udl) { .l = a.l - b.l - k - b.c };
}

static struct sbf
fbf_a (struct sbf a, struct sfa f)
{
  return (struct sbf) { a.a + 1, a.b - 1, a.c * 2, a.d - (long) f.f[2] };
}

static struct sbf
fbf_b (struct sbf a, struct sfa f)
{
  return (struct sbf) { a.a ^ 7, -a.b, a.c / 2, a.d / (long) f.f[0] };
}

static struct sfa
ffa_a (struct sempty e, struct sfa a, struct sempty e2)
{
  (void) e;
  (void) e2;
  return (struct sfa) { { a.f[2], a.f[1], a.f[0] } };
}

static struct sfa
ffa_b (struct sempty e, struct sfa a, struct sempty e2)
{
  (void) e;
  (void) e2;
  return (struct sfa) { { a.f[0] * 2, a.f[1] * 2, a.f[2] * 2 } };
}

struct s1 (*p1) (struct s1, struct s2, struct s4) STATIC_CALL (s1) = f1_a;
struct s4 (*p4) (struct s4) STATIC_CALL (s4) = f4_a;
struct s8m (*p8) (struct s8m, struct s8f) STATIC_CALL (s8) = f8_a;
struct s12 (*p12) (struct s12, struct s12f, int) STATIC_CALL (s12) = f12_a;
struct s12f (*p12f) (float) STATIC_CALL (s12f) = f12f_a;
struct s16id (*p16id) (struct s16id, struct s16di) STATIC_CALL (s16id)
  = f16id_a;
struct s16di (*p16di) (struct s16dd, struct s16ll) STATIC_CALL (s16di)
  = f16di_a;
struct s16ll (*p16ll) (struct s16ll, struct s16ll, struct s16ll,
		       struct s16ll, long) STATIC_CALL (s16ll) = f16ll_a;
double (*pdd) (struct s16dd, struct s16dd, struct s16dd, struct s16dd,
	       struct s16dd) STATIC_CALL (sdd) = fdd_a;
struct s24 (*p24) (struct s24, long, struct s24) STATIC_CALL (s24) = f24_a;
struct s64 (*p64) (int, struct s64) STATIC_CALL (s64) = f64_a;
struct sld (*pld) (struct sld, double, struct sld) STATIC_CALL (sld) = fld_a;
union udl (*pu) (union udl, struct spk, struct sempty, int) STATIC_CALL (u)
  = fu_a;
struct sbf (*pbf) (struct sbf, struct sfa) STATIC_CALL (bf) = fbf_a;
struct sfa (*pfa) (struct sempty, struct sfa, struct sempty) STATIC_CALL (fa)
  = ffa_a;

static volatile int v_three = 3;

static void
run (int round)
{
  int three = v_three;
  printf ("round %d\n", round);

  struct s1 r1 = p1 ((struct s1) { -100 }, (struct s2) { (short) three },
		     (struct s4) { 4, 5, -6 });
  check_real ("p1", r1.c, round ? -100 - 3 + 6 : -100 + 3 + 4 + 5 - 6);

  struct s4 r4 = p4 ((struct s4) { 'x', 'y', (short) -three });
  check_real ("p4.a", r4.a, round ? 'y' : 'y');
  check_real ("p4.b", r4.b, round ? 'z' : 'x');
  check_real ("p4.c", r4.c, round ? -2 : 3);

  struct s8m r8 = p8 ((struct s8m) { three, 0.5f },
		      (struct s8f) { 2.0f, -0.25f });
  check_real ("p8.i", r8.i, round ? -3 : 6);
  check_real ("p8.f", r8.f, round ? 2.25 : 0.0);

  struct s12 r12 = p12 ((struct s12) { 1.5f, -2.0f, three },
			(struct s12f) { 0.5f, 0.25f, 8.0f }, 10);
  check_real ("p12.x", r12.x, round ? 8.0 : 2.0);
  check_real ("p12.y", r12.y, round ? 1.5 : -1.75);
  check_real ("p12.k", r12.k, round ? 30 : 21);

  struct s12f r12f = p12f ((float) three);
  check_real ("p12f.x", r12f.x, round ? -3 : 3);
  check_real ("p12f.y", r12f.y, round ? 0 : 6);
  check_real ("p12f.z", r12f.z, round ? 3 : 12);

  struct s16id r16id = p16id ((struct s16id) { three, 0.5 },
			      (struct s16di) { 1.25, -7 });
  check_real ("p16id.l", r16id.l, round ? -21 : -4);
  check_real ("p16id.d", r16id.d, round ? 0.625 : 1.75);

  struct s16di r16di = p16di ((struct s16dd) { 4.0, 0.5 },
			      (struct s16ll) { 1L << 40, three });
  check_real ("p16di.d", r16di.d, round ? 2.0 : 3.5);
  check_real ("p16di.l", r16di.l, round ? 3L << 40 : (1L << 40) - 3);

  struct s16ll a = { 1, -1 }, b = { 10, -10 }, c = { 100, -100 },
    d = { 1000, -1000 };
  struct s16ll r16ll = p16ll (a, b, c, d, three);
  check_real ("p16ll.a", r16ll.a, round ? 900 : 4321 + 3);
  check_real ("p16ll.b", r16ll.b, round ? -9 + 3 : -4321 - 3);

  struct s16dd e = { 0.5, 0.25 };
  check_real ("pdd", pdd (e, e, e, e, (struct s16dd) { three, 2.0 }),
	 round ? 6.0 - 0.125 + 1.5 : 0.5 * 10 + 3 * 5 + 0.25 - 0.75 - 2.0);

  struct s24 r24 = p24 ((struct s24) { 1, 2, 3 }, three,
			(struct s24) { -1, -2, -3 });
  check_real ("p24.a", r24.a, round ? 0 : -2);
  check_real ("p24.b", r24.b, round ? -2 : -4);
  check_real ("p24.c", r24.c, round ? -2 : -6);

  struct s64 s;
  for (int i = 0; i < 15; i++)
    s.v[i] = i * three;
  s.tag = 'a';
  struct s64 r64 = p64 (-1, s);
  long sum = 0;
  for (int i = 0; i < 15; i++)
    sum += r64.v[i] * (i + 1);
  check_real ("p64 sum", sum, round ? 3 * 1120 - 120 : -3 * 560);
  check_real ("p64.tag", r64.tag, 'b');

  struct sld rld = pld ((struct sld) { 0x1p-61L, three }, 2.0,
			(struct sld) { 1.0L, 5 });
  printf ("pld.x = %.21Lg\n", rld.x);
  if (rld.x != (round ? 0x1p-61L - 0.5L : 1.0L + 0x1p-60L))
    abort ();
  check_real ("pld.k", rld.k, round ? 15 : -2);

  struct sempty none = { };
  union udl ru = pu ((union udl) { .l = 1000 },
		     (struct spk) { 'A', -(1L << 35) }, none, three);
  check_real ("pu.l", ru.l, round ? 1000 + (1L << 35) - 3 - 'A'
			     : 1000 - 3 * (1L << 35) + 'A');

  struct sbf rbf = pbf ((struct sbf) { 5, -60, 1000000, -(1L << 38) },
			(struct sfa) { { 4.0f, 0.5f, 3.0f } });
  check_real ("pbf.a", rbf.a, round ? 2 : 6);
  check_real ("pbf.b", rbf.b, round ? 60 : -61);
  check_real ("pbf.c", rbf.c, round ? 500000 : 2000000);
  check_real ("pbf.d", rbf.d, round ? -(1L << 36) : -(1L << 38) - 3);

  struct sfa rfa = pfa (none, (struct sfa) { { 1.0f, (float) three, 0.25f } },
			none);
  check_real ("pfa.f[0]", rfa.f[0], round ? 2.0 : 0.25);
  check_real ("pfa.f[1]", rfa.f[1], round ? 6.0 : 3.0);
  check_real ("pfa.f[2]", rfa.f[2], round ? 0.5 : 1.0);
  check_sites ();
}

int
main (void)
{
  run (0);
  p1 = f1_b;
  p4 = f4_b;
  p8 = f8_b;
  p12 = f12_b;
  p12f = f12f_b;
  p16id = f16id_b;
  p16di = f16di_b;
  p16ll = f16ll_b;
  pdd = fdd_b;
  p24 = f24_b;
  p64 = f64_b;
  pld = fld_b;
  pu = fu_b;
  pbf = fbf_b;
  pfa = ffa_b;
  run (1);
  return 0;
}

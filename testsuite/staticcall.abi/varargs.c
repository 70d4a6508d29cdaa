/* Variadic functions through static calls: ints mixed with doubles and
   promoted floats (the caller's %al count of vector registers must
   reach the callee unchanged through a site and a trampoline), more
   doubles than there are vector argument registers, a format-driven
   callee, a va_list passed through a static call, a vprintf-style
   forwarder, a variadic call in tail position (a jmp site at -O2), an
   unprototyped key (the caller sets %al as for a variadic call), an
   ms_abi variadic key, and a C library function (vsnprintf) as the
   target.  */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <static_call.h>
#include "abi-check.h"

/* N pairs of (int, double).  */
static double
pairs_a (int n, ...)
{
  va_list ap;
  double s = 0;
  va_start (ap, n);
  for (int i = 0; i < n; i++)
    {
      int k = va_arg (ap, int);
      double d = va_arg (ap, double);
      s += k * d;
    }
  va_end (ap);
  return s;
}

static double
pairs_b (int n, ...)
{
  va_list ap;
  double s = 0;
  va_start (ap, n);
  for (int i = 0; i < n; i++)
    {
      int k = va_arg (ap, int);
      double d = va_arg (ap, double);
      s += k + d;
    }
  va_end (ap);
  return s;
}

/* Format-driven: i int, l long, d double (float is promoted), s string,
   c char (promoted to int).  */
static long
fmt_a (const char *fmt, ...)
{
  va_list ap;
  long r = 0;
  va_start (ap, fmt);
  for (const char *f = fmt; *f; f++)
    {
      r *= 3;
      switch (*f)
	{
	case 'i': r += va_arg (ap, int); break;
	case 'l': r += va_arg (ap, long); break;
	case 'd': r += (long) (va_arg (ap, double) * 4); break;
	case 's': r += (long) strlen (va_arg (ap, const char *)); break;
	case 'c': r += va_arg (ap, int); break;
	default: abort ();
	}
    }
  va_end (ap);
  return r;
}

static long
fmt_b (const char *fmt, ...)
{
  va_list ap;
  long r = 0;
  va_start (ap, fmt);
  for (const char *f = fmt; *f; f++)
    switch (*f)
      {
      case 'i': r -= va_arg (ap, int); break;
      case 'l': r -= va_arg (ap, long); break;
      case 'd': r -= (long) (va_arg (ap, double) * 8); break;
      case 's': r -= va_arg (ap, const char *)[0]; break;
      case 'c': r -= va_arg (ap, int); break;
      default: abort ();
      }
  va_end (ap);
  return r;
}

/* Takes a va_list: the static call passes it as a pointer.  */
static int
vfmt_a (char *buf, size_t size, const char *fmt, va_list ap)
{
  return vsnprintf (buf, size, fmt, ap);
}

static int
vfmt_b (char *buf, size_t size, const char *fmt, va_list ap)
{
  int n = vsnprintf (buf, size, fmt, ap);
  for (char *p = buf; *p; p++)
    if (*p >= 'a' && *p <= 'z')
      *p -= 'a' - 'A';
  return n;
}

double (*pairs) (int, ...) STATIC_CALL (pairs) = pairs_a;
long (*fmt) (const char *, ...) STATIC_CALL (fmt) = fmt_a;
int (*vfmt) (char *, size_t, const char *, va_list) STATIC_CALL (vfmt)
  = vfmt_a;

/* A printf-style wrapper that forwards its va_list through VFMT.  */
static char line[256];

static int
say (const char *format, ...)
{
  va_list ap;
  va_start (ap, format);
  int n = vfmt (line, sizeof line, format, ap);
  va_end (ap);
  printf ("say: %s\n", line);
  return n;
}

/* A variadic forwarder that is itself the target of a static call.  */
static int
say_twice (const char *format, ...)
{
  va_list ap, ap2;
  va_start (ap, format);
  va_copy (ap2, ap);
  int n = vfmt (line, sizeof line, format, ap);
  printf ("twice 1: %s\n", line);
  n += vfmt (line, sizeof line, format, ap2);
  printf ("twice 2: %s\n", line);
  va_end (ap2);
  va_end (ap);
  return n;
}

int (*sayp) (const char *, ...) STATIC_CALL (say) = say;

/* A variadic call in tail position.  */
static long __attribute__ ((noinline))
tail_fmt (long x, double d)
{
  return fmt ("dlid", d, x, (int) x, d * 2);
}

/* Unprototyped: called like a variadic function.  */
static double proto_a (double x, int k) { return x * k; }
static double proto_b (double x, int k) { return x - k; }
double (*unproto) () STATIC_CALL (unproto) = proto_a;

/* The Microsoft x64 variadic convention: everything in integer slots.  */
static long __attribute__ ((ms_abi))
ms_sum_a (int n, ...)
{
  __builtin_ms_va_list ap;
  long s = 0;
  __builtin_ms_va_start (ap, n);
  for (int i = 0; i < n; i++)
    s += __builtin_va_arg (ap, long) * (i + 1);
  __builtin_ms_va_end (ap);
  return s;
}

static long __attribute__ ((ms_abi))
ms_sum_b (int n, ...)
{
  __builtin_ms_va_list ap;
  long s = 0;
  __builtin_ms_va_start (ap, n);
  for (int i = 0; i < n; i++)
    s -= __builtin_va_arg (ap, long);
  __builtin_ms_va_end (ap);
  return s;
}

long (__attribute__ ((ms_abi)) *ms_sum) (int, ...) STATIC_CALL (ms_sum)
  = ms_sum_a;

static volatile float v_quarter = 0.25f;
static volatile double v_half = 0.5;

static void
run (int round)
{
  float q = v_quarter;
  double h = v_half;
  printf ("round %d\n", round);

  check_real ("pairs (0)", pairs (0), 0);
  check_real ("pairs (1, ...)", pairs (1, 3, h), round ? 3.5 : 1.5);
  check_real ("pairs (4, ...)", pairs (4, 1, h, 2, (double) q, 3, 1.5, 4, 2.0),
	 round ? 1 + 0.5 + 2 + 0.25 + 3 + 1.5 + 4 + 2.0
	       : 0.5 + 0.5 + 4.5 + 8.0);
  /* Ten doubles: two go on the stack, %al is 8.  */
  check_real ("pairs (10, ...)",
	 pairs (10, 1, h, 2, h, 3, h, 4, h, 5, h, 6, h, 7, h, 8, h,
		9, (double) q, 10, (double) q),
	 round ? 55 + 8 * 0.5 + 2 * 0.25 : 36 * 0.5 + 19 * 0.25);

  check_real ("fmt (\"\")", fmt (""), 0);
  check_real ("fmt (\"i\")", fmt ("i", -4), round ? 4 : -4);
  /* Floats are promoted to double by the caller.  */
  check_real ("fmt (\"idldsc\")", fmt ("idldsc", 7, q, 100000000000L, h, "four",
				  'A'),
	 round ? -7 - 2 - 100000000000L - 4 - 'f' - 'A'
	       : ((((7 * 3 + 1) * 3 + 100000000000L) * 3 + 2) * 3 + 4) * 3
		 + 'A');
  /* Nine ints and nine doubles after the format: both register files
     overflow onto the stack.  */
  check_real ("fmt (many)",
	 fmt ("ididididididididid", 1, h, 2, h, 3, h, 4, h, 5, h, 6, h, 7, h,
	      8, h, 9, (double) q),
	 round ? -(45 + 8 * 4 + 2)
	       : (long) fmt_a ("ididididididididid", 1, h, 2, h, 3, h, 4, h,
			       5, h, 6, h, 7, h, 8, h, 9, (double) q));

  check_real ("tail_fmt (5, h)", tail_fmt (5, h),
	 round ? -4 - 5 - 5 - 8 : (((2 * 3 + 5) * 3 + 5) * 3) + 4);
  check_real ("unproto (h, 3)", unproto (h, 3), round ? -2.5 : 1.5);
  check_real ("ms_sum (6, ...)", ms_sum (6, 1L, 2L, 3L, 4L, 5L, -6L),
	 round ? -9 : 1 + 4 + 9 + 16 + 25 - 36);

  int n = say ("%d %s %.2f %c %ld", -12, "str", h, 'z', 1L << 40);
  check_real ("say length", n, (int) strlen (line));
  n = sayp ("%s|%g|%d|%g", "fwd", (double) q, 77, h * 3);
  check_real ("sayp length", n, (round ? 2 : 1) * (int) strlen (line));
  check_sites ();
}

int
main (void)
{
  run (0);
  pairs = pairs_b;
  fmt = fmt_b;
  vfmt = vfmt_b;
  sayp = say_twice;
  unproto = proto_b;
  ms_sum = ms_sum_b;
  run (1);
  /* A C library function as the target (in another object unless the
     program is static, so possibly out of rel32 reach).  */
  vfmt = vsnprintf;
  say ("%s %d", "libc", 3);
  check_sites ();
  return 0;
}

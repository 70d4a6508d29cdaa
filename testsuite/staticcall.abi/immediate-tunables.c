/* Tunables as immediate values, the way a library keeps them: a
   64-bit hash seed and multiplier (movabsq, and values that fit movq's
   sign-extended imm32), shifts, sizes, masks, negative offsets, char
   and short knobs, read in hot loops, in an expression with many live
   values, and widened (sign- or zero-extended) to 64 bits; stored by
   assignment, compound assignment and static_key_update between
   rounds.  In the plugin build each round also checks every site holds
   its variable's value.  A held-out program of issue 12's.  */
/* { sc-levels "-O1 -O3" } */
#include <stdio.h>
#include <stdint.h>
#include <stddef.h>
#include <static_call.h>
#include "abi-check.h"

static uint64_t hash_seed STATIC_IMMEDIATE (hash_seed) = 0x9e3779b97f4a7c15ull;
uint64_t hash_mult STATIC_IMMEDIATE (hash_mult) = 0xff51afd7ed558ccdull;
static unsigned shift STATIC_IMMEDIATE (shift) = 13;
size_t bufsize STATIC_IMMEDIATE (bufsize) = 4096;
static uint32_t mask STATIC_IMMEDIATE (mask) = 0xff00ff00u;
static int offset STATIC_IMMEDIATE (offset) = -12345;
static long loffset STATIC_IMMEDIATE (loffset) = -7;
static unsigned char knob STATIC_IMMEDIATE (knob) = 200;
static signed char sknob STATIC_IMMEDIATE (sknob) = -3;
static short wshort STATIC_IMMEDIATE (wshort) = -30000;
static uint16_t ushort16 STATIC_IMMEDIATE (ushort16) = 65000;
static int8_t i8 STATIC_IMMEDIATE (i8) = -128;

static uint64_t __attribute__ ((noinline))
hash (const unsigned char *p, size_t n)
{
  uint64_t h = hash_seed;
  for (size_t i = 0; i < n; i++)
    {
      h ^= p[i];
      h *= hash_mult;
      h ^= h >> shift;
    }
  return h;
}

static long __attribute__ ((noinline))
many_live (long a, long b, long c, long d)
{
  /* Many values live at once, each tunable read more than once.  */
  long e = a + offset, f = b * knob, g = c ^ mask, h = d - loffset;
  long i = (long) bufsize + sknob, j = wshort * 3L, k = ushort16 + a;
  long l = i8 * b, m = (long) (hash_seed >> 40), n = shift * c;
  for (int r = 0; r < 100; r++)
    {
      e += offset + (r & knob);
      f ^= (long) mask >> (r & 7);
      g += sknob * r + wshort;
      h -= loffset * r + i8;
      i += (long) (bufsize >> shift) + ushort16;
      j ^= (long) (hash_mult & 0xffff) + r;
      k += e ^ f;
      l += g ^ h;
      m += i ^ j;
      n += k + l + m;
    }
  return e + f + g + h + i + j + k + l + m + n;
}

static long __attribute__ ((noinline))
widen (void)
{
  /* Reads sign- and zero-extended to 64 bits.  */
  long a = sknob, b = offset, c = wshort, d = i8;
  unsigned long e = knob, f = ushort16, g = mask;
  long long h = loffset;
  return a * 1 + b * 3 + c * 5 + d * 7 + (long) (e * 11 + f * 13 + g * 17)
	 + h * 19;
}

static void
report (const char *what)
{
  static unsigned char buf[1000];
  for (int i = 0; i < 1000; i++)
    buf[i] = (unsigned char) (i * 7);
  size_t n = bufsize < sizeof buf ? bufsize : sizeof buf;
  printf ("%s: hash=%016llx live=%ld widen=%ld n=%zu sknob=%d i8=%d"
	  " wshort=%d offset=%d\n", what, (unsigned long long) hash (buf, n),
	  many_live (1, 2, 3, 4), widen (), n, sknob, i8, wshort, offset);
  check_sites ();
}

int
main (void)
{
  report ("initial");
  hash_seed = 0x123456789abcdef0ull;
  hash_mult = 5;
  shift = 7;
  bufsize = 100;
  mask = 0xffffffffu;
  offset = -1;
  loffset = -0x80000000L;
  knob = 255;
  sknob = -128;
  wshort = -1;
  ushort16 = 1;
  i8 = 127;
  report ("second");
  hash_seed = 1;
  hash_mult = 0xffffffff80000000ull;
  loffset = 0x7fffffffffffffffL;
  offset = 0x7fffffff;
  knob = 0;
  sknob = 127;
  wshort = 32767;
  ushort16 = 0;
  i8 = -1;
  shift += 3;
  bufsize *= 2;
  report ("third");
  static_key_update (hash_seed, 0xffffffffffffffffull);
  static_key_update (offset, -2147483647 - 1);
  loffset = 0x100000000L;
  report ("fourth");
  return 0;
}

/* Immediate values of 1, 2, 4 and 8 bytes, signed and unsigned, static
   and extern: read in arithmetic, compared, passed, in loops; stored by
   assignment, static_key_update, compound assignment, increments and
   the atomic builtins, with values that need the long forms (64-bit
   values beyond a sign-extended 32 bits, negative narrow values).  In
   the plugin build every site must hold its variable's value.  */
/* { sc-levels "-O1 -O3" } */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <static_call.h>
#include "abi-check.h"

signed char s8 STATIC_IMMEDIATE (s8) = -3;
static unsigned char u8 STATIC_IMMEDIATE (u8) = 250;
short s16 STATIC_IMMEDIATE (s16) = -30000;
static uint16_t u16 STATIC_IMMEDIATE (u16) = 65000;
int s32 STATIC_IMMEDIATE (s32) = -7;
static unsigned u32 STATIC_IMMEDIATE (u32) = 4000000000u;
long s64 STATIC_IMMEDIATE (s64) = -5;
static unsigned long long u64 STATIC_IMMEDIATE (u64) = 0x123456789abcdefull;
static _Bool b STATIC_IMMEDIATE (b) = 1;

static long long __attribute__ ((noinline))
sum (void)
{
  return s8 + u8 + s16 + u16 + s32 + (long long) u32 + s64 + (long long) u64
	 + b;
}

static long long __attribute__ ((noinline))
mixed (long long x)
{
  /* Many immediates live at once: some land in %r8-%r15.  */
  long long a = x * s8, c = x + u8, d = x - s16, e = x ^ u16, f = x * s32;
  long long g = x + u32, h = x - s64, i = x ^ (long long) u64;
  return ((a + c) * (d - e)) ^ ((f + g) * (h - i)) ^ (x >> (u8 & 7));
}

static long long
mixed_plain (long long x, long long vs8, long long vu8, long long vs16,
	     long long vu16, long long vs32, long long vu32, long long vs64,
	     long long vu64)
{
  long long a = x * vs8, c = x + vu8, d = x - vs16, e = x ^ vu16,
	    f = x * vs32;
  long long g = x + vu32, h = x - vs64, i = x ^ vu64;
  return ((a + c) * (d - e)) ^ ((f + g) * (h - i)) ^ (x >> (vu8 & 7));
}

static long long
expect_mixed (long long x)
{
  return mixed_plain (x, s8, u8, s16, u16, s32, u32, s64, (long long) u64);
}

static int __attribute__ ((noinline))
count_to (void)
{
  int n = 0;
  for (int i = 0; i < s32; i++)
    n++;
  return n;
}

static void
round_check (const char *what, long long want_sum)
{
  char name[80];
  snprintf (name, sizeof name, "%s: sum", what);
  check (name, sum (), want_sum);
  snprintf (name, sizeof name, "%s: mixed", what);
  check (name, mixed (12345), expect_mixed (12345));
  check_sites ();
}

int
main (void)
{
  round_check ("initial", -3 + 250 - 30000 + 65000 - 7 + 4000000000LL - 5
			  + 0x123456789abcdefLL + 1);
  s8 = -128;
  u8 = 0;
  s16 = 32767;
  u16 = 1;
  s32 = 10;
  u32 = 0xffffffffu;
  s64 = 0x7ffffff000000000L;
  u64 = 1;
  b = 0;
  round_check ("stored", -128 + 0 + 32767 + 1 + 10 + 0xffffffffLL
			 + 0x7ffffff000000000LL + 1 + 0);
  check ("count_to", count_to (), 10);
  s64 = -1;
  check ("static_key_update", static_key_update (s64, -0x100000000L), 0);
  check ("s64", s64, -0x100000000L);
  s32 += 5;
  s8++;
  u64 <<= 40;
  check ("s32", s32, 15);
  check ("count_to", count_to (), 15);
  check ("s8", s8, -127);
  __atomic_store_n (&u16, 4242, __ATOMIC_RELEASE);
  check ("atomic exchange", __atomic_exchange_n (&s32, -2, __ATOMIC_SEQ_CST),
	 15);
  long want = -0x100000000L;
  check ("cas", __atomic_compare_exchange_n (&s64, &want, 77, 0,
					     __ATOMIC_SEQ_CST,
					     __ATOMIC_SEQ_CST), 1);
  round_check ("atomics", -127 + 0 + 32767 + 4242 - 2 + 0xffffffffLL + 77
			  + (1LL << 40) + 0);
  for (int i = 0; i < 300; i++)
    {
      s32 = i * 1000003;
      u64 = (unsigned long long) i << 33;
      s8 = (signed char) i;
      if (mixed (i) != expect_mixed (i))
	abort ();
    }
  round_check ("after 300 stores", (signed char) 299 + 0 + 32767 + 4242
				   + 299 * 1000003 + 0xffffffffLL + 77
				   + (299LL << 33) + 0);
  return 0;
}

/* Every read of an immediate value is one site: a load of the variable
   (movzbl, movzwl, movl, movq) padded in front with 0x2e prefixes to
   the length of `mov $imm, %reg' (5 bytes, 6 for %r8d-%r15d, 10 for
   movabs), one instruction of the length its record gives, in one
   64-byte line: for signed and unsigned variables of 1, 2, 4 and 8
   bytes, into low and high registers.  Stores go to the runtime.  */
/* { dg-do assemble } */
#include <static_call.h>

signed char s8 STATIC_IMMEDIATE (k_s8);
unsigned char u8 STATIC_IMMEDIATE (k_u8);
short s16 STATIC_IMMEDIATE (k_s16);
unsigned short u16 STATIC_IMMEDIATE (k_u16);
int s32 STATIC_IMMEDIATE (k_s32);
static unsigned u32 STATIC_IMMEDIATE (k_u32) = 7;
long s64 STATIC_IMMEDIATE (k_s64);
extern unsigned long long u64 STATIC_IMMEDIATE (k_u64);
unsigned long long u64 = 1ull << 40;

#define NOINLINE __attribute__ ((noinline, noclone))

NOINLINE long r_s8 (void) { return s8; }
NOINLINE unsigned long r_u8 (void) { return u8; }
NOINLINE long r_s16 (void) { return s16; }
NOINLINE unsigned long r_u16 (void) { return u16; }
NOINLINE long r_s32 (void) { return s32; }
NOINLINE unsigned long r_u32 (void) { return u32; }
NOINLINE long r_s64 (void) { return s64; }
NOINLINE unsigned long long r_u64 (void) { return u64; }

/* Into %r8-%r15: the asm needs each value in its own register.  */
#define IN(reg, v) ({ register __typeof__ (v) _r asm (reg) = (v); \
		      __asm__ volatile ("" : "+r" (_r)); _r; })
NOINLINE long
high (void)
{
  long sum = IN ("r8", s8) + IN ("r9", u16) + IN ("r10", s32);
  sum += IN ("r11", s64) + IN ("r12", u8) + IN ("r13", s16);
  sum += IN ("r14", u32) + (long) IN ("r15", u64);
  return sum;
}

NOINLINE void w_s8 (signed char v) { s8 = v; }
NOINLINE void w_u64 (unsigned long long v) { u64 = v; }

/* { dg-final { value-sites-ok 16 0 } } */
/* { dg-final { imm-sites-ok { 6 7 8 10 } 8 } } */
/* { dg-final { scan-assembler-times "__static_call_update_value" 2 } } */
/* { dg-final { scan-assembler "\\.byte\t0x2e\n(\t\\.byte\t0x2e\n)*\t\\{disp32\\} movq\t" } } */
/* { dg-final { unit-version 4 } } */

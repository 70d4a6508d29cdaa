/* static_call_return0 cast to pointers of functions returning int,
   long, unsigned char, _Bool, an enum and a pointer, called with and
   without arguments, in expressions, as a tail call, and switched with
   real targets.  The plugin makes each non-tail site clear %rax; the
   plain build calls the function.  */
/* { sc-levels "-O1 -O3" } */
#include <stdio.h>
#include <stdlib.h>
#include <static_call.h>
#include "abi-check.h"

enum colour { NONE, RED, GREEN };

static int i_seven (int x) { return 7 + 0 * x; }
static long l_big (long a, long b) { return a * b + (1L << 40); }
static unsigned char uc_max (void) { return 255; }
static _Bool b_true (void) { return 1; }
static enum colour e_green (void) { return GREEN; }
static const char *p_hello (void) { return "hello"; }

int (*ip) (int) STATIC_CALL (r0_int) = i_seven;
long (*lp) (long, long) STATIC_CALL (r0_long) = l_big;
unsigned char (*ucp) (void) STATIC_CALL (r0_uchar) = uc_max;
_Bool (*bp) (void) STATIC_CALL (r0_bool) = b_true;
enum colour (*ep) (void) STATIC_CALL (r0_enum) = e_green;
const char *(*pp) (void) STATIC_CALL (r0_ptr) = p_hello;

static volatile int v_three = 3;

__attribute__ ((noinline)) long use_all (int x)
{
  long r = ip (x) * 10;
  r += lp (x, x + 1) % 1000003;
  r += ucp ();
  r += bp () ? 1 : 2;
  r += ep () == GREEN ? 30 : ep () == NONE ? 40 : 50;
  const char *s = pp ();
  r += s ? s[0] : -1;
  return r;
}
__attribute__ ((noinline)) long tail_long (int x) { return lp (x, x); }
__attribute__ ((noinline)) int tail_int (int x) { return ip (x); }

static void
all_return0 (void)
{
  ip = (int (*) (int)) static_call_return0;
  static_call_update (lp, (long (*) (long, long)) static_call_return0);
  ucp = (unsigned char (*) (void)) static_call_return0;
  bp = (_Bool (*) (void)) static_call_return0;
  ep = (enum colour (*) (void)) static_call_return0;
  pp = (const char *(*) (void)) static_call_return0;
}

int
main (void)
{
  int x = v_three;
  check ("real targets", use_all (x), 70 + ((12L + (1L << 40)) % 1000003)
	 + 255 + 1 + 30 + 'h');
  all_return0 ();
  check_sites ();
  check ("return0", use_all (x), 0 + 0 + 0 + 2 + 40 - 1);
  check ("return0 tail long", tail_long (x), 0);
  check ("return0 tail int", tail_int (x), 0);
  printf ("query: %d\n",
	  static_call_query (ip) == (int (*) (int)) static_call_return0);
  ip = i_seven;
  bp = b_true;
  check ("some back", use_all (x), 70 + 0 + 0 + 1 + 40 - 1);
  check ("tail back", tail_int (x), 7);
  all_return0 ();
  for (int i = 0; i < 100; i++)
    {
      ip = i % 2 ? i_seven : (int (*) (int)) static_call_return0;
      if (tail_int (x) != (i % 2 ? 7 : 0) || ip (x) != (i % 2 ? 7 : 0))
	abort ();
    }
  check_sites ();
  return 0;
}

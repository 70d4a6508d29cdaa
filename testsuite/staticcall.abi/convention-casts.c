/* Calls through a cast that changes the calling convention: a sysv_abi
   key called through an ms_abi function type and an ms_abi key called
   through a sysv_abi type, each holding a function of the call's type
   (valid C).  GCC passes arguments by the convention of the callee's
   declaration, so such a call needs a trampoline declared with the
   call's type; with the key's own, the arguments went to the wrong
   registers.  Five integer arguments (four in registers then the
   stack for ms_abi, all in registers for sysv), doubles (xmm0-3 for
   both, but shadow space and different callee-saved registers), calls
   in tail position, and calls of both conventions next to each other.  */
#include <stdio.h>
#include <stdlib.h>
#include <static_call.h>
#include "abi-check.h"

#define MS __attribute__ ((ms_abi))
#define SYSV __attribute__ ((sysv_abi))

typedef long (*sysv5) (long, long, long, long, long);
typedef long (MS *ms5) (long, long, long, long, long);
typedef double (MS *msd) (double, long, double, long, double);

static long sv_lin (long a, long b, long c, long d, long e)
{ return a + b * 2 + c * 3 + d * 4 + e * 5; }
static MS long ms_lin (long a, long b, long c, long d, long e)
{ return a * 5 + b * 4 + c * 3 + d * 2 + e; }
static MS double ms_mix (double a, long b, double c, long d, double e)
{ return a * b + c * d + e; }

static sysv5 sp STATIC_CALL (conv_sysv) = sv_lin;
static ms5 mp STATIC_CALL (conv_ms) = ms_lin;

__attribute__ ((noinline)) static long
as_ms (long x)
{
  return ((ms5) sp) (x, 2, 3, 4, 5);		/* tail call */
}

__attribute__ ((noinline)) static long
as_sysv (long x)
{
  return ((sysv5) mp) (x, 2, 3, 4, 5);		/* tail call */
}

int
main (void)
{
  check_real ("sysv key, own type", sp (1, 2, 3, 4, 5), 55);
  check_real ("ms key, own type", mp (1, 2, 3, 4, 5), 35);
  sp = (sysv5) (ms5) ms_lin;
  check_real ("sysv key through ms cast", as_ms (1), 35);
  mp = (ms5) sv_lin;
  check_real ("ms key through sysv cast", as_sysv (1), 55);
  sp = (sysv5) sv_lin;
  check_real ("sysv key, own type again", sp (1, 1, 1, 1, 1), 15);
  sp = (sysv5) ms_mix;
  check_real ("sysv key through ms cast, doubles",
	 ((msd) sp) (1.5, 2, 2.5, 2, 0.25), 8.25);
  mp = ms_lin;
  sp = (sysv5) sv_lin;
  check_real ("mixed in one function", sp (2, 1, 1, 1, 1) + mp (2, 1, 1, 1, 1), 36);
  check_sites ();
  return 0;
}

/* Guarded calls `if (p) p (args);' (conditional sites) with the pointer
   NULL and not, switching between them by assignment and by
   static_call_update: with arguments in registers and on the stack, as
   a sibling call, with `!= NULL', `== NULL' and through a cast, with
   arguments the arm computes, a static pointer, and, next to them,
   guards that stay a test: an else arm, a used value, more statements
   in the arm, another pointer tested.  */
/* { sc-levels "-O1 -O3" } */
#include <stdio.h>
#include <stdlib.h>
#include <static_call.h>
#include "abi-check.h"

static long acc;
static void add (long x) { acc += x; }
static void sub (long x) { acc -= x; }
static void add8 (long a, long b, long c, long d, long e, long f, long g,
		  long h)
{
  acc += a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h;
}
static int twice (int x) { acc += 2 * x; return 2 * x; }

void (*hook) (long) STATIC_CALL (cc_hook);
void (*hook8) (long, long, long, long, long, long, long, long)
  STATIC_CALL (cc_hook8) = add8;
static void (*shook) (long) STATIC_CALL (cc_shook);
int (*ihook) (int) STATIC_CALL (cc_ihook);
void (*other) (long) STATIC_CALL (cc_other) = add;

static volatile long v_seven = 7;
long global_arg = 3;

__attribute__ ((noinline)) void g_plain (long x) { if (hook) hook (x); acc++; }
__attribute__ ((noinline)) void g_tail (long x) { if (hook != NULL) hook (x); }
__attribute__ ((noinline)) void g_eq (long x) { if (hook == NULL) return; hook (x); }
__attribute__ ((noinline)) void g_cast (long x) { if ((long) hook) hook (x * 3 + 1); }
__attribute__ ((noinline)) void g_global (void) { if (hook) hook (global_arg); }
__attribute__ ((noinline)) void g_static (long x) { if (shook) shook (x); }
__attribute__ ((noinline)) void
g_stack (long x)
{
  if (hook8)
    hook8 (x, x + 1, x + 2, x + 3, x + 4, x + 5, x + 6, x + 7);
}
__attribute__ ((noinline)) void
g_ms_abi_cast (long x)
{
  /* Called through a cast: still the pointer's load.  */
  if (hook)
    ((void (*) (long)) hook) (x);
}

/* These stay a test and a site.  */
__attribute__ ((noinline)) void s_else (long x) { if (hook) hook (x); else acc += 1000; }
__attribute__ ((noinline)) int s_value (int x) { int r = 0; if (ihook) r = ihook (x); return r; }
__attribute__ ((noinline)) void s_more (long x) { if (hook) { hook (x); acc += 100; } }
__attribute__ ((noinline)) void s_other (long x) { if (other) hook (x); }

static void
run_all (const char *when, long expect_scale)
{
  long x = v_seven;
  acc = 0;
  g_plain (x);
  g_tail (x);
  g_eq (x);
  g_cast (x);
  g_global ();
  g_ms_abi_cast (x);
  s_else (x);
  s_more (x);
  if (hook)
    s_other (x);
  printf ("%s: %ld\n", when, acc);
  (void) expect_scale;
}

int
main (void)
{
  run_all ("NULL", 0);
  check_sites ();
  hook = add;
  run_all ("add", 1);
  check_sites ();
  static_call_update (hook, sub);
  run_all ("sub", -1);
  hook = NULL;
  run_all ("NULL again", 0);
  check_sites ();
  static_call_update (hook, add);
  run_all ("add again", 1);

  acc = 0;
  g_stack (1);
  check ("stack arguments", acc, 1 * 1 + 2 * 2 + 3 * 3 + 4 * 4 + 5 * 5
	 + 6 * 6 + 7 * 7 + 8 * 8);
  hook8 = NULL;
  g_stack (1);
  check ("stack arguments, NULL", acc, 204);
  hook8 = add8;
  g_stack (0);
  check ("stack arguments again", acc, 204 + 168);

  acc = 0;
  g_static (5);
  check ("static NULL", acc, 0);
  shook = sub;
  g_static (5);
  check ("static sub", acc, -5);
  static_call_update (shook, NULL);
  g_static (5);
  check ("static NULL again", acc, -5);

  acc = 0;
  check ("value, NULL", s_value (4), 0);
  ihook = twice;
  check ("value, twice", s_value (4), 8);
  check ("value's side", acc, 8);
  check_sites ();
  return 0;
}

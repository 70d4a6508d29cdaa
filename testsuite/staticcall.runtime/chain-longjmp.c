/* A program's SIGTRAP handler that leaves by siglongjmp (a debugger-
   presence probe, a test harness) keeps getting every trap that is not
   the runtime's, however many times it jumps out.  */
#include <setjmp.h>

#include "sc-test.h"

static int one (void) { return 1; }
static int two (void) { return 2; }
int (*g) (void) STATIC_CALL (chain_longjmp) = one;

static sigjmp_buf env;

static void
on_trap (int sig)
{
  siglongjmp (env, 1);
}

static int
probe (void)
{
  if (sigsetjmp (env, 1) == 0)
    {
      __asm__ volatile ("int3");
      return 0;
    }
  return 1;
}

int
main (void)
{
  signal (SIGTRAP, on_trap);
  CHECK (probe () == 1);
  /* The batch puts the runtime's handler on top; it chains to on_trap.  */
  static_call_update (g, two);
  for (int i = 0; i < 5; i++)
    CHECK (probe () == 1);
  CHECK (g () == 2);
  static_call_update (g, one);
  CHECK (probe () == 1);
  CHECK (g () == 1);
  return 0;
}

/* A test of a key whose outcome GCC knows on one path: after
   `if (level && level >= 2) emit (s);' the following `level ? 1 : 2'
   is known true on the path through emit (GCC hoisted the load of
   LEVEL, which emit does not change), so the site's out-of-line test
   folds into a jump straight to its taken block.  The site is then
   `jmp taken' as compiled, and its jump form is the same bytes.
   While LEVEL is non-zero static_call_for_each_site must report such
   a site STATIC_CALL_SITE_JUMP (it once said _UNPATCHED, and
   check_sites aborted at -O2 and -O3).  */
/* { sc-levels "-O1 -O3" } */
#include <stdio.h>
#include <static_call.h>
#include "abi-check.h"

int level STATIC_KEY (level);
static long lines;

static void __attribute__ ((noinline))
emit (long x)
{
  lines += x;
}

static long __attribute__ ((noinline))
work (int n)
{
  long s = 0;
  for (int i = 0; i < n; i++)
    {
      s += i;
      if (level && level >= 2)
	emit (s);
      s += level ? 1 : 2;
    }
  return s;
}

int
main (void)
{
  check ("off", work (10), 65);
  check ("off lines", lines, 0);
  check_sites ();
  level = 3;
  check ("on", work (10), 55);
  check ("on lines", lines, 210);
  check_sites ();
  level = 1;
  check ("level 1", work (10), 55);
  check ("level 1 lines", lines, 210);
  check_sites ();
  level = 0;
  check ("off again", work (10), 65);
  check_sites ();
  return 0;
}

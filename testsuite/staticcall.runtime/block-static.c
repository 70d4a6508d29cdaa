/* Block-scope static pointers are separate variables, even when they
   share a name with each other or with a file-scope pointer: each has
   its own key, trampoline and target.  */
#include "sc-test.h"

static int one (void) { return 1; }
static int two (void) { return 2; }
static int three (void) { return 3; }

static int (*p) (void) STATIC_CALL (file_p) = one;

__attribute__ ((noinline)) static int
a (int (*set) (void))
{
  static int (*p) (void) STATIC_CALL (a_p) = two;
  if (set)
    p = set;
  return p ();
}

__attribute__ ((noinline)) static int
b (int (*set) (void))
{
  static int (*p) (void) STATIC_CALL (b_p) = three;
  if (set)
    static_call_update (p, set);
  return p ();
}

int
main (void)
{
  CHECK (p () == 1 && a (NULL) == 2 && b (NULL) == 3);
  CHECK (a (three) == 3);
  CHECK (p () == 1 && a (NULL) == 3 && b (NULL) == 3);
  CHECK (b (one) == 1);
  CHECK (p () == 1 && a (NULL) == 3 && b (NULL) == 1);
  p = two;
  CHECK (p () == 2 && a (NULL) == 3 && b (NULL) == 1);
  return 0;
}

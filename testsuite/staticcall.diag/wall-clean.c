/* The header's macros are clean under -Wall -Wextra.  */
/* { dg-do compile } */
/* { dg-options "-Wall -Wextra" } */
#include <static_call.h>
static int f (int x) { return x; }
static int g (int x) { return -x; }
int (*p) (int) STATIC_CALL (k) = f;
int
use (void)
{
  int r = static_call_update (p, g);
  return r + (static_call_query (p) == g);
}

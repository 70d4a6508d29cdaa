/* The plugin loaded twice, from two files: an error, not a crash.
   diag.exp compiles this file alone with a second -fplugin naming a
   copy of the plugin.  */
/* { dg-do compile } */
/* { dg-error "the staticcall plugin is loaded more than once" "" { target *-*-* } 0 } */
#include <static_call.h>
static int f (int x) { return x; }
static int g (int x) { return -x; }
int (*p) (int) STATIC_CALL (k) = f;
int
use (void)
{
  int r = static_call_update (p, g);
  return r + p (1);
}

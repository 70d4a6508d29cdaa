/* Verbose notes point at the user's line, not inside the header's
   static_call_update macro.  */
/* { dg-do compile } */
/* { dg-options "-fplugin-arg-staticcall-verbose" } */
#include <static_call.h>
static int one (void) { return 1; }
static int two (void) { return 2; }
int (*get) (void) STATIC_CALL (getter) = one;
int
use (void)
{
  return static_call_update (get, two); /* { dg-message "assignment to 'get' retargets static call key 'getter'" } */
}

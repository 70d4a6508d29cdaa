/* static_call_update checks the function's type at compile time; NULL
   is accepted.  The error is reported inside the macro, with a note on
   the line that used it.  */
/* { dg-do compile } */
#include <static_call.h>
#include <stddef.h>
static int takes_int (int x) { return x; }
static long takes_long (long x) { return x; }
int (*op) (int) STATIC_CALL (op) = takes_int;
int
use (void)
{
  int r = static_call_update (op, takes_int);
  r += static_call_update (op, NULL);
  r += static_call_update (op, takes_long); /* { dg-message "in expansion of macro 'static_call_update'" } */
  r += static_call_update (op, 42); /* { dg-message "in expansion of macro 'static_call_update'" } */
  return r;
}
/* { dg-error "error: initialization of 'int \\(\\*\\)\\(int\\)' from incompatible pointer type 'long int \\(\\*\\)\\(long int\\)'" "" { target *-*-* } 0 } */
/* { dg-error "error: initialization of 'int \\(\\*\\)\\(int\\)' from 'int' makes pointer from integer" "" { target *-*-* } 0 } */
/* { dg-prune-output "some warnings being treated as errors" } */

/* The third unit of startup-batch.c.  */
#include <static_call.h>

extern int (*startup_op) (int) STATIC_CALL (startup_op);

__attribute__ ((noinline)) int
call_c (int x)
{
  return startup_op (x);
}

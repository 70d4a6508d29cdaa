/* The second unit of startup-batch.c.  */
#include <static_call.h>

extern int (*startup_op) (int) STATIC_CALL (startup_op);

__attribute__ ((noinline)) int
call_b (int x)
{
  /* Unlike call_a and the other: no -flto link may fold them.  */
  return startup_op (x + 10) - 10;
}

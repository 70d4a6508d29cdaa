/* The first unit of the module of startup-batch.c.  */
#include <static_call.h>

extern int (*startup_op) (int) STATIC_CALL (startup_op);

__attribute__ ((noinline)) int
mod_a_call (int x)
{
  return startup_op (x);
}

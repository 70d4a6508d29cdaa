/* Module for dlclose.c: its sites call the executable's key.  */
#include <static_call.h>

extern int (*shared_op) (int) STATIC_CALL (shared_op);

int
mod_call (int x)
{
  return shared_op (x) + 0 * shared_op (0);
}

int
mod_tail (int x)
{
  return shared_op (x);
}

/* Module of value-dlopen.c: sites of the executable's static key and
   immediate value, and a key and an immediate of its own.  */
#include <static_call.h>

extern _Bool shared_on STATIC_KEY (shared_on);
extern long shared_base STATIC_IMMEDIATE (shared_base);
static int own_on STATIC_KEY (own_on);
static unsigned own_scale STATIC_IMMEDIATE (own_scale) = 7;

long
mod_read (long x)
{
  long r = x + shared_base;
  if (shared_on)
    r = -r;
  if (own_on)
    r *= own_scale;
  return r;
}

void
mod_set_own (int on, unsigned scale)
{
  own_on = on;
  own_scale = scale;
}

/* A shared library that uses a static call internally, for the lookup
   order check in shared.exp: the executable that loads it may or may
   not link libstaticcall itself.  */
#include <static_call.h>

static long plus1 (long x) { return x + 1; }
static long plus2 (long x) { return x + 2; }
static long (*op) (long) STATIC_CALL (lookup_order) = plus1;

long
lookup_call (long x)
{
  return op (x);
}

void
lookup_switch (void)
{
  op = plus2;
}

/* Static annotated pointers, each called from several functions, some
   never assigned: with LTO and one partition per function (abi.exp's
   last variant) a pointer and its sites end up in different
   partitions.  The sites' trampolines and key records refer to the
   pointer in assembly the partitioner does not see, so it was left a
   local symbol of its own partition: `undefined reference'.  */
#include <stdio.h>
#include <stdlib.h>
#include <static_call.h>
#include "abi-check.h"

static long add1 (long x) { return x + 1; }
static long add2 (long x) { return x + 2; }

#define POINTER(n)							\
  static long (*sp##n) (long) STATIC_CALL (static_pointer_##n) = add1;	\
  __attribute__ ((noinline)) long use##n##a (long x)			\
  { return sp##n (x) * n; }						\
  __attribute__ ((noinline)) long use##n##b (long x)			\
  { return sp##n (x) + n; }
POINTER (1) POINTER (2) POINTER (3) POINTER (4)

int
main (void)
{
  check ("use1a", use1a (1), 2);
  check ("use2b", use2b (1), 4);
  check ("use3a", use3a (1), 6);
  check ("use4b", use4b (1), 6);
  sp4 = add2;
  check ("use4a", use4a (1), 12);
  check ("use4b after update", use4b (1), 7);
  check_sites ();
  return 0;
}

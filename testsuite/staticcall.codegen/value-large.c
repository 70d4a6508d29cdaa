/* -mcmodel=large: a variable is reached through a 64-bit address; its
   branch sites stay e9 rel32 in one line, its immediate sites one load
   of the recorded length (9 bytes for a load through the GOT base and
   an index).  The calls are indirect, out of value-branch-path's
   reach.  */
/* { dg-do assemble } */
/* { dg-options "-mcmodel=large" } */
#include <static_call.h>

_Bool on STATIC_KEY (k_on);
extern int level STATIC_IMMEDIATE (k_level);
static long local STATIC_IMMEDIATE (k_local);
__attribute__ ((visibility ("hidden"))) unsigned char hid STATIC_IMMEDIATE (k_hid);

extern void trace (int);

long
f (int x)
{
  if (on)
    trace (x);
  return level + local + hid;
}

/* { dg-final { value-sites-ok 4 1 } } */
/* { dg-final { imm-sites-ok { 6 7 8 9 10 } } } */


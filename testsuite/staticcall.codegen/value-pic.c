/* -fPIC: a preemptible variable is reached through the GOT; its branch
   sites stay e9 rel32 in one line, its immediate sites one load of the
   recorded length.  */
/* { dg-do assemble } */
/* { dg-options "-fPIC" } */
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
/* { dg-final { imm-sites-ok { 6 7 8 10 } } } */
/* { dg-final { value-branch-path f ret trace } } */
/* { dg-final { scan-assembler "level@GOTPCREL\\(%rip\\)" } } */

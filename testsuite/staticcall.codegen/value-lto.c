/* -flto: the sites are made at link time (a relocatable link, so that
   the object checks can read the result).  */
/* { dg-do link } */
/* { dg-options "-flto -r -nostdlib -flinker-output=nolto-rel" } */
/* { dg-prune-output "is valid for LTO but not for C" } */
#include <static_call.h>

_Bool on STATIC_KEY (k_on);
int level STATIC_IMMEDIATE (k_level);

extern void trace (int);

__attribute__ ((noinline)) int
f (int x)
{
  if (on)
    trace (x);
  return level;
}

/* { dg-final { value-sites-ok 2 1 } } */
/* { dg-final { unit-version 4 } } */
/* { dg-final { value-branch-path f ret trace } } */

/* __STATICCALL__ is defined for the compiled source, also when the
   preprocessor runs on its own (-save-temps) and with -g3, which records
   every macro definition in the debug info.  */
/* { dg-do link } */
/* { dg-options "-g3 -save-temps" } */
#include <static_call.h>

#ifndef __STATICCALL__
#error "__STATICCALL__ is not defined with the plugin"
#endif

static int one (void) { return 1; }
int (*get) (void) STATIC_CALL (feature) = one;

int
main (void)
{
  return get () == 1 ? 0 : 1;
}

/* { dg-final { sites-ok 1 } } */

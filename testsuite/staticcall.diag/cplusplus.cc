// The plugin works on C only: in C++ the attribute is an error, and
// <static_call.h> gives plain function pointers.
// { dg-do compile }
#include <static_call.h>
#ifdef __STATICCALL__
#error "__STATICCALL__ is for C units"
#endif
static int one () { return 1; }
int (*p) () STATIC_CALL (k) = one;
int (*q) () __attribute__ ((static_call (kq))) = one; // { dg-error "'static_call' attribute is supported in C only" }
int call () { return p () + q (); }

/* The layout of a branch site: the path the key's hint expects falls
   through the site (its NOP) and reads no variable; the other is the
   site's jump.  Without a hint that is the false path, as with
   `__builtin_expect (v, 0)'; `__builtin_expect (v, 1)' inverts it.  At
   -O2 and -O3 the expected path is laid out right after the site, with
   no jump.  */
/* { dg-do assemble } */
#include <static_call.h>

_Bool on STATIC_KEY (k_on);
int level STATIC_KEY (k_level);

extern void hot (int);
extern void cold (int);
extern void done (void);
extern void fatal (int) __attribute__ ((noreturn));

#define NOINLINE __attribute__ ((noinline, noclone))

NOINLINE void plain (int x) { if (on) cold (x); hot (x); }
NOINLINE void negated (int x) { if (!level) cold (x); else hot (x); }
NOINLINE void unlikely (int x) { if (__builtin_expect (level, 0)) cold (x); hot (x); }
NOINLINE void likely (int x) { if (__builtin_expect (on, 1)) hot (x); else cold (x); }
NOINLINE void likely_not (int x) { if (__builtin_expect (!level, 1)) hot (x); else cold (x); }
NOINLINE void tail (int x) { if (on) { cold (x); return; } hot (x); done (); }
/* Against GCC's own guess (a path to a noreturn function is unlikely):
   the false path is still the one that falls through.  */
NOINLINE void against (int x) { if (on) cold (x); else fatal (x); }

/* { dg-final { value-sites-ok 7 7 } } */
/* { dg-final { value-branch-path plain hot cold 0 } } */
/* { dg-final { value-branch-path negated cold hot 0 } } */
/* { dg-final { value-branch-path unlikely hot cold 0 } } */
/* { dg-final { value-branch-path likely hot cold 0 } } */
/* { dg-final { value-branch-path likely_not hot cold 0 } } */
/* { dg-final { value-branch-path tail hot cold 0 } } */
/* { dg-final { value-branch-path against fatal cold 0 } } */
/* One inverted site: likely (likely_not expects the key false).  */
/* { dg-final { scan-assembler-times "\t\\.long\t\\.LSCVK\[0-9\]+ - \\. \\+ 1\n" 1 } } */

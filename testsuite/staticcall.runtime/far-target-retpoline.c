/* far-target.c in a retpoline build: far sites use the trampoline,
   which goes through a retpoline, never an unprotected slot.  */
/* { sc-options "-mindirect-branch=thunk -DEXPECT_TRAMPOLINE" } */
#include "far-target.c"

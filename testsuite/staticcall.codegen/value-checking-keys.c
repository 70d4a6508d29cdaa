/* GCC's own consistency checks (-fchecking: the CFG, dominators,
   loops, SSA and GIMPLE verifiers after every pass) over the ABI
   test's static-keys.c, at every level the codegen tests run: the plugin's
   lowering leaves nothing stale.  */
/* { dg-do compile } */
/* { dg-options "-fchecking -g" } */
#include "../staticcall.abi/static-keys.c"

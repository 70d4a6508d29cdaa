/* same-key.c with -flto (plugin at compile and link time).  */
/* { sc-options "-flto" } */
/* { sc-sources "same-key-mod-b.c" } */
/* { sc-run "STATICCALL_QUIET=1" } */
/* { sc-run "STATICCALL_QUIET=1 STATICCALL_WRITER=none" } */
#include "same-key.c"

/* staticcall-sites finds the value sites of a linked file through its
   __static_call_units section: the hand-written unit of the runtime
   test value-sites.c (two branch sites, six immediate sites, one of
   them a jmp to an out-of-line load), each in its compiled form.  */
/* { dg-do link } */
/* { dg-options "-pthread" } */
#include "../staticcall.runtime/value-sites.c"
/* { dg-final { linked-value-sites-ok 8 } } */
/* { dg-final { sites-ok 0 } } */

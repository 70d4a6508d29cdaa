/* -fplugin-arg-staticcall-verbose reports each converted site.  */
/* { dg-do compile } */
/* { dg-options "-fplugin-arg-staticcall-verbose" } */
static int one (void) { return 1; }
int (*get) (void) __attribute__ ((static_call (getter))) = one;
int
use (void)
{
  int r = get (); /* { dg-message "call through 'get' is static call site of key 'getter'" } */
  get = one; /* { dg-message "assignment to 'get' retargets static call key 'getter'" } */
  return r;
}

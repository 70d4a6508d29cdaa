/* { dg-do compile } */
static int f1 (void) { return 1; }
int (*hook) (void) __attribute__ ((static_call (hook))) = f1;
int
use (void *chain)
{
  return __builtin_call_with_static_chain (hook (), chain); /* { dg-warning "call through 'hook' with a static chain is left an indirect call" } */
}

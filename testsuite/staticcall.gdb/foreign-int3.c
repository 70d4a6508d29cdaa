/* Run under gdb by gdb.exp: an int3 that is neither gdb's nor the
   runtime's, in a program that uses static calls.  gdb must stop at
   it as it would without the extension; when resumed without the
   signal, the program goes on after it.  */
#include <stdio.h>

#include <static_call.h>

__attribute__ ((noinline)) static int f0 (int x) { return x + 1; }
__attribute__ ((noinline)) static int f1 (int x) { return x + 2; }
int (*op) (int) STATIC_CALL (foreign_op) = f0;

int
main (void)
{
  int r = op (1);
  static_call_update (op, f1);
  __asm__ volatile ("int3");
  r += op (1);
  printf ("result %d\n", r);
  return r != 5;
}

/* Calls of the executable's sites after its destructors have run,
   from a library's destructor (exit-lib.c): the runtime unregisters an
   object at its last destructor, at exit as at dlclose, and must leave
   the sites on their trampolines then, not calling the target of the
   last update, nor through a near slot that is gone.  The library's
   functions are out of rel32 reach of a PIE executable's sites, so
   these go through near slots while registered.  */
#include <stdio.h>
#include <stdlib.h>

#include <static_call.h>

long exit_lib_plus1 (long);
long exit_lib_plus2 (long);
long exit_lib_plus3 (long);
void exit_lib_set_hooks (long (*) (long), void (*) (void));

static long (*op) (long) STATIC_CALL (exit_main_op);

__attribute__ ((noinline)) static long
call_op (long x)
{
  return op (x);
}

static void
switch_to_plus3 (void)
{
  op = exit_lib_plus3;
}

int
main (void)
{
  op = exit_lib_plus1;
  if (call_op (10) != 11)
    abort ();
  op = exit_lib_plus2;
  if (call_op (10) != 12)
    abort ();
  exit_lib_set_hooks (call_op, switch_to_plus3);
  printf ("exit-main: main done\n");
  return 0;
}

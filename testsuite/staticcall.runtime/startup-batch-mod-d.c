/* The second unit of the module of startup-batch.c.  Its destructor
   runs after its own unit's staticcall destructor and before the first
   unit's (.fini_array runs backwards): the module must still be
   registered then, so that the update retargets this unit's site.  */
#include <stdio.h>
#include <stdlib.h>

#include <static_call.h>

extern int (*startup_op) (int) STATIC_CALL (startup_op);
extern int plus2 (int);
int mod_a_call (int);

__attribute__ ((noinline)) int
mod_d_call (int x)
{
  return startup_op (x);
}

__attribute__ ((destructor)) static void
update_at_unload (void)
{
  startup_op = plus2;
  if (mod_d_call (1) != 3 || mod_a_call (1) != 3)
    {
      fprintf (stderr, "module destructor: a site still calls the old "
	       "target (%d, %d)\n", mod_d_call (1), mod_a_call (1));
      abort ();
    }
}

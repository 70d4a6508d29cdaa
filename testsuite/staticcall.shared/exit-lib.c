/* A library linked at start-up, for exit-main.c: its destructor runs
   after the executable's, and calls back into the executable, whose
   objects the runtime has unregistered by then.  It has a static call
   of its own, so that the runtime starts in its constructor, before
   the C library has set up the executable's start (the case where the
   runtime cannot tell exit from dlclose).  */
#include <stdio.h>
#include <unistd.h>

#include <static_call.h>

long exit_lib_plus1 (long x) { return x + 1; }
long exit_lib_plus2 (long x) { return x + 2; }
long exit_lib_plus3 (long x) { return x + 3; }

static long (*hook) (long);
static long (*own) (long) STATIC_CALL (exit_lib_own) = exit_lib_plus1;
static void (*retarget) (void);

void
exit_lib_set_hooks (long (*call) (long), void (*switch_target) (void))
{
  hook = call;
  retarget = switch_target;
}

static void
fail (const char *what, long got, long want)
{
  fprintf (stderr, "exit-lib: %s gave %ld, want %ld\n", what, got, want);
  fflush (stderr);
  _exit (1);	/* an exit status the test reads, from within exit */
}

__attribute__ ((destructor)) static void
finish (void)
{
  if (!hook || own (1) != 2)
    return;
  long got = hook (10);
  if (got != 12)
    fail ("a call after the executable's destructors", got, 12);
  retarget ();
  got = hook (10);
  if (got != 13)
    fail ("a call after a store after the executable's destructors", got,
	  13);
  fprintf (stderr, "exit-lib: calls from the library's destructor ok\n");
}

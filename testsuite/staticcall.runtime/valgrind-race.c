/* Under valgrind a breakpoint arrives as TRAP_BRKPT, not SI_KERNEL: a
   thread that hits a site mid-patch must still have its call completed.
   Also run natively.  */
/* { sc-run "STATICCALL_SLOWPATH_US=2000" } */
/* { sc-valgrind } */
/* { sc-options "-pthread" } */
#include <pthread.h>
#include <stdatomic.h>

#include "sc-test.h"

static int add1 (int x) { return x + 1; }
static int add2 (int x) { return x + 2; }
int (*op) (int) STATIC_CALL (valgrind_race) = add1;

static atomic_int stop;

static void *
caller (void *arg)
{
  while (!atomic_load (&stop))
    {
      int r = op (1);
      CHECK (r == 2 || r == 3);
    }
  return NULL;
}

int
main (void)
{
  pthread_t t;
  CHECK (pthread_create (&t, NULL, caller, NULL) == 0);
  for (int n = 0; n < 50; n++)
    static_call_update (op, (n & 1) ? add1 : add2);
  atomic_store (&stop, 1);
  pthread_join (t, NULL);
  struct static_call_stats st;
  static_call_get_stats (&st);
  printf ("%lu hits emulated\n", st.bp_emulated);
  return 0;
}

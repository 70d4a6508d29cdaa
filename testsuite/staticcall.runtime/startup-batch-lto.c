/* startup-batch.c's executable with -flto, one partition per function:
   each partition is a unit of its own, and they still register and
   patch as one object, in one batch.  */
/* { sc-options "-flto=2 -flto-partition=max" } */
/* { sc-sources "startup-batch-mod-b.c" } */
/* { sc-sources "startup-batch-mod-c.c" } */
/* { sc-run "" } */
#include "sc-test.h"

int plus1 (int x) { return x + 1; }
int plus2 (int x) { return x + 2; }

int (*startup_op) (int) STATIC_CALL (startup_op) = plus1;

int call_b (int);
int call_c (int);

__attribute__ ((noinline)) int
call_a (int x)
{
  return startup_op (x);
}

int
main (void)
{
  struct static_call_stats st;
  static_call_get_stats (&st);
  fprintf (stderr, "start-up: %lu batches, %lu syncs, %lu sites patched\n",
	   st.batches, st.syncs, st.sites_patched);
  CHECK (st.batches == 1);
  CHECK (st.syncs == 3);
  CHECK (st.sites_patched == 3);
  CHECK (call_a (1) == 2 && call_b (1) == 2 && call_c (1) == 2);
  startup_op = plus2;
  CHECK (call_a (1) == 3 && call_b (1) == 3 && call_c (1) == 3);
  return 0;
}

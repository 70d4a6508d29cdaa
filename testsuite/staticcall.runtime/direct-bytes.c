/* After start-up and after every update, each site's code bytes are a
   call (or jmp) straight to the current target.  */
/* { sc-run "" } */
/* { sc-run "STATICCALL_WRITER=mprotect" } */
/* { sc-run "STATICCALL_BP=trampoline" } */
/* { sc-valgrind } */
#include "sc-test.h"

static long add1 (long x) { return x + 1; }
static long add2 (long x) { return x + 2; }
static long twice (long x) { return 2 * x; }

long (*op) (long) STATIC_CALL (op) = add1;
static void (*hook) (int *) STATIC_CALL (hook);

static void bump (int *p) { ++*p; }

__attribute__ ((noinline)) long tail_use (long x) { return op (x); }
__attribute__ ((noinline)) long use1 (long x) { return op (x) + 1; }
__attribute__ ((noinline)) long use2 (long x) { return op (op (x)); }

int
main (void)
{
  /* Start-up: registration patched every site to the initial value.  */
  int n = sc_test_expect_direct ("op", (const void *) add1);
  CHECK (n >= 3);
  CHECK (use1 (1) == 3 && use2 (1) == 3 && tail_use (1) == 2);

  long (*targets[]) (long) = { add2, twice, add1, add2 };
  for (int i = 0; i < 4; i++)
    {
      if (i % 2)
	op = targets[i];
      else
	CHECK (static_call_update (op, targets[i]) == 0);
      CHECK (sc_test_expect_direct ("op", (const void *) targets[i]) == n);
      CHECK (static_call_query (op) == targets[i]);
      CHECK (use1 (5) == targets[i] (5) + 1);
      CHECK (tail_use (5) == targets[i] (5));
    }

  /* A key that starts NULL: its site calls the trampoline, and only
     after the first assignment the target.  */
  hook = bump;
  int v = 0;
  hook (&v);
  CHECK (v == 1);
  CHECK (sc_test_expect_direct ("hook", (const void *) bump) == 1);

  struct static_call_stats st;
  static_call_get_stats (&st);
  CHECK (st.batches >= 5 && st.syncs == 3 * st.batches);
  printf ("%d sites direct after %lu batches, %lu syncs\n", n, st.batches,
	  st.syncs);
  return 0;
}

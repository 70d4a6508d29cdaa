/* Stress of conditional and return-0 sites: caller threads run guarded
   calls `if (hook) hook (&out);' (one followed by more code, one a
   sibling call at -O2) and an unguarded call of a long-returning key,
   while one thread switches the guarded key between NULL, f, g and
   static_call_return0 and the other key between f, g and
   static_call_return0, as fast as it can, by assignment and by
   static_call_update.  Per-thread timer signals run the sites from
   signal handlers too, the updating thread's own included (self-hits).

   Each target says where the call went: f 1, g 2, NULL and
   static_call_return0 nothing (0).  As in stress.c, the updater records
   the value of generation G in hist[G] before announcing `started = G'
   and announces `completed = G' once the update returned; a call that
   read completed = C0 before and started = S1 after must have seen one
   of hist[C0..S1].  Runs SC_STRESS_MS milliseconds (default 300).  */
/* { sc-levels "-O3" } */
/* { sc-run "" } */
/* { sc-run "STATICCALL_SLOWPATH_US=50" } */
/* { sc-run "STATICCALL_BP=trampoline" } */
/* { sc-run "STATICCALL_BP=trampoline STATICCALL_SLOWPATH_US=50" } */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

#include "sc-test.h"

#define NCALLERS 3

static void hf (int *out) { *out = 1; }
static void hg (int *out) { *out = 2; }
static long nf (long x) { return 1 + 0 * x; }
static long ng (long x) { return 2 + 0 * x; }

static void (*const hooks[4]) (int *)
  = { NULL, hf, hg, (void (*) (int *)) static_call_return0 };
static long (*const nums[3]) (long)
  = { nf, ng, (long (*) (long)) static_call_return0 };
static const int hook_value[4] = { 0, 1, 2, 0 };
static const int num_value[3] = { 1, 2, 0 };

void (*hook) (int *) STATIC_CALL (cs_hook);
long (*num) (long) STATIC_CALL (cs_num) = nf;

static struct sc_test_history h[2];
static atomic_ulong nulls;
static struct sc_test_race race;

/* Async-signal-safe: atomics only.  */
static void
check (int key, int got, unsigned long c0, unsigned long s1)
{
  sc_test_race_check (&race, &h[key], c0, s1, got, NULL, 0);
}

__attribute__ ((noinline, noclone)) static void
guarded (int *out)
{
  if (hook)
    hook (out);
  __asm__ volatile ("" ::: "memory");
}

__attribute__ ((noinline, noclone)) static void
guarded_tail (int *out)
{
  if (hook)
    hook (out);
}

static void
call_all (long unused)
{
  int out = 0;
  unsigned long c0 = atomic_load (&h[0].completed);
  guarded (&out);
  check (0, out, c0, atomic_load (&h[0].started));
  if (!out)
    atomic_fetch_add_explicit (&nulls, 1, memory_order_relaxed);

  out = 0;
  c0 = atomic_load (&h[0].completed);
  guarded_tail (&out);
  check (0, out, c0, atomic_load (&h[0].started));

  c0 = atomic_load (&h[1].completed);
  long v = num (7);
  check (1, (int) v, c0, atomic_load (&h[1].started));
}

static void
retarget (int key, unsigned long g, int i)
{
  sc_test_history_start (&h[key], g,
			 key ? num_value[i % 3] : hook_value[i % 4]);
  switch (key * 2 + (g & 1))
    {
    case 0: hook = hooks[i % 4]; break;
    case 1: CHECK (static_call_update (hook, hooks[i % 4]) == 0); break;
    case 2: num = nums[i % 3]; break;
    case 3: CHECK (static_call_update (num, nums[i % 3]) == 0); break;
    }
  atomic_store (&h[key].completed, g);
}

static void
update (unsigned long n)
{
  static unsigned long g[2];
  int key = n % 2;
  retarget (key, ++g[key], (int) (n / 2 + 1));
}

int
main (void)
{
  /* Generation 0: the initial values.  */
  atomic_store (&h[0].hist[0], 0);
  atomic_store (&h[1].hist[0], 1);
  race.fail_msg = "cond-stress: a call saw a target that was not current "
		  "during the call\n";
  race.call = call_all;
  race.calls_per_round = 3;
  race.update = update;
  race.self_timer_ns = 300000;
  race.ms = 300;
  sc_test_race_run (&race, NCALLERS);

  /* The sites hold the last state.  */
  hook = NULL;
  int out = 0;
  guarded (&out);
  guarded_tail (&out);
  CHECK (out == 0);
  hook = hf;
  guarded_tail (&out);
  CHECK (out == 1);
  sc_test_expect_direct ("cs_hook", (const void *) hf);

  struct static_call_stats st;
  static_call_get_stats (&st);
  printf ("cond-stress: %lu calls (%lu guarded ones skipped), %lu from "
	  "signal handlers, %lu updates, ", atomic_load (&race.calls),
	  atomic_load (&nulls), atomic_load (&race.handler_calls),
	  race.updates);
  sc_test_print_bp_stats (&st);
  printf ("%lu unchecked\n", atomic_load (&race.unchecked));
  CHECK (atomic_load (&nulls) > 0);
  CHECK (st.syncs == 3 * st.batches);
  sc_test_race_verdict (&race, &st);
  return 0;
}

/* Stress on an ops table: caller threads call every member of a table
   of 8 while another thread switches the whole table among 4 const
   tables, by assignment, memcpy and a compound literal, as fast as it
   can.  Every call must reach the right member of a table that was
   current at some moment during the call: the switcher records the
   table of generation g in hist[g] before announcing `started = g', and
   announces `completed = g' when the store returned; a call that read
   completed = c0 before and started = s1 after must have reached the
   member of one of hist[c0..s1].  The same for an ops pointer to the
   const tables, switched along (callers alternate between the two).
   Runs SC_STRESS_MS milliseconds
   (default 300), on both handler paths, with and without the forced
   slow path.  */
/* { sc-levels "-O3" } */
/* { sc-run "" } */
/* { sc-run "STATICCALL_SLOWPATH_US=50" } */
/* { sc-run "STATICCALL_BP=trampoline" } */
/* { sc-run "STATICCALL_BP=trampoline STATICCALL_SLOWPATH_US=50" } */
/* { sc-options "-pthread" } */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "sc-test.h"

#define NTABLES 4
#define NCALLERS 3
#define RING (1 << 16)

/* Member I of table G returns G * 100 + I.  */
#define F(g, i) static int f##g##_##i (int x) { return g * 100 + i + 0 * x; }
#define FS(g) F (g, 0) F (g, 1) F (g, 2) F (g, 3) F (g, 4) F (g, 5) \
	      F (g, 6) F (g, 7)
FS (0) FS (1) FS (2) FS (3)

struct ops
{
  int (*m0) (int), (*m1) (int), (*m2) (int);
  long generation;		/* data, written along */
  struct { int (*m3) (int), (*m4) (int); } sub;
  int (*m5) (int), (*m6) (int), (*m7) (int);
};

#define TABLE(g) { f##g##_0, f##g##_1, f##g##_2, g, { f##g##_3, f##g##_4 }, \
		   f##g##_5, f##g##_6, f##g##_7 }
static const struct ops tables[NTABLES] = { TABLE (0), TABLE (1), TABLE (2),
					    TABLE (3) };

struct ops ops STATIC_CALL (stress_ops) = TABLE (0);
const struct ops *impl STATIC_CALL (stress_impl) = &tables[0];

static atomic_ulong started, completed;
static atomic_int hist[RING];
static atomic_int stop;
static atomic_ulong calls, wrong;

static int
call_impl (int i)
{
  switch (i)
    {
    case 0: return impl->m0 (i);
    case 1: return impl->m1 (i);
    case 2: return impl->m2 (i);
    case 3: return impl->sub.m3 (i);
    case 4: return impl->sub.m4 (i);
    case 5: return impl->m5 (i);
    case 6: return impl->m6 (i);
    default: return impl->m7 (i);
    }
}

static int
call_member (int i)
{
  if (i >= 8)
    return call_impl (i - 8) + 8;
  switch (i)
    {
    case 0: return ops.m0 (i);
    case 1: return ops.m1 (i);
    case 2: return ops.m2 (i);
    case 3: return ops.sub.m3 (i);
    case 4: return ops.sub.m4 (i);
    case 5: return ops.m5 (i);
    case 6: return ops.m6 (i);
    default: return ops.m7 (i);
    }
}

static void *
caller (void *arg)
{
  unsigned long n = 0;
  while (!atomic_load (&stop))
    for (int i = 0; i < 16; i++)
      {
	unsigned long c0 = atomic_load (&completed);
	int got = call_member (i);
	unsigned long s1 = atomic_load (&started);
	n++;
	/* An ops pointer's call gives its member + 8.  */
	int ok = got % 100 == i;
	if (ok && s1 - c0 < RING / 2)
	  {
	    ok = 0;
	    for (unsigned long g = c0; g <= s1 && !ok; g++)
	      ok = got / 100 == atomic_load (&hist[g % RING]);
	  }
	if (!ok)
	  {
	    fprintf (stderr, "member %d returned %d; generations %lu..%lu\n",
		     i, got, c0, s1);
	    atomic_fetch_add (&wrong, 1);
	  }
      }
  atomic_fetch_add (&calls, n);
  return NULL;
}

int
main (void)
{
  const char *ms_env = getenv ("SC_STRESS_MS");
  double seconds = (ms_env ? atol (ms_env) : 300) / 1000.0;
  pthread_t th[NCALLERS];
  atomic_store (&hist[0], 0);
  for (int i = 0; i < NCALLERS; i++)
    CHECK (pthread_create (&th[i], NULL, caller, NULL) == 0);

  double end = sc_test_now () + seconds;
  unsigned long g = 0;
  while (sc_test_now () < end)
    {
      g++;
      int which = g % NTABLES;
      atomic_store (&hist[g % RING], which);
      atomic_store (&started, g);
      switch (g % 3)
	{
	case 0:
	  ops = tables[which];
	  break;
	case 1:
	  memcpy (&ops, &tables[which], sizeof ops);
	  break;
	default:
	  {
	    const struct ops *t = &tables[which];
	    ops = (struct ops) { t->m0, t->m1, t->m2, which,
				 { t->sub.m3, t->sub.m4 }, t->m5, t->m6,
				 t->m7 };
	  }
	}
      impl = &tables[which];
      atomic_store (&completed, g);
    }
  atomic_store (&stop, 1);
  for (int i = 0; i < NCALLERS; i++)
    pthread_join (th[i], NULL);

  struct static_call_stats st;
  static_call_get_stats (&st);
  printf ("%lu table switches, %lu calls, %lu wrong; %lu batches, "
	  "%lu traps emulated, %lu through stubs\n", g,
	  (unsigned long) atomic_load (&calls),
	  (unsigned long) atomic_load (&wrong), st.batches, st.bp_emulated,
	  st.bp_stub);
  CHECK (atomic_load (&wrong) == 0);
  /* Exercised: switches made and calls raced with them.  */
  CHECK (g >= 10);
  CHECK (atomic_load (&calls) >= 1000);
  CHECK (ops.generation == (long) (g % NTABLES));
  CHECK (impl->generation == (long) (g % NTABLES));
  return 0;
}

/* Racing static keys and immediate values: caller threads (and timer
   signal handlers on them) test two keys and read three immediates in
   a loop while the main thread stores new values, by assignment, by
   static_key_update and by __atomic_store_n.

   The updater announces `started = g' before it stores generation g's
   values and `completed = g' once every store has returned.  A reader
   that read completed = C0 before and started = S1 after must see
   values of a generation in C0..S1: stored ones (each immediate carries
   a check of its generation), never older than the last completed
   update, and exactly generation C0's when S1 = C0.  The updater checks
   its own reads after each update.  Runs SC_STRESS_MS milliseconds
   (default 300).  */
/* { sc-levels "-O3" } */
/* { sc-run "" } */
/* { sc-run "STATICCALL_SLOWPATH_US=50" } */
/* { sc-run "STATICCALL_BP=trampoline" } */
/* { sc-run "STATICCALL_BP=trampoline STATICCALL_SLOWPATH_US=50" } */
/* { sc-sanitize } */
/* One caller and few updates under helgrind and drd: they run one
   thread at a time, and an update waits for every other thread's turn
   at each of its system calls.  Up to 20 s for the 5 updates, on a
   loaded machine.  */
/* { sc-valgrind-tools "SC_STRESS_MS=1000 SC_STRESS_CALLERS=1 SC_STRESS_UPDATES=5" } */
/* { sc-valgrind-tools "SC_STRESS_MS=1000 SC_STRESS_CALLERS=1 SC_STRESS_UPDATES=5 STATICCALL_SLOWPATH_US=50" } */
#include <stdatomic.h>
#include <stdint.h>

#include "sc-test.h"

#define NCALLERS 3

static _Bool odd STATIC_KEY (odd);
static int third STATIC_KEY (third);
static uint64_t wide STATIC_IMMEDIATE (wide);
static uint32_t narrow STATIC_IMMEDIATE (narrow);
static int16_t tiny STATIC_IMMEDIATE (tiny);

static atomic_ulong started, completed;
static atomic_ulong exact;	/* reads checked against one generation */

static uint32_t
mix (uint64_t g)
{
  g *= 0x9e3779b97f4a7c15ull;
  return (uint32_t) (g >> 40);
}

/* Generation G's values: WIDE needs movabs for G > 0; each carries a
   check of the generation (TINY of its low 8 bits).  */
static uint64_t wide_of (uint64_t g) { return g << 32 | mix (g); }
static uint32_t narrow_of (uint64_t g)
{
  return (uint32_t) g << 12 | (mix (g) & 0xfff);
}
static int16_t tiny_of (uint64_t g)
{
  return (int16_t) ((g & 0xff) << 8 | (mix (g & 0xff) & 0xff));
}
static int odd_of (uint64_t g) { return g & 1; }
static int third_of (uint64_t g) { return g % 3 != 0; }

static struct sc_test_race race;

#define FAIL_IF(cond) do { if (cond) sc_test_race_fail (&race); } while (0)

static void
read_round (long arg)
{
  (void) arg;
  unsigned long c0 = atomic_load_explicit (&completed, memory_order_acquire);
  uint64_t w = wide;
  uint32_t n = narrow;
  int16_t t = tiny;
  int o = 0, th = 0;
  if (odd)
    o = 1;
  if (__builtin_expect (third, 1))
    th = 1;
  unsigned long s1 = atomic_load_explicit (&started, memory_order_acquire);
  uint64_t g = w >> 32;
  /* A stored value, of a generation in C0..S1.  */
  FAIL_IF ((uint32_t) w != mix (g) || g < c0 || g > s1);
  FAIL_IF ((n & 0xfff) != (mix (n >> 12) & 0xfff));
  FAIL_IF ((n >> 12) < (uint32_t) c0 || (n >> 12) > (uint32_t) s1);
  FAIL_IF ((t & 0xff) != (mix ((uint16_t) t >> 8) & 0xff));
  if (s1 == c0)
    {
      FAIL_IF (g != c0 || n != narrow_of (c0) || t != tiny_of (c0)
	       || o != odd_of (c0) || th != third_of (c0));
      atomic_fetch_add_explicit (&exact, 1, memory_order_relaxed);
    }
}

static void
update (unsigned long n)
{
  uint64_t g = n + 1;
  atomic_store_explicit (&started, g, memory_order_release);
  switch (n % 3)
    {
    case 0:
      odd = odd_of (g);
      third = third_of (g);
      wide = wide_of (g);
      narrow = narrow_of (g);
      tiny = tiny_of (g);
      break;
    case 1:
      CHECK (static_key_update (odd, odd_of (g)) == 0);
      CHECK (static_key_update (third, third_of (g)) == 0);
      CHECK (static_key_update (wide, wide_of (g)) == 0);
      CHECK (static_key_update (narrow, narrow_of (g)) == 0);
      CHECK (static_key_update (tiny, tiny_of (g)) == 0);
      break;
    default:
      __atomic_store_n (&odd, odd_of (g), __ATOMIC_SEQ_CST);
      __atomic_store_n (&third, third_of (g), __ATOMIC_SEQ_CST);
      __atomic_store_n (&wide, wide_of (g), __ATOMIC_SEQ_CST);
      __atomic_store_n (&narrow, narrow_of (g), __ATOMIC_SEQ_CST);
      __atomic_store_n (&tiny, tiny_of (g), __ATOMIC_SEQ_CST);
      break;
    }
  /* The update has returned: this thread's own reads see it.  */
  CHECK (wide == wide_of (g) && narrow == narrow_of (g)
	 && tiny == tiny_of (g));
  CHECK ((odd ? 1 : 0) == odd_of (g) && (third ? 1 : 0) == third_of (g));
  atomic_store_explicit (&completed, g, memory_order_release);
}

int
main (void)
{
  sc_test_require_features ();
  race.fail_msg = "a read saw a value that was not current\n";
  race.call = read_round;
  race.signal_arg = -1;
  race.calls_per_round = 1;
  race.update = update;
  race.self_timer_ns = 500000;
  race.ms = 300;
  sc_test_race_run (&race, NCALLERS);

  struct static_call_stats st;
  static_call_get_stats (&st);
  printf ("%lu updates, %lu reads (%lu in handlers, %lu exact); ",
	  race.updates, atomic_load (&race.calls),
	  atomic_load (&race.handler_calls), atomic_load (&exact));
  sc_test_print_bp_stats (&st);
  printf ("%lu value hits; %lu branch and %lu immediate sites patched\n",
	  st.bp_value, st.branch_sites_patched, st.imm_sites_patched);
  CHECK (race.updates >= race.min_updates
	 && atomic_load (&race.calls) > 1000);
  CHECK (atomic_load (&race.handler_calls) > 0);
  CHECK (atomic_load (&exact) > 0);
  CHECK (st.value_updates >= 5 * race.updates);
  CHECK (st.branch_sites_patched > 0 && st.imm_sites_patched > 0);
  const char *slow = getenv ("STATICCALL_SLOWPATH_US");
  if (slow && atol (slow) > 0)
    CHECK (st.bp_value > 0);
  return 0;
}

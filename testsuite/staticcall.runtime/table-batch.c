/* A store into an ops table retargets every member it writes in one
   batch of 3 syncs, however many members change: whole-table
   assignment of 16 members, memcpy, memset, a compound literal, and a
   nested struct's assignment; a member's store or an atomic builtin is
   one batch too.  So is pointing an ops pointer, whose pointee has the
   same 16 members, at another const table.  Afterwards every site of every member calls the
   member's new target directly.  */
/* { sc-levels "-O1 -O3" } */
#include <string.h>
#include "sc-test.h"

#define M(i) static int f##i (int x) { return x + i; } \
	     static int g##i (int x) { return x * 100 + i; }
M (0) M (1) M (2) M (3) M (4) M (5) M (6) M (7)
M (8) M (9) M (10) M (11) M (12) M (13) M (14) M (15)

struct half { int (*a) (int), (*b) (int), (*c) (int),
	      (*d) (int), (*e) (int), (*f) (int), (*g) (int), (*h) (int); };
struct ops { struct half lo; long data; struct half hi; };

static const struct ops all_f = {
  { .a = f0, .b = f1, .c = f2, .d = f3, .e = f4, .f = f5, .g = f6, .h = f7 },
  1,
  { .a = f8, .b = f9, .c = f10, .d = f11, .e = f12, .f = f13, .g = f14,
    .h = f15 } };
static const struct ops all_g = {
  { .a = g0, .b = g1, .c = g2, .d = g3, .e = g4, .f = g5, .g = g6, .h = g7 },
  2,
  { .a = g8, .b = g9, .c = g10, .d = g11, .e = g12, .f = g13, .g = g14,
    .h = g15 } };

struct ops t STATIC_CALL (bt) = all_f;

static int __attribute__ ((noinline))
call_all (int x)
{
  return t.lo.a (x) + t.lo.b (x) + t.lo.c (x) + t.lo.d (x) + t.lo.e (x)
	 + t.lo.f (x) + t.lo.g (x) + t.lo.h (x) + t.hi.a (x) + t.hi.b (x)
	 + t.hi.c (x) + t.hi.d (x) + t.hi.e (x) + t.hi.f (x) + t.hi.g (x)
	 + t.hi.h (x);
}

static const struct ops *impl STATIC_CALL (bimpl) = &all_f;

static int __attribute__ ((noinline))
call_impl (int x)
{
  return impl->lo.a (x) + impl->lo.b (x) + impl->lo.c (x) + impl->lo.d (x)
	 + impl->lo.e (x) + impl->lo.f (x) + impl->lo.g (x) + impl->lo.h (x)
	 + impl->hi.a (x) + impl->hi.b (x) + impl->hi.c (x) + impl->hi.d (x)
	 + impl->hi.e (x) + impl->hi.f (x) + impl->hi.g (x) + impl->hi.h (x);
}

static struct static_call_stats before;

static void
start (void)
{
  static_call_get_stats (&before);
}

/* One batch of 3 syncs since start (), that patched SITES sites.  */
static void
one_batch (const char *what, unsigned long sites)
{
  struct static_call_stats now;
  static_call_get_stats (&now);
  printf ("%s: %lu batches, %lu syncs, %lu sites patched\n", what,
	  now.batches - before.batches, now.syncs - before.syncs,
	  now.sites_patched - before.sites_patched);
  CHECK (now.batches - before.batches == 1);
  CHECK (now.syncs - before.syncs == 3);
  CHECK (now.sites_patched - before.sites_patched == sites);
}

/* Sites of every member of T go to FS[i].  */
static void
expect (int (*const *fs) (int))
{
  static const char *const names[16] = {
    "bt.lo.a", "bt.lo.b", "bt.lo.c", "bt.lo.d", "bt.lo.e", "bt.lo.f",
    "bt.lo.g", "bt.lo.h", "bt.hi.a", "bt.hi.b", "bt.hi.c", "bt.hi.d",
    "bt.hi.e", "bt.hi.f", "bt.hi.g", "bt.hi.h" };
  for (int i = 0; i < 16; i++)
    CHECK (sc_test_expect_current (names[i], fs[i]) >= 1);
}

static int (*const fs[16]) (int) = { f0, f1, f2, f3, f4, f5, f6, f7, f8, f9,
				     f10, f11, f12, f13, f14, f15 };
static int (*const gs[16]) (int) = { g0, g1, g2, g3, g4, g5, g6, g7, g8, g9,
				     g10, g11, g12, g13, g14, g15 };

int
main (void)
{
  /* 0+1+...+15 and 16 * 100 + the same.  */
  CHECK (call_all (0) == 120);
  expect (fs);

  start ();
  t = all_g;
  one_batch ("t = all_g", 16);
  expect (gs);
  CHECK (call_all (1) == 1600 + 120);

  start ();
  memcpy (&t, &all_f, sizeof t);
  one_batch ("memcpy", 16);
  expect (fs);
  CHECK (call_all (0) == 120);

  start ();
  t.hi = all_g.hi;
  one_batch ("t.hi = all_g.hi", 8);
  /* f: 1 + i for i < 8; g: 100 + i for the others.  */
  CHECK (call_all (1) == 8 + 28 + 800 + 92);

  start ();
  t = (struct ops) { { .a = g0, .b = g1, .c = g2, .d = g3, .e = g4, .f = g5,
		       .g = g6, .h = g7 },
		     3,
		     { .a = g8, .b = g9, .c = g10, .d = g11, .e = g12,
		       .f = g13, .g = g14, .h = g15 } };
  one_batch ("compound literal", 8);
  expect (gs);

  start ();
  __atomic_store_n (&t.lo.c, f2, __ATOMIC_SEQ_CST);
  one_batch ("atomic store", 1);

  start ();
  t.hi.h = f15;
  one_batch ("member", 1);

  CHECK (call_impl (0) == 120);
  CHECK (sc_test_expect_current ("bimpl->lo.a", f0) >= 1);
  start ();
  impl = &all_g;
  one_batch ("impl = &all_g", 16);
  CHECK (call_impl (1) == 1600 + 120);
  CHECK (sc_test_expect_current ("bimpl->lo.a", g0) >= 1);
  CHECK (sc_test_expect_current ("bimpl->hi.h", g15) >= 1);

  start ();
  memset (&t, 0, sizeof t);
  /* The sites go to their trampolines: calls through them fault as the
     plain calls would.  */
  one_batch ("memset", 16);
  CHECK (t.lo.a == NULL && t.data == 0);
  return 0;
}

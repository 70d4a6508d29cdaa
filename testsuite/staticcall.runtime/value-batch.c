/* One store to a static key with 256 branch sites, and one to an
   immediate value with 256 read sites, are each one batch of 3 syncs;
   every site follows.  Registration patches all of them (and the
   unit's call site) in the object's one start-up batch.  */
#include <stdint.h>

#include "sc-test.h"

static _Bool on STATIC_KEY (on);
static uint32_t scale STATIC_IMMEDIATE (scale) = 3;

static int hits;
static void __attribute__ ((noinline)) hit (void) { hits++; }
static int one (void) { return 1; }
static int (*fp) (void) STATIC_CALL (fp) = one;

#define S1(i) if (on) hit (); sum += scale;
#define S4(i) S1 (i) S1 (i) S1 (i) S1 (i)
#define S16(i) S4 (i) S4 (i) S4 (i) S4 (i)
#define S64(i) S16 (i) S16 (i) S16 (i) S16 (i)

static unsigned __attribute__ ((noinline))
run (void)
{
  unsigned sum = 0;
  S64 (0) S64 (1) S64 (2) S64 (3)
  return sum + fp ();
}

static int
count (const struct static_call_site_info *s, void *arg)
{
  int *n = arg;
  if (s->kind == STATIC_CALL_KIND_BRANCH)
    n[0]++;
  else if (s->kind == STATIC_CALL_KIND_IMMEDIATE)
    n[1]++;
  return 0;
}

int
main (void)
{
  sc_test_require_features ();
  struct static_call_stats a, b;
  static_call_get_stats (&a);
  /* The start-up batch: one for this object.  */
  CHECK (a.batches == 1 && a.syncs == 3);
  CHECK (a.branch_sites_patched == 256 && a.imm_sites_patched == 256);
  int n[2] = { 0, 0 };
  static_call_for_each_site (count, n);
  CHECK (n[0] == 256 && n[1] == 256);
  CHECK (run () == 256 * 3 + 1 && hits == 0);

  on = 1;
  static_call_get_stats (&b);
  printf ("flip of 256 key sites: %lu batch, %lu syncs, %lu sites\n",
	  b.batches - a.batches, b.syncs - a.syncs,
	  b.branch_sites_patched - a.branch_sites_patched);
  CHECK (b.batches - a.batches == 1 && b.syncs - a.syncs == 3);
  CHECK (b.branch_sites_patched - a.branch_sites_patched == 256);
  CHECK (run () == 256 * 3 + 1 && hits == 256);

  a = b;
  scale = 0x12345;
  static_call_get_stats (&b);
  printf ("store to 256 immediate sites: %lu batch, %lu syncs, %lu sites\n",
	  b.batches - a.batches, b.syncs - a.syncs,
	  b.imm_sites_patched - a.imm_sites_patched);
  CHECK (b.batches - a.batches == 1 && b.syncs - a.syncs == 3);
  CHECK (b.imm_sites_patched - a.imm_sites_patched == 256);
  CHECK (run () == 256u * 0x12345 + 1 && hits == 512);
  return 0;
}

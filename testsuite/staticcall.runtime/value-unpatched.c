/* Value sites are correct without patching: where code cannot be
   written (STATICCALL_WRITER=none) every branch and immediate site
   stays as compiled, reading its variable in memory, and every store
   is still seen by the next test or read; with a writer, the same
   program sees every site patched.  */
/* { sc-levels "-O3" } */
/* { sc-run "" } */
/* { sc-run "STATICCALL_WRITER=none STATICCALL_QUIET=1" } */
#include <stdint.h>

#include "sc-test.h"

static _Bool on STATIC_KEY (on);
int level STATIC_KEY (level) = 1;
static int16_t delta STATIC_IMMEDIATE (delta) = -4;
uint64_t seed STATIC_IMMEDIATE (seed) = 0x9e3779b97f4a7c15ull;

static long __attribute__ ((noinline))
work (long x)
{
  long r = x + delta;
  if (on)
    r ^= (long) seed;
  if (__builtin_expect (level, 1))
    r += 1000;
  return r;
}

static long
expected (long x)
{
  long r = x + delta;
  if (on)
    r ^= (long) seed;
  if (level)
    r += 1000;
  return r;
}

static int unpatched, patched;

static int
look (const struct static_call_site_info *s, void *arg)
{
  (void) arg;
  if (s->kind == STATIC_CALL_KIND_CALL)
    return 0;
  CHECK (s->state != STATIC_CALL_SITE_REFUSED);
  if (s->state == STATIC_CALL_SITE_UNPATCHED)
    unpatched++;
  else
    patched++;
  return 0;
}

int
main (void)
{
  const char *w = getenv ("STATICCALL_WRITER");
  int none = w && !strcmp (w, "none");
  for (int i = 0; i < 64; i++)
    {
      CHECK (work (i) == expected (i));
      on = i & 1;
      level = i % 3;
      delta = (int16_t) (i * 1000 - 30000);
      seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    }
  CHECK (work (5) == expected (5));
  static_call_for_each_site (look, NULL);
  printf ("%d value sites unpatched, %d patched\n", unpatched, patched);
  CHECK (unpatched + patched >= 4);
  CHECK (none ? patched == 0 : unpatched == 0);
  return 0;
}

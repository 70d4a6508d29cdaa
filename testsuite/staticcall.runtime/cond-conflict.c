/* A foreign int3 (a debugger's breakpoint) on a conditional site or a
   call site whose next instruction has another first byte: the NOP of
   a NULL pointer against the call of a target, the clearing of %rax of
   static_call_return0 against a call.  Whoever removes the breakpoint
   would restore the old first byte in front of new bytes, so the site
   is left as it was under the breakpoint and the update returns
   -EBUSY; the next update, once the breakpoint is gone, writes it.  A
   change that keeps the first byte (call to another target) is still
   written under it.  */
/* { sc-levels "-O1 -O3" } */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "sc-test.h"

static void hook_a (int *p) { *p = 1; }
static void hook_b (int *p) { *p = 2; }
static long one (void) { return 1; }
static long two (void) { return 2; }

void (*hook) (int *) STATIC_CALL (cc_hook);
long (*num) (void) STATIC_CALL (cc_num) = one;

__attribute__ ((noinline, noclone)) void
guarded (int *p)
{
  if (hook)
    hook (p);
  __asm__ volatile ("" ::: "memory");
}

__attribute__ ((noinline, noclone)) long use_num (void) { return num () + 10; }

struct find
{
  const char *key;
  const unsigned char *addr;
  int state;
};

static int
find_site (const struct static_call_site_info *s, void *arg)
{
  struct find *f = arg;
  if (!strcmp (s->key, f->key))
    {
      f->addr = s->addr;
      f->state = s->state;
    }
  return 0;
}

static struct find
site_of (const char *key)
{
  struct find f = { key, NULL, -1 };
  static_call_for_each_site (find_site, &f);
  CHECK (f.addr);
  return f;
}

int
main (void)
{
  sc_test_require_procmem ();		/* sc_test_poke writes through it */
  const unsigned char cc = 0xcc;

  /* The same first byte: written under the breakpoint.  */
  hook = hook_a;
  const unsigned char *h = site_of ("cc_hook").addr;
  CHECK (sc_x86_rel32_dest (h, NULL) == (const void *) hook_a);
  sc_test_poke (h, &cc, 1);
  CHECK (static_call_update (hook, hook_b) == 0);
  sc_test_poke (h, "\xe8", 1);		/* they remove it */
  CHECK (sc_x86_rel32_dest (h, NULL) == (const void *) hook_b);
  int v = 0;
  guarded (&v);
  CHECK (v == 2);

  /* Call -> NOP under a foreign breakpoint: refused.  */
  sc_test_poke (h, &cc, 1);
  unsigned char before[5];
  memcpy (before, h, 5);
  CHECK (static_call_update (hook, NULL) == -EBUSY);
  CHECK (!memcmp (h, before, 5));	/* untouched */
  sc_test_poke (h, "\xe8", 1);
  CHECK (sc_x86_rel32_dest (h, NULL) == (const void *) hook_b);
  /* Not refused for good: once the breakpoint is gone, the next update
     writes the site.  */
  CHECK (site_of ("cc_hook").state != STATIC_CALL_SITE_REFUSED);
  CHECK (static_call_update (hook, NULL) == 0);
  CHECK (!memcmp (h, "\x0f\x1f\x44\x00\x00", 5));
  v = 0;
  guarded (&v);
  CHECK (v == 0);

  /* Call -> clearing of %rax under a foreign breakpoint: refused.  */
  const unsigned char *n = site_of ("cc_num").addr;
  CHECK (sc_x86_rel32_dest (n, NULL) == (const void *) one);
  sc_test_poke (n, &cc, 1);
  CHECK (static_call_update (num, (long (*) (void)) static_call_return0)
	 == -EBUSY);
  sc_test_poke (n, "\xe8", 1);
  CHECK (sc_x86_rel32_dest (n, NULL) == (const void *) one);
  CHECK (use_num () == 11);
  CHECK (static_call_update (num, two) == 0);
  CHECK (sc_x86_rel32_dest (n, NULL) == (const void *) two);
  CHECK (use_num () == 12);

  struct static_call_stats st;
  static_call_get_stats (&st);
  CHECK (st.conflicts == 2 && st.foreign_int3 == 1);
  printf ("%lu conflicts, %lu foreign int3\n", st.conflicts, st.foreign_int3);
  return 0;
}

/* Sites whose bytes are not what the runtime wrote.  A foreign int3 on
   byte 0 (a debugger's breakpoint): the displacement is patched under
   it, and when it is removed the site calls the new target.  Any other
   foreign change: the site is refused and reported, the update returns
   -EBUSY, and the key's other sites are still retargeted.  */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "sc-test.h"

static int one (void) { return 1; }
static int two (void) { return 2; }
static int three (void) { return 3; }
int (*k) (void) STATIC_CALL (conflict) = one;

__attribute__ ((noinline)) static int site_a (void) { return k (); }
__attribute__ ((noinline)) static int site_b (void) { return k () + 0 * k (); }

static const void *sites[8];
static int nsites;

static int
collect (const struct static_call_site_info *s, void *arg)
{
  if (!strcmp (s->key, "conflict"))
    sites[nsites++] = s->addr;
  return 0;
}

struct state_query
{
  const void *addr;
  int state;
};

static int
find_state (const struct static_call_site_info *s, void *arg)
{
  struct state_query *q = arg;
  if (s->addr == q->addr)
    q->state = s->state;
  return 0;
}

static int
state_of (const void *addr)
{
  struct state_query q = { addr, -1 };
  static_call_for_each_site (find_state, &q);
  return q.state;
}

int
main (void)
{
  sc_test_require_procmem ();		/* sc_test_poke writes through it */
  static_call_for_each_site (collect, NULL);
  CHECK (nsites >= 3);
  const unsigned char *s0 = sites[0];
  const unsigned char *s1 = sites[1];

  /* 1. A breakpoint someone else put on site 0.  */
  unsigned char orig = s0[0];
  unsigned char cc = 0xcc;
  sc_test_poke (s0, &cc, 1);
  CHECK (static_call_update (k, two) == 0);
  CHECK (s0[0] == 0xcc);		/* theirs, left in place */
  sc_test_poke (s0, &orig, 1);		/* they remove it */
  CHECK (sc_x86_rel32_dest (s0, NULL) == (const void *) two);

  /* 2. A foreign rewrite of site 1: refused, reported, -EBUSY.  */
  unsigned char mine[5];
  memcpy (mine, s1, 5);
  unsigned char foreign[5];
  sc_x86_rel32_encode (foreign, s1[0], (unsigned long) s1,
		       (unsigned long) one);
  sc_test_poke (s1, foreign, 5);
  int r = static_call_update (k, three);
  CHECK (r == -EBUSY);
  CHECK (state_of (s1) == STATIC_CALL_SITE_REFUSED);
  CHECK (memcmp (s1, foreign, 5) == 0);	/* not touched */
  CHECK (sc_x86_rel32_dest (s0, NULL) == (const void *) three);
  CHECK (site_a () + site_b () >= 2);

  struct static_call_stats st;
  static_call_get_stats (&st);
  CHECK (st.foreign_int3 == 1 && st.conflicts == 1);
  printf ("foreign int3 patched under, foreign rewrite refused (%d)\n", r);
  return 0;
}

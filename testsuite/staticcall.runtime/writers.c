/* Each way of writing code, forced: procmem and mprotect patch the
   sites; `none' leaves them on their trampolines, still correct.  */
/* { sc-run "STATICCALL_WRITER=procmem" } */
/* { sc-run "STATICCALL_WRITER=mprotect" } */
/* { sc-run "STATICCALL_WRITER=none EXPECT_TRAMPOLINE=1" } */
#include "sc-test.h"

static int one (void) { return 1; }
static int two (void) { return 2; }
int (*w) (void) STATIC_CALL (writer) = one;

static int direct, tramp;

static int
count (const struct static_call_site_info *s, void *arg)
{
  const void *dest = sc_x86_rel32_dest (s->addr, NULL);
  if (dest == s->trampoline && s->state == STATIC_CALL_SITE_TRAMPOLINE)
    tramp++;
  else if (dest == (const void *) w && s->state == STATIC_CALL_SITE_DIRECT)
    direct++;
  return 0;
}

int
main (void)
{
  CHECK (w () == 1);
  w = two;
  CHECK (w () == 2);
  static_call_for_each_site (count, NULL);
  if (getenv ("EXPECT_TRAMPOLINE"))
    CHECK (tramp == 2 && direct == 0);
  else
    CHECK (direct == 2 && tramp == 0);
  printf ("%d direct, %d on trampoline\n", direct, tramp);
  return 0;
}

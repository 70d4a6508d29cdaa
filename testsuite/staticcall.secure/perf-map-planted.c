/* STATICCALL_PERF_MAP=1 with something already at /tmp/perf-PID.map:
   secure.exp plants it (a symbolic link, a FIFO, a hard link, another
   user's file, or a stale file of ours) before exec'ing this program
   with the PID it will have.  The program gives the runtime a line to
   write (a site sent through a near slot by a far target), then says
   whether it did; secure.exp checks what became of what it planted.  */
#include "../staticcall.runtime/sc-test.h"

static int near_fn (int x) { return x + 1; }
int (*pl_far) (int) STATIC_CALL (pl_far) = near_fn;

__attribute__ ((noinline)) static int
call_far (int x)
{
  return pl_far (x);
}

static int
slot_used (const struct static_call_site_info *s, void *arg)
{
  if (!strcmp (s->key, "pl_far") && s->state == STATIC_CALL_SITE_SLOT)
    *(int *) arg = 1;
  return 0;
}

int
main (void)
{
  /* lea 7(%rdi), %eax; ret  */
  static const unsigned char code[] = { 0x8d, 0x47, 0x07, 0xc3 };
  unsigned char *far = sc_test_map_far ((const void *) call_far, code,
					sizeof code);
  pl_far = (int (*) (int)) far;
  CHECK (call_far (1) == 8);
  int slot = 0;
  static_call_for_each_site (slot_used, &slot);
  printf ("pid=%d slot=%d\n", (int) getpid (), slot);
  return 0;
}

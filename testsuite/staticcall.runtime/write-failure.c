/* A code write that fails in the middle of a batch (here: pwrite to
   /proc/self/mem, made to fail once by this program's own pwrite) must
   not leave a breakpoint that nobody handles: the update reports the
   error, calls keep reaching the new target through the handler, and
   the next update rewrites the sites.  */
/* { sc-run "STATICCALL_WRITER=procmem STATICCALL_QUIET=1" } */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>

#include "sc-test.h"

static int add1 (int x) { return x + 1; }
static int add2 (int x) { return x + 2; }
int (*op) (int) STATIC_CALL (write_failure) = add1;

__attribute__ ((noinline)) static int use (int x) { return op (x); }

static int writes, fail_at;

ssize_t
pwrite (int fd, const void *buf, size_t len, off_t off)
{
  static ssize_t (*next) (int, const void *, size_t, off_t);
  if (!next)
    next = (ssize_t (*) (int, const void *, size_t, off_t))
      dlsym (RTLD_NEXT, "pwrite");
  if (++writes == fail_at)
    {
      errno = EIO;
      return -1;
    }
  return next (fd, buf, len, off);
}

int
main (void)
{
  CHECK (use (10) == 11);
  /* One site per batch: writes 1, 2, 3 are the int3, the displacement
     and the opcode.  Fail the second and the third in turn.  (A failed
     first write leaves the site as it was, calling the old target: see
     the manual, Messages.)  */
  for (int phase = 2; phase <= 3; phase++)
    {
      int (*to) (int) = add2, (*back) (int) = add1;
      fail_at = writes + phase;
      CHECK (static_call_update (op, to) == -EIO);
      CHECK (use (10) == to (10));
      CHECK (use (10) == to (10));
      fail_at = 0;
      CHECK (static_call_update (op, back) == 0);
      CHECK (use (10) == back (10));
      CHECK (sc_test_expect_direct ("write_failure", (const void *) back)
	     >= 1);
    }
  return 0;
}

/* staticcall runtime: serialising every core that runs this process.

   sc_sync_cores is the "sync all cores" step of the breakpoint protocol:
   after it returns, no thread of the process can still execute an
   instruction fetched before the last code write.  It is
   membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE): the kernel
   interrupts each CPU running one of our threads, and the return from
   that interrupt serialises the core; a thread not running serialises
   when it is next scheduled in.

   sc_rseq_fence is membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ):
   after it returns, no thread is inside an rseq critical section it
   entered before (running ones are aborted now, preempted ones abort
   when they resume).  The stub area relies on it (stub_area.c).  */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"

static int sync_cmd;		/* 0: not yet registered */
static bool rseq_fence_ok;

static int
membarrier (int cmd, unsigned flags)
{
  return syscall (__NR_membarrier, cmd, flags, 0);
}

int
sc_sync_init (void)
{
  if (sync_cmd)
    return 0;
  if (membarrier (MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE, 0)
      == 0)
    {
      sync_cmd = MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE;
      return 0;
    }
  int err = errno;
  /* On x86 the plain expedited barrier serialises too: its IPI returns
     with IRET.  Only the core-sync flavour says so, hence the order.  */
  if (membarrier (MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0) == 0)
    {
      sync_cmd = MEMBARRIER_CMD_PRIVATE_EXPEDITED;
      return 0;
    }
  sc_warn ("membarrier is not available (%s); call sites stay on their "
	   "trampolines", strerror (err));
  return -err;
}

void
sc_sync_cores (void)
{
  while (membarrier (sync_cmd, 0) != 0 && errno == EINTR)
    ;
  SC_COUNT (syncs);
}

bool
sc_rseq_fence_init (void)
{
  if (!rseq_fence_ok)
    rseq_fence_ok
      = membarrier (MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ, 0) == 0;
  return rseq_fence_ok;
}

void
sc_rseq_fence (void)
{
  while (membarrier (MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ, 0) != 0
	 && errno == EINTR)
    ;
}

/* Registration belongs to the address space; a child has a new one.  */
void
sc_sync_after_fork (void)
{
  sync_cmd = 0;
  rseq_fence_ok = false;
}

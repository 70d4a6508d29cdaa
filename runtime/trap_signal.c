/* staticcall runtime: the SIGTRAP handler of the userspace library.

   A thread that executes a site while its batch is in phases 1-3 hits
   the int3 and lands here with RIP = site + 1.  The handler gives the
   trap to trap.c, which decides, with a view of the ucontext's
   registers: it completes the call (self-hit, emulate, or an rseq
   stub, stub_area.c) or says the trap is someone else's.  Then it goes
   to the handler installed before ours, or gets the default action.

   Async-signal-safe: no allocation, no lock.  */

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <string.h>
#include <sched.h>
#include <ucontext.h>
#include <unistd.h>

#include "internal.h"

/* The disposition we replaced.  Two slots, swapped by pointer, so a
   handler never reads one that is being rewritten.  */
static struct sigaction prev_slots[2];
static struct sigaction *_Atomic prev;

/* The register of the hardware number REG (0 %rax ... 15 %r15) in
   the ucontext's order.  */
static const uint8_t greg_of[SC_REG_COUNT] = {
  REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI, REG_RDI,
  REG_R8, REG_R9, REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15,
  [SC_REG_RIP] = REG_RIP, [SC_REG_FLAGS] = REG_EFL
};

/* The siginfo this thread passed to the handler we chained to, while
   that handler runs.  If it forwards the same signal back to us (it was
   installed after us and saved ours as its predecessor), we get this
   copy back: take the default action instead of looping.  A copy on
   chain's own stack, so that a handler that leaves by siglongjmp, and
   never clears this, cannot make a later signal look like a loop.  */
static __thread const siginfo_t *chained_si
  __attribute__ ((tls_model ("initial-exec")));

/* Execute the trapping instruction again with no handler installed:
   RIP is past an int3 (cc) or an `int $3' (cd 03).  */
static void
default_action (siginfo_t *si, ucontext_t *uc)
{
  struct sigaction dfl;
  memset (&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  sigaction (SIGTRAP, &dfl, NULL);
  if (si->si_code == SI_KERNEL)
    {
      const unsigned char *ip
	= (const unsigned char *) uc->uc_mcontext.gregs[REG_RIP];
      uc->uc_mcontext.gregs[REG_RIP] -= ip[-1] == SC_OP_INT3 ? 1 : 2;
    }
  else
    raise (SIGTRAP);
}

static void
chain (int sig, siginfo_t *si, ucontext_t *uc)
{
  if (si == chained_si)
    {
      default_action (si, uc);
      return;
    }
  struct sigaction *old = atomic_load (&prev);
  bool has_handler = (old->sa_flags & SA_SIGINFO)
		     || (old->sa_handler != SIG_DFL
			 && old->sa_handler != SIG_IGN);
  if (has_handler)
    {
      siginfo_t copy = *si;
      const siginfo_t *outer = chained_si;
      chained_si = &copy;
      if (old->sa_flags & SA_SIGINFO)
	old->sa_sigaction (sig, &copy, uc);
      else
	old->sa_handler (sig);
      chained_si = outer;
      return;
    }
  if (old->sa_handler == SIG_IGN && si->si_code != SI_KERNEL)
    return;
  /* What the kernel would have done without us: the default action.
     For a breakpoint, execute it again with no handler installed.  */
  default_action (si, uc);
}

static void
trap_handler (int sig, siginfo_t *si, void *ctx)
{
  ucontext_t *uc = ctx;
  int saved_errno = errno;

  /* SI_KERNEL for an int3; valgrind reports it as TRAP_BRKPT.  */
  if (si->si_code == SI_KERNEL || si->si_code == TRAP_BRKPT)
    {
      /* greg_t is 64 bits, as the view's registers are.  */
      struct sc_regs regs = { .r = (uint64_t *) uc->uc_mcontext.gregs,
			      .index = greg_of, .ctx = uc };
      if (sc_trap_hit (&regs,
		       (unsigned char *) uc->uc_mcontext.gregs[REG_RIP] - 1))
	{
	  errno = saved_errno;
	  return;
	}
    }
  chain (sig, si, uc);
  errno = saved_errno;
}

/* The kernel's struct sigaction on x86-64.  */
struct kernel_sigaction
{
  void *handler;
  unsigned long flags;
  void *restorer;
  uint64_t mask;
};

/* sigfillset leaves out the C library's own signals, SIGCANCEL among
   them: an asynchronous pthread_cancel could then end a thread inside
   the handler, with in_flight never dropped, and every later update
   would wait for it forever.  Block them too, through the kernel's
   call, which the C library's sigaction does not allow.  */
static void
block_libc_signals (void)
{
  struct kernel_sigaction k;
  if (syscall (SYS_rt_sigaction, SIGTRAP, NULL, &k, sizeof k.mask)
      || k.handler != (void *) trap_handler)
    return;
  k.mask = ~(uint64_t) 0 & ~((uint64_t) 1 << (SIGTRAP - 1));
  syscall (SYS_rt_sigaction, SIGTRAP, &k, NULL, sizeof k.mask);
}

/* Make sure our handler is the installed one; run at each batch, so a
   handler the program installed after start-up is chained, not lost.  */
int
sc_trap_install (void)
{
  struct sigaction cur;
  if (sigaction (SIGTRAP, NULL, &cur))
    return -errno;
  if ((cur.sa_flags & SA_SIGINFO) && cur.sa_sigaction == trap_handler)
    return 0;

  struct sigaction *slot = atomic_load (&prev) == &prev_slots[0]
			   ? &prev_slots[1] : &prev_slots[0];
  *slot = cur;
  atomic_store (&prev, slot);

  struct sigaction sa;
  memset (&sa, 0, sizeof sa);
  sa.sa_sigaction = trap_handler;
  /* No other signal may run inside ours: its handler would inherit a
     mask with SIGTRAP blocked, and a site it called mid-patch would
     then kill the process (the kernel forces a blocked SIGTRAP to its
     default action).  For the same reason SIGTRAP itself stays
     unblocked (SA_NODEFER).  */
  sa.sa_flags = SA_SIGINFO | SA_RESTART | SA_ONSTACK | SA_NODEFER;
  sigfillset (&sa.sa_mask);
  sigdelset (&sa.sa_mask, SIGTRAP);
  if (sigaction (SIGTRAP, &sa, NULL))
    return -errno;
  block_libc_signals ();
  return 0;
}

/* At start-up: install the handler and choose its path.  */
int
sc_trap_init (void)
{
  int r = sc_trap_install ();
  if (r == 0 && sc_config->bp == SC_BP_TRAMPOLINE && sc_stubs_init ())
    sc_trap_set_path (SC_BP_TRAMPOLINE);
  return r;
}

/* In a new process: a handler of the parent's that was running when it
   forked left no handler here, and the stub area is the parent's.
   After sc_sync_after_fork (new stubs need a new rseq fence).  */
void
sc_trap_after_fork (void)
{
  sc_trap_forget_handlers ();
  chained_si = NULL;
  if (sc_trap_path () == SC_BP_TRAMPOLINE && !sc_stubs_after_fork ())
    sc_trap_set_path (SC_BP_EMULATE);
}

/* staticcall runtime: the SIGTRAP handler.

   A thread that executes a site while its batch is in phases 1-3 hits
   the int3 and lands here with RIP = site + 1.  The handler finds the
   site in the published batch (binary search; sites are sorted) and
   completes the call to its new destination, by one of three paths
   (a value site's branch or read, below, by none of them):

   self-hit   the trapping thread is the patching thread (a signal
	      handler that ran on it called a site): write that site's
	      final bytes now and restart the instruction (seed 001).
	      The patcher rewrites them again later; nothing waits, so
	      nothing deadlocks.
   emulate    (STATICCALL_BP=emulate, the default) do what the call
	      would have done: push the return address on the
	      interrupted stack, jump to the destination.  The kernel
	      put the signal frame below the red zone, so the push
	      overwrites nothing live.  A tail site (jmp) only jumps.
	      A site whose new instruction is a NOP (a conditional site
	      of a NULL pointer) is skipped, a `ret' (the same as a
	      sibling call) returns, one that clears %rax (a call of
	      static_call_return0) clears it and is skipped.
   stub       (STATICCALL_BP=trampoline) never touch the interrupted
	      stack: send the thread to a per-hit stub that pushes the
	      return address and jumps, made uninterruptible by rseq
	      (stub_area.c).  A NOP, a `ret' or a clearing of %rax is
	      emulated: none writes the stack.

   A static key's branch site or an immediate value's site that a
   thread hits mid-batch is completed in the handler itself, on either
   path: a branch sets RIP to its destination or past the site, a read
   sets the site's register and RIP past the site.  Neither writes the
   stack, so neither needs a stub.  Both read the variable in memory,
   as the site's compiled form does: a value at least as new as the one
   being patched in, and right even for a batch whose writes failed.
   A self-hit finishes the site and restarts it, as for a call.

   A trap that is not at a site of the batch is someone else's: it goes
   to the handler installed before ours, or gets the default action.

   The path (emulate or stub) is chosen once, at start-up: the stub
   path needs rseq and a stub area, and falls back to emulation without
   them.

   Async-signal-safe: no allocation, no lock.  The batches are the
   patcher's (patch.c), which frees one only after sc_trap_retire or
   sc_trap_keep said that no handler is looking at it any more: the
   handlers count themselves in `in_flight'.  */

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

/* Global (hidden) only so that __static_call_debug (introspect.c) can
   tell a debugger where they are.  */
sc_hidden const struct sc_batch *_Atomic sc_trap_active;
/* The last batch whose code writes failed, if any: its sites may still
   hold its int3, so the handler keeps completing their calls (by
   emulation: nothing of it is ever retired) until a later batch, which
   takes them in again, succeeds.  */
sc_hidden const struct sc_batch *_Atomic sc_trap_stuck;
/* How calls are completed: SC_BP_TRAMPOLINE only when sc_trap_init
   could set up the stubs.  */
static enum sc_bp_path path = SC_BP_EMULATE;
static atomic_int in_flight;
/* Batches published so far: tells two batches apart even when their
   descriptors share an address (they live on the patcher's stack).  */
static atomic_ulong generation;

/* The disposition we replaced.  Two slots, swapped by pointer, so a
   handler never reads one that is being rewritten.  */
static struct sigaction prev_slots[2];
static struct sigaction *_Atomic prev;

static const struct sc_patch *
find_patch (const struct sc_batch *b, const unsigned char *site)
{
  size_t lo = 0, hi = b->n;
  while (lo < hi)
    {
      size_t mid = lo + (hi - lo) / 2;
      if (b->p[mid].addr < site)
	lo = mid + 1;
      else if (b->p[mid].addr > site)
	hi = mid;
      else
	return &b->p[mid];
    }
  return NULL;
}

/* The register of the hardware number REG (0 %rax ... 15 %r15) in
   the ucontext's order.  */
static const unsigned char greg_of[16] = {
  REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI, REG_RDI,
  REG_R8, REG_R9, REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15
};

static uint64_t
load_value (const struct sc_patch *p)
{
  switch (p->size)
    {
    case 1:
      return __atomic_load_n ((const uint8_t *) p->var, __ATOMIC_ACQUIRE);
    case 2:
      return __atomic_load_n ((const uint16_t *) p->var, __ATOMIC_ACQUIRE);
    case 4:
      return __atomic_load_n ((const uint32_t *) p->var, __ATOMIC_ACQUIRE);
    default:
      return __atomic_load_n ((const uint64_t *) p->var, __ATOMIC_ACQUIRE);
    }
}

/* What a value site does, done here (both handler paths).  */
static void
emulate_value (greg_t *g, const struct sc_patch *p)
{
  uint64_t v = load_value (p);
  if (p->op == SC_PATCH_BRANCH)
    {
      bool taken = (v != 0) != p->inverted;
      g[REG_RIP] = (greg_t) (taken ? (unsigned char *) p->dest
			     : p->addr + SC_INSN_LEN);
      return;
    }
  /* A 32-bit move zero-extends into the whole register.  */
  g[greg_of[p->reg]] = (greg_t) (p->wide ? v : (uint32_t) v);
  g[REG_RIP] = (greg_t) (p->addr + p->len);
}

static void
emulate_call (greg_t *g, const struct sc_patch *p)
{
  if (p->op == SC_PATCH_BRANCH || p->op == SC_PATCH_SET)
    {
      emulate_value (g, p);
      return;
    }
  /* A NOP, or %rax cleared: on to the next instruction.  */
  if (p->op == SC_PATCH_SKIP && sc_kind_tail (p->kind))
    {
      /* `ret'.  */
      uint64_t *sp = (uint64_t *) g[REG_RSP];
      g[REG_RIP] = (greg_t) *sp;
      g[REG_RSP] = (greg_t) (sp + 1);
      return;
    }
  if (p->op != SC_PATCH_GO)
    {
      if (p->op == SC_PATCH_ZERO)
	g[REG_RAX] = 0;
      g[REG_RIP] = (greg_t) (p->addr + SC_INSN_LEN);
      return;
    }
  if (!sc_kind_tail (p->kind))
    {
      uint64_t *sp = (uint64_t *) g[REG_RSP] - 1;
      *sp = (uint64_t) (p->addr + SC_INSN_LEN);
      g[REG_RSP] = (greg_t) sp;
    }
  g[REG_RIP] = (greg_t) p->dest;
}

static void
count_emulated (const struct sc_patch *p)
{
  if (p->op == SC_PATCH_BRANCH || p->op == SC_PATCH_SET)
    SC_COUNT (bp_value);
  else
    SC_COUNT (bp_emulated);
}

static void
complete_call (ucontext_t *uc, const struct sc_batch *b,
	       const struct sc_patch *p)
{
  greg_t *g = uc->uc_mcontext.gregs;
  /* A child forked (by _Fork, which runs no atfork handler) from a
     signal handler in the middle of a batch inherits the batch, the
     patcher's cached thread id, and a stub area and a code writer that
     belong to its parent: it may only emulate, hence the process id
     checks.  A self-hit whose write fails emulates too.  */
  if (sc_gettid () == b->patcher && getpid () == b->pid
      && sc_text_write (p->addr + 1, p->insn + 1, p->len - 1) == 0
      && sc_text_write (p->addr, p->insn, 1) == 0)
    {
      g[REG_RIP] = (greg_t) p->addr;
      SC_COUNT (bp_self);
      return;
    }
  /* A thread without an rseq registration would never be moved out of
     a stub, so it could still be inside one when the stub is reused.
     Only a call pushes: a value site's jump or register set (and a NOP,
     a `ret', a clearing of %rax) writes no stack and is done here on
     both paths, by emulate_call.  */
  if (!sc_kind_tail (p->kind) && p->op == SC_PATCH_GO
      && path == SC_BP_TRAMPOLINE
      && sc_rseq_registered () && getpid () == b->pid)
    {
      uint32_t ticket;
      void *stub = sc_stub_for_call (p, &ticket);
      if (stub)
	{
	  sc_stub_enter (uc, stub, ticket, p->addr);
	  SC_COUNT (bp_stub);
	  return;
	}
    }
  emulate_call (g, p);
  count_emulated (p);
}

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

/* The patch of batch B (or NULL) for SITE, when B put the int3 there
   (not a debugger, whose int3 B wrote under).  */
static const struct sc_patch *
our_patch (const struct sc_batch *b, const unsigned char *site)
{
  const struct sc_patch *p = b ? find_patch (b, site) : NULL;
  return p && !p->under_foreign_int3 ? p : NULL;
}

static void
trap_handler (int sig, siginfo_t *si, void *ctx)
{
  ucontext_t *uc = ctx;
  greg_t *g = uc->uc_mcontext.gregs;
  int saved_errno = errno;

  /* SI_KERNEL for an int3; valgrind reports it as TRAP_BRKPT.  */
  if (si->si_code == SI_KERNEL || si->si_code == TRAP_BRKPT)
    {
      unsigned char *site = (unsigned char *) g[REG_RIP] - 1;
      for (;;)
	{
	  atomic_fetch_add (&in_flight, 1);
	  unsigned long gen = atomic_load (&generation);
	  const struct sc_batch *b = atomic_load (&sc_trap_active);
	  const struct sc_patch *p = our_patch (b, site);
	  if (p)
	    complete_call (uc, b, p);
	  else if ((p = our_patch (atomic_load (&sc_trap_stuck), site)))
	    {
	      emulate_call (g, p);
	      count_emulated (p);
	    }
	  if (p)
	    {
	      atomic_fetch_sub (&in_flight, 1);
	      errno = saved_errno;
	      return;
	    }
	  unsigned char now = *site;
	  atomic_fetch_sub (&in_flight, 1);
	  /* A trap taken during a batch that has finished since: the int3
	     is gone and a call, a jmp, a NOP, a clearing of %rax, a move
	     or a load stands there.  Run it.  */
	  if (sc_insn_may_be_site (now))
	    {
	      g[REG_RIP] = (greg_t) site;
	      SC_COUNT (bp_stale);
	      errno = saved_errno;
	      return;
	    }
	  /* An int3 that the batch we looked at does not know: someone
	     else's, unless another batch was published meanwhile (the trap
	     came from the previous one, and this one put a new int3 there
	     after we looked).  Look again then.  */
	  if (now != SC_OP_INT3 || atomic_load (&generation) == gen)
	    break;
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
    path = SC_BP_TRAMPOLINE;
  return r;
}

/* In a new process: a handler of the parent's that was running when it
   forked left no handler here, and the stub area is the parent's.
   After sc_sync_after_fork (new stubs need a new rseq fence).  */
void
sc_trap_after_fork (void)
{
  atomic_store (&in_flight, 0);
  chained_si = NULL;
  if (path == SC_BP_TRAMPOLINE && !sc_stubs_after_fork ())
    path = SC_BP_EMULATE;
}

void
sc_trap_publish (const struct sc_batch *b)
{
  if (path == SC_BP_TRAMPOLINE)
    sc_stubs_reset ();
  /* The batch first, then the generation: a handler that saw no batch
     and then finds an int3 of this one must see a new generation and
     look again (trap_handler), never mistake it for someone else's.  */
  atomic_store (&sc_trap_active, b);
  atomic_fetch_add (&generation, 1);
}

/* Make B (or NULL) the stuck batch, instead of the one kept before.
   When this returns, no handler is looking at that one any more: the
   patcher may free it.  */
void
sc_trap_keep (const struct sc_batch *b)
{
  const struct sc_batch *old = atomic_exchange (&sc_trap_stuck, b);
  if (!old)
    return;
  while (atomic_load (&in_flight))
    sched_yield ();
}

/* Unpublish the batch, wait for handlers still looking at it, and
   make sure no thread is left inside one of its stubs.  */
void
sc_trap_retire (void)
{
  atomic_store (&sc_trap_active, NULL);
  while (atomic_load (&in_flight))
    sched_yield ();
  if (path == SC_BP_TRAMPOLINE && sc_stubs_used ())
    sc_rseq_fence ();
}

/* staticcall runtime: the trap handler's decisions, for any
   environment: the userspace SIGTRAP handler (trap_signal.c) and a
   kernel's #BP entry (freestanding/fs_entry.c) call sc_trap_hit with a
   register view of their frame (struct sc_regs).

   A thread that executes a site while its batch is in phases 1-3 hits
   the trap byte (SC_TRAP_BYTE: int3) and lands here with the site's
   address.  The handler finds the site in the published batch (binary
   search; sites are sorted) and completes the call to its new
   destination, by one of three paths (a value site's branch or read,
   below, by none of them):

   self-hit   the trapping thread is the patching thread (a signal
	      handler that ran on it called a site; in a kernel, an
	      interrupt on the patching CPU): write that site's final
	      bytes now and restart the instruction (seed 001).  The
	      patcher rewrites them again later; nothing waits, so
	      nothing deadlocks.
   emulate    (STATICCALL_BP=emulate, the default) do what the call
	      would have done: push the return address on the
	      interrupted stack, jump to the destination.  The kernel
	      put the signal frame below the red zone, so the push
	      overwrites nothing live (in ring 0 the #BP entry leaves a
	      gap for it, STATIC_CALL_TRAP_GAP).  A tail site (jmp) only
	      jumps.  A site whose new instruction is a NOP (a
	      conditional site of a NULL pointer) is skipped, a `ret'
	      (the same as a sibling call) returns, one that clears %rax
	      (a call of static_call_return0) clears it and is skipped.
   stub       (STATICCALL_BP=trampoline; STATIC_CALL_PATH_STI_STUB)
	      never touch the interrupted stack: send the thread to a
	      stub that pushes the return address and jumps, made
	      uninterruptible by rseq (stub_area.c) or by the STI shadow
	      (freestanding/fs_stub.c).  A NOP, a `ret' or a clearing of
	      %rax is emulated: none writes the stack.

   A static key's branch site or an immediate value's site that a
   thread hits mid-batch is completed in the handler itself, on either
   path: a branch sets RIP to its destination or past the site, a read
   sets the site's register and RIP past the site.  Neither writes the
   stack, so neither needs a stub.  Both read the variable in memory,
   as the site's compiled form does: a value at least as new as the one
   being patched in, and right even for a batch whose writes failed.
   A self-hit finishes the site and restarts it, as for a call.

   A trap that is not at a site of the batch is someone else's: the
   environment hands it on (to the handler installed before ours, or
   to the kernel's own handling).

   The path (emulate or stub) is chosen once, at start-up, by the
   environment (sc_trap_set_path): the stub path needs its stubs
   (rseq and a stub area in userspace, per-CPU areas in a kernel), and
   falls back to emulation without them.  The stub itself is the
   environment's (sc_stub_call).

   Async-signal-safe: no allocation, no lock.  The batches are the
   patcher's (patch.c), which frees one only after sc_trap_retire or
   sc_trap_keep said that no handler is looking at it any more: the
   handlers count themselves in `in_flight'.  */

#include "config.h"

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
emulate_value (struct sc_regs *g, const struct sc_patch *p)
{
  uint64_t v = load_value (p);
  if (p->op == SC_PATCH_BRANCH)
    {
      bool taken = (v != 0) != p->inverted;
      *sc_reg (g, SC_REG_RIP) = (uintptr_t) (taken ? (unsigned char *) p->dest
					     : p->addr + SC_INSN_LEN);
      return;
    }
  /* A 32-bit move zero-extends into the whole register.  */
  *sc_reg (g, p->reg) = p->wide ? v : (uint32_t) v;
  *sc_reg (g, SC_REG_RIP) = (uintptr_t) (p->addr + p->len);
}

/* Complete the call (or the branch, or the read) at P on the
   interrupted stack: in ring 0 the push needs the gap the #BP entry
   leaves below the interrupted frame (STATIC_CALL_TRAP_GAP); in
   userspace the kernel put the signal frame below the red zone.  */
static void
emulate_call (struct sc_regs *g, const struct sc_patch *p)
{
  if (p->op == SC_PATCH_BRANCH || p->op == SC_PATCH_SET)
    {
      emulate_value (g, p);
      return;
    }
  uint64_t *rip = sc_reg (g, SC_REG_RIP), *rsp = sc_reg (g, SC_REG_RSP);
  /* A NOP, or %rax cleared: on to the next instruction.  */
  if (p->op == SC_PATCH_SKIP && sc_kind_tail (p->kind))
    {
      /* `ret'.  */
      uint64_t *sp = (uint64_t *) (uintptr_t) *rsp;
      *rip = *sp;
      *rsp = (uintptr_t) (sp + 1);
      return;
    }
  if (p->op != SC_PATCH_GO)
    {
      if (p->op == SC_PATCH_ZERO)
	*sc_reg (g, SC_REG_RAX) = 0;
      *rip = (uintptr_t) (p->addr + SC_INSN_LEN);
      return;
    }
  if (!sc_kind_tail (p->kind))
    {
      uint64_t *sp = (uint64_t *) (uintptr_t) *rsp - 1;
      *sp = (uint64_t) (uintptr_t) (p->addr + SC_INSN_LEN);
      *rsp = (uintptr_t) sp;
    }
  *rip = (uintptr_t) p->dest;
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
complete_call (struct sc_regs *g, const struct sc_batch *b,
	       const struct sc_patch *p)
{
  /* A child forked (by _Fork, which runs no atfork handler) from a
     signal handler in the middle of a batch inherits the batch, the
     patcher's cached thread id, and a stub area and a code writer that
     belong to its parent: it may only emulate, hence the process id
     checks (sc_is_patcher, sc_stub_call).  A self-hit whose write
     fails emulates too.  */
  if (sc_is_patcher (b)
      && sc_text_write (p->addr + 1, p->insn + 1, p->len - 1) == 0
      && sc_text_write (p->addr, p->insn, 1) == 0)
    {
      *sc_reg (g, SC_REG_RIP) = (uintptr_t) p->addr;
      SC_COUNT (bp_self);
      return;
    }
  /* Only a call pushes: a value site's jump or register set (and a NOP,
     a `ret', a clearing of %rax) writes no stack and is done here on
     both paths, by emulate_call.  */
  if (!sc_kind_tail (p->kind) && p->op == SC_PATCH_GO
      && path == SC_BP_TRAMPOLINE && sc_stub_call (g, b, p))
    {
      SC_COUNT (bp_stub);
      return;
    }
  emulate_call (g, p);
  count_emulated (p);
}

/* The patch of batch B (or NULL) for SITE, when B put the int3 there
   (not a debugger, whose int3 B wrote under).  */
static const struct sc_patch *
our_patch (const struct sc_batch *b, const unsigned char *site)
{
  const struct sc_patch *p = b ? find_patch (b, site) : NULL;
  return p && !p->under_foreign_int3 ? p : NULL;
}

bool
sc_trap_hit (struct sc_regs *g, unsigned char *site)
{
  for (;;)
    {
      atomic_fetch_add (&in_flight, 1);
      unsigned long gen = atomic_load (&generation);
      const struct sc_batch *b = atomic_load (&sc_trap_active);
      const struct sc_patch *p = our_patch (b, site);
      if (p)
	complete_call (g, b, p);
      else if ((p = our_patch (atomic_load (&sc_trap_stuck), site)))
	{
	  emulate_call (g, p);
	  count_emulated (p);
	}
      if (p)
	{
	  atomic_fetch_sub (&in_flight, 1);
	  return true;
	}
      unsigned char now = *site;
      atomic_fetch_sub (&in_flight, 1);
      /* A trap taken during a batch that has finished since: the int3
	 is gone and a call, a jmp, a NOP, a clearing of %rax, a move or
	 a load stands there.  Run it.  */
      if (sc_insn_may_be_site (now))
	{
	  *sc_reg (g, SC_REG_RIP) = (uintptr_t) site;
	  SC_COUNT (bp_stale);
	  return true;
	}
      /* An int3 that the batch we looked at does not know: someone
	 else's, unless another batch was published meanwhile (the trap
	 came from the previous one, and this one put a new int3 there
	 after we looked).  Look again then.  */
      if (now != SC_TRAP_BYTE || atomic_load (&generation) == gen)
	return false;
    }
}

void
sc_trap_set_path (enum sc_bp_path p)
{
  path = p;
}

enum sc_bp_path
sc_trap_path (void)
{
  return path;
}

/* In a new process: a handler of the parent's that was running when it
   forked left no handler here.  */
void
sc_trap_forget_handlers (void)
{
  atomic_store (&in_flight, 0);
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
    sc_relax ();
}

/* Unpublish the batch, wait for handlers still looking at it, and
   make sure no thread is left inside one of its stubs.  */
void
sc_trap_retire (void)
{
  atomic_store (&sc_trap_active, NULL);
  while (atomic_load (&in_flight))
    sc_relax ();
  if (path == SC_BP_TRAMPOLINE)
    sc_stubs_retire ();
}

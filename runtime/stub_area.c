/* staticcall runtime: stubs for the STI-shadow handler path.

   Linus Torvalds' design (seed 002, 2019-01-11): the breakpoint handler
   does not write the interrupted stack; it points the thread at a stub
   `push return-address; jmp target' that cannot be interrupted (the
   kernel clears IF and uses the STI shadow), so that once every CPU has
   synced no CPU can be inside it and it can be rewritten.

   Userspace has restartable sequences for the same guarantee:
     - the stub area is one rseq critical section.  The handler sets the
       thread's rseq_cs to its descriptor, %r10 to the interrupted %rsp
       and %r11 to the site (both are clobbered by any call, so dead at
       a call site) and RIP to a fresh stub;
     - preemption, migration or a signal while the thread is in the
       area sends it to __static_call_rseq_abort (rseq_abort.S), fixed
       code that is never rewritten: `mov %r10,%rsp; jmp *%r11' undoes
       the push and re-executes the site, which by then holds the
       breakpoint or the finished call;
     - before the area is reused (next batch),
       membarrier(PRIVATE_EXPEDITED_RSEQ) moves every running thread
       out of it; preempted threads abort when they resume.  So a stub
       is never rewritten while a thread can be inside it.
   Stubs are written through a second, writable mapping of the same
   memfd: the executable view is never writable.

   Two gaps need closing, both about a thread that reaches a stub
   without the protection the handler gave it:
     - between the handler arming rseq_cs and the thread's first
       instruction in the stub, it runs the rest of the handler and
       sigreturn, outside the critical section.  Preempted or fenced
       there, the kernel clears rseq_cs instead of aborting, and the
       thread would then run its stub unprotected, maybe after the stub
       was recycled.  So every stub starts by checking that rseq_cs is
       armed, and otherwise leaves for the abort handler (restart at
       the site);
     - rseq_cs may be armed by a later arming, not by this stub's:
       after the first gap, a signal delivered at the stub's first byte
       runs a handler that hits another site under patch, is given a
       stub (perhaps this very slot, rewritten for a later batch) and
       returns.  Its arming is still in rseq_cs when the outer context
       resumes at the first byte.  So each arming also hands the thread
       a ticket, in a thread-local word: the slot's index and the stub
       area's generation.  The stub runs on only if the word holds its
       own ticket, and clears it, so that a context can use a stub only
       once and only the one it was given.  Any other arrival goes to
       the abort handler and re-executes its site.
   The guard's first instruction and its jump to the abort handler do
   not depend on what the slot holds: a thread that sits at the first
   byte while the slot is rewritten executes the same bytes either way.
   The ticket's immediate does change, but is only reached with rseq_cs
   armed and compared against this thread's word, and tickets of one
   slot differ only above bit 12 while a ticket of another slot differs
   below: no mix of old and new bytes gives the thread's own ticket.

   A stub:  64 48 83 3c 25 disp32 00        cmpq $0, %fs:rseq_cs
	    74 rel8                         je abort
	    64 81 3c 25 disp32 imm32        cmpl $ticket, %fs:ticket_word
	    75 rel8                         jne abort
	    64 c7 04 25 disp32 00000000     movl $0, %fs:ticket_word
	    [park hook]
	    68 imm32                        push $low32(ret)
	    c7 44 24 04 imm32               movl $high32(ret), 4(%rsp)
	    ff 25 00 00 00 00               jmp *0(%rip)
	    imm64                           target
	    ...
  abort:    ff 25 disp32                    jmp *abort_ptr(%rip)  (header)
   at a fixed offset near the end of the slot.
   The park hook (tests only, __static_call_debug_park) spins while a
   flag in the area's header is set, to hold a thread inside a stub.  */

#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/rseq.h>
#include <ucontext.h>
#include <unistd.h>

#include "internal.h"

#define STUB_SIZE 128
#define ABORT_PTR_OFFSET 8	/* in the header: &__static_call_rseq_abort */
#define GUARD_SIZE 38		/* cmpq, je, cmpl, jne, movl */
#define ABORT_JMP 120		/* offset of jmp *abort_ptr in a slot */
#define STUB_COUNT 4096		/* a power of two: the ticket's low bits */
#define TICKET_SLOT_BITS 12
#define HEADER_SIZE 64
#define AREA_SIZE (HEADER_SIZE + STUB_SIZE * STUB_COUNT)

_Static_assert (STUB_COUNT == 1 << TICKET_SLOT_BITS, "ticket layout");

extern const char __static_call_rseq_abort[] sc_hidden;

static unsigned char *rw, *rx;
static atomic_size_t next_stub;
/* Bumped each time the area is reused; never 0 in a ticket's high
   bits, so that no ticket is 0, the value of a consumed one.  */
static uint32_t generation = 1;
/* The calling thread's ticket: written by the handler, checked and
   cleared by the stub through %fs at ticket_offset.  */
static __thread uint32_t ticket_word
  __attribute__ ((tls_model ("initial-exec")));
static int32_t ticket_offset;
static bool park_stubs;
static struct rseq_cs area_cs __attribute__ ((aligned (32)));

bool
sc_stubs_init (void)
{
  if (rw)
    return true;
  if (__rseq_size == 0)
    {
      sc_warn ("STATICCALL_BP=trampoline needs rseq, which glibc did not "
	       "register here; using 'emulate'");
      return false;
    }
  if (!sc_rseq_fence_init ())
    {
      sc_warn ("STATICCALL_BP=trampoline needs membarrier RSEQ fences, "
	       "not available here; using 'emulate'");
      return false;
    }
  int fd = memfd_create ("staticcall-stubs", MFD_CLOEXEC);
  if (fd < 0 || ftruncate (fd, AREA_SIZE))
    {
      sc_warn ("STATICCALL_BP=trampoline: no memfd for stubs (%m); "
	       "using 'emulate'");
      if (fd >= 0)
	close (fd);
      return false;
    }
  void *w = mmap (NULL, AREA_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  void *x = mmap (NULL, AREA_SIZE, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
  close (fd);
  if (w == MAP_FAILED || x == MAP_FAILED)
    {
      sc_warn ("STATICCALL_BP=trampoline: cannot map stubs (%m); "
	       "using 'emulate'");
      if (w != MAP_FAILED)
	munmap (w, AREA_SIZE);
      if (x != MAP_FAILED)
	munmap (x, AREA_SIZE);
      return false;
    }
  rw = w;
  rx = x;
  /* Initial-exec TLS: the same offset from the thread pointer in every
     thread.  */
  ticket_offset = (int32_t) ((char *) &ticket_word
			     - (char *) __builtin_thread_pointer ());
  uint64_t abort_ip = (uintptr_t) __static_call_rseq_abort;
  memcpy (rw + ABORT_PTR_OFFSET, &abort_ip, 8);
  area_cs.version = 0;
  area_cs.flags = 0;
  area_cs.start_ip = (uintptr_t) rx + HEADER_SIZE;
  area_cs.post_commit_offset = STUB_SIZE * STUB_COUNT;
  area_cs.abort_ip = (uintptr_t) __static_call_rseq_abort;
  return true;
}

/* Called with no batch published and, since the previous batch's
   retirement fence, no thread inside any stub.  */
void
sc_stubs_reset (void)
{
  atomic_store (&next_stub, 0);
  uint32_t g = generation + 1;
  if ((g & ((1u << (32 - TICKET_SLOT_BITS)) - 1)) == 0)
    g++;
  __atomic_store_n (&generation, g, __ATOMIC_RELAXED);
}

bool
sc_stubs_used (void)
{
  return atomic_load (&next_stub) != 0;
}

static unsigned char *
put (unsigned char *s, const void *bytes, size_t n)
{
  memcpy (s, bytes, n);
  return s + n;
}

/* A stub for the call at P, or NULL when the area is full; *TICKET
   receives what sc_stub_enter must give the thread.  */
void *
sc_stub_for_call (const struct sc_patch *p, uint32_t *ticket)
{
  size_t i = atomic_fetch_add (&next_stub, 1);
  if (i >= STUB_COUNT)
    {
      SC_COUNT (stub_exhausted);
      return NULL;
    }
  *ticket = __atomic_load_n (&generation, __ATOMIC_RELAXED)
	    << TICKET_SLOT_BITS | (uint32_t) i;
  size_t off = HEADER_SIZE + i * STUB_SIZE;
  unsigned char *slot = rw + off, *s = slot;
  uint64_t ret = (uint64_t) (p->addr + SC_INSN_LEN);
  uint32_t lo = (uint32_t) ret, hi = (uint32_t) (ret >> 32);

  /* cmpq $0, %fs:rseq_cs; je abort  */
  int32_t cs_off = (int32_t) (__rseq_offset
			      + offsetof (struct rseq, rseq_cs));
  static const unsigned char cmpq[5] = { 0x64, 0x48, 0x83, 0x3c, 0x25 };
  s = put (s, cmpq, 5);
  s = put (s, &cs_off, 4);
  *s++ = 0;
  *s++ = 0x74;
  *s = (unsigned char) (ABORT_JMP - (s + 1 - slot));
  s++;
  /* cmpl $ticket, %fs:ticket_word; jne abort  */
  static const unsigned char cmpl[4] = { 0x64, 0x81, 0x3c, 0x25 };
  s = put (s, cmpl, 4);
  s = put (s, &ticket_offset, 4);
  s = put (s, ticket, 4);
  *s++ = 0x75;
  *s = (unsigned char) (ABORT_JMP - (s + 1 - slot));
  s++;
  /* movl $0, %fs:ticket_word: the ticket is used up.  */
  static const unsigned char movl0[4] = { 0x64, 0xc7, 0x04, 0x25 };
  static const unsigned char zero[4] = { 0 };
  s = put (s, movl0, 4);
  s = put (s, &ticket_offset, 4);
  s = put (s, zero, 4);

  if (park_stubs)
    {
      /* cmpb $0, flag(%rip); jne <back to cmpb>.  The flag is byte 0
	 of the header.  */
      int32_t rel = -(int32_t) (off + GUARD_SIZE + 7);
      static const unsigned char cmpb[2] = { 0x80, 0x3d };
      static const unsigned char jne[2] = { 0x75, 0xf7 };
      s = put (s, cmpb, 2);
      s = put (s, &rel, 4);
      *s++ = 0;
      s = put (s, jne, 2);
    }
  *s++ = 0x68;
  s = put (s, &lo, 4);
  static const unsigned char movl[4] = { 0xc7, 0x44, 0x24, 0x04 };
  s = put (s, movl, 4);
  s = put (s, &hi, 4);
  static const unsigned char jmp[6] = { 0xff, 0x25, 0, 0, 0, 0 };
  s = put (s, jmp, 6);
  uint64_t dest = (uint64_t) p->dest;
  put (s, &dest, 8);

  /* jmp *abort_ptr(%rip), at the same place in every slot.  */
  int32_t to_abort = (int32_t) ABORT_PTR_OFFSET
		     - (int32_t) (off + ABORT_JMP + 6);
  static const unsigned char jmpm[2] = { 0xff, 0x25 };
  s = put (slot + ABORT_JMP, jmpm, 2);
  put (s, &to_abort, 4);
  sc_perf_map_add (rx + off, STUB_SIZE, "stub",
		   p->site && p->site->key ? p->site->key->name : NULL,
		   p->addr);
  return rx + off;
}

static struct rseq *
thread_rseq (void)
{
  return (struct rseq *) ((char *) __builtin_thread_pointer ()
			  + __rseq_offset);
}

/* Whether the calling thread has an rseq area registered with the
   kernel (glibc registers one per thread unless told not to; a thread
   may also unregister it).  */
bool
sc_rseq_registered (void)
{
  return __rseq_size != 0
	 && (int32_t) __atomic_load_n (&thread_rseq ()->cpu_id,
				       __ATOMIC_RELAXED) >= 0;
}

/* Test hook: called by the handler right after it armed a stub.  */
static void (*after_arm) (void);

void
sc_stub_enter (void *ucv, void *stub, uint32_t ticket, unsigned char *site)
{
  ucontext_t *uc = ucv;
  greg_t *g = uc->uc_mcontext.gregs;
  ticket_word = ticket;
  __atomic_store_n (&thread_rseq ()->rseq_cs, (uint64_t) (uintptr_t) &area_cs,
		    __ATOMIC_RELAXED);
  g[REG_R10] = g[REG_RSP];
  g[REG_R11] = (greg_t) site;
  g[REG_RIP] = (greg_t) stub;
  void (*hook) (void) = __atomic_load_n (&after_arm, __ATOMIC_ACQUIRE);
  if (hook)
    hook ();
}

/* Test hook: have FN (or nothing, if NULL) called in the trap handler
   each time it has sent a thread to a stub, after arming rseq_cs, so
   that a test can do there what the kernel might (preempt the thread,
   which clears rseq_cs) and queue a signal for the thread's return to
   its stub.  Returns -1 when the stub path is not in use.  */
int
__static_call_debug_after_arm (void (*fn) (void))
{
  if (!rw)
    return -1;
  __atomic_store_n (&after_arm, fn, __ATOMIC_RELEASE);
  return 0;
}

/* In a child of fork the area is shared with the parent: its stubs must
   not be written by the child.  Make a new one.  Returns whether the
   child has stubs.  */
bool
sc_stubs_after_fork (void)
{
  if (!rw)
    return false;
  munmap (rw, AREA_SIZE);
  munmap (rx, AREA_SIZE);
  rw = rx = NULL;
  return sc_stubs_init ();
}

/* Test hook: while *on is non-zero, new stubs spin at their start, so a
   thread can be held inside one.  Returns -1 when the stub path is not
   in use.  */
int
__static_call_debug_park (int on)
{
  if (!rw)
    return -1;
  park_stubs = true;
  __atomic_store_n (&rw[0], on ? 1 : 0, __ATOMIC_RELEASE);
  return 0;
}

/* The stub path of trap.c's handler: a call at P sent to a stub.  A
   thread without an rseq registration would never be moved out of a
   stub, so it could still be inside one when the stub is reused: it
   emulates; so does a child of fork mid-batch (the area is the
   parent's).  */
bool
sc_stub_call (struct sc_regs *regs, const struct sc_batch *b,
	      const struct sc_patch *p)
{
  if (!sc_rseq_registered () || getpid () != b->pid)
    return false;
  uint32_t ticket;
  void *stub = sc_stub_for_call (p, &ticket);
  if (!stub)
    return false;
  sc_stub_enter (regs->ctx, stub, ticket, p->addr);
  return true;
}

/* After a batch's retirement: no thread may be left inside one of its
   stubs.  */
void
sc_stubs_retire (void)
{
  if (sc_stubs_used ())
    sc_rseq_fence ();
}

extern unsigned long __static_call_rseq_abort_count sc_hidden;

unsigned long
sc_stub_aborts (void)
{
  return __atomic_load_n (&__static_call_rseq_abort_count, __ATOMIC_RELAXED);
}

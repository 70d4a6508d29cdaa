/* staticcall freestanding runtime: the STI-shadow stubs (seed 002).

   A CPU that traps at a call site under patch, with the stub path
   configured, returns from the exception to a stub of its own CPU's
   area, with IF cleared in the returned flags:

	push $ret		(site + 5: the call's return address)
	sti
	jmp target

   With IF clear the stub cannot be interrupted, and `sti' enables
   interrupts only after the next instruction: the jmp is in its
   shadow.  So once the CPU takes an interrupt (the sync's IPI among
   them) it has left the stub.  The call is then made exactly as the
   new instruction makes it, and nothing is written below the
   interrupted stack pointer by the handler: no entry gap is needed.
   When the interrupted context ran with IF clear already, the stub has
   a NOP in place of `sti' and IF stays clear.

   A return address above 2^31 below the top (not a kernel built for
   the top 2 GiB) does not fit push's sign-extended imm32: the stub
   pushes its low half and writes the high half with `movl $hi,
   4(%rsp)'.  A target beyond rel32 reach of the stub is jumped to
   through `jmp *0(%rip)' and the address after it.

   Reuse: a slot is written again only once every CPU has synced since
   it was handed out (the sync generation, fs_env.c, has moved on by
   two), so no CPU can still be inside it, not even one that an NMI
   interrupted there.  A slot that holds exactly the stub wanted (same
   return address, target and sti) is handed out again without being
   rewritten: a CPU looping on one site during a batch would otherwise
   fill its area.  A full area: the call is emulated (stub_exhausted).

   The areas are per CPU and only their own CPU's handler, interrupts
   disabled, writes them: no lock, no atomic operation beyond reading
   the sync generation.  The exception's return (IRET) serialises, so
   the CPU runs the bytes it has just written.  */

#include "config.h"

#include "fs.h"

#define STUB_SIZE 32
#define STUBS_PER_CPU 64
#define RFLAGS_IF 0x200

struct stub_slot
{
  uint64_t ret, target;
  unsigned long handed;		/* sc_fs_syncs_done when handed out */
  bool used, sti;
};

unsigned long _Atomic sc_fs_syncs_done;

void
sc_sync_cores (void)
{
  static_call_port_sync_cpus ();
  SC_COUNT (syncs);
  /* After the sync has returned: a stub handed out before the previous
     sync returned has been left by every CPU.  */
  atomic_fetch_add (&sc_fs_syncs_done, 1);
}

static unsigned char *areas;	/* ncpus * STUBS_PER_CPU * STUB_SIZE */
static struct stub_slot *slots;
static unsigned *next_slot;	/* per CPU: where to look first */

bool
sc_fs_stubs_init (unsigned ncpus)
{
  size_t n = (size_t) ncpus * STUBS_PER_CPU;
  areas = static_call_port_alloc_text (n * STUB_SIZE);
  slots = sc_zalloc (n * sizeof *slots);
  next_slot = sc_zalloc (ncpus * sizeof *next_slot);
  if (!areas || !slots || !next_slot)
    {
      sc_free (slots);
      sc_free (next_slot);
      areas = NULL;
      slots = NULL;
      next_slot = NULL;
      sc_warn ("no memory for the STI-shadow stubs; calls that hit a site "
	       "under patch are emulated");
      return false;
    }
  return true;
}

static unsigned char *
put (unsigned char *s, const void *bytes, size_t n)
{
  memcpy (s, bytes, n);
  return s + n;
}

/* The stub of SLOT's fields at S.  */
static void
write_stub (unsigned char *s, const struct stub_slot *slot)
{
  unsigned char *start = s;
  uint32_t lo = (uint32_t) slot->ret, hi = (uint32_t) (slot->ret >> 32);
  *s++ = 0x68;				/* push $imm32 (sign-extended) */
  s = put (s, &lo, 4);
  if ((uint64_t) (int64_t) (int32_t) lo != slot->ret)
    {
      static const unsigned char movl[4] = { 0xc7, 0x44, 0x24, 0x04 };
      s = put (s, movl, 4);		/* movl $hi, 4(%rsp) */
      s = put (s, &hi, 4);
    }
  *s++ = slot->sti ? 0xfb : 0x90;	/* sti, or nop */
  int64_t rel = (int64_t) slot->target - (int64_t) (uintptr_t) (s + 5);
  if (rel == (int32_t) rel)
    {
      int32_t rel32 = (int32_t) rel;
      *s++ = 0xe9;			/* jmp rel32 */
      s = put (s, &rel32, 4);
    }
  else
    {
      static const unsigned char jmpm[6] = { 0xff, 0x25, 0, 0, 0, 0 };
      s = put (s, jmpm, 6);		/* jmp *0(%rip) */
      s = put (s, &slot->target, 8);
    }
  /* Never reached: int3 up to the next slot.  */
  memset (s, SC_OP_INT3, STUB_SIZE - (s - start));
}

bool
sc_stub_call (struct sc_regs *regs, const struct sc_batch *b,
	      const struct sc_patch *p)
{
  if (!areas)
    return false;
  unsigned cpu = static_call_port_cpu ();
  if (cpu >= sc_fs_ncpus)
    return false;
  uint64_t *flags = sc_reg (regs, SC_REG_FLAGS);
  struct stub_slot want = {
    .ret = (uint64_t) (uintptr_t) (p->addr + SC_INSN_LEN),
    .target = (uint64_t) (uintptr_t) p->dest,
    .used = true,
    .sti = (*flags & RFLAGS_IF) != 0,
  };
  unsigned long now = atomic_load (&sc_fs_syncs_done);
  want.handed = now;
  struct stub_slot *mine = &slots[(size_t) cpu * STUBS_PER_CPU];
  unsigned char *area = areas + (size_t) cpu * STUBS_PER_CPU * STUB_SIZE;
  int found = -1, free_slot = -1;
  for (unsigned k = 0; k < STUBS_PER_CPU; k++)
    {
      unsigned i = (next_slot[cpu] + k) % STUBS_PER_CPU;
      struct stub_slot *s = &mine[i];
      if (s->used && s->ret == want.ret && s->target == want.target
	  && s->sti == want.sti)
	{
	  found = (int) i;
	  break;
	}
      if (free_slot < 0 && (!s->used || now - s->handed >= 2))
	free_slot = (int) i;
    }
  if (found < 0)
    {
      if (free_slot < 0)
	{
	  SC_COUNT (stub_exhausted);
	  return false;
	}
      found = free_slot;
      write_stub (area + (size_t) found * STUB_SIZE, &want);
      next_slot[cpu] = (unsigned) (found + 1) % STUBS_PER_CPU;
    }
  mine[found] = want;
  *sc_reg (regs, SC_REG_RIP) = (uintptr_t) (area + (size_t) found * STUB_SIZE);
  *flags &= ~(uint64_t) RFLAGS_IF;
  return true;
}

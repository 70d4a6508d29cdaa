/* workload.c: what every CPU runs.  Three static calls (keys kern_op,
   kern_mix, kern_tick), called in a loop with interrupts enabled on
   every CPU, one of them also through a tail call, and each once from
   the timer handler; CPU 0 retargets them in turn, thousands of times,
   with static_call_update.  Every result is checked (see valid).

   Built with -fplugin=staticcall and linked with
   libstaticcall-freestanding.a (kernel.exp), each call below is a
   direct call that the runtime patches; its #BP (or #UD) handler is
   static_call_trap, called through kern_trap_hook with the register
   frame.  */

#include "kernel.h"
#include <static_call.h>

typedef unsigned long op_fn (unsigned long);

static unsigned long op_a (unsigned long x) { return x * 3 + 1; }
static unsigned long op_b (unsigned long x) { return x * 5 + 2; }
static unsigned long op_c (unsigned long x) { return x * 7 + 3; }
static unsigned long op_d (unsigned long x) { return x * 11 + 4; }
static unsigned long mix_a (unsigned long x) { return x ^ 0x5555; }
static unsigned long mix_b (unsigned long x) { return (x << 3) ^ 17; }
static unsigned long mix_c (unsigned long x) { return (x >> 2) + 99; }
static unsigned long mix_d (unsigned long x) { return ~x; }
static unsigned long tick_a (unsigned long x) { return x + 1000; }
static unsigned long tick_b (unsigned long x) { return x + 2000; }
static unsigned long tick_c (unsigned long x) { return x + 3000; }
static unsigned long tick_d (unsigned long x) { return x + 4000; }

#define N_TARGETS 4

static op_fn *kern_op STATIC_CALL (kern_op) = op_a;
static op_fn *kern_mix STATIC_CALL (kern_mix) = mix_a;
static op_fn *kern_tick STATIC_CALL (kern_tick) = tick_a;

/* Each key: its annotated pointer (the drive loop stores through it
   with static_call_update, so a macro per key below), its targets in
   the order the drive loop installs them, and two generations: STARTED
   is the number of the update in progress or last done, DONE that of
   the last one static_call_update returned from.  Target G is
   targets[G % N_TARGETS].  */
struct key
{
  const char *name;
  op_fn *const targets[N_TARGETS];
  volatile uint64_t started, done;
};

enum { K_OP, K_MIX, K_TICK, N_KEYS };

static struct key keys[N_KEYS] = {
  { "kern_op", { op_a, op_b, op_c, op_d }, 0, 0 },
  { "kern_mix", { mix_a, mix_b, mix_c, mix_d }, 0, 0 },
  { "kern_tick", { tick_a, tick_b, tick_c, tick_d }, 0, 0 },
};

volatile int kern_stop;
unsigned kern_retargets = 2000;
unsigned kern_min_ms = 200;
unsigned kern_max_ms = 10000;
unsigned long kern_retargets_done;
unsigned long kern_update_errors;

/* A call of key K that starts after reading DONE = LO and returns
   before reading STARTED = HI must reach a target of a generation from
   LO to HI: static_call_update returned for LO, so every site calls it
   or a later one, and every CPU has synced since (its next fetch sees
   the new code); no update after HI has begun.  An older target means
   a site left unpatched, or a CPU that ran stale code; a result of no
   target, a bad emulation or stub.  Whether R, for X, is one of
   those.  */
static int valid (const struct key *k, uint64_t lo, uint64_t hi,
		  unsigned long x, unsigned long r)
{
  for (uint64_t g = lo; g <= hi && g < lo + N_TARGETS; g++)
    if (r == k->targets[g % N_TARGETS] (x))
      return 1;
  return 0;
}

/* Loads in program order: the call's code is fetched after LO is read
   (x86 does not reorder loads, and the sync made each CPU serialize
   after the code was written), and HI is read after the call.  The
   compiler barrier keeps GCC from moving them across the call.  */
static uint64_t gen_done (const struct key *k)
{
  uint64_t g = __atomic_load_n (&k->done, __ATOMIC_ACQUIRE);

  __asm__ volatile ("" : : : "memory");
  return g;
}

static uint64_t gen_started (const struct key *k)
{
  __asm__ volatile ("" : : : "memory");
  return __atomic_load_n (&k->started, __ATOMIC_ACQUIRE);
}

/* A tail call site: GCC makes this `jmp' to kern_mix's target.  */
static __attribute__ ((noinline)) unsigned long mix_tail (unsigned long x)
{
  return kern_mix (x);
}

/* ---- the trap handler ---------------------------------------------- */

extern char __text_start[], __text_end[];

/* Makes an emulator that caches translated code drop what it holds for
   the byte at ADDR, without changing memory: a locked compare-exchange
   of the byte with itself (it writes only the value it found).  QEMU's
   multi-threaded TCG can keep the translation of an int3 that another
   CPU overwrote while this one was translating it; the CPU then traps
   at a site whose memory holds the finished instruction, is resumed
   there, and traps again, for ever.  A store to the page makes TCG
   translate it again.  On hardware, which the trap's IRET serializes,
   this is never needed and changes nothing.  */
static void drop_stale_code (uint64_t addr)
{
  uint64_t cr0;
  uint8_t old = *(volatile uint8_t *) addr;

  __asm__ volatile ("movq %%cr0, %0" : "=r" (cr0));
  __asm__ volatile ("movq %0, %%cr0" : : "r" (cr0 & ~0x10000UL) : "memory");
  __asm__ volatile ("lock cmpxchgb %b1, %2"
		    : "+a" (old) : "q" (old), "m" (*(volatile uint8_t *) addr)
		    : "memory", "cc");
  __asm__ volatile ("movq %0, %%cr0" : : "r" (cr0) : "memory");
}

/* static_call_trap, with how it completed the call counted per CPU:
   resumed in the runtime's stub area (the STI-shadow stub), with a
   return address pushed (emulated), or elsewhere (at the site: a
   self-hit or a site already finished; or a tail call's jump).  The
   stub area is all that is outside the kernel's text.  A CPU resumed
   at a site whose memory no longer holds the trap byte (the site was
   finished while it trapped) is counted as refetch; see
   drop_stale_code.  */
static int trap_hook (kern_regs *r, uint64_t addr)
{
  struct kern_cpu *c = this_cpu ();
  uint64_t rsp = r->rsp;

  if (!static_call_trap (r, addr))
    return 0;
  c->traps++;
  if (r->rip < (uint64_t) __text_start || r->rip >= (uint64_t) __text_end)
    c->trap_stub++;
  else if (r->rsp == rsp - 8)
    c->trap_emulated++;
  else
    c->trap_other++;
  if (r->rip == addr && *(volatile uint8_t *) addr != kern_trap_byte)
    {
      /* The same site again, resumed there with its instruction
	 finished, and no code written since: this CPU ran a
	 translation of bytes that memory no longer holds.  */
      uint64_t writes = __atomic_load_n (&kern_text_writes, __ATOMIC_SEQ_CST);

      if (c->last_refetch == addr && c->last_writes == writes)
	c->trap_stale_code++;
      c->last_refetch = addr;
      c->last_writes = writes;
      c->trap_refetch++;
      drop_stale_code (addr);
    }
  else
    c->last_refetch = 0;
  return 1;
}

uint8_t kern_trap_byte = 0xcc;

void kern_workload_init (void)
{
  kern_trap_hook = trap_hook;
}

/* ---- the calls ----------------------------------------------------- */

static unsigned long next_x (struct kern_cpu *c)
{
  c->rng ^= c->rng << 13;
  c->rng ^= c->rng >> 7;
  c->rng ^= c->rng << 17;
  return c->rng >> 8;
}

#define CHECKED_CALL(c, key, call, x, wrong)				\
  do									\
    {									\
      uint64_t lo_ = gen_done (&keys[key]);				\
      unsigned long r_ = (call) (x);					\
      if (!valid (&keys[key], lo_, gen_started (&keys[key]), (x), r_))	\
	(wrong)++;							\
    }									\
  while (0)

/* One round of calls of CPU C, from its loop.  */
static void calls (struct kern_cpu *c)
{
  for (int i = 0; i < 16; i++)
    {
      unsigned long x = next_x (c);

      CHECKED_CALL (c, K_OP, kern_op, x, c->wrong);
      CHECKED_CALL (c, K_MIX, kern_mix, x, c->wrong);
      CHECKED_CALL (c, K_MIX, mix_tail, x, c->wrong);
      CHECKED_CALL (c, K_TICK, kern_tick, x, c->wrong);
      c->calls += 4;
    }
}

void kern_workload_run (struct kern_cpu *c)
{
  while (!kern_stop)
    calls (c);
}

/* Retarget the keys in turn: update I installs generation I / N_KEYS
   + 1 of key I % N_KEYS.  */
static int retarget (unsigned long i)
{
  struct key *k = &keys[i % N_KEYS];
  uint64_t g = k->started + 1;
  op_fn *fn = k->targets[g % N_TARGETS];
  int rc = 0;

  __atomic_store_n (&k->started, g, __ATOMIC_RELEASE);
  switch (i % N_KEYS)
    {
    case K_OP: rc = static_call_update (kern_op, fn); break;
    case K_MIX: rc = static_call_update (kern_mix, fn); break;
    case K_TICK: rc = static_call_update (kern_tick, fn); break;
    }
  __atomic_store_n (&k->done, g, __ATOMIC_RELEASE);
  if (rc)
    {
      if (!kern_update_errors++)
	kern_printf ("kernel: static_call_update (%s) gave %d\n", k->name,
		     rc);
    }
  return rc;
}

void kern_workload_drive (struct kern_cpu *c)
{
  uint64_t min_end = kern_deadline_us (kern_min_ms * 1000ULL);
  uint64_t max_end = kern_deadline_us (kern_max_ms * 1000ULL);
  unsigned long i;

  for (i = 0; (i < kern_retargets || !kern_past (min_end))
	 && !kern_past (max_end); i++)
    {
      retarget (i);
      calls (c);
    }
  kern_retargets_done = i;
  kern_stop = 1;
}

/* The timer handler: one site of each key.  Interrupts are off; on
   CPU 0 it may come in while an update holds the runtime's lock with
   breakpoints in place (a self-hit).  */
void kern_workload_tick (struct kern_cpu *c)
{
  unsigned long x = rdtsc () >> 4;

  c->ticks++;
  CHECKED_CALL (c, K_OP, kern_op, x, c->tick_wrong);
  CHECKED_CALL (c, K_MIX, kern_mix, x, c->tick_wrong);
  CHECKED_CALL (c, K_TICK, kern_tick, x, c->tick_wrong);
  c->tick_calls += 3;
}

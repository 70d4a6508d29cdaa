/* workload.c: what every CPU runs.  Calls through kern_op in a loop
   with interrupts enabled, and through a breakpoint site that the #BP
   handler completes; the timer handler calls kern_op too; CPU 0
   retargets kern_op and syncs every CPU after each change.  Every
   result is checked: it must be what the current target gives, or the
   next one (see valid).

   The seam for static calls: kern_op is declared STATIC_CALL, which is
   nothing without the plugin, and retargeted with static_call_update,
   which is then a plain store.  Built with -fplugin=staticcall and
   linked with the freestanding runtime, the same code makes each call
   a patched direct call, and kern_bp_hook becomes the runtime's entry
   point (called with the register frame, BP_GAP bytes free below the
   interrupted stack).  */

#include "kernel.h"
#include <static_call.h>

static unsigned long op_a (unsigned long x) { return x * 3 + 1; }
static unsigned long op_b (unsigned long x) { return x * 5 + 2; }
static unsigned long op_c (unsigned long x) { return x * 7 + 3; }
static unsigned long op_d (unsigned long x) { return x * 11 + 4; }

static unsigned long (*const ops[]) (unsigned long)
  = { op_a, op_b, op_c, op_d };
#define N_OPS (sizeof ops / sizeof ops[0])

static unsigned long (*kern_op) (unsigned long) STATIC_CALL (kern_op) = op_a;

volatile int kern_stop;
unsigned kern_retargets = 2000;
unsigned kern_min_ms = 200;
unsigned kern_max_ms = 10000;
unsigned long kern_retargets_done;
int kern_traps = 1;

/* Sync number S (kern_sync_all_cpus) follows the store of target
   ops[S % N_OPS]; ops[0] is the first.  A CPU that has answered sync A
   and not the next one calls target A, or A + 1 if CPU 0 has stored
   it since (the next sync waits for this CPU).  So a call that starts
   after the CPU answered FIRST and returns before it answers LAST + 1
   must reach a target from FIRST to LAST + 1: with a static call, an
   old target after a sync means a site left unpatched or a CPU that
   fetched stale code.  Whether R, for X, is one of those.  */
static int valid (uint64_t first, uint64_t last, unsigned long x,
		  unsigned long r)
{
  for (uint64_t s = first; s <= last + 1 && s < first + N_OPS; s++)
    if (r == ops[s % N_OPS] (x))
      return 1;
  return 0;
}

/* The last sync this CPU answered; loads after it in program order
   see at least that sync's target (x86 loads are not reordered).  */
static uint64_t answered (struct kern_cpu *c)
{
  uint64_t a = __atomic_load_n (&c->sync_ack, __ATOMIC_ACQUIRE);

  __asm__ volatile ("" : : : "memory");
  return a;
}

extern unsigned long kern_bp_site (unsigned long);
extern char kern_bp_site_end[];

/* A call emulated as the runtime's emulate path will: push the return
   address into the gap below the interrupted stack, resume at the
   target.  */
static int bp_hook (kern_regs *r, uint64_t addr)
{
  if (addr != (uint64_t) kern_bp_site)
    return 0;
  r->rsp -= 8;
  *(uint64_t *) r->rsp = (uint64_t) kern_bp_site_end;
  r->rip = (uint64_t) __atomic_load_n (&kern_op, __ATOMIC_RELAXED);
  this_cpu ()->traps++;
  return 1;
}

uint8_t kern_trap_byte = 0xcc;

void kern_workload_init (void)
{
  static_call_port_text_write ((void *) kern_bp_site, &kern_trap_byte, 1);
  kern_trap_hook = bp_hook;
}

static unsigned long next_x (struct kern_cpu *c)
{
  c->rng ^= c->rng << 13;
  c->rng ^= c->rng >> 7;
  c->rng ^= c->rng << 17;
  return c->rng >> 8;
}

/* One round of calls of CPU C, from its loop.  */
static void calls (struct kern_cpu *c)
{
  for (int i = 0; i < 64; i++)
    {
      unsigned long x = next_x (c);
      /* answered is also what keeps GCC from loading kern_op once
	 for the loop (a static call has no load to keep).  */
      uint64_t first = answered (c);
      unsigned long r = kern_op (x);

      if (!valid (first, answered (c), x, r))
	c->wrong++;
      c->calls++;
    }
  if (kern_traps)
    {
      unsigned long x = next_x (c);
      uint64_t first = answered (c);
      unsigned long r = kern_bp_site (x);

      if (!valid (first, answered (c), x, r))
	c->trap_wrong++;
    }
}

void kern_workload_run (struct kern_cpu *c)
{
  while (!kern_stop)
    calls (c);
}

void kern_workload_drive (struct kern_cpu *c)
{
  uint64_t min_end = kern_deadline_us (kern_min_ms * 1000ULL);
  uint64_t max_end = kern_deadline_us (kern_max_ms * 1000ULL);
  unsigned long i;

  for (i = 0; (i < kern_retargets || !kern_past (min_end))
	 && !kern_past (max_end); i++)
    {
      static_call_update (kern_op, ops[(i + 1) % N_OPS]);
      kern_sync_all_cpus ();
      calls (c);
    }
  kern_retargets_done = i;
  kern_stop = 1;
}

void kern_workload_tick (struct kern_cpu *c)
{
  unsigned long x = rdtsc () >> 4;
  uint64_t first = answered (c);	/* no IPI comes in here */
  unsigned long r = kern_op (x);

  c->ticks++;
  if (!valid (first, first, x, r))
    c->tick_wrong++;
  c->tick_calls++;
}

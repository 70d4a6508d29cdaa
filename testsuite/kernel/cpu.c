/* cpu.c: the IDT, interrupt dispatch, per-CPU data and the TSC.  */

#include "kernel.h"

struct kern_cpu kern_cpus[MAX_CPUS];
uint64_t kern_tsc_per_us = 4000;

/* ---- the IDT ------------------------------------------------------ */

struct idt_gate
{
  uint16_t off_lo, sel;
  uint8_t ist, type;
  uint16_t off_mid;
  uint32_t off_hi, zero;
};

static struct idt_gate idt[256] __attribute__ ((aligned (16)));
extern char isr_stubs[];

/* Interrupt gates (IF cleared on entry) everywhere: #BP too, so that
   its handler runs to the end before the timer can come in, as the
   STI-shadow stub needs.  */
void kern_idt_init (void)
{
  for (int v = 0; v < 256; v++)
    {
      uint64_t a = (uint64_t) (isr_stubs + 16 * v);

      idt[v].off_lo = a;
      idt[v].sel = KERNEL_CS;
      idt[v].ist = 0;
      idt[v].type = 0x8e;	/* present, ring 0, 64-bit interrupt gate */
      idt[v].off_mid = a >> 16;
      idt[v].off_hi = a >> 32;
      idt[v].zero = 0;
    }
}

void kern_idt_load (void)
{
  struct __attribute__ ((packed)) { uint16_t limit; uint64_t base; } d
    = { sizeof idt - 1, (uint64_t) idt };

  __asm__ volatile ("lidt %0" : : "m" (d));
}

void kern_cpu_setup (unsigned index)
{
  struct kern_cpu *c = &kern_cpus[index];

  c->self = c;
  c->index = index;
  c->rng = 0x9e3779b97f4a7c15ULL * (index + 1);
  wrmsr (MSR_GS_BASE, (uint64_t) c);
}

/* ---- interrupt dispatch ------------------------------------------- */

int (*kern_trap_hook) (kern_regs *r, uint64_t addr);

static const char *const exception_names[32] = {
  "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
  "#DF", "?9", "#TS", "#NP", "#SS", "#GP", "#PF", "?15",
  "#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
};

static void exception (kern_regs *r, uint64_t vector)
{
  uint64_t cr2;
  const char *name = exception_names[vector];

  __asm__ volatile ("movq %%cr2, %0" : "=r" (cr2));
  kern_panic ("exception %s (vector %lu, error %lx) on CPU %u at rip %lx, "
	      "rsp %lx, cr2 %lx", name ? name : "?", vector, r->orig_rax,
	      this_cpu ()->index, r->rip, r->rsp, cr2);
}

void kern_interrupt (kern_regs *r, uint64_t vector)
{
  switch (vector)
    {
    case VEC_BP:
      /* A trap: rip is past the int3.  */
      if (!kern_trap_hook || !kern_trap_hook (r, r->rip - 1))
	exception (r, vector);
      break;
    case VEC_UD:
      /* A fault: rip is the invalid instruction's.  */
      if (!kern_trap_hook || !kern_trap_hook (r, r->rip))
	exception (r, vector);
      break;
    case VEC_TIMER:
      kern_workload_tick (this_cpu ());
      kern_apic_eoi ();
      break;
    case VEC_SYNC:
      kern_sync_ipi ();
      kern_apic_eoi ();
      break;
    case VEC_SPURIOUS:
    case VEC_PIC + 7:
    case VEC_PIC + 15:
      break;			/* no EOI for a spurious interrupt */
    default:
      if (vector < 32)
	exception (r, vector);
      kern_panic ("unexpected interrupt %lu on CPU %u", vector,
		  this_cpu ()->index);
    }
}

/* ---- the TSC, against the PIT -------------------------------------- */

/* PIT channel 2 counts down CALIBRATE_MS in mode 0 while its gate
   (port 0x61 bit 0) is up; its output (bit 5) rises at zero.  */
#define PIT_HZ 1193182
#define CALIBRATE_MS 50

void kern_calibrate_tsc (void)
{
  uint32_t count = PIT_HZ * CALIBRATE_MS / 1000;
  uint64_t t0, t1, limit;

  outb (0x61, (inb (0x61) & ~0x02) & ~0x01);	/* gate down, speaker off */
  outb (0x43, 0xb0);		/* channel 2, both bytes, mode 0 */
  outb (0x42, count & 0xff);
  outb (0x42, count >> 8);
  t0 = rdtsc ();
  outb (0x61, inb (0x61) | 0x01);	/* gate up: counting starts */
  /* At most ten times as long at the guessed (high) rate.  */
  limit = kern_deadline_us (10 * 1000 * CALIBRATE_MS);
  while (!(inb (0x61) & 0x20))
    if (kern_past (limit))
      kern_panic ("PIT channel 2 did not count down (no port 0x61?)");
  t1 = rdtsc ();
  kern_tsc_per_us = (t1 - t0) / (1000 * CALIBRATE_MS);
  if (kern_tsc_per_us == 0)
    kern_panic ("TSC calibration gave 0 ticks/us");
}

void kern_delay_us (uint64_t us)
{
  uint64_t deadline = kern_deadline_us (us);

  while (!kern_past (deadline))
    cpu_relax ();
}

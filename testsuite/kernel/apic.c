/* apic.c: the local APIC (xAPIC, by MMIO: QEMU's TCG has no x2APIC),
   its timer, the start-up of the application processors, and the
   "sync all CPUs" primitive.  */

#include "kernel.h"

#define MSR_APIC_BASE 0x1b
#define APIC_BASE_ENABLE (1u << 11)

#define APIC_ID 0x020
#define APIC_TPR 0x080
#define APIC_EOI 0x0b0
#define APIC_SVR 0x0f0
#define APIC_ICR_LO 0x300
#define APIC_ICR_HI 0x310
#define APIC_LVT_TIMER 0x320
#define APIC_TIMER_INIT 0x380
#define APIC_TIMER_CUR 0x390
#define APIC_TIMER_DIV 0x3e0

#define ICR_INIT 0x00000500
#define ICR_STARTUP 0x00000600
#define ICR_ASSERT 0x00004000
#define ICR_PENDING 0x00001000
#define ICR_ALL_BUT_SELF 0x000c0000

#define LVT_PERIODIC (1u << 17)
#define LVT_MASKED (1u << 16)

/* One to one in the uncached last GiB (boot.S).  */
static volatile uint32_t *apic = (volatile uint32_t *) 0xfee00000UL;

static uint32_t apic_read (unsigned reg)
{
  return apic[reg / 4];
}

static void apic_write (unsigned reg, uint32_t v)
{
  apic[reg / 4] = v;
}

/* The legacy PICs: moved to vectors VEC_PIC..VEC_PIC + 15, away from
   the exceptions where the BIOS leaves them, and masked.  A spurious
   IRQ 7 or 15 can still come; kern_interrupt ignores those.  */
void kern_pic_disable (void)
{
  outb (0x20, 0x11);		/* ICW1: initialise, ICW4 follows */
  outb (0xa0, 0x11);
  outb (0x21, VEC_PIC);		/* ICW2: vector base */
  outb (0xa1, VEC_PIC + 8);
  outb (0x21, 0x04);		/* ICW3: the slave on IRQ 2 */
  outb (0xa1, 0x02);
  outb (0x21, 0x01);		/* ICW4: 8086 mode */
  outb (0xa1, 0x01);
  outb (0x21, 0xff);		/* mask every IRQ */
  outb (0xa1, 0xff);
}

void kern_apic_init (void)
{
  uint64_t base = rdmsr (MSR_APIC_BASE);

  if ((base & ~0xfffUL) != 0xfee00000UL)
    kern_panic ("local APIC at %lx, not at 0xfee00000", base & ~0xfffUL);
  wrmsr (MSR_APIC_BASE, base | APIC_BASE_ENABLE);
  apic_write (APIC_TPR, 0);
  apic_write (APIC_SVR, 0x100 | VEC_SPURIOUS);	/* software enable */
}

void kern_apic_eoi (void)
{
  apic_write (APIC_EOI, 0);
}

unsigned kern_apic_id (void)
{
  return apic_read (APIC_ID) >> 24;
}

/* Send an IPI (ICR low word LO) to every CPU but this one, after the
   previous one has left.  */
static void ipi_all_but_self (uint32_t lo)
{
  uint64_t deadline = kern_deadline_us (100000);

  while (apic_read (APIC_ICR_LO) & ICR_PENDING)
    if (kern_past (deadline))
      kern_panic ("the local APIC did not deliver an IPI in 100 ms");
  /* What this CPU wrote before (the sync sequence) is visible before
     the IPI arrives: the MMIO write is uncached, and ordered after the
     earlier stores; the fence says so, and x2APIC would need it.  */
  __atomic_thread_fence (__ATOMIC_SEQ_CST);
  apic_write (APIC_ICR_HI, 0);
  apic_write (APIC_ICR_LO, lo | ICR_ALL_BUT_SELF);
}

/* ---- the timer ----------------------------------------------------- */

static uint64_t timer_per_ms;	/* timer counts (divide by 16) per ms */

void kern_timer_calibrate (void)
{
  uint64_t deadline;

  apic_write (APIC_TIMER_DIV, 0x3);	/* divide by 16 */
  apic_write (APIC_LVT_TIMER, LVT_MASKED | VEC_TIMER);
  apic_write (APIC_TIMER_INIT, 0xffffffff);
  deadline = kern_deadline_us (10000);
  while (!kern_past (deadline))
    cpu_relax ();
  timer_per_ms = (0xffffffffu - apic_read (APIC_TIMER_CUR)) / 10;
  apic_write (APIC_TIMER_INIT, 0);
  if (timer_per_ms == 0)
    kern_panic ("the APIC timer does not count");
}

void kern_timer_start (uint32_t period_us)
{
  uint64_t count = timer_per_ms * period_us / 1000;

  apic_write (APIC_TIMER_DIV, 0x3);
  apic_write (APIC_LVT_TIMER, LVT_PERIODIC | VEC_TIMER);
  apic_write (APIC_TIMER_INIT, count ? count : 1);
}

/* ---- start-up of the application processors ------------------------ */

extern char ap_tramp_start[], ap_tramp_end[];
volatile unsigned kern_cpus_online = 1;

/* INIT, then two SIPIs, to every other CPU at once (the MP
   specification's sequence and delays); then wait, at most a second,
   for EXPECTED CPUs in all to be up.  Each AP takes its own index and
   stack as it arrives (boot.S), and counts itself in ap_main.  */
void kern_start_aps (unsigned expected)
{
  uint64_t deadline;

  memcpy ((void *) (uint64_t) TRAMP_BASE, ap_tramp_start,
	  ap_tramp_end - ap_tramp_start);
  ipi_all_but_self (ICR_INIT | ICR_ASSERT);
  kern_delay_us (10000);
  for (int i = 0; i < 2; i++)
    {
      ipi_all_but_self (ICR_STARTUP | ICR_ASSERT | (TRAMP_BASE >> 12));
      kern_delay_us (200);
    }
  deadline = kern_deadline_us (1000000);
  while (kern_cpus_online < expected && !kern_past (deadline))
    cpu_relax ();
}

/* ---- sync all CPUs ------------------------------------------------- */

/* Each sync has a sequence number; a CPU answers the IPI by executing a
   serializing instruction, then storing the sequence it read.  Once
   every online CPU has answered a number at least its own, each has
   serialized after the caller's earlier writes: new code is what any
   of them fetches next.  IPIs may merge; a CPU that answers a later
   number has answered this one too.  */
static volatile uint64_t sync_seq;
static volatile int sync_lock;
struct kern_sync_stats kern_sync_stats;

/* Long: a vCPU of a loaded host can be off its CPU for a while.  */
#define SYNC_TIMEOUT_US 5000000

void kern_sync_ipi (void)
{
  struct kern_cpu *c = this_cpu ();
  uint64_t seq;

  serialize ();
  seq = __atomic_load_n (&sync_seq, __ATOMIC_ACQUIRE);
  __atomic_store_n (&c->sync_ack, seq, __ATOMIC_RELEASE);
  c->syncs_acked++;
}

/* 0 when every other online CPU answered within SYNC_TIMEOUT_US; -1
   otherwise, with the late CPUs named.  Interrupts stay as they are:
   the caller's own timer keeps ticking.  Called with interrupts
   enabled (a CPU waiting for the lock must still answer the holder's
   IPI), never from an interrupt handler.  */
int kern_sync_all_cpus (void)
{
  struct kern_cpu *self = this_cpu ();
  uint64_t seq, t0, deadline, us;
  int late = 0;

  deadline = kern_deadline_us (SYNC_TIMEOUT_US);
  while (__atomic_exchange_n (&sync_lock, 1, __ATOMIC_ACQUIRE))
    if (kern_past (deadline))
      kern_panic ("the sync lock was held for %u us", SYNC_TIMEOUT_US);
  seq = __atomic_add_fetch (&sync_seq, 1, __ATOMIC_SEQ_CST);
  t0 = rdtsc ();
  ipi_all_but_self (VEC_SYNC);
  serialize ();
  __atomic_store_n (&self->sync_ack, seq, __ATOMIC_RELEASE);
  for (unsigned i = 0; i < MAX_CPUS; i++)
    {
      struct kern_cpu *c = &kern_cpus[i];

      if (c == self || !c->online)
	continue;
      while (__atomic_load_n (&c->sync_ack, __ATOMIC_ACQUIRE) < seq
	     && !kern_past (deadline))
	cpu_relax ();
      if (c->sync_ack < seq)
	{
	  kern_printf ("kernel: sync %lu: CPU %u did not answer in %u us\n",
		       seq, i, SYNC_TIMEOUT_US);
	  late = 1;
	}
    }
  us = (rdtsc () - t0) / kern_tsc_per_us;
  kern_sync_stats.syncs++;
  kern_sync_stats.total_us += us;
  if (us > kern_sync_stats.max_us)
    kern_sync_stats.max_us = us;
  if (late)
    kern_sync_stats.timeouts++;
  __atomic_store_n (&sync_lock, 0, __ATOMIC_RELEASE);
  return late ? -1 : 0;
}

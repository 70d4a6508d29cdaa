/* kernel.h: what the test kernel's files share.  */

#ifndef KERN_KERNEL_H
#define KERN_KERNEL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include "layout.h"
#include <static_call_port.h>

/* ---- the CPU ------------------------------------------------------ */

static inline void outb (uint16_t port, uint8_t v)
{
  __asm__ volatile ("outb %0, %1" : : "a" (v), "Nd" (port));
}

static inline void outw (uint16_t port, uint16_t v)
{
  __asm__ volatile ("outw %0, %1" : : "a" (v), "Nd" (port));
}

static inline void outl (uint16_t port, uint32_t v)
{
  __asm__ volatile ("outl %0, %1" : : "a" (v), "Nd" (port));
}

static inline uint8_t inb (uint16_t port)
{
  uint8_t v;
  __asm__ volatile ("inb %1, %0" : "=a" (v) : "Nd" (port));
  return v;
}

static inline uint64_t rdtsc (void)
{
  uint32_t lo, hi;
  __asm__ volatile ("rdtsc" : "=a" (lo), "=d" (hi));
  return ((uint64_t) hi << 32) | lo;
}

static inline uint64_t rdmsr (uint32_t msr)
{
  uint32_t lo, hi;
  __asm__ volatile ("rdmsr" : "=a" (lo), "=d" (hi) : "c" (msr));
  return ((uint64_t) hi << 32) | lo;
}

static inline void wrmsr (uint32_t msr, uint64_t v)
{
  __asm__ volatile ("wrmsr" : : "c" (msr), "a" ((uint32_t) v),
		    "d" ((uint32_t) (v >> 32)) : "memory");
}

static inline void cpuid (uint32_t leaf, uint32_t r[4])
{
  __asm__ volatile ("cpuid" : "=a" (r[0]), "=b" (r[1]), "=c" (r[2]),
		    "=d" (r[3]) : "a" (leaf), "c" (0) : "memory");
}

/* A serializing instruction: the CPU fetches code anew after it.  CPUID
   is one everywhere (SERIALIZE is newer, IRET slower to set up).  */
static inline void serialize (void)
{
  uint32_t r[4];
  cpuid (0, r);
}

static inline void cpu_relax (void)
{
  __asm__ volatile ("pause" : : : "memory");
}

static inline void irq_enable (void)
{
  __asm__ volatile ("sti" : : : "memory");
}

static inline void irq_disable (void)
{
  __asm__ volatile ("cli" : : : "memory");
}

#define MSR_GS_BASE 0xc0000101

/* The registers on an interrupt, as isr_common (boot.S) saves them:
   struct static_call_regs, Linux's pt_regs, whose orig_rax holds the
   error code.  rsp and ss are those interrupted: in ring 0 too, as
   long mode always pushes them.  */
typedef struct static_call_regs kern_regs;

/* ---- time --------------------------------------------------------- */

/* TSC ticks per microsecond, from the PIT (cpu.c); a guess of 4 GHz
   until then, which makes early waits longer, never shorter.  */
extern uint64_t kern_tsc_per_us;
void kern_calibrate_tsc (void);

static inline uint64_t kern_deadline_us (uint64_t us)
{
  return rdtsc () + us * kern_tsc_per_us;
}

static inline int kern_past (uint64_t deadline)
{
  return (int64_t) (rdtsc () - deadline) >= 0;
}

void kern_delay_us (uint64_t us);

/* ---- per-CPU data -------------------------------------------------- */

struct kern_cpu
{
  struct kern_cpu *self;	/* at %gs:0 */
  unsigned index;
  unsigned apic_id;
  volatile int online;
  volatile int done;		/* left the workload loop */
  volatile uint64_t sync_ack;	/* the last sync this CPU answered */
  /* Counters: each written by one context of its own CPU only.  */
  uint64_t calls, wrong;	/* the workload loop */
  uint64_t ticks, tick_calls, tick_wrong; /* the timer handler */
  /* Traps static_call_trap took, and how it completed them: through
     the STI-shadow stub, by emulating a call, or otherwise (resumed at
     the site, or a tail call's jump).  The trap handler's.  */
  uint64_t traps, trap_stub, trap_emulated, trap_other;
  /* Traps resumed at a site that memory shows finished, and those of
     them at the same site as the CPU's previous trap (workload.c's
     drop_stale_code): the trap handler's.  */
  uint64_t trap_refetch, trap_stale_code, last_refetch, last_writes;
  uint64_t syncs_acked;		/* the sync IPI handler */
  uint64_t rng;
} __attribute__ ((aligned (64)));

extern struct kern_cpu kern_cpus[MAX_CPUS];
extern volatile unsigned kern_cpus_online;

static inline struct kern_cpu *this_cpu (void)
{
  struct kern_cpu *c;
  __asm__ volatile ("movq %%gs:0, %0" : "=r" (c));
  return c;
}

/* ---- console and result (console.c) ------------------------------- */

void kern_serial_init (void);
void kern_printf (const char *fmt, ...)
  __attribute__ ((format (printf, 1, 2)));
void kern_vprintf (const char *fmt, va_list ap);

/* QEMU's isa-debug-exit: QEMU exits with status (code << 1) | 1.  */
#define KERN_EXIT_PASS 0x31	/* status 99 */
#define KERN_EXIT_FAIL 0x01	/* status 3 */
__attribute__ ((noreturn)) void kern_exit (int code);
__attribute__ ((noreturn, format (printf, 1, 2)))
void kern_panic (const char *fmt, ...);

void *memset (void *s, int c, size_t n);
void *memcpy (void *d, const void *s, size_t n);
void *memmove (void *d, const void *s, size_t n);
int memcmp (const void *a, const void *b, size_t n);

/* ---- interrupts (cpu.c) -------------------------------------------- */

void kern_idt_init (void);	/* once, on the BSP */
void kern_idt_load (void);	/* on every CPU */
void kern_cpu_setup (unsigned index);	/* GS base of this CPU */
void kern_interrupt (kern_regs *r, uint64_t vector);

/* What the #BP and #UD handlers do for a trap at ADDR (the trapping
   instruction's address: rip - 1 after an int3, rip for #UD): returns
   1 when it handled it (changed R to resume somewhere), 0 for a trap
   it does not know (a panic).  static_call_trap, or the workload's
   own for its hand-made site.  */
extern int (*kern_trap_hook) (kern_regs *r, uint64_t addr);

/* ---- the port of the static call runtime (port.c) ------------------ */

void kern_protect_text (void);	/* once, on the BSP, before the APs */
void kern_wp_enable (void);	/* on every CPU */
extern volatile unsigned long kern_text_writes;
extern size_t kern_arena_peak;

/* ---- the local APIC (apic.c) -------------------------------------- */

void kern_pic_disable (void);	/* once, on the BSP */
void kern_apic_init (void);	/* on every CPU */
void kern_apic_eoi (void);
unsigned kern_apic_id (void);
void kern_timer_calibrate (void);	/* once, on the BSP */
void kern_timer_start (uint32_t period_us);
void kern_start_aps (unsigned expected);
int kern_sync_all_cpus (void);
void kern_sync_ipi (void);	/* the IPI's handler */

struct kern_sync_stats
{
  uint64_t syncs, timeouts, max_us, total_us;
};
extern struct kern_sync_stats kern_sync_stats;

/* ---- the workload (workload.c) ------------------------------------ */

void kern_workload_init (void);
void kern_workload_run (struct kern_cpu *c);	/* APs: until stopped */
void kern_workload_drive (struct kern_cpu *c);	/* CPU 0: retargets */
void kern_workload_tick (struct kern_cpu *c);	/* the timer handler */
extern volatile int kern_stop;
extern unsigned kern_retargets;	/* from the command line */
extern unsigned kern_min_ms;
extern unsigned kern_max_ms;
extern unsigned long kern_retargets_done;
extern unsigned long kern_update_errors;	/* static_call_update != 0 */
extern uint8_t kern_trap_byte;	/* static_call_config.trap_byte */

#endif

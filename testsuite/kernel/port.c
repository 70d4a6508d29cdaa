/* port.c: the test kernel's side of the freestanding static call
   runtime, the functions <static_call_port.h> asks a kernel for.

   Text is read-only: the kernel's .text is mapped with 4 KiB pages
   without the write bit in the -2 GiB mapping, and CR0.WP is set on
   every CPU, so that a write to code that does not go through
   static_call_port_text_write faults (#PF) instead of passing
   unnoticed.  The port writes with CR0.WP cleared on its own CPU,
   interrupts off.  */

#include "kernel.h"

#if TRAP_GAP != STATIC_CALL_TRAP_GAP
# error "the #BP and #UD entries (boot.S) must leave the gap the runtime needs"
#endif

#define CR0_WP 0x00010000
#define PTE_P 0x1
#define PTE_W 0x2

extern char __text_start[], __text_end[], __bss_end[];

static inline uint64_t read_cr0 (void)
{
  uint64_t v;
  __asm__ volatile ("movq %%cr0, %0" : "=r" (v));
  return v;
}

static inline void write_cr0 (uint64_t v)
{
  __asm__ volatile ("movq %0, %%cr0" : : "r" (v) : "memory");
}

static inline uint64_t irq_save (void)
{
  uint64_t flags;
  __asm__ volatile ("pushfq; popq %0; cli" : "=r" (flags) : : "memory");
  return flags;
}

static inline void irq_restore (uint64_t flags)
{
  if (flags & 0x200)
    irq_enable ();
}

/* ---- read-only text ------------------------------------------------ */

/* The first 2 MiB of the -2 GiB mapping in 4 KiB pages (the boot code
   maps it with one 2 MiB page, shared with the identity mapping of
   physical 0): the kernel's .text without the write bit.  */
static uint64_t high_pd[512] __attribute__ ((aligned (4096)));
static uint64_t low_pt[512] __attribute__ ((aligned (4096)));

void kern_protect_text (void)
{
  uint64_t cr3, *pml4, *pdpt, *pd;

  if ((uint64_t) __bss_end > KERNEL_VBASE + (2u << 20))
    kern_panic ("the kernel ends past 2 MiB (%lx): low_pt maps no more",
		(uint64_t) __bss_end);
  /* The tables are in the identity-mapped first 4 GiB: a physical
     address is also a virtual one.  */
  __asm__ volatile ("movq %%cr3, %0" : "=r" (cr3));
  pml4 = (uint64_t *) (cr3 & ~0xfffUL);
  pdpt = (uint64_t *) (pml4[511] & ~0xfffUL);
  pd = (uint64_t *) (pdpt[510] & ~0xfffUL);
  for (unsigned i = 0; i < 512; i++)
    {
      uint64_t va = KERNEL_VBASE + ((uint64_t) i << 12);
      int text = va >= (uint64_t) __text_start && va < (uint64_t) __text_end;

      low_pt[i] = ((uint64_t) i << 12) | PTE_P | (text ? 0 : PTE_W);
      high_pd[i] = pd[i];
    }
  high_pd[0] = PHYS ((uint64_t) low_pt) | PTE_P | PTE_W;
  pdpt[510] = PHYS ((uint64_t) high_pd) | PTE_P | PTE_W;
  __asm__ volatile ("movq %0, %%cr3" : : "r" (cr3) : "memory");
}

/* On every CPU: ring 0 obeys the read-only pages too.  */
void kern_wp_enable (void)
{
  write_cr0 (read_cr0 () | CR0_WP);
}

/* ---- the port ------------------------------------------------------ */

volatile unsigned long kern_text_writes;

int static_call_port_text_write (void *dst, const void *src, size_t len)
{
  uint64_t flags = irq_save ();
  uint64_t cr0 = read_cr0 ();
  volatile unsigned char *d = dst;
  const unsigned char *s = src;

  /* Only this CPU may write read-only pages meanwhile, and nothing
     else runs on it: interrupts are off.  Byte stores, in order: the
     protocol's one-byte writes are single stores.  */
  /* Counted before the bytes land: a CPU that traps at a byte this
     writes sees the count moved (workload.c's stale-code check).  */
  __atomic_add_fetch (&kern_text_writes, 1, __ATOMIC_SEQ_CST);
  write_cr0 (cr0 & ~CR0_WP);
  for (size_t i = 0; i < len; i++)
    d[i] = s[i];
  write_cr0 (cr0);
  irq_restore (flags);
  return 0;
}

/* A sync that times out is a failure: kern_sync_stats.timeouts, which
   the report checks, counts it.  */
void static_call_port_sync_cpus (void)
{
  kern_sync_all_cpus ();
}

static volatile int port_lock;
static unsigned port_lock_cpu = -1u;

/* Spins with interrupts as they are: the holder syncs with interrupts
   enabled, and a CPU waiting here must answer its IPI.  Bounded: a
   lock held for seconds is a bug (a CPU that took it twice).  */
void static_call_port_lock (void)
{
  uint64_t deadline = kern_deadline_us (10000000);

  if (port_lock_cpu == this_cpu ()->index && port_lock)
    kern_panic ("static_call_port_lock: CPU %u takes it again",
		this_cpu ()->index);
  while (__atomic_exchange_n (&port_lock, 1, __ATOMIC_ACQUIRE))
    {
      if (kern_past (deadline))
	kern_panic ("static_call_port_lock: held for 10 s");
      cpu_relax ();
    }
  port_lock_cpu = this_cpu ()->index;
}

void static_call_port_unlock (void)
{
  port_lock_cpu = -1u;
  __atomic_store_n (&port_lock, 0, __ATOMIC_RELEASE);
}

/* A bump allocator from a static arena, with the blocks given back
   kept on a list for the next request of the same rounded size: each
   update allocates its batch and frees it, so a pure bump allocator
   would run out after some thousand updates.  A block's size is in
   the 16 bytes before it.  Called with the runtime's lock held, or at
   start-up, never from an interrupt handler; its own lock anyway, as
   the contract does not promise the first.  */
#define ARENA_SIZE (256 << 10)
static char arena[ARENA_SIZE] __attribute__ ((aligned (64)));
static size_t arena_used;
size_t kern_arena_peak;

struct free_block
{
  size_t size;
  struct free_block *next;
};
static struct free_block *free_list;
static volatile int alloc_lock;

void *static_call_port_alloc (size_t size)
{
  struct free_block **pp, *b = NULL;

  size = (size + 15) & ~(size_t) 15;
  while (__atomic_exchange_n (&alloc_lock, 1, __ATOMIC_ACQUIRE))
    cpu_relax ();
  for (pp = &free_list; *pp; pp = &(*pp)->next)
    if ((*pp)->size == size)
      {
	b = *pp;
	*pp = b->next;
	break;
      }
  if (!b && arena_used + 16 + size <= ARENA_SIZE)
    {
      b = (struct free_block *) (arena + arena_used);
      b->size = size;
      arena_used += 16 + size;
      kern_arena_peak = arena_used;
    }
  __atomic_store_n (&alloc_lock, 0, __ATOMIC_RELEASE);
  return b ? (char *) b + 16 : NULL;
}

void static_call_port_free (void *p)
{
  struct free_block *b;

  if (!p)
    return;
  b = (struct free_block *) ((char *) p - 16);
  while (__atomic_exchange_n (&alloc_lock, 1, __ATOMIC_ACQUIRE))
    cpu_relax ();
  b->next = free_list;
  free_list = b;
  __atomic_store_n (&alloc_lock, 0, __ATOMIC_RELEASE);
}

/* In .bss: inside the -2 GiB mapping (so within 2 GiB of the text),
   writable, and executable (this kernel sets no NX bit).  Once.  */
#define STUB_AREA_SIZE (64 << 10)
static char stub_area[STUB_AREA_SIZE] __attribute__ ((aligned (4096)));
static int stub_area_given;

void *static_call_port_alloc_text (size_t size)
{
  if (size > STUB_AREA_SIZE || stub_area_given)
    return NULL;
  stub_area_given = 1;
  return stub_area;
}

unsigned static_call_port_cpu (void)
{
  return this_cpu ()->index;
}

void static_call_port_delay_us (unsigned us)
{
  kern_delay_us (us);
}

void static_call_port_vwarn (const char *fmt, va_list ap)
{
  kern_printf ("staticcall: ");
  kern_vprintf (fmt, ap);
  kern_printf ("\n");
}

/* static_call_port.h: the freestanding staticcall runtime
   (libstaticcall-freestanding.a) and the porting interface a kernel
   implements for it.

   The same patch engine as libstaticcall.so (batches, the breakpoint
   protocol, site lookup, the handler's decisions, conflict checks, the
   call, static-key and immediate-value sites), built -ffreestanding
   -nostdlib: no libc, no allocation in the trap path.  A kernel built
   with -fplugin=staticcall links it and provides the functions
   declared under "The port" below; it calls the functions under "The
   kernel calls" from its start-up code and its trap handler.

   The archive is built -mcmodel=kernel, not position-independent:
   link it into a non-PIE image in the top 2 GiB (a kernel), or, for a
   hosted test of a port, with -no-pie.  Its internal functions and
   variables are global symbols whose names start with sc_ (hidden, but
   a static link does not hide them): a kernel must not define names of
   its own with that prefix.

   What the kernel must also do:
     - run the constructors in .init_array (the plugin registers each
       object's sites from one, priority 100) after static_call_init,
       with interrupts in any state;
     - keep the sections .static_call_sites, .static_call_value_sites
       and __static_call_units, and define __start___static_call_units
       and __stop___static_call_units around the last (GNU ld does for
       an output section of that name);
     - call static_call_trap from its #BP handler (or, with
       trap_byte set to a one-byte invalid opcode, from its #UD
       handler), with interrupts disabled, and leave
       STATIC_CALL_TRAP_GAP bytes free below the interrupted %rsp when
       the trap came from the same privilege level (no stack switch):
       the emulate path pushes a return address there, as Linux's int3
       entry leaves a gap for its call emulation.  */

#ifndef STATIC_CALL_PORT_H
#define STATIC_CALL_PORT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bytes the #BP entry leaves free below the interrupted stack pointer
   (a multiple of 16, to keep the frame's alignment).  */
#define STATIC_CALL_TRAP_GAP 32

/* The interrupted context, in the layout of Linux's struct pt_regs on
   x86-64: the general registers as the entry code saves them, then
   what the CPU pushed.  The handler reads and may change rip, rsp,
   rflags (IF) and, for an immediate value's site, one general
   register.  */
struct static_call_regs
{
  uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
  uint64_t rax, rcx, rdx, rsi, rdi;
  uint64_t orig_rax;		/* vector or error code: not read */
  uint64_t rip, cs, rflags, rsp, ss;
};

/* How the handler completes a call that hits a site under patch.  */
enum static_call_trap_path
{
  STATIC_CALL_PATH_EMULATE,	/* push the return address in the gap,
				   resume at the target */
  STATIC_CALL_PATH_STI_STUB	/* resume with IF clear at a per-CPU stub
				   `push $ret; sti; jmp target' (a tail
				   call site pushes nothing: it is
				   completed by a jump, counted as
				   emulated) */
};

struct static_call_config
{
  enum static_call_trap_path path;
  unsigned ncpus;		/* CPUs that may run sites: indices from
				   static_call_port_cpu are below it */
  unsigned slowpath_us;		/* tests: hold every batch this long with
				   its breakpoints in place (0: no) */
  uint8_t trap_byte;		/* the one-byte trapping instruction of
				   phase 1: 0xcc (int3, #BP; 0 means it),
				   or an invalid opcode (#UD) for a
				   hypervisor that cannot deliver a
				   guest's int3 */
};

/* ---- The kernel calls ------------------------------------------ */

/* Once, before the constructors run and before any other CPU runs a
   site (a hosted port, whose C library runs the constructors before
   main, calls it from .preinit_array).  A registration or an update
   before it patches nothing and warns once.  Allocates the per-CPU
   stub areas.  0, or a negative errno value (after a warning).  */
int static_call_init (const struct static_call_config *);

/* From the #BP (or #UD) handler, interrupts disabled, with the trapping
   instruction's address ADDR (for #BP: regs->rip - 1).  Returns 1 when
   ADDR is a site under patch and REGS now say where to resume (return
   from the exception with them), 0 for a trap that is not the
   runtime's (the kernel handles it as it would without staticcall).
   Takes no lock and allocates nothing.  Not from an NMI handler's
   trap (a site run by an NMI handler): it would share the
   interrupted handler's stub area.  */
int static_call_trap (struct static_call_regs *regs, uintptr_t addr);

/* The counters, the site listing, static_call_update and the value
   stores are those of <static_call.h>.  */

/* ---- The port: implemented by the kernel ------------------------ */

/* Write LEN bytes at DST, which is code that other CPUs may be
   executing: the runtime only asks for writes the breakpoint protocol
   allows (one byte, or bytes behind a breakpoint).  Through a writable
   alias mapping, or with CR0.WP cleared, interrupts disabled.  Called
   with the lock held, and from static_call_trap on the CPU that holds
   it (a self-hit), so it must not take that lock.  0 or a negative
   errno value.  */
int static_call_port_text_write (void *dst, const void *src, size_t len);

/* Return only once every CPU has executed a serializing instruction
   (CPUID, IRET, SERIALIZE) since the call, AND no CPU is between a
   trap at a site and the return of its static_call_trap that began
   before the call: an IPI that each CPU answers does both, as the
   trap entry runs with interrupts disabled.  A sync that does not wait
   for trap handlers (Linux's membarrier, in a hosted port) is not
   enough: a CPU that trapped in an earlier batch and is handled late
   completes the site with a later batch's value, then runs the bytes
   of the earlier one.  Called with the lock held and interrupts
   enabled on the calling CPU; other CPUs may be in static_call_trap.  */
void static_call_port_sync_cpus (void);

/* The runtime's one lock: registration, updates and patching.  A
   sleeping or spinning lock; never taken from static_call_trap.  Its
   holder stays on its CPU until it unlocks (preemption off, or no
   migration): a batch's patcher is known by its CPU, and a trap on
   that CPU during the batch is a self-hit.  */
void static_call_port_lock (void);
void static_call_port_unlock (void);

/* Memory at registration and update time (never from
   static_call_trap): the registry, each batch, a sort's scratch.  NULL
   when there is none.  */
void *static_call_port_alloc (size_t size);
void static_call_port_free (void *p);

/* SIZE bytes of memory for stubs, once from static_call_init: readable,
   writable and executable at the same address from ring 0, on every
   CPU, within 2 GiB of the kernel's text.  NULL when there is none
   (the STI-stub path then falls back to emulation, with a
   warning).  */
void *static_call_port_alloc_text (size_t size);

/* The index of the calling CPU, below config.ncpus: from
   static_call_trap (interrupts disabled) and with the lock held.
   Each CPU's stub area is written only by its own handler.  */
unsigned static_call_port_cpu (void);

/* Wait about US microseconds (config.slowpath_us only).  */
void static_call_port_delay_us (unsigned us);

/* A warning, printf-style (%s %d %u %x %lu %lx %zu %p at least, and
   %02x: the flag 0 and a width), one line given without its newline
   and without a prefix.  */
void static_call_port_vwarn (const char *fmt, va_list ap);

#ifdef __cplusplus
}
#endif

#endif

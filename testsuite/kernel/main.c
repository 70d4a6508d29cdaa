/* main.c: the test kernel's start on each CPU, and its report.

   A small x86-64 kernel for the static call tests, booted by
   `qemu-system-x86_64 -kernel kernel.bin' (multiboot; boot.S).  The
   bootstrap processor sets up the console (COM1), the IDT, the TSC
   and the local APIC, starts the other CPUs, and then every CPU runs
   the workload (workload.c) with its APIC timer ticking.  At the end
   CPU 0 prints what each CPU counted and leaves through QEMU's
   isa-debug-exit device: status 99 when every check passed, 3 when
   one failed.  Options on the command line (-append):
     retargets=N  CPU 0 retargets at least N times (2000)
     min-ms=N     and for at least N ms (200)
     max-ms=N     but for at most N ms (10000): a slow machine does
                  fewer retargets, and says how many
     tick-us=N    the APIC timer's period (1000)
     path=emulate|sti   how the runtime completes a call that hits a
                  site under patch (static_call_config.path; emulate)
     slowpath_us=N      hold each batch N us with its breakpoints in
                  place (0)
     trap=int3|ud the runtime's breakpoint: int3 (#BP), or the invalid
                  opcode D6 (#UD), for a hypervisor that cannot deliver
                  a ring-0 int3 (int3)
   testsuite/staticcall.kernel/kernel.exp builds and runs it.  */

#include "kernel.h"
#include <static_call.h>

/* trap=ud's byte: D6 (SALC) is invalid in 64-bit mode on Intel and AMD
   CPUs and in QEMU's TCG.  */
#define KERN_UD_BYTE 0xd6

#define MB_BOOT_MAGIC 0x2badb002
#define MB_INFO_CMDLINE (1u << 2)

static unsigned tick_us = 1000;
static struct static_call_config sc_config = {
  .path = STATIC_CALL_PATH_EMULATE, .trap_byte = 0xcc
};

static unsigned parse_uint (const char *s)
{
  unsigned v = 0;

  while (*s >= '0' && *s <= '9')
    v = v * 10 + *s++ - '0';
  return v;
}

static unsigned parse_hex (const char *s)
{
  unsigned v = 0;

  if (s[0] == '0' && s[1] == 'x')
    s += 2;
  for (;; s++)
    if (*s >= '0' && *s <= '9')
      v = v * 16 + *s - '0';
    else if (*s >= 'a' && *s <= 'f')
      v = v * 16 + *s - 'a' + 10;
    else
      return v;
}

static int starts_with (const char *s, const char *prefix)
{
  while (*prefix)
    if (*s++ != *prefix++)
      return 0;
  return 1;
}

/* The multiboot command line: QEMU's is the kernel's file name, then
   -append's words.  */
static void parse_cmdline (uint32_t mbi)
{
  const uint32_t *info = (const uint32_t *) (uint64_t) mbi;
  const char *start, *s;

  if (!(info[0] & MB_INFO_CMDLINE))
    return;
  start = (const char *) (uint64_t) info[4];
  kern_printf ("kernel: command line: %s\n", start);
  for (s = start; *s; s++)
    {
      if (s != start && s[-1] != ' ')
	continue;
      if (starts_with (s, "retargets="))
	kern_retargets = parse_uint (s + 10);
      else if (starts_with (s, "min-ms="))
	kern_min_ms = parse_uint (s + 7);
      else if (starts_with (s, "max-ms="))
	kern_max_ms = parse_uint (s + 7);
      else if (starts_with (s, "tick-us="))
	tick_us = parse_uint (s + 8);
      else if (starts_with (s, "path=emulate"))
	sc_config.path = STATIC_CALL_PATH_EMULATE;
      else if (starts_with (s, "path=sti"))
	sc_config.path = STATIC_CALL_PATH_STI_STUB;
      else if (starts_with (s, "slowpath_us="))
	sc_config.slowpath_us = parse_uint (s + 12);
      else if (starts_with (s, "trap=int3"))
	sc_config.trap_byte = 0xcc;
      else if (starts_with (s, "trap=ud"))
	sc_config.trap_byte = KERN_UD_BYTE;
      else if (starts_with (s, "trap-byte="))
	sc_config.trap_byte = parse_hex (s + 10);
    }
}

/* How many CPUs QEMU was given (-smp), from its fw_cfg device; 0 when
   there is none.  */
static unsigned qemu_cpu_count (void)
{
  char sig[4];

  outw (0x510, 0x0000);		/* FW_CFG_SIGNATURE */
  for (int i = 0; i < 4; i++)
    sig[i] = inb (0x511);
  if (sig[0] != 'Q' || sig[1] != 'E' || sig[2] != 'M' || sig[3] != 'U')
    return 0;
  outw (0x510, 0x0005);		/* FW_CFG_NB_CPUS, 16 bits */
  return inb (0x511) | inb (0x511) << 8;
}

/* The hypervisor's CPUID signature ("KVMKVMKVM", "TCGTCGTCGTCG"), or
   "none".  */
static const char *hypervisor (char buf[13])
{
  uint32_t r[4];

  cpuid (1, r);
  if (!(r[2] & (1u << 31)))
    return "none";
  cpuid (0x40000000, r);
  memcpy (buf, &r[1], 4);
  memcpy (buf + 4, &r[2], 4);
  memcpy (buf + 8, &r[3], 4);
  buf[12] = 0;
  return buf;
}

/* Per-CPU start, once the CPU has its stack: the same on the BSP (at
   the end of kmain's set-up) and on each AP.  */
static void cpu_start (struct kern_cpu *c)
{
  kern_idt_load ();
  kern_wp_enable ();
  kern_apic_init ();
  c->apic_id = kern_apic_id ();
  kern_timer_start (tick_us);
  irq_enable ();
}

void ap_main (unsigned index)
{
  struct kern_cpu *c = &kern_cpus[index];

  kern_cpu_setup (index);
  cpu_start (c);
  c->online = 1;
  __atomic_add_fetch (&kern_cpus_online, 1, __ATOMIC_SEQ_CST);
  kern_workload_run (c);
  c->done = 1;
  for (;;)
    __asm__ volatile ("hlt");
}

static int report (unsigned online, uint64_t ms)
{
  struct static_call_stats st;
  uint64_t stubbed_aps = 0;
  int ok = 1;

  for (unsigned i = 0; i < online; i++)
    {
      struct kern_cpu *c = &kern_cpus[i];

      kern_printf ("cpu %u: apic %u calls %lu wrong %lu ticks %lu "
		   "tick-calls %lu tick-wrong %lu traps %lu stub %lu "
		   "emulated %lu other %lu refetch %lu stale-code %lu "
		   "syncs-acked %lu\n", i, c->apic_id, c->calls, c->wrong,
		   c->ticks, c->tick_calls, c->tick_wrong, c->traps,
		   c->trap_stub, c->trap_emulated, c->trap_other,
		   c->trap_refetch, c->trap_stale_code, c->syncs_acked);
      if (c->wrong || c->tick_wrong)
	{
	  kern_printf ("kernel: CPU %u got wrong results\n", i);
	  ok = 0;
	}
      if (!c->calls || !c->ticks)
	{
	  kern_printf ("kernel: CPU %u did not call and tick\n", i);
	  ok = 0;
	}
      if (i && !c->done)
	{
	  kern_printf ("kernel: CPU %u did not stop\n", i);
	  ok = 0;
	}
      if (i && c->trap_stub)
	stubbed_aps++;
    }
  static_call_get_stats (&st);
  kern_printf ("kernel: stats updates %lu batches %lu sites-patched %lu "
	       "syncs %lu bp_emulated %lu bp_stub %lu bp_self %lu "
	       "bp_stale %lu stub_exhausted %lu conflicts %lu\n",
	       st.updates, st.batches, st.sites_patched, st.syncs,
	       st.bp_emulated, st.bp_stub, st.bp_self, st.bp_stale,
	       st.stub_exhausted, st.conflicts);
  kern_printf ("kernel: retargets %lu update-errors %lu syncs %lu "
	       "sync-timeouts %lu sync-max-us %lu sync-mean-us %lu "
	       "text-writes %lu arena-bytes %lu aps-stubbed %lu "
	       "workload-ms %lu\n",
	       kern_retargets_done, kern_update_errors, kern_sync_stats.syncs,
	       kern_sync_stats.timeouts, kern_sync_stats.max_us,
	       kern_sync_stats.syncs
	       ? kern_sync_stats.total_us / kern_sync_stats.syncs : 0,
	       kern_text_writes, (unsigned long) kern_arena_peak, stubbed_aps,
	       ms);
  if (kern_sync_stats.timeouts || !kern_retargets_done || kern_update_errors
      || st.conflicts)
    ok = 0;
  return ok;
}

/* The constructors of the objects built with the plugin register
   their static call sites.  */
static void run_constructors (void)
{
  extern void (*const __init_array_start[]) (void);
  extern void (*const __init_array_end[]) (void);

  for (void (*const *f) (void) = __init_array_start; f < __init_array_end;
       f++)
    (*f) ();
}

void kmain (uint32_t mbi, uint32_t magic)
{
  struct kern_cpu *c0 = &kern_cpus[0];
  unsigned expected, online;
  uint64_t t0, deadline;
  char hv[13];

  kern_serial_init ();
  kern_printf ("kernel: started\n");
  if (magic != MB_BOOT_MAGIC)
    kern_panic ("not started by a multiboot loader (magic %x)", magic);
  kern_cpu_setup (0);
  kern_protect_text ();
  kern_wp_enable ();
  kern_idt_init ();
  parse_cmdline (mbi);
  kern_calibrate_tsc ();
  kern_printf ("kernel: hypervisor %s, TSC %lu MHz\n", hypervisor (hv),
	       kern_tsc_per_us);
  expected = qemu_cpu_count ();
  sc_config.ncpus = expected ? expected : MAX_CPUS;
  kern_printf ("kernel: path %s, slowpath_us %u, trap byte %x\n",
	       sc_config.path == STATIC_CALL_PATH_STI_STUB ? "sti" : "emulate",
	       sc_config.slowpath_us, sc_config.trap_byte);
  kern_trap_byte = sc_config.trap_byte ? sc_config.trap_byte : 0xcc;
  if (static_call_init (&sc_config) != 0)
    kern_panic ("static_call_init failed");
  run_constructors ();
  kern_workload_init ();
  kern_pic_disable ();
  kern_apic_init ();
  kern_timer_calibrate ();	/* before any CPU starts its timer */
  cpu_start (c0);
  c0->online = 1;

  kern_start_aps (sc_config.ncpus);
  online = kern_cpus_online;
  kern_printf ("kernel: %u CPUs up, %u expected\n", online, expected);
  if (expected && online != expected)
    kern_panic ("%u of %u CPUs came up", online, expected);

  t0 = rdtsc ();
  kern_workload_drive (c0);
  t0 = (rdtsc () - t0) / kern_tsc_per_us / 1000;
  deadline = kern_deadline_us (1000000);
  for (unsigned i = 1; i < online; i++)
    while (!kern_cpus[i].done && !kern_past (deadline))
      cpu_relax ();
  irq_disable ();
  if (!report (online, t0))
    kern_panic ("a check failed");
  kern_printf ("kernel: PASS\n");
  kern_exit (KERN_EXIT_PASS);
}

/* The freestanding runtime's sources (the core and runtime/freestanding/,
   built -DSC_FREESTANDING but hosted) over a port made of POSIX calls:
   a SIGTRAP handler stands for the kernel's #BP entry and calls
   static_call_trap with a struct static_call_regs made from its
   ucontext; two "CPUs" are the main thread (the patcher, 0) and a
   caller thread (1).  The caller calls a call site, a static key's
   site and an immediate value's site in a loop and checks every
   result, while the main thread retargets them with every batch held
   in its slow path, and a per-thread timer on the main thread calls
   the sites mid-batch (self-hits).

   SC_FS_PATH (or argv[1]) is the path: "emulate" (pushes in the
   "gap", here the red zone below the signal frame) or "stub": the
   STI-shadow stubs, with the caller's interrupted flags said to have
   IF clear, so that its stubs hold a NOP where `sti' would be (ring 3
   may not run sti) and IF stays clear (sigreturn ignores it).  The stubs of a PIE's return
   addresses (above 2^31) take the push + movl form.

   Passes when no result was wrong and the path's counter (bp_emulated
   or bp_stub), bp_self and bp_value all moved, within a time bound.
   The real test of the freestanding library is the test kernel
   (staticcall.kernel).  */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/membarrier.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include <static_call.h>
#include <static_call_port.h>
#include "../staticcall.runtime/sc-test.h"

#define TIME_BOUND_S 20.0
#define MIN_UPDATES 200

/* ---- The port.  */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static __thread unsigned cpu;
static int mem_fd;

int
static_call_port_text_write (void *dst, const void *src, size_t len)
{
  return pwrite (mem_fd, src, len, (off_t) (uintptr_t) dst) == (ssize_t) len
	 ? 0 : -14;
}

void
static_call_port_sync_cpus (void)
{
  syscall (__NR_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0);
}

void static_call_port_lock (void) { pthread_mutex_lock (&lock); }
void static_call_port_unlock (void) { pthread_mutex_unlock (&lock); }
void *static_call_port_alloc (size_t size) { return malloc (size); }
void static_call_port_free (void *p) { free (p); }

void *
static_call_port_alloc_text (size_t size)
{
  void *p = mmap (NULL, size, PROT_READ | PROT_WRITE | PROT_EXEC,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  return p == MAP_FAILED ? NULL : p;
}

unsigned static_call_port_cpu (void) { return cpu; }
void static_call_port_delay_us (unsigned us) { usleep (us); }

void
static_call_port_vwarn (const char *fmt, va_list ap)
{
  fprintf (stderr, "staticcall-freestanding: ");
  vfprintf (stderr, fmt, ap);
  fputc ('\n', stderr);
}

/* ---- The "#BP entry".  */
static bool stub_path;

static void
on_trap (int sig, siginfo_t *si, void *ctx)
{
  ucontext_t *uc = ctx;
  greg_t *g = uc->uc_mcontext.gregs;
  struct static_call_regs r = {
    .r15 = g[REG_R15], .r14 = g[REG_R14], .r13 = g[REG_R13],
    .r12 = g[REG_R12], .rbp = g[REG_RBP], .rbx = g[REG_RBX],
    .r11 = g[REG_R11], .r10 = g[REG_R10], .r9 = g[REG_R9], .r8 = g[REG_R8],
    .rax = g[REG_RAX], .rcx = g[REG_RCX], .rdx = g[REG_RDX],
    .rsi = g[REG_RSI], .rdi = g[REG_RDI], .rip = g[REG_RIP],
    .rflags = g[REG_EFL], .rsp = g[REG_RSP],
  };
  /* A context with interrupts disabled: its stub must not sti.  */
  if (stub_path)
    r.rflags &= ~(uint64_t) 0x200;
  if (!static_call_trap (&r, r.rip - 1))
    {
      static const char msg[] = "trap not the runtime's\n";
      write (2, msg, sizeof msg - 1);
      _exit (3);
    }
  if (stub_path && (r.rflags & 0x200))
    {
      static const char msg[] = "IF set by the handler\n";
      write (2, msg, sizeof msg - 1);
      _exit (4);
    }
  g[REG_R15] = r.r15, g[REG_R14] = r.r14, g[REG_R13] = r.r13;
  g[REG_R12] = r.r12, g[REG_RBP] = r.rbp, g[REG_RBX] = r.rbx;
  g[REG_R11] = r.r11, g[REG_R10] = r.r10, g[REG_R9] = r.r9, g[REG_R8] = r.r8;
  g[REG_RAX] = r.rax, g[REG_RCX] = r.rcx, g[REG_RDX] = r.rdx;
  g[REG_RSI] = r.rsi, g[REG_RDI] = r.rdi, g[REG_RIP] = r.rip;
  g[REG_RSP] = r.rsp;
}

/* ---- The sites.  */
static int __attribute__ ((noinline)) even (int x) { return 2 * x; }
static int __attribute__ ((noinline)) odd (int x) { return 2 * x + 1; }

int (*f) (int) STATIC_CALL (fs_f) = even;
_Bool on STATIC_KEY (fs_on);
unsigned imm STATIC_IMMEDIATE (fs_imm) = 7;

static atomic_int bad, stop;
static atomic_ulong calls, seen_on, seen_off;

static int __attribute__ ((noinline))
check_once (void)
{
  int r = f (3);
  int ok = r == 6 || r == 7;
  /* Either way is right mid-batch; over the run both are seen.  */
  if (on)
    atomic_fetch_add_explicit (&seen_on, 1, memory_order_relaxed);
  else
    atomic_fetch_add_explicit (&seen_off, 1, memory_order_relaxed);
  unsigned v = imm;
  ok &= v == 7 || v == 9;
  return ok;
}

static void
on_timer (int sig)
{
  if (!check_once ())
    atomic_store (&bad, 1);
}

static void *
caller (void *arg)
{
  cpu = 1;
  while (!atomic_load_explicit (&stop, memory_order_relaxed))
    {
      if (!check_once ())
	atomic_store (&bad, 1);
      atomic_fetch_add_explicit (&calls, 1, memory_order_relaxed);
    }
  return NULL;
}

static double
now (void)
{
  struct timespec t;
  clock_gettime (CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

int
main (int argc, char **argv)
{
  const char *path = argc > 1 ? argv[1] : getenv ("SC_FS_PATH");
  stub_path = path && !strcmp (path, "stub");
  mem_fd = open ("/proc/self/mem", O_RDWR);
  if (mem_fd < 0
      || syscall (__NR_membarrier,
		  MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0))
    {
      printf ("unsupported: no /proc/self/mem or membarrier\n");
      return 77;
    }
  struct sigaction sa;
  memset (&sa, 0, sizeof sa);
  sa.sa_sigaction = on_trap;
  sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigaction (SIGTRAP, &sa, NULL);
  struct static_call_config cfg = {
    .path = stub_path ? STATIC_CALL_PATH_STI_STUB : STATIC_CALL_PATH_EMULATE,
    .ncpus = 2, .slowpath_us = 300,
  };
  if (static_call_init (&cfg))
    return 1;

  memset (&sa, 0, sizeof sa);
  sa.sa_handler = on_timer;
  sigaction (SIGALRM, &sa, NULL);
  timer_t t = sc_test_thread_timer (SIGALRM, 1000000);

  pthread_t th;
  pthread_create (&th, NULL, caller, NULL);
  struct static_call_stats st;
  double start = now ();
  int updates = 0;
  for (;;)
    {
      static_call_update (f, updates & 1 ? even : odd);
      static_key_update (on, !(updates & 1));
      static_key_update (imm, updates & 1 ? 7u : 9u);
      updates++;
      static_call_get_stats (&st);
      bool enough = updates >= MIN_UPDATES && st.bp_self > 0
		    && st.bp_value > 0
		    && (stub_path ? st.bp_stub : st.bp_emulated) > 0;
      if (enough || now () - start > TIME_BOUND_S)
	break;
    }
  atomic_store (&stop, 1);
  pthread_join (th, NULL);
  timer_delete (t);
  printf ("%s: %d updates, %lu calls; %lu batches, %lu syncs; hits: "
	  "%lu emulated, %lu stub, %lu self, %lu value, %lu stale; "
	  "%lu stub-exhausted\n",
	  stub_path ? "stub" : "emulate", updates,
	  (unsigned long) atomic_load (&calls), st.batches, st.syncs,
	  st.bp_emulated, st.bp_stub, st.bp_self, st.bp_value, st.bp_stale,
	  st.stub_exhausted);
  if (atomic_load (&bad))
    {
      printf ("FAIL: a wrong result\n");
      return 1;
    }
  if (st.bp_self == 0 || st.bp_value == 0 || !atomic_load (&seen_on)
      || !atomic_load (&seen_off)
      || (stub_path ? st.bp_stub : st.bp_emulated) == 0
      || (!stub_path && st.bp_stub)
      || (stub_path && st.bp_emulated > st.bp_stub))
    {
      printf ("FAIL: a path was not taken\n");
      return 1;
    }
  return 0;
}

/* Helpers for the runtime tests: read a site's code bytes back from
   memory and check where they go, independently of the runtime's own
   bookkeeping.  */

#ifndef SC_TEST_H
#define SC_TEST_H

#include <fcntl.h>
#include <linux/membarrier.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/rseq.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <static_call.h>

#include "../../tools/x86-insn.h"

#define CHECK(cond)							\
  do									\
    if (!(cond))							\
      {									\
	fprintf (stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
		 #cond);						\
	abort ();							\
      }									\
  while (0)

struct sc_test_expect
{
  const char *key;
  const void *target;
  int seen, wrong;
  int allow_far;	/* a target beyond rel32 reach may use a slot */
  int far;		/* sites found far from the target */
};

static inline int
sc_test_reachable (const void *site, const void *target)
{
  return sc_x86_rel32_reaches ((unsigned long) site, (unsigned long) target);
}

static int
sc_test_check_site (const struct static_call_site_info *s, void *arg)
{
  struct sc_test_expect *e = arg;
  if (strcmp (s->key, e->key))
    return 0;
  int tail = -1;
  const void *dest = sc_x86_rel32_dest (s->addr, &tail);
  e->seen++;
  if (e->allow_far && !sc_test_reachable (s->addr, e->target))
    {
      /* A near slot: jmp *word(%rip) with the target in the word; or,
	 for retpoline builds, the trampoline.  */
      const unsigned char *slot = dest;
      const void *via = NULL;
      if (s->state == STATIC_CALL_SITE_SLOT && sc_x86_is_jmp_rip (slot))
	memcpy (&via,
		(const void *) sc_x86_jmp_rip_slot ((unsigned long) slot, slot),
		sizeof via);
      else if (s->state == STATIC_CALL_SITE_TRAMPOLINE
	       && dest == s->trampoline)
	via = e->target;
      if (via != e->target || s->target != e->target)
	{
	  fprintf (stderr, "far site %p of key %s: goes to %p via %p, want "
		   "%p\n", s->addr, e->key, via, dest, e->target);
	  e->wrong++;
	}
      e->far++;
      return 0;
    }
  if (dest != e->target || tail != s->tail
      || s->state != STATIC_CALL_SITE_DIRECT || s->calls != e->target)
    {
      fprintf (stderr, "site %p of key %s: bytes go to %p, want %p\n",
	       s->addr, e->key, dest, e->target);
      e->wrong++;
    }
  return 0;
}

/* Every site of KEY calls TARGET directly; returns the number of
   sites.  */
static inline int
sc_test_expect_direct (const char *key, const void *target)
{
  struct sc_test_expect e = { key, target, 0, 0, 0, 0 };
  static_call_for_each_site (sc_test_check_site, &e);
  CHECK (e.wrong == 0);
  return e.seen;
}

/* Every site of KEY goes to TARGET: directly, or through a near slot
   (or, in retpoline builds, its trampoline) when TARGET is beyond rel32
   reach of the site.  */
static inline int
sc_test_expect_current (const char *key, const void *target)
{
  struct sc_test_expect e = { key, target, 0, 0, 1, 0 };
  static_call_for_each_site (sc_test_check_site, &e);
  CHECK (e.wrong == 0);
  return e.seen;
}

/* A timer that sends SIGNO to the calling thread only, every PERIOD_NS
   nanoseconds.  */
static inline timer_t
sc_test_thread_timer (int signo, long period_ns)
{
  struct sigevent sev;
  memset (&sev, 0, sizeof sev);
  sev.sigev_notify = SIGEV_THREAD_ID;
  sev.sigev_signo = signo;
  sev._sigev_un._tid = (pid_t) syscall (SYS_gettid);
  timer_t t;
  CHECK (timer_create (CLOCK_MONOTONIC, &sev, &t) == 0);
  struct itimerspec its = { { 0, period_ns }, { 0, period_ns } };
  CHECK (timer_settime (t, 0, &its, NULL) == 0);
  return t;
}

/* A page of executable code beyond rel32 reach of NEAR (64 GiB or more
   away), starting with the LEN bytes of CODE.  */
static inline unsigned char *
sc_test_map_far (const void *near, const unsigned char *code, size_t len)
{
  uintptr_t here = (uintptr_t) near & ~(uintptr_t) 0xfff;
  unsigned char *far = MAP_FAILED;
  for (uintptr_t d = 64UL << 30; far == MAP_FAILED && d < (1UL << 46);
       d += 64UL << 30)
    far = mmap ((void *) (here + d), 4096, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  CHECK (far != MAP_FAILED);
  memcpy (far, code, len);
  CHECK (mprotect (far, 4096, PROT_READ | PROT_EXEC) == 0);
  CHECK (!sc_test_reachable (near, far));
  return far;
}

/* ---- Time bounds ----------------------------------------------------

   A test that loops until something has happened enough times also
   stops at a bound on elapsed time, so that it ends well within the
   driver's timeout on a slow or loaded machine whatever the rate of
   events there.  When it stops on that bound it says how far it got,
   and passes only if the property was exercised enough.  */

/* Seconds since an arbitrary origin, monotonic.  */
static inline double
sc_test_now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Sleep NS nanoseconds of elapsed time, whatever interrupts it.  */
static inline void
sc_test_sleep_ns (long ns)
{
  struct timespec until;
  clock_gettime (CLOCK_MONOTONIC, &until);
  until.tv_sec += ns / 1000000000L;
  until.tv_nsec += ns % 1000000000L;
  if (until.tv_nsec >= 1000000000L)
    {
      until.tv_sec++;
      until.tv_nsec -= 1000000000L;
    }
  while (clock_nanosleep (CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL))
    ;
}

/* Wait until COND holds, at most SECONDS; the value is whether it
   held.  Sleeps between looks, so that on one CPU the thread it waits
   for gets to run.  */
#define SC_TEST_WAIT(cond, seconds)					\
  __extension__ ({							\
    double sc_end_ = sc_test_now () + (seconds);			\
    int sc_ok_;								\
    while (!(sc_ok_ = !!(cond)) && sc_test_now () < sc_end_)		\
      sc_test_sleep_ns (50000);						\
    sc_ok_ || (cond);							\
  })

/* For a thread that updates in a loop while another needs the
   runtime's lock (dlopen, dlclose, fork): the lock is not fair, and a
   loop that takes it again at once can keep the other thread waiting
   for ever, on one CPU above all.  Called once a round, this sleeps as
   long as the round took, so that the loop holds the lock at most half
   the time whatever the speed of the machine: at least 50 us, and at
   most 1 ms (a round that waited for the lock is not a slow one).  */
static inline void
sc_test_pace (double *round_start)
{
  double took = sc_test_now () - *round_start;
  if (took < 50e-6)
    took = 50e-6;
  else if (took > 1e-3)
    took = 1e-3;
  sc_test_sleep_ns ((long) (took * 1e9));
  *round_start = sc_test_now ();
}

/* ---- Kernel features --------------------------------------------------

   A test that needs a kernel feature the machine lacks is UNSUPPORTED,
   not FAIL (nor PASS, having tested nothing): it prints
   "unsupported: REASON" and exits with status 77, which runtime.exp and
   shared.exp report as UNSUPPORTED.  SC_TEST_PRETEND_MISSING (a list of
   feature names: membarrier, rseq, procmem) makes a feature look
   missing, to check that path.  */

#define SC_TEST_UNSUPPORTED 77

__attribute__ ((noreturn, format (printf, 1, 2))) static void
sc_test_unsupported (const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  printf ("unsupported: ");
  vprintf (fmt, ap);
  printf ("\n");
  va_end (ap);
  fflush (stdout);
  _exit (SC_TEST_UNSUPPORTED);
}

static inline int
sc_test_pretend_missing (const char *feature)
{
  const char *v = getenv ("SC_TEST_PRETEND_MISSING");
  size_t n = strlen (feature);
  for (const char *p = v; p && (p = strstr (p, feature)); p += n)
    if ((p == v || p[-1] == ' ' || p[-1] == ',')
	&& (p[n] == 0 || p[n] == ' ' || p[n] == ','))
      return 1;
  return 0;
}

/* Serialising every core after a code write: the runtime uses
   membarrier's SYNC_CORE command, or on x86 the plain expedited one;
   without either it never leaves the trampolines.  */
static inline void
sc_test_require_membarrier (void)
{
  int cmds = (int) syscall (SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
  if (cmds < 0 || sc_test_pretend_missing ("membarrier")
      || !(cmds & (MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE
		   | MEMBARRIER_CMD_PRIVATE_EXPEDITED)))
    sc_test_unsupported ("membarrier has neither "
			 "MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE nor "
			 "MEMBARRIER_CMD_PRIVATE_EXPEDITED");
}

/* The stubs of STATICCALL_BP=trampoline: the C library registered rseq
   for this thread, and membarrier has RSEQ fences.  Without them the
   runtime quietly emulates, and a stub test would test nothing.  */
static inline void
sc_test_require_rseq (void)
{
  int cmds = (int) syscall (SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
  if (sc_test_pretend_missing ("rseq") || __rseq_size == 0)
    sc_test_unsupported ("no rseq registration (kernel without rseq, or "
			 "glibc.pthread.rseq=0)");
  struct rseq *rs = (struct rseq *) ((char *) __builtin_thread_pointer ()
				     + __rseq_offset);
  if ((int32_t) __atomic_load_n (&rs->cpu_id, __ATOMIC_RELAXED) < 0)
    sc_test_unsupported ("no rseq registration for the main thread");
  if (cmds < 0 || !(cmds & MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ))
    sc_test_unsupported ("membarrier has no "
			 "MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ");
}

/* Writes to this process's own code through /proc/self/mem (the
   runtime's default writer; some hardened kernels forbid them).  Writes
   one byte of code back unchanged.  */
static inline void
sc_test_require_procmem (void)
{
  const unsigned char *code = (const unsigned char *) sc_test_pretend_missing;
  int fd = open ("/proc/self/mem", O_RDWR | O_CLOEXEC);
  int ok = fd >= 0
	   && pwrite (fd, code, 1, (off_t) (uintptr_t) code) == 1;
  if (fd >= 0)
    close (fd);
  if (!ok || sc_test_pretend_missing ("procmem"))
    sc_test_unsupported ("cannot write code through /proc/self/mem");
}

/* What every runtime test needs, and what the environment it runs in
   asks for: membarrier always; rseq for the stubs; /proc/self/mem when
   that writer is forced.  */
__attribute__ ((constructor)) static void
sc_test_require_features (void)
{
  /* Line by line, so that what a test said about how far it got is not
     lost in the buffer when a CHECK aborts.  */
  setvbuf (stdout, NULL, _IOLBF, 0);
  sc_test_require_membarrier ();
  const char *v = getenv ("STATICCALL_BP");
  if (v && !strcmp (v, "trampoline"))
    sc_test_require_rseq ();
  v = getenv ("STATICCALL_WRITER");
  if (v && !strcmp (v, "procmem"))
    sc_test_require_procmem ();
}

/* Calls completed through a stub (STATICCALL_BP=trampoline) so far.  */
static inline unsigned long
sc_test_stub_hits (void)
{
  struct static_call_stats st;
  static_call_get_stats (&st);
  return st.bp_stub;
}

/* ---- Code bytes by hand --------------------------------------------- */

/* Write N BYTES at ADDR through /proc/self/mem, behind the runtime's
   back.  */
static inline void
sc_test_poke (const void *addr, const void *bytes, size_t n)
{
  int fd = open ("/proc/self/mem", O_RDWR);
  CHECK (fd >= 0);
  CHECK (pwrite (fd, bytes, n, (off_t) (uintptr_t) addr) == (ssize_t) n);
  close (fd);
}

/* The site S skips its call: a NOP, or ret for a sibling call.  */
static inline int
sc_test_site_is_nop (const struct static_call_site_info *s)
{
  const unsigned char *b = s->addr;
  return (s->tail ? sc_x86_is_ret5 (b) : sc_x86_is_nop5 (b))
	 && s->state == STATIC_CALL_SITE_NOP && !s->calls;
}

/* The site S calls (or jumps to) its own trampoline.  */
static inline int
sc_test_site_is_trampoline (const struct static_call_site_info *s)
{
  int tail = -1;
  return sc_x86_is_rel32 (s->addr)
	 && sc_x86_rel32_dest (s->addr, &tail) == s->trampoline
	 && s->state == STATIC_CALL_SITE_TRAMPOLINE;
}

/* The site S calls (or, as a sibling call, jumps to) TARGET directly.  */
static inline int
sc_test_site_is_direct (const struct static_call_site_info *s,
			const void *target)
{
  int tail = -1;
  return sc_x86_is_rel32 (s->addr)
	 && sc_x86_rel32_dest (s->addr, &tail) == target
	 && tail == s->tail && s->state == STATIC_CALL_SITE_DIRECT;
}

/* Say on stderr what the bytes of a site that is not as WANT are.  */
static inline void
sc_test_site_wrong (const struct static_call_site_info *s, const char *want)
{
  const unsigned char *b = s->addr;
  fprintf (stderr, "site %p of %s (tail %d, state %d): %02x %02x %02x "
	   "%02x %02x, want %s\n", s->addr, s->key, s->tail, s->state,
	   b[0], b[1], b[2], b[3], b[4], want);
}

/* Run FN (X) in a child, without a core dump; returns the signal that
   ended it, or 0.  */
static inline int
sc_test_child_signal (void (*fn) (int), int x)
{
  fflush (NULL);
  pid_t pid = fork ();
  CHECK (pid >= 0);
  if (pid == 0)
    {
      struct rlimit no_core = { 0, 0 };
      setrlimit (RLIMIT_CORE, &no_core);
      fn (x);
      _exit (0);
    }
  int status;
  CHECK (waitpid (pid, &status, 0) == pid);
  return WIFSIGNALED (status) ? WTERMSIG (status) : 0;
}

/* ---- Calls racing updates -------------------------------------------

   Caller threads run sites while one thread retargets them as fast as
   it can, and per-thread timer signals (SIGALRM) run the sites from
   signal handlers too.  Every call must see a target that was current
   at some moment during the call: for each key the updater records the
   state of generation G in hist[G] before announcing `started = G', and
   announces `completed = G' once the update returned.  A call that read
   completed = C0 before and started = S1 after must have seen one of
   the states hist[C0..S1].  */

#define SC_TEST_RING (1 << 16)

struct sc_test_history
{
  atomic_ulong started, completed;
  atomic_int hist[SC_TEST_RING];
};

static inline void
sc_test_history_start (struct sc_test_history *h, unsigned long gen,
		       int state)
{
  atomic_store (&h->hist[gen % SC_TEST_RING], state);
  atomic_store (&h->started, gen);
}

/* Whether one of the states of generations C0..S1 of H is one for
   which VALUE (STATE, ARG) (or STATE itself, VALUE null) is GOT; -1
   when the generations are too many for the ring.  Async-signal-safe:
   atomics only.  */
static inline int
sc_test_history_saw (struct sc_test_history *h, unsigned long c0,
		     unsigned long s1, int got,
		     int (*value) (int state, int arg), int arg)
{
  if (s1 - c0 >= SC_TEST_RING - 1)
    return -1;
  for (unsigned long gen = c0; gen <= s1; gen++)
    {
      int state = atomic_load (&h->hist[gen % SC_TEST_RING]);
      if ((value ? value (state, arg) : state) == got)
	return 1;
    }
  return 0;
}

struct sc_test_race
{
  const char *fail_msg;		/* said when a call saw a wrong target */
  void (*call) (long arg);	/* a round of calls; ARG a caller's number
				   from 1, or SIGNAL_ARG in a handler */
  long signal_arg;
  int calls_per_round;
  void (*update) (unsigned long n);	/* the N-th update, from 0 */
  long self_timer_ns;		/* the updater's own timer, 0 none */
  long ms;			/* SC_STRESS_MS, or this default */
  unsigned long min_updates;	/* SC_STRESS_UPDATES, or 300 */
  atomic_int stop;
  atomic_ulong calls, handler_calls;
  atomic_ulong unchecked;	/* calls too slow for the ring */
  unsigned long updates;
};

/* A call saw a wrong target: say R->fail_msg and abort.
   Async-signal-safe.  */
__attribute__ ((noreturn)) static inline void
sc_test_race_fail (struct sc_test_race *r)
{
  write (2, r->fail_msg, strlen (r->fail_msg));
  abort ();
}

/* A call that read completed = C0 of H before and started = S1 after
   saw GOT, which must be (VALUE (STATE, ARG) of) one of the states of
   generations C0..S1.  Async-signal-safe: atomics only.  */
static inline void
sc_test_race_check (struct sc_test_race *r, struct sc_test_history *h,
		    unsigned long c0, unsigned long s1, int got,
		    int (*value) (int state, int arg), int arg)
{
  int saw = sc_test_history_saw (h, c0, s1, got, value, arg);
  if (saw < 0)
    atomic_fetch_add (&r->unchecked, 1);
  else if (!saw)
    sc_test_race_fail (r);
}

/* The middle of a race's summary line: what ST says of the batches,
   syncs and breakpoint hits.  */
static inline void
sc_test_print_bp_stats (const struct static_call_stats *st)
{
  printf ("%lu batches, %lu syncs; breakpoint hits: %lu emulated, %lu "
	  "stub, %lu self, %lu stale; ", st->batches, st->syncs,
	  st->bp_emulated, st->bp_stub, st->bp_self, st->bp_stale);
}

static struct sc_test_race *sc_test_race_now __attribute__ ((unused));

static inline void
sc_test_race_on_timer (int sig)
{
  (void) sig;
  sc_test_race_now->call (sc_test_race_now->signal_arg);
  atomic_fetch_add (&sc_test_race_now->handler_calls, 1);
}

static inline void *
sc_test_race_caller (void *arg)
{
  struct sc_test_race *r = sc_test_race_now;
  timer_t t = sc_test_thread_timer (SIGALRM, 200000);
  unsigned long n = 0;
  while (!atomic_load_explicit (&r->stop, memory_order_relaxed))
    {
      r->call ((long) (intptr_t) arg);
      n++;
    }
  timer_delete (t);
  atomic_fetch_add (&r->calls, (unsigned long) r->calls_per_round * n);
  return NULL;
}

/* Valgrind maps the main thread's stack as the thread's own accesses
   fault on it, but fails to when it delivers a signal there ("Can't
   extend stack to ... during signal delivery"): the updater's timer
   signal, deeper than the thread has been, would kill the process, the
   more likely the larger the environment.  Go that deep first.  */
__attribute__ ((noinline, unused)) static void
sc_test_touch_stack (void)
{
  volatile char deep[256 * 1024];
  for (size_t i = 0; i < sizeof deep; i += 1024)
    deep[i] = 0;
}

/* Run the race of R with NCALLERS caller threads: updates for at least
   R->ms milliseconds (SC_STRESS_MS if set), and on a loaded machine
   longer (up to 20 times that) until 300 updates (SC_STRESS_UPDATES if
   set: fewer under valgrind's tools) have raced the callers.  */
static inline void
sc_test_race_run (struct sc_test_race *r, int ncallers)
{
  sc_test_touch_stack ();
  const char *ms_env = getenv ("SC_STRESS_MS");
  long ms = ms_env ? atol (ms_env) : r->ms;
  const char *updates_env = getenv ("SC_STRESS_UPDATES");
  r->min_updates = updates_env ? strtoul (updates_env, NULL, 10) : 300;
  /* SC_STRESS_CALLERS: fewer callers, for valgrind's tools, which run
     one thread at a time, each for a long slice: the updater waits for
     every caller's slice at each of its system calls.  */
  const char *callers_env = getenv ("SC_STRESS_CALLERS");
  if (callers_env && atoi (callers_env) > 0 && atoi (callers_env) < ncallers)
    ncallers = atoi (callers_env);
  sc_test_race_now = r;
  struct sigaction sa;
  memset (&sa, 0, sizeof sa);
  sa.sa_handler = sc_test_race_on_timer;
  sa.sa_flags = SA_RESTART;
  sigaction (SIGALRM, &sa, NULL);

  pthread_t th[ncallers];
  for (long i = 0; i < ncallers; i++)
    CHECK (pthread_create (&th[i], NULL, sc_test_race_caller,
			   (void *) (i + 1)) == 0);
  /* The updater's own timer: its handler runs sites under patch.  */
  timer_t self_timer;
  if (r->self_timer_ns)
    self_timer = sc_test_thread_timer (SIGALRM, r->self_timer_ns);

  double t0 = sc_test_now (), elapsed;
  do
    {
      r->update (r->updates);
      r->updates++;
      elapsed = (sc_test_now () - t0) * 1000;
    }
  while (elapsed < ms
	 || (r->updates < r->min_updates && elapsed < 20 * ms));
  if (r->self_timer_ns)
    timer_delete (self_timer);
  atomic_store (&r->stop, 1);
  for (int i = 0; i < ncallers; i++)
    pthread_join (th[i], NULL);
}

/* The race ran long enough and from signal handlers too; with the slow
   path forced (STATICCALL_SLOWPATH_US), callers took the breakpoint
   handler, through the stubs when STATICCALL_BP=trampoline and only
   then.  */
static inline void
sc_test_race_verdict (struct sc_test_race *r,
		      const struct static_call_stats *st)
{
  CHECK (r->updates >= r->min_updates && atomic_load (&r->calls) > 1000);
  CHECK (atomic_load (&r->handler_calls) > 0);
  const char *slow = getenv ("STATICCALL_SLOWPATH_US");
  const char *bp = getenv ("STATICCALL_BP");
  if (slow && atol (slow) > 0)
    {
      CHECK (st->bp_emulated + st->bp_stub > 0);
      if (bp && !strcmp (bp, "trampoline"))
	CHECK (st->bp_stub > 0);
      else
	CHECK (st->bp_stub == 0);
    }
}

#endif

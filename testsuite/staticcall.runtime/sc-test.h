/* Helpers for the runtime tests: read a site's code bytes back from
   memory and check where they go, independently of the runtime's own
   bookkeeping.  */

#ifndef SC_TEST_H
#define SC_TEST_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
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

/* Calls completed through a stub (STATICCALL_BP=trampoline) so far.  */
static inline unsigned long
sc_test_stub_hits (void)
{
  struct static_call_stats st;
  static_call_get_stats (&st);
  return st.bp_stub;
}

#endif

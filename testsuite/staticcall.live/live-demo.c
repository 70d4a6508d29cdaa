/* A demo-like program for live.exp, which lists its sites from outside
   with staticcall-sites --pid: sites of every kind, called in a loop.
   A call site and a sibling call of live_op (direct to live_a, then
   live_b); a call of live_far, whose target is in a shared library
   beyond rel32 reach (a near slot); a guarded call of the NULL
   live_hook (a NOP, then direct to hook_fn); a branch on the static
   key live_flag (not taken, then taken); an immediate live_shift (3,
   then 5); a call of live_bad whose site the runtime refused (before
   an update of its key, foreign bytes were written into it, and after
   it its compiled call: refused, it holds the call to its
   trampoline).  Prints "ready" (or "ready, no refused site: WHY"
   when it could not make one), and "updated" once it has read a line on
   stdin and updated every key; exits at the end of stdin, or after 60
   seconds.  */
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <static_call.h>

int live_far_target (int);	/* live-demo-lib.c */
int live_far_other (int);

__attribute__ ((noinline)) int live_a (int x) { return x + 1; }
__attribute__ ((noinline)) int live_b (int x) { return x + 2; }
__attribute__ ((noinline)) void hook_fn (void) { }
__attribute__ ((noinline)) int bad_one (int x) { return x + 3; }
__attribute__ ((noinline)) int bad_two (int x) { return x + 4; }
__attribute__ ((noinline)) int bad_three (int x) { return x + 5; }

int (*live_op) (int) STATIC_CALL (live_op) = live_a;
int (*live_far) (int) STATIC_CALL (live_far) = live_far_target;
void (*live_hook) (void) STATIC_CALL (live_hook);
_Bool live_flag STATIC_KEY (live_flag);
unsigned live_shift STATIC_IMMEDIATE (live_shift) = 3;
int (*live_bad) (int) STATIC_CALL (live_bad) = bad_one;

static volatile int sink;

__attribute__ ((noinline)) static int call_op (int x) { return 2 * live_op (x); }
__attribute__ ((noinline)) static int tail_op (int x) { return live_op (x); }

__attribute__ ((noinline)) static int
work (int x)
{
  int r = call_op (x) + tail_op (x) + live_far (x) + live_bad (x);
  if (live_hook)
    live_hook ();
  if (live_flag)
    r += 100;
  return r + (1 << live_shift);
}

static void *
reader (void *arg)
{
  char line[64];
  if (fgets (line, sizeof line, stdin))
    {
      live_op = live_b;
      live_far = live_far_other;
      live_hook = hook_fn;
      live_flag = 1;
      live_shift = 5;
      printf ("updated\n");
      fflush (stdout);
      while (fgets (line, sizeof line, stdin))
	;
    }
  exit (0);
}

static const void *bad_site, *bad_tramp;
static int bad_state = -1;

static int
find_bad (const struct static_call_site_info *s, void *arg)
{
  if (!strcmp (s->key, "live_bad"))
    {
      bad_site = s->addr;
      bad_tramp = s->trampoline;
      bad_state = s->state;
    }
  return 0;
}

static int
poke (const void *addr, const void *bytes, size_t n)
{
  int fd = open ("/proc/self/mem", O_RDWR);
  if (fd < 0)
    return -1;
  int r = pwrite (fd, bytes, n, (off_t) (uintptr_t) addr) == (ssize_t) n
	  ? 0 : -1;
  close (fd);
  return r;
}

/* A call at SITE to TO, of the opcode of the call there.  */
static void
call_to (unsigned char *b, const void *site, const void *to)
{
  int32_t rel = (int32_t) ((intptr_t) to - ((intptr_t) site + 5));
  b[0] = *(const unsigned char *) site;
  memcpy (b + 1, &rel, 4);
}

/* Makes live_bad's site refused, holding its compiled call; NULL, or
   why not.  */
static const char *
refuse_bad_site (void)
{
  static_call_for_each_site (find_bad, NULL);
  if (!bad_site)
    return "no site of live_bad";
  /* A call of another function: not what the runtime wrote there.  */
  unsigned char compiled[5], foreign[5];
  call_to (foreign, bad_site, bad_three);
  call_to (compiled, bad_site, bad_tramp);
  if (poke (bad_site, foreign, 5))
    return "/proc/self/mem is not writable";
  live_bad = bad_two;		/* refuses the site */
  if (poke (bad_site, compiled, 5))
    return "/proc/self/mem is not writable";
  static_call_for_each_site (find_bad, NULL);
  if (bad_state != STATIC_CALL_SITE_REFUSED)
    return "the runtime did not refuse it";
  return NULL;
}

int
main (void)
{
  pthread_t t;
  if (pthread_create (&t, NULL, reader, NULL))
    return 1;
  const char *why = refuse_bad_site ();
  if (why)
    printf ("ready, no refused site: %s\n", why);
  else
    printf ("ready\n");
  fflush (stdout);
  time_t end = time (NULL) + 60;
  while (time (NULL) < end)
    for (int i = 0; i < 100000; i++)
      sink = work (i);
  return 1;
}

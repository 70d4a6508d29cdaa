/* A demo-like program for live.exp, which lists its sites from outside
   with staticcall-sites --pid: sites of every kind, called in a loop.
   A call site and a sibling call of live_op (direct to live_a, then
   live_b); a call of live_far, whose target is in a shared library
   beyond rel32 reach (a near slot); a guarded call of the NULL
   live_hook (a NOP, then direct to hook_fn); a branch on the static
   key live_flag (not taken, then taken); an immediate live_shift (3,
   then 5).  Prints "ready", and "updated" once it has read a line on
   stdin and updated every key; exits at the end of stdin, or after 60
   seconds.  */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <static_call.h>

int live_far_target (int);	/* live-demo-lib.c */
int live_far_other (int);

__attribute__ ((noinline)) int live_a (int x) { return x + 1; }
__attribute__ ((noinline)) int live_b (int x) { return x + 2; }
__attribute__ ((noinline)) void hook_fn (void) { }

int (*live_op) (int) STATIC_CALL (live_op) = live_a;
int (*live_far) (int) STATIC_CALL (live_far) = live_far_target;
void (*live_hook) (void) STATIC_CALL (live_hook);
_Bool live_flag STATIC_KEY (live_flag);
unsigned live_shift STATIC_IMMEDIATE (live_shift) = 3;

static volatile int sink;

__attribute__ ((noinline)) static int call_op (int x) { return 2 * live_op (x); }
__attribute__ ((noinline)) static int tail_op (int x) { return live_op (x); }

__attribute__ ((noinline)) static int
work (int x)
{
  int r = call_op (x) + tail_op (x) + live_far (x);
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

int
main (void)
{
  pthread_t t;
  if (pthread_create (&t, NULL, reader, NULL))
    return 1;
  printf ("ready\n");
  fflush (stdout);
  time_t end = time (NULL) + 60;
  while (time (NULL) < end)
    for (int i = 0; i < 100000; i++)
      sink = work (i);
  return 1;
}

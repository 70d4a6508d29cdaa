/* Static calls from signal handlers: a SIGUSR1 handler (raise) and a
   SIGALRM handler (setitimer, a few hundred ticks) call through keys
   that main keeps calling and retargeting between the signals, so a
   handler may run while main is in the middle of a retarget (when a
   site it calls may hold the patching breakpoint).  The handlers check
   every result against the pointer's value; only counts that do not
   depend on timing are printed.  */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <static_call.h>
#include "abi-check.h"

static long add100 (long x) { return x + 100; }
static long add200 (long x) { return x + 200; }
static long times3 (long x) { return x * 3; }

long (*hp) (long) STATIC_CALL (hp) = add100;
long (*mp) (long) STATIC_CALL (mp) = times3;

/* Set by main around each retarget of HP: while it is set, a handler
   may see the old or the new target.  */
static volatile sig_atomic_t retargeting;
static volatile sig_atomic_t usr1_result;
static volatile sig_atomic_t alarms, alarm_errors;

static long
expected (long (*f) (long), long x)
{
  return f == add100 ? x + 100 : f == add200 ? x + 200 : -1;
}

static void
on_usr1 (int sig)
{
  (void) sig;
  usr1_result = (sig_atomic_t) hp (sig);
}

static void
on_alarm (int sig)
{
  (void) sig;
  int busy = retargeting;
  long (*before) (long) = static_call_query (hp);
  long r = hp (alarms);
  long m = mp (alarms);
  if (m != alarms * 3)
    alarm_errors++;
  else if (busy)
    {
      if (r != alarms + 100 && r != alarms + 200)
	alarm_errors++;
    }
  else if (r != expected (before, alarms))
    alarm_errors++;
  alarms++;
}

static void
retarget_hp (long (*f) (long))
{
  retargeting = 1;
  __atomic_signal_fence (__ATOMIC_SEQ_CST);
  hp = f;
  __atomic_signal_fence (__ATOMIC_SEQ_CST);
  retargeting = 0;
}

static double
now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int
main (void)
{
  struct sigaction sa;
  memset (&sa, 0, sizeof sa);
  sigemptyset (&sa.sa_mask);
  sa.sa_handler = on_usr1;
  if (sigaction (SIGUSR1, &sa, NULL))
    abort ();
  sa.sa_handler = on_alarm;
  sa.sa_flags = SA_RESTART;
  if (sigaction (SIGALRM, &sa, NULL))
    abort ();

  /* Synchronous signals: the handler sees exactly main's target.  */
  long sum = 0;
  for (int i = 0; i < 20; i++)
    {
      retarget_hp ((i & 1) ? add200 : add100);
      usr1_result = 0;
      raise (SIGUSR1);
      if (usr1_result != SIGUSR1 + ((i & 1) ? 200 : 100))
	abort ();
      sum += usr1_result + hp (i);
    }
  printf ("usr1 sum %ld\n", sum);
  if (sum != 20L * SIGUSR1 + 190 + 2 * (10 * 100 + 10 * 200))
    abort ();
  check_sites ();

  /* Asynchronous signals: a tick every 200us while main retargets.  */
  struct itimerval it = { { 0, 200 }, { 0, 200 } };
  if (setitimer (ITIMER_REAL, &it, NULL))
    abort ();
  long iterations = 0, bad = 0;
  double deadline = now () + 5.0;
  while (alarms < 300 && now () < deadline)
    {
      long (*f) (long) = (iterations & 1) ? add200 : add100;
      retarget_hp (f);
      for (int k = 0; k < 50; k++)
	if (hp (k) != expected (f, k) || mp (k) != 3 * k)
	  bad++;
      iterations++;
    }
  struct itimerval off;
  memset (&off, 0, sizeof off);
  setitimer (ITIMER_REAL, &off, NULL);

  printf ("alarms >= 300: %s\n", alarms >= 300 ? "yes" : "no");
  printf ("alarm errors: %d\n", (int) alarm_errors);
  printf ("main errors: %ld\n", bad);
  if (alarms < 300 || alarm_errors || bad)
    abort ();
  retarget_hp (add100);
  check_sites ();
  return 0;
}

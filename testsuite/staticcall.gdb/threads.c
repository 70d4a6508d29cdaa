/* Run under gdb by gdb.exp: caller threads run a call site, a static
   key's site and an immediate value's site while the main thread
   updates the three thousands of times, so that threads keep hitting
   the runtime's breakpoints (the test sets STATICCALL_SLOWPATH_US,
   which holds them longer).  Halfway and at
   three quarters the main thread calls milestone () through a static
   call: the test's breakpoints stop there, on the function and then
   on the site.  Prints how many calls the runtime's handler completed
   and exits 0 when every call went to a target of its key.  */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include <static_call.h>

#define NCALLERS 3

static atomic_int bad;
static atomic_int done;
static atomic_long traced;

__attribute__ ((noinline)) static int f0 (int x) { return x; }
__attribute__ ((noinline)) static int f1 (int x) { return x + 1; }
int (*op) (int) STATIC_CALL (gdb_op) = f0;

static _Bool tracing STATIC_KEY (gdb_tracing);
static unsigned shift STATIC_IMMEDIATE (gdb_shift) = 1;

__attribute__ ((noinline)) void
milestone (int n)
{
  __asm__ volatile ("" : : "r" (n) : "memory");
}
void (*notify) (int) STATIC_CALL (gdb_notify) = milestone;

static void *
caller (void *arg)
{
  while (!atomic_load (&done))
    {
      int r = op (10);
      if (r != 10 && r != 11)
	atomic_fetch_add (&bad, 1);
      if (tracing)
	atomic_fetch_add (&traced, 1);
      unsigned s = shift;
      if (s != 1 && s != 2)
	atomic_fetch_add (&bad, 1);
    }
  return arg;
}

int
main (int argc, char **argv)
{
  int updates = argc > 1 ? atoi (argv[1]) : 2000;
  pthread_t t[NCALLERS];
  for (int i = 0; i < NCALLERS; i++)
    if (pthread_create (&t[i], NULL, caller, NULL))
      return 2;
  for (int i = 0; i < updates; i++)
    {
      static_call_update (op, i & 1 ? f1 : f0);
      static_key_update (tracing, i & 1);
      static_key_update (shift, 1 + (i & 1));
      if (i == updates / 2 || i == updates * 3 / 4)
	notify (i);
    }
  atomic_store (&done, 1);
  for (int i = 0; i < NCALLERS; i++)
    pthread_join (t[i], NULL);
  struct static_call_stats st;
  static_call_get_stats (&st);
  printf ("updates %d handler %lu bad %d\n", updates,
	  st.bp_emulated + st.bp_stub + st.bp_self + st.bp_stale
	  + st.bp_value, atomic_load (&bad));
  return atomic_load (&bad) != 0;
}

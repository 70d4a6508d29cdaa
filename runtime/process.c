/* staticcall runtime: the global lock, start-up, and the process's
   fork and exit.

   One global lock serialises registration, updates and patching; fork
   takes it first (pthread_atfork), so a child never starts mid-batch.
   Start-up (the first registration or update) reads the environment,
   chooses a code writer, registers membarrier and installs the trap
   handler: if any of them fails, nothing is ever patched.  */

#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "internal.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static bool initialized;
static bool can_patch;
static bool cannot_patch_in_child;
static bool exiting;
static pid_t owner_pid;

void
sc_lock (void)
{
  pthread_mutex_lock (&lock);
}

void
sc_unlock (void)
{
  pthread_mutex_unlock (&lock);
}

static void
fork_prepare (void)
{
  pthread_mutex_lock (&lock);
}

static void
fork_parent (void)
{
  pthread_mutex_unlock (&lock);
}

static void after_fork_locked (void);

static void
fork_child (void)
{
  after_fork_locked ();
  pthread_mutex_unlock (&lock);
}

/* A new process (fork, also _Fork or clone without the fork handlers):
   the /proc/self/mem descriptor, the membarrier registration, the stub
   and slot areas (shared memory) and the cached thread id all belong to
   the parent.  Called with the lock held, or in the child of fork.  */
static void
after_fork_locked (void)
{
  owner_pid = getpid ();
  sc_gettid_after_fork ();
  sc_perf_map_after_fork ();
  sc_slots_after_fork ();
  bool can_write = sc_writer_after_fork () == 0;
  sc_sync_after_fork ();
  sc_trap_after_fork ();
  /* Sites already direct stay correct until an update, which then
     cannot patch them: tell that update (and the user) rather than
     pretend.  */
  if (can_patch && (!can_write || sc_sync_init ()))
    {
      can_patch = false;
      cannot_patch_in_child = true;
    }
}

/* At exit, units stay registered: other threads may still run their
   code, and an update must still reach their sites.  */
static void
note_exit (void)
{
  pthread_mutex_lock (&lock);
  exiting = true;
  pthread_mutex_unlock (&lock);
}

void
sc_init_locked (void)
{
  if (initialized)
    return;
  initialized = true;
  owner_pid = getpid ();
  sc_config_load ();
  sc_perf_map_init ();
  pthread_atfork (fork_prepare, fork_parent, fork_child);
  atexit (note_exit);
  can_patch = sc_writer_init () == 0 && sc_sync_init () == 0
	      && sc_trap_init () == 0;
  if (can_patch)
    sc_warn_if_guard_bypassed ();
}

/* Before anything that writes code or uses per-process state: notices
   a new process first.  */
enum sc_patching
sc_patching_locked (void)
{
  if (getpid () != owner_pid)
    after_fork_locked ();
  return can_patch ? SC_PATCH_YES
	 : cannot_patch_in_child ? SC_PATCH_NOT_IN_CHILD : SC_PATCH_NO;
}

bool
sc_exiting_locked (void)
{
  return exiting;
}

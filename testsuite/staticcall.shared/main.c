/* One key across an executable, a shared library and a dlopen'ed
   module, both ways round: lib_key lives in the library, exe_key in the
   executable.  An assignment in any object retargets the sites of every
   object; sites whose target is more than 2 GiB away (the PIE executable
   and the libraries are mapped far apart) go through a near slot, and
   the test checks that at least one does; a forked child's update must
   not reach its parent's slots.  Then dlopen/call/dlclose
   churn while another thread updates both keys (paced, so that dlopen
   and dlclose get the runtime's lock): 100 rounds, or as many as 20 s
   allow (at least 10).  The library's ops table lib_ops is called from
   all three objects and stored from each, by a whole-table assignment,
   memcpy and __atomic_store_n; its ops pointer lib_impl is called from
   all three and pointed by each at a const table of its own.  */
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../staticcall.runtime/sc-test.h"
#include "shared.h"

int exe_t1 (int x) { return 10 + x; }
int exe_t2 (int x) { return 20 + x; }

int (*exe_key) (int) STATIC_CALL (exe_key) = exe_t1;

__attribute__ ((noinline)) int exe_calls_lib_key (int x) { return lib_key (x); }
__attribute__ ((noinline)) int exe_calls_exe_key (int x) { return exe_key (x); }

typedef int fn (int);
static fn *mod_calls_lib_key, *mod_calls_exe_key, *mod_t;
static void (*mod_sets_lib_key) (fn *);

static void
load_module (void **h)
{
  *h = dlopen (getenv ("SC_MODULE"), RTLD_NOW);
  CHECK (*h);
  mod_calls_lib_key = (fn *) dlsym (*h, "mod_calls_lib_key");
  mod_calls_exe_key = (fn *) dlsym (*h, "mod_calls_exe_key");
  mod_t = (fn *) dlsym (*h, "mod_t");
  mod_sets_lib_key = (void (*) (fn *)) dlsym (*h, "mod_sets_lib_key");
  CHECK (mod_calls_lib_key && mod_calls_exe_key && mod_t && mod_sets_lib_key);
}

/* Every call site of both keys, in every object, reaches LIB and EXE.  */
static void
expect (fn *lib, fn *exe, int with_module)
{
  CHECK (exe_calls_lib_key (1) == lib (1));
  CHECK (lib_calls_lib_key (1) == lib (1));
  CHECK (exe_calls_exe_key (1) == exe (1));
  CHECK (lib_calls_exe_key (1) == exe (1));
  CHECK (lib_tail_exe_key (1) == exe (1));
  if (with_module)
    {
      CHECK (mod_calls_lib_key (1) == lib (1));
      CHECK (mod_calls_exe_key (1) == exe (1));
    }
  sc_test_expect_current ("lib_key", (const void *) lib);
  sc_test_expect_current ("exe_key", (const void *) exe);
  CHECK (static_call_query (lib_key) == lib);
  CHECK (static_call_query (exe_key) == exe);
}

__attribute__ ((noinline)) static int
exe_calls_ops (int x)
{
  return lib_ops.a (x) * 10000 + lib_ops.sub.b (x);
}

/* Every object's calls through lib_ops reach A and B.  */
static void
expect_ops (void *h, fn *a, fn *b)
{
  fn *mod_calls_ops = (fn *) dlsym (h, "mod_calls_ops");
  CHECK (mod_calls_ops);
  int want = a (1) * 10000 + b (1);
  CHECK (exe_calls_ops (1) == want);
  CHECK (lib_calls_ops (1) == want);
  CHECK (mod_calls_ops (1) == want);
  sc_test_expect_current ("lib_ops.a", (const void *) a);
  sc_test_expect_current ("lib_ops.sub.b", (const void *) b);
}

__attribute__ ((noinline)) static int
exe_calls_impl (int x)
{
  return lib_impl->a (x) * 10000 + lib_impl->sub.b (x);
}

static void
tables (void *h)
{
  void (*mod_sets_ops_b) (fn *) = (void (*) (fn *)) dlsym (h, "mod_sets_ops_b");
  CHECK (mod_sets_ops_b);
  expect_ops (h, lib_t1, lib_t2);
  struct shared_ops mine = { exe_t1, 6, { exe_t2 } };
  lib_ops = mine;			/* from the executable */
  expect_ops (h, exe_t1, exe_t2);
  CHECK (lib_ops.data == 6);
  struct shared_ops back = { lib_t2, 7, { lib_t1 } };
  lib_sets_ops (&back);			/* from the library */
  expect_ops (h, lib_t2, lib_t1);
  mod_sets_ops_b (mod_t);		/* from the module */
  expect_ops (h, lib_t2, mod_t);
  memcpy (&lib_ops, &mine, sizeof lib_ops);
  expect_ops (h, exe_t1, exe_t2);
  lib_ops = back;

  fn *mod_calls_impl = (fn *) dlsym (h, "mod_calls_impl");
  void (*mod_sets_impl) (void) = (void (*) (void)) dlsym (h, "mod_sets_impl");
  CHECK (mod_calls_impl && mod_sets_impl);
  static const struct shared_ops exe_ops = { exe_t2, 2, { exe_t1 } };
  lib_impl = &exe_ops;			/* from the executable */
  int want = exe_t2 (1) * 10000 + exe_t1 (1);
  CHECK (exe_calls_impl (1) == want && lib_calls_impl (1) == want
	 && mod_calls_impl (1) == want);
  mod_sets_impl ();			/* from the module */
  want = mod_t (1) * 10000 + mod_t (1);
  CHECK (exe_calls_impl (1) == want && lib_calls_impl (1) == want
	 && mod_calls_impl (1) == want);
  sc_test_expect_current ("lib_impl->a", (const void *) mod_t);
  lib_sets_impl (&exe_ops);		/* from the library, before the
					   module and its table go */
  want = exe_t2 (1) * 10000 + exe_t1 (1);
  CHECK (exe_calls_impl (1) == want && lib_calls_impl (1) == want
	 && mod_calls_impl (1) == want);
  sc_test_expect_current ("lib_impl->sub.b", (const void *) exe_t1);
}

static int far_sites;

static int
count_far (const struct static_call_site_info *s, void *arg)
{
  if (s->state == STATIC_CALL_SITE_SLOT)
    far_sites++;
  return 0;
}

static atomic_int stop;
static atomic_long churns;

static void *
churn (void *arg)
{
  double round = sc_test_now ();
  for (int i = 0; !atomic_load (&stop); i++)
    {
      if (i & 1)
	lib_sets_exe_key ((i & 2) ? exe_t1 : exe_t2);
      else
	lib_key = (i & 2) ? lib_t1 : lib_t2;
      atomic_fetch_add (&churns, 1);
      sc_test_pace (&round);
    }
  return NULL;
}

int
main (void)
{
  void *h;
  load_module (&h);
  expect (lib_t1, exe_t1, 1);
  tables (h);

  lib_key = lib_t2;			/* from the executable */
  expect (lib_t2, exe_t1, 1);
  lib_sets_exe_key (exe_t2);		/* from the library */
  expect (lib_t2, exe_t2, 1);
  mod_sets_lib_key (mod_t);		/* from the module */
  expect (mod_t, exe_t2, 1);
  CHECK (static_call_update (lib_key, lib_t1) == 0);
  CHECK (static_call_update (exe_key, exe_t1) == 0);
  expect (lib_t1, exe_t1, 1);

  /* The executable's sites of lib_key are far from lib_t1 when the
     library is mapped more than 2 GiB away; they must use a slot.  */
  static_call_for_each_site (count_far, NULL);
  if (!sc_test_reachable ((const void *) exe_calls_lib_key,
			  (const void *) lib_t1))
    CHECK (far_sites > 0);
  printf ("far sites through near slots: %d\n", far_sites);
  CHECK (dlclose (h) == 0);
  expect (lib_t1, exe_t1, 0);

  /* A child's update changes its own slots, not its parent's (slot
     areas are shared memory until the runtime privatises them).  */
  pid_t pid = fork ();
  if (pid == 0)
    {
      lib_key = lib_t2;
      _exit (exe_calls_lib_key (1) == lib_t2 (1) ? 0 : 1);
    }
  int status;
  CHECK (waitpid (pid, &status, 0) == pid && WIFEXITED (status)
	 && WEXITSTATUS (status) == 0);
  expect (lib_t1, exe_t1, 0);

  /* Churn: load, call, unload while another thread updates.  */
  pthread_t t;
  CHECK (pthread_create (&t, NULL, churn, NULL) == 0);
  double end = sc_test_now () + 20;
  int rounds;
  for (rounds = 0; rounds < 100 && sc_test_now () < end; rounds++)
    {
      load_module (&h);
      int r = mod_calls_lib_key (5);
      CHECK (r == 1005 || r == 2005);
      r = mod_calls_exe_key (5);
      CHECK (r == 15 || r == 25);
      r = lib_calls_exe_key (5);
      CHECK (r == 15 || r == 25);
      CHECK (dlclose (h) == 0);
    }
  atomic_store (&stop, 1);
  pthread_join (t, NULL);
  printf ("%d load/unload rounds during %ld updates%s\n", rounds,
	  atomic_load (&churns),
	  rounds < 100 ? " (stopped on its 20 s bound)" : "");
  CHECK (rounds >= 10);
  expect (lib_key, exe_key, 0);
  puts ("shared keys ok");
  return 0;
}

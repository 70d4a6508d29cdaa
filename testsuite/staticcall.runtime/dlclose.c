/* dlopen/dlclose: a module's sites (of a key the executable defines) are
   patched to the current target when it loads, retargeted by updates in
   the executable, and unregistered by dlclose before its text goes away,
   so later updates never write into unmapped memory; another thread
   updates the key the whole time (paced, so that dlopen and dlclose get
   the runtime's lock).  200 rounds, or as many as 20 s allow (at least
   20).  */
/* { sc-module "dlclose-mod.c" } */
/* { sc-options "-rdynamic" } */
/* { sc-run "" } */
/* { sc-run "STATICCALL_SLOWPATH_US=20" } */
/* { sc-run "STATICCALL_BP=trampoline STATICCALL_SLOWPATH_US=20" } */
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>

#include "sc-test.h"

static int plus1 (int x) { return x + 1; }
static int plus2 (int x) { return x + 2; }

int (*shared_op) (int) STATIC_CALL (shared_op) = plus1;

static atomic_int stop;

static atomic_long churns;

static void *
churn (void *arg)
{
  double round = sc_test_now ();
  while (!atomic_load (&stop))
    {
      shared_op = plus2;
      shared_op = plus1;
      atomic_fetch_add (&churns, 2);
      sc_test_pace (&round);
    }
  return NULL;
}

static int
count_one (const struct static_call_site_info *s, void *arg)
{
  (void) s;
  (*(int *) arg)++;
  return 0;
}

static int
count_sites (void)
{
  int n = 0;
  static_call_for_each_site (count_one, &n);
  return n;
}

int
main (void)
{
  const char *path = getenv ("SC_MODULE");
  CHECK (path);
  int base = count_sites ();
  pthread_t t;
  CHECK (pthread_create (&t, NULL, churn, NULL) == 0);
  double end = sc_test_now () + 20;
  int rounds;
  for (rounds = 0; rounds < 200 && sc_test_now () < end; rounds++)
    {
      void *h = dlopen (path, RTLD_NOW);
      CHECK (h);
      int (*call) (int) = (int (*) (int)) dlsym (h, "mod_call");
      int (*tail) (int) = (int (*) (int)) dlsym (h, "mod_tail");
      CHECK (call && tail);
      int r = call (10);
      CHECK (r == 11 || r == 12);
      r = tail (10);
      CHECK (r == 11 || r == 12);
      CHECK (count_sites () == base + 3);
      CHECK (dlclose (h) == 0);
    }
  atomic_store (&stop, 1);
  pthread_join (t, NULL);
  printf ("%d dlopen/dlclose rounds, %ld concurrent updates%s\n", rounds,
	  atomic_load (&churns), rounds < 200 ? " (stopped on its 20 s bound)"
	  : "");
  CHECK (rounds >= 20 && atomic_load (&churns) > 0);
  CHECK (count_sites () == base);

  /* Quiet now: a freshly loaded module's sites go to the current target
     from the start (directly, where it is within reach).  */
  shared_op = plus2;
  void *h = dlopen (path, RTLD_NOW);
  CHECK (h);
  CHECK (sc_test_expect_current ("shared_op", (const void *) plus2)
	 == base + 3);
  dlclose (h);
  puts ("dlopen/dlclose churn ok");
  return 0;
}

/* Static keys and immediate values across objects: a module loaded with
   dlopen has sites of a key and an immediate that the executable
   defines (patched to their current values when it loads, however many
   stores came before), follows later stores made in the executable,
   and has its own key and immediate; dlclose unregisters its sites, so
   that later stores never write into unmapped text.  Another thread
   stores the shared key and immediate the whole time (paced, so that
   dlopen and dlclose get the runtime's lock).  100 rounds, or as many
   as 20 s allow (at least 10).  */
/* { sc-module "value-dlopen-mod.c" } */
/* { sc-options "-rdynamic" } */
/* { sc-run "" } */
/* { sc-run "STATICCALL_SLOWPATH_US=20" } */
/* { sc-run "STATICCALL_BP=trampoline STATICCALL_SLOWPATH_US=20" } */
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>

#include "sc-test.h"

_Bool shared_on STATIC_KEY (shared_on);
long shared_base STATIC_IMMEDIATE (shared_base) = 1000;

static atomic_int stop;
static atomic_long churns;

/* The churner stores pairs it undoes at once, so that the main
   thread, which holds the churn lock while it checks, sees the values
   it set.  */
static pthread_mutex_t churn_lock = PTHREAD_MUTEX_INITIALIZER;

static void *
churn (void *arg)
{
  (void) arg;
  double round = sc_test_now ();
  while (!atomic_load (&stop))
    {
      pthread_mutex_lock (&churn_lock);
      _Bool on = shared_on;
      long base = shared_base;
      shared_on = !on;
      shared_base = base + 1;
      shared_on = on;
      shared_base = base;
      pthread_mutex_unlock (&churn_lock);
      atomic_fetch_add (&churns, 4);
      sc_test_pace (&round);
    }
  return NULL;
}

static int
count_value (const struct static_call_site_info *s, void *arg)
{
  if (s->kind != STATIC_CALL_KIND_CALL)
    (*(int *) arg)++;
  return 0;
}

static int
value_sites (void)
{
  int n = 0;
  static_call_for_each_site (count_value, &n);
  return n;
}

int
main (void)
{
  sc_test_require_features ();
  const char *path = getenv ("SC_MODULE");
  CHECK (path);
  int base_sites = value_sites ();
  pthread_t th;
  CHECK (pthread_create (&th, NULL, churn, NULL) == 0);
  double t0 = sc_test_now ();
  int rounds = 0;
  while (rounds < 100 && (rounds < 10 || sc_test_now () - t0 < 20))
    {
      pthread_mutex_lock (&churn_lock);
      shared_on = rounds & 1;
      shared_base = rounds * 0x100000001L;
      pthread_mutex_unlock (&churn_lock);
      void *h = dlopen (path, RTLD_NOW);
      CHECK (h);
      long (*mod_read) (long) = (long (*) (long)) dlsym (h, "mod_read");
      void (*mod_set_own) (int, unsigned)
	= (void (*) (int, unsigned)) dlsym (h, "mod_set_own");
      CHECK (mod_read && mod_set_own);
      CHECK (value_sites () > base_sites);
      pthread_mutex_lock (&churn_lock);
      long want = 5 + rounds * 0x100000001L;
      CHECK (mod_read (5) == ((rounds & 1) ? -want : want));
      shared_on = 0;
      shared_base = 3;
      CHECK (mod_read (5) == 8);
      mod_set_own (1, rounds + 2);
      CHECK (mod_read (5) == 8L * (rounds + 2));
      mod_set_own (0, 1);
      pthread_mutex_unlock (&churn_lock);
      CHECK (dlclose (h) == 0);
      CHECK (value_sites () == base_sites);
      rounds++;
    }
  atomic_store (&stop, 1);
  pthread_join (th, NULL);
  printf ("%d rounds of dlopen/dlclose, %ld stores racing them\n", rounds,
	  atomic_load (&churns));
  CHECK (rounds >= 10);
  return 0;
}

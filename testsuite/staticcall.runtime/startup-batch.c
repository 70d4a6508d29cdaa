/* Start-up patches each loaded object in one batch, 3 syncs, however
   many units it has: the executable's three units (this file and
   startup-batch-mod-{b,c}.c) before main, and a dlopen'ed module of two
   units (startup-batch-mod.c, startup-batch-mod-d.c) at its load.  The
   module is unregistered only by its last unit's destructor: another
   destructor of it that updates a key still retargets all its sites
   (startup-batch-mod-d.c checks that).  A runtime that registers and
   patches unit by unit makes 3 batches (9 syncs) before main and 2 at
   the dlopen.  */
/* { sc-sources "startup-batch-mod-b.c" } */
/* { sc-sources "startup-batch-mod-c.c" } */
/* { sc-module "startup-batch-mod.c startup-batch-mod-d.c" } */
/* { sc-options "-rdynamic" } */
/* { sc-run "" } */
/* { sc-run "STATICCALL_WRITER=mprotect" } */
#include <dlfcn.h>

#include "sc-test.h"

int plus1 (int x) { return x + 1; }
int plus2 (int x) { return x + 2; }

int (*startup_op) (int) STATIC_CALL (startup_op) = plus1;

int call_b (int);
int call_c (int);

__attribute__ ((noinline)) int
call_a (int x)
{
  return startup_op (x);
}

/* Patched: direct, or through a near slot when the target is out of
   rel32 reach (the module's sites, calling into the executable).  */
struct count
{
  int sites, patched;
};

static int
count_one (const struct static_call_site_info *s, void *arg)
{
  struct count *c = arg;
  c->sites++;
  c->patched += s->state == STATIC_CALL_SITE_DIRECT
		|| s->state == STATIC_CALL_SITE_SLOT;
  return 0;
}

static struct count
count_sites (void)
{
  struct count c = { 0, 0 };
  static_call_for_each_site (count_one, &c);
  return c;
}

static void
print_stats (const char *when, const struct static_call_stats *s)
{
  fprintf (stderr, "%s: %lu batches, %lu syncs, %lu sites patched\n",
	   when, s->batches, s->syncs, s->sites_patched);
}

int
main (void)
{
  const char *path = getenv ("SC_MODULE");
  CHECK (path);

  struct static_call_stats st;
  static_call_get_stats (&st);
  print_stats ("start-up", &st);
  struct count c = count_sites ();
  CHECK (c.sites >= 3 && c.patched == c.sites);
  CHECK (st.batches == 1);
  CHECK (st.syncs == 3);
  CHECK (st.sites_patched == (unsigned long) c.sites);
  CHECK (call_a (1) == 2 && call_b (1) == 2 && call_c (1) == 2);

  void *h = dlopen (path, RTLD_NOW);
  CHECK (h);
  struct static_call_stats st2;
  static_call_get_stats (&st2);
  print_stats ("dlopen", &st2);
  struct count c2 = count_sites ();
  CHECK (c2.sites >= c.sites + 2 && c2.patched == c2.sites);
  CHECK (st2.batches == st.batches + 1);
  CHECK (st2.syncs == st.syncs + 3);
  int (*mod_a) (int) = (int (*) (int)) dlsym (h, "mod_a_call");
  int (*mod_d) (int) = (int (*) (int)) dlsym (h, "mod_d_call");
  CHECK (mod_a && mod_d);
  CHECK (mod_a (1) == 2 && mod_d (1) == 2);

  startup_op = plus2;
  CHECK (call_a (1) == 3 && call_b (1) == 3 && call_c (1) == 3);
  CHECK (mod_a (1) == 3 && mod_d (1) == 3);
  startup_op = plus1;

  /* The module's destructors set startup_op to plus2 and check.  */
  CHECK (dlclose (h) == 0);
  CHECK (count_sites ().sites == c.sites);
  CHECK (startup_op == plus2);
  startup_op = plus1;
  CHECK (call_a (1) == 2 && call_b (1) == 2 && call_c (1) == 2);
  return 0;
}

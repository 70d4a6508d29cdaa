/* A key is first named by a module that is unloaded while another
   module still has sites of it: the key's name must stay valid.  Then
   units are unregistered whose key loses its last site at the first of
   several sites (freed key must not be read again).  */
/* { sc-module "key-name-mod.c" } */
/* { sc-module "dlclose-mod.c" } */
/* { sc-options "-rdynamic" } */
/* { sc-valgrind } */
#include <dlfcn.h>

#include "sc-test.h"

static int one (void) { return 1; }
int (*named_hook) (void) STATIC_CALL (named_hook) = one;
static int plus1 (int x) { return x + 1; }
int (*shared_op) (int) STATIC_CALL (shared_op) = plus1;

static int names_ok;

static int
check_name (const struct static_call_site_info *s, void *arg)
{
  if (!strcmp (s->key, "named_hook"))
    names_ok++;
  return 0;
}

int
main (void)
{
  const char *path = getenv ("SC_MODULE");
  void *a = dlopen (path, RTLD_NOW);
  CHECK (a);
  int (*call) (void) = (int (*) (void)) dlsym (a, "mod_call");
  CHECK (call () == 1);
  /* The executable has no site of named_hook: the key's name came from
     the module.  Unload it, then load it again: the key is dropped and
     made anew, and its name must be readable throughout.  */
  CHECK (dlclose (a) == 0);
  a = dlopen (path, RTLD_NOW);
  CHECK (a);
  static_call_for_each_site (check_name, NULL);
  CHECK (names_ok == 1);
  CHECK (dlclose (a) == 0);

  /* dlclose-mod.c: three sites of shared_op, the only ones.  */
  for (int i = 0; i < 3; i++)
    {
      void *m = dlopen (getenv ("SC_MODULE2"), RTLD_NOW);
      CHECK (m);
      int (*mc) (int) = (int (*) (int)) dlsym (m, "mod_call");
      CHECK (mc (1) == 2);
      CHECK (dlclose (m) == 0);
    }
  puts ("key names and unregistration ok");
  return 0;
}

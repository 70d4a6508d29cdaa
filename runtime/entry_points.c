/* staticcall runtime: the entry points the plugin's generated code
   calls.

   Each takes the global lock (process.c), files or forgets sites in the
   registry (registry.c) and patches them (patch.c).  */

#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "internal.h"

static __thread int last_status;

static int
register_locked (const struct sc_unit *desc)
{
  struct sc_site **batch = malloc (desc->nsites * sizeof *batch);
  if (!batch && desc->nsites)
    {
      sc_warn ("out of memory registering %u call sites; they stay on "
	       "their trampolines", desc->nsites);
      return -ENOMEM;
    }
  int n = sc_registry_add_unit (desc, batch);
  int r = n < 0 ? n : 0;
  if (n >= 0 && sc_patching_locked () == SC_PATCH_YES)
    r = sc_patch_sites (batch, n);
  free (batch);
  return r;
}

void
__static_call_register_unit (const struct sc_unit *desc)
{
  sc_lock ();
  sc_init_locked ();
  register_locked (desc);
  sc_unlock ();
}

/* Runs from the object's destructor: on dlclose, before its text is
   unmapped, so no later batch writes into it.  */
void
__static_call_unregister_unit (const struct sc_unit *desc)
{
  sc_lock ();
  if (!sc_exiting_locked ())
    sc_registry_remove_unit (desc);
  sc_unlock ();
}

/* `var = fn' in code built with the plugin.  */
void
__static_call_update (void *var, void *fn)
{
  void **p = var;
  int status = 0;
  sc_lock ();
  sc_init_locked ();
  SC_COUNT (updates);
  /* First the pointer: trampolines and racing calls that trap see the
     new target from here on; then the sites.  */
  __atomic_store_n (p, fn, __ATOMIC_RELEASE);
  struct sc_key *k = sc_registry_key (p);
  enum sc_patching can = k ? sc_patching_locked () : SC_PATCH_NO;
  if (can == SC_PATCH_YES)
    status = sc_patch_sites (k->sites, k->nsites);
  else if (can == SC_PATCH_NOT_IN_CHILD)
    {
      status = -EPERM;
      sc_warn ("in this child of fork the runtime cannot write code: "
	       "sites of key '%s' may still call the old target", k->name);
    }
  sc_unlock ();
  last_status = status;
}

int
__static_call_last_status (void)
{
  return last_status;
}

void
__static_call_clear_status (void)
{
  last_status = 0;
}

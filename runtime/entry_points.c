/* staticcall runtime: the entry points the plugin's generated code
   calls: the constructors and destructors of the units, and updates.

   Each takes the global lock (process.c), files or forgets sites in the
   registry (registry.c) and patches them (patch.c).  */

#include "config.h"

#include "internal.h"

/* Register the units DESCS[0..N) (NULL entries skipped) as OWNER's,
   and patch all their sites in one batch: calls, and static keys' and
   immediate values' sites to their variables' current values.  Each
   unit and each record is checked against OWNER's object first
   (registry.c): what is refused is left as it is, with a warning, and
   the rest is patched.  */
static int
register_locked (const struct sc_unit *const *descs, size_t n,
		 const void *owner, const struct sc_unit *const *self)
{
  sc_registry_begin (owner);
  /* The list itself must be the object's (the linker's bounds of its
     section): else only the calling unit's own pointer is read.  */
  if (n > 1 && !sc_registry_in_object (descs, n * sizeof *descs))
    {
      sc_warn ("the unit list of %s (%zu units at %p) runs outside its "
	       "loaded segments; registering one unit of it", 
	       sc_registry_object_name (), n, (void *) descs);
      descs = self;
      n = 1;
    }
  /* Which units passed their checks (and their sites' room).  */
  bool *ok = sc_zalloc (n * sizeof *ok);
  size_t total = 0;
  for (size_t i = 0; ok && i < n; i++)
    if (descs[i] && (ok[i] = sc_registry_check_unit (descs[i])))
      total += descs[i]->nsites
	       + (descs[i]->version >= SC_UNIT_ABI_VERSION_VALUES
		  ? descs[i]->nvalue_sites : 0);
  struct sc_site **batch = ok ? sc_alloc (total * sizeof *batch) : NULL;
  if (!batch && (total || !ok))
    {
      sc_free (ok);
      sc_registry_end ();
      sc_warn ("out of memory registering %zu call sites; they stay on "
	       "their trampolines", total);
      return -SC_ENOMEM;
    }
  size_t to_patch = 0;
  bool added = false;
  int r = 0;
  for (size_t i = 0; i < n; i++)
    {
      if (!ok[i])
	{
	  if (descs[i])
	    r = -SC_EINVAL;
	  continue;
	}
      int got = sc_registry_add_unit (descs[i], owner, batch + to_patch);
      if (got < 0)
	r = got;
      else
	to_patch += got, added = true;
    }
  to_patch = sc_registry_refuse_overlaps (batch, to_patch);
  sc_registry_end ();
  sc_free (ok);
  sc_registry_sort_keys ();
  if (added && sc_patching_locked () == SC_PATCH_YES)
    {
      int p = sc_patch_sites (batch, to_patch);
      if (p)
	r = p;
    }
  sc_free (batch);
  return r;
}

/* From the constructor of each unit of an object built with the plugin:
   START and STOP bound the object's own unit pointers (the linker
   defines them per object), SELF is the calling unit's.  The first
   call registers every unit of the object and patches all their sites
   in one batch; the others only count.  */
void
__static_call_register_object (const struct sc_unit *const *start,
			       const struct sc_unit *const *stop,
			       const struct sc_unit *const *self)
{
  /* Bounds that do not hold the unit's own pointer are not its
     object's (a link that did not resolve them per object): the unit
     registers alone then, as an older object's would.  */
  if (self < start || self >= stop)
    start = self, stop = self + 1;
  sc_lock ();
  sc_init_locked ();
  int seen = sc_registry_object_get (start);
  if (seen == 0)
    register_locked (start, stop - start, start, self);
  else if (seen < 0)
    sc_warn ("out of memory registering an object's %zu units; their "
	     "sites stay on their trampolines", (size_t) (stop - start));
  sc_unlock ();
}

/* Unregister what OWNER registered, its sites first put back on their
   trampolines (one batch): the destructors run at exit as well as at
   dlclose, and at exit the object's code stays and may still run (a
   library's atexit handler, registered before the executable's
   destructors, runs after them; a later object's destructor may call
   back into it).  Through their trampolines its calls then reach
   whatever the pointers hold, with no registry and no near slot.  Its
   value sites go back to their compiled forms in the same batch, which
   read the variables: no later store would rewrite an immediate or a
   branch that the code run at exit may still execute.  */
static void
unregister_locked (const void *owner)
{
  struct sc_site **sites;
  size_t n = sc_registry_owner_sites (owner, &sites);
  if (n && sc_patching_locked () == SC_PATCH_YES)
    sc_park_sites (sites, n);
  sc_free (sites);
  sc_registry_remove (owner);
}

/* From the destructor of each unit: on dlclose, before the object's
   text is unmapped, so no later batch writes into it.  The last one
   unregisters the object; until then an update (from another
   destructor, say) still retargets all its sites.  */
void
__static_call_unregister_object (const struct sc_unit *const *start,
				 const struct sc_unit *const *stop,
				 const struct sc_unit *const *self)
{
  if (self < start || self >= stop)
    start = self;
  sc_lock ();
  if (!sc_exiting_locked () && sc_registry_object_put (start))
    unregister_locked (start);
  sc_unlock ();
}

/* The same for one unit, from objects of older plugins, which have no
   list of their units: one batch per unit.  */
void
__static_call_register_unit (const struct sc_unit *desc)
{
  sc_lock ();
  sc_init_locked ();
  register_locked (&desc, 1, desc, &desc);
  sc_unlock ();
}

void
__static_call_unregister_unit (const struct sc_unit *desc)
{
  sc_lock ();
  if (!sc_exiting_locked ())
    unregister_locked (desc);
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
  /* The pointer's key, or the keys of all the members of an ops
     pointer: one batch.  */
  status = sc_retarget_pointer_locked (p);
  sc_unlock ();
  *sc_status_slot () = status;
}

/* `var = value' on a static key or an immediate value in code built
   with the plugin: VALUE's SIZE (1, 2, 4 or 8) low bytes.  */
void
__static_call_update_value (void *var, uint64_t value, unsigned size)
{
  sc_lock ();
  sc_init_locked ();
  /* First the variable (with release): unpatched sites, and threads
     that hit a site mid-batch (whose handler reads it), see the new
     value from here on; then every site of its key, in one batch.  */
  int status = sc_store_value_locked (var, value, size);
  sc_unlock ();
  *sc_status_slot () = status;
}

int
__static_call_last_status (void)
{
  return *sc_status_slot ();
}

void
__static_call_clear_status (void)
{
  *sc_status_slot () = 0;
}

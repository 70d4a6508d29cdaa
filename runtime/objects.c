/* staticcall runtime: the loaded objects' segments, for the registry's
   checks of the records an object brings (registry.c): one walk of the
   program headers per registration.

   A record is only trusted as far as the object that registers it is:
   its tables must lie in the object's loaded segments, its sites in
   the object's executable ones, and its keys' variables in writable
   segments of some loaded object.  The checks are against the program
   headers as loaded (PT_LOAD, p_vaddr and p_memsz), not the current
   protections: a RELRO part of a writable segment counts as
   writable.  */

#define _GNU_SOURCE 1
#include "config.h"

#include <dlfcn.h>
#include <link.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

struct walk
{
  uintptr_t addr;
  struct sc_object_map *map;
  size_t cap;
  bool failed;
  bool found;
  bool main_program;
};

static void
add_segment (struct walk *w, uintptr_t lo, uintptr_t hi, uint8_t prot,
	     bool own)
{
  struct sc_object_map *m = w->map;
  if (m->nseg == w->cap)
    {
      size_t cap = w->cap ? 2 * w->cap : 32;
      struct sc_segment *v = sc_realloc (m->seg, w->cap * sizeof *v,
					 cap * sizeof *v);
      if (!v)
	{
	  w->failed = true;
	  return;
	}
      m->seg = v;
      w->cap = cap;
    }
  m->seg[m->nseg++] = (struct sc_segment) { lo, hi, prot, own };
}

static int
visit (struct dl_phdr_info *info, size_t size, void *arg)
{
  struct walk *w = arg;
  bool own = false;
  for (int i = 0; i < info->dlpi_phnum && !own; i++)
    {
      const ElfW (Phdr) *ph = &info->dlpi_phdr[i];
      uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
      own = ph->p_type == PT_LOAD && w->addr >= lo
	    && w->addr - lo < ph->p_memsz;
    }
  if (own)
    {
      w->found = true;
      w->main_program = !info->dlpi_name || !info->dlpi_name[0];
    }
  for (int i = 0; i < info->dlpi_phnum; i++)
    {
      const ElfW (Phdr) *ph = &info->dlpi_phdr[i];
      if (ph->p_type != PT_LOAD || !ph->p_memsz)
	continue;
      uint8_t prot = (ph->p_flags & PF_X ? SC_SEG_X : 0)
		     | (ph->p_flags & PF_W ? SC_SEG_W : 0);
      /* Of other objects only what a key may point into.  */
      if (own || (prot & SC_SEG_W))
	{
	  uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
	  add_segment (w, lo, lo + ph->p_memsz, prot, own);
	}
    }
  return 0;
}

void
sc_object_map_get (const void *addr, struct sc_object_map *m)
{
  memset (m, 0, sizeof *m);
  m->known = true;
  struct walk w = { (uintptr_t) addr, m, 0, false, false, false };
  dl_iterate_phdr (visit, &w);
  if (w.failed)
    {
      /* No memory for the map: the checks cannot be made, and without
	 memory nothing is registered anyway.  */
      sc_free (m->seg);
      m->seg = NULL;
      m->nseg = 0;
      m->known = false;
    }
  /* The object's own first: a site's check looks at them only.  */
  for (size_t i = 0; i < m->nseg; i++)
    if (m->seg[i].own)
      {
	struct sc_segment t = m->seg[m->nown];
	m->seg[m->nown++] = m->seg[i];
	m->seg[i] = t;
      }
  Dl_info dl;
  if (w.found && dladdr (addr, &dl) && dl.dli_fname && dl.dli_fname[0])
    snprintf (m->name, sizeof m->name, "%s", dl.dli_fname);
  else if (w.found && w.main_program)
    snprintf (m->name, sizeof m->name, "the main program");
}

void
sc_object_map_release (struct sc_object_map *m)
{
  sc_free (m->seg);
  m->seg = NULL;
  m->nseg = 0;
}

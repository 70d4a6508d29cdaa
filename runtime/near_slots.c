/* staticcall runtime: near slots for targets beyond rel32 reach.

   A site can only `call rel32': a target more than 2 GiB away (a PIE
   executable calling into a shared library, or the reverse) cannot be
   called directly.  Instead of leaving such a site on its trampoline
   (which loads the pointer, through the GOT for an extern one), the site
   calls a slot near it:

	slot i:   ff 25 disp32        jmp *word_i(%rip)
	word i:   the target, 8 bytes, in the area's second page

   One slot per key per unit, in an area mapped within reach of the
   unit's sites.  Retargeting a far key is one aligned 8-byte store into
   the word (atomic: a racing call sees the old or the new target); the
   site itself is patched only when it moves between direct, slot and
   trampoline.  The words live on a page that is never executed, so the
   store is plain data, not code modification.  The slot page is a memfd
   mapped twice, read+exec near the sites and read+write anywhere; the
   word page after it is private anonymous memory.  A child of fork
   (or of _Fork, which runs no fork handlers) thus gets its own copy of
   the words at once, and shares only the slot code, which is the same
   for a slot of a given index in every process.

   Units built with -mindirect-branch=thunk* get no slots: their
   trampoline already goes through a retpoline, and a slot would add an
   unprotected indirect branch.  */

#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"

#define SLOT_SIZE 8
#define STEP (2L << 20)	/* distance between placement attempts */

struct sc_slot_area
{
  unsigned char *rx;		/* page 0: slots (r-x); page 1: words (rw-) */
  unsigned char *rw;		/* page 0 again, writable */
  size_t page;
  unsigned used;
  struct sc_key **keys;		/* key of each slot */
  struct sc_slot_area *next, **prev;	/* all areas (areas) */
};

/* Every area, for a child of fork to name them in its own perf map.  */
static struct sc_slot_area *areas;
/* For __static_call_debug (introspect.c): where a debugger finds an
   area's slots and words.  */
const uint16_t sc_slot_area_layout[3] = {
  offsetof (struct sc_slot_area, rx),
  offsetof (struct sc_slot_area, page),
  offsetof (struct sc_slot_area, used),
};

static bool
reaches (const void *from_next, const void *to)
{
  intptr_t d = (intptr_t) to - (intptr_t) from_next;
  return d == (int32_t) d;
}

/* Reserve the area's two pages within reach of ANCHOR: try addresses
   ever farther away, never replacing an existing mapping.  */
static unsigned char *
map_near (size_t len, unsigned char *anchor)
{
  uintptr_t base = (uintptr_t) anchor & ~(uintptr_t) (STEP - 1);
  for (long k = 1; k < 1000; k++)
    for (int sign = -1; sign <= 1; sign += 2)
      {
	uintptr_t hint = base + sign * k * STEP;
	/* Never at or below the lowest step: a non-PIE executable sits
	   at 4 MiB, and one step further down is page 0, which root may
	   map, and then NULL would no longer fault.  */
	if (sign < 0 && (hint > base || hint < STEP))
	  continue;
	void *p = mmap ((void *) hint, len, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			-1, 0);
	if (p != MAP_FAILED)
	  return p;
	/* EEXIST: taken; ENOMEM and others: out of range this way.  Keep
	   looking, on both sides.  */
      }
  return NULL;
}

static int
map_area (struct sc_slot_area *a, unsigned char *anchor)
{
  int fd = memfd_create ("staticcall-slots", MFD_CLOEXEC);
  if (fd < 0)
    return -errno;
  int r = 0;
  void *rw = MAP_FAILED;
  if (ftruncate (fd, a->page))
    r = -errno;
  else if ((rw = mmap (NULL, a->page, PROT_READ | PROT_WRITE, MAP_SHARED,
		       fd, 0)) == MAP_FAILED)
    r = -errno;
  else if (!(a->rx = map_near (2 * a->page, anchor)))
    r = -ENOMEM;
  else if (mmap (a->rx, a->page, PROT_READ | PROT_EXEC,
		 MAP_SHARED | MAP_FIXED, fd, 0) == MAP_FAILED)
    {
      r = -errno;
      munmap (a->rx, 2 * a->page);
    }
  close (fd);
  if (r && rw != MAP_FAILED)
    munmap (rw, a->page);
  if (!r)
    a->rw = rw;
  return r;
}

static struct sc_slot_area *
area_for (struct sc_unit_state *u, unsigned char *anchor)
{
  if (u->slots || u->slots_failed)
    return u->slots;
  struct sc_slot_area *a = calloc (1, sizeof *a);
  if (a)
    {
      a->page = sysconf (_SC_PAGESIZE);
      a->keys = calloc (a->page / SLOT_SIZE, sizeof *a->keys);
    }
  if (!a || !a->keys || map_area (a, anchor))
    {
      if (a)
	free (a->keys);
      free (a);
      u->slots_failed = true;
      sc_warn ("no memory near %p for far-target slots; far sites there "
	       "stay on their trampolines", (void *) anchor);
      return NULL;
    }
  u->slots = a;
  a->next = areas;
  if (areas)
    areas->prev = &a->next;
  a->prev = &areas;
  areas = a;
  return a;
}

/* The slot through which site S can reach TARGET (which it cannot
   reach directly), with TARGET stored in it; NULL when there is none,
   and S must use its trampoline.  Called with the registry lock held,
   before the batch that points sites at the slot.  */
void *
sc_slot_for (struct sc_site *s, void *target)
{
  struct sc_unit_state *u = s->unit;
  if (u->desc->flags & SC_UNIT_RETPOLINE)
    return NULL;
  struct sc_slot_area *a = area_for (u, s->addr);
  if (!a)
    return NULL;
  unsigned i;
  for (i = 0; i < a->used && a->keys[i] != s->key; i++)
    ;
  if (i == a->used)
    {
      if (a->used == a->page / SLOT_SIZE)
	return NULL;
      /* A new slot: jmp *(page)(%rip), relative to the slot's end.  */
      unsigned char *code = a->rw + i * SLOT_SIZE;
      int32_t disp = (int32_t) a->page - 6;
      code[0] = 0xff;
      code[1] = 0x25;
      memcpy (code + 2, &disp, 4);
      code[6] = code[7] = SC_OP_INT3;
      a->keys[i] = s->key;
      a->used++;
      sc_perf_map_add (a->rx + i * SLOT_SIZE, SLOT_SIZE, "slot",
		       s->key->name, NULL);
    }
  unsigned char *slot = a->rx + i * SLOT_SIZE;
  if (!reaches (s->addr + SC_INSN_LEN, slot))
    return NULL;
  uint64_t *word = (uint64_t *) (a->rx + a->page) + i;
  __atomic_store_n (word, (uint64_t) (uintptr_t) target, __ATOMIC_RELEASE);
  return slot;
}

/* Whether ADDR is one of unit U's slots.  */
bool
sc_is_slot (const struct sc_unit_state *u, const void *addr)
{
  const struct sc_slot_area *a = u->slots;
  return a && (const unsigned char *) addr >= a->rx
	 && (const unsigned char *) addr < a->rx + a->used * SLOT_SIZE;
}

/* The target stored in slot ADDR of unit U.  */
const void *
sc_slot_target (const struct sc_unit_state *u, const void *addr)
{
  const struct sc_slot_area *a = u->slots;
  size_t i = ((const unsigned char *) addr - a->rx) / SLOT_SIZE;
  return (const void *) (uintptr_t)
    __atomic_load_n ((uint64_t *) (a->rx + a->page) + i, __ATOMIC_ACQUIRE);
}

/* The unit is going away with its object: no site can use its slots.  */
void
sc_slots_release (struct sc_unit_state *u)
{
  struct sc_slot_area *a = u->slots;
  if (!a)
    return;
  if (a->next)
    a->next->prev = a->prev;
  *a->prev = a->next;
  munmap (a->rx, 2 * a->page);
  munmap (a->rw, a->page);
  free (a->keys);
  free (a);
  u->slots = NULL;
}

/* A child of fork keeps the slots, mapped as they were, in a perf map
   of its own (perf_map.c): name them there again.  */
void
sc_slots_after_fork (void)
{
  for (const struct sc_slot_area *a = areas; a; a = a->next)
    for (unsigned i = 0; i < a->used; i++)
      sc_perf_map_add (a->rx + i * SLOT_SIZE, SLOT_SIZE, "slot",
		       a->keys[i]->name, NULL);
}

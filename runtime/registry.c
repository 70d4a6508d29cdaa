/* staticcall runtime: the registry of keys, units and sites, and of
   the objects that registered them.

   A key is identified by the address of its annotated pointer: every
   object reaches that one variable (through the GOT when it lives in
   another object), so a key is one key across the whole process.  Its
   name is only for messages.  The same holds for a static key or an
   immediate value (a value key): its variable is its identity, and an
   executable and the libraries that use its variable share one key.

   Bookkeeping only: what to patch is decided by the caller
   (entry_points.c).  Called with the lock held (process.c).  */

#include "config.h"

#include "internal.h"
#include "../tools/x86-insn.h"

/* Global (hidden) for __static_call_debug (introspect.c).  */
sc_hidden struct sc_unit_state *sc_units;

#define KEY_BUCKETS 256
static struct sc_key *key_table[KEY_BUCKETS];
/* Keys of external pointers by name, to tell two pointers of one name
   apart in constant time: an object may bring thousands of keys.  */
static struct sc_key *name_table[KEY_BUCKETS];
/* Keys whose sites were added out of address order.  */
static struct sc_key *unsorted_keys;
static unsigned long sweeps;

/* A loaded object whose units registered together: counted by its
   units' constructors, so that its last destructor unregisters it.  */
struct sc_object
{
  const void *id;
  unsigned long ctors;
  struct sc_object *next;
};
static struct sc_object *objects;

/* A constructor of object ID ran.  Returns 1 when one of ID did already
   (its units are registered), 0 for the first, -ENOMEM when the object
   could not be recorded.  */
int
sc_registry_object_get (const void *id)
{
  for (struct sc_object *o = objects; o; o = o->next)
    if (o->id == id)
      {
	o->ctors++;
	return 1;
      }
  struct sc_object *o = sc_alloc (sizeof *o);
  if (!o)
    return -SC_ENOMEM;
  o->id = id;
  o->ctors = 1;
  o->next = objects;
  objects = o;
  return 0;
}

/* A destructor of object ID ran.  Returns true when it was the last
   one: the object is forgotten and its units must be removed.  */
bool
sc_registry_object_put (const void *id)
{
  struct sc_object **pp = &objects;
  while (*pp && (*pp)->id != id)
    pp = &(*pp)->next;
  struct sc_object *o = *pp;
  if (!o || --o->ctors)
    return false;
  *pp = o->next;
  sc_free (o);
  return true;
}

/* ---- The checks of an object's records, against its map (env.h):
   between sc_registry_begin and sc_registry_end, the lock held.  A
   record is refused with one warning naming the object, and its sites
   are never written: a table or a descriptor outside the object's
   loaded segments refuses its unit; a key record outside its unit's
   table, without a name in the object, or whose variable is not in
   writable data refuses its sites; a site outside the object's
   executable segments, overlapping another, or not in its compiled
   form is refused alone.  */

static struct sc_object_map map;
/* The sites of this registration whose addresses were checked, for
   the overlap check at the end; and their room.  */
static struct sc_site **placed;
static size_t nplaced, placed_cap;
static bool placed_failed;

static void
format_address (char *out, const char *prefix, uintptr_t a)
{
  size_t n = 0;
  while (*prefix)
    out[n++] = *prefix++;
  out[n++] = '0';
  out[n++] = 'x';
  int shift = 60;
  while (shift > 0 && !(a >> shift & 0xf))
    shift -= 4;
  for (; shift >= 0; shift -= 4)
    out[n++] = "0123456789abcdef"[a >> shift & 0xf];
  out[n] = 0;
}

void
sc_registry_begin (const void *owner)
{
  sc_object_map_get (owner, &map);
  if (!map.name[0])
    format_address (map.name, "the object at ", (uintptr_t) owner);
  nplaced = 0;
  placed_failed = false;
}

void
sc_registry_end (void)
{
  sc_object_map_release (&map);
  sc_free (placed);
  placed = NULL;
  nplaced = placed_cap = 0;
}

/* Whether the LEN bytes at P lie in one segment of the map with every
   protection of NEED: one of the registering object's own when OWN.
   True where the environment knows no segments.  */
static bool
in_segment (const void *p, uint64_t len, uint8_t need, bool own)
{
  if (!map.known)
    return true;
  uintptr_t lo = (uintptr_t) p;
  if (lo + len < lo)
    return false;
  for (size_t i = 0; i < (own ? map.nown : map.nseg); i++)
    {
      const struct sc_segment *g = &map.seg[i];
      if ((!own || g->own) && (g->prot & need) == need && lo >= g->lo
	  && lo + len <= g->hi)
	return true;
    }
  return false;
}

const char *
sc_registry_object_name (void)
{
  return map.name;
}

bool
sc_registry_in_object (const void *p, size_t len)
{
  return in_segment (p, len, 0, true);
}

/* A string in the object: NUL-terminated inside one of its segments.  */
static bool
string_in_object (const char *s)
{
  if (!map.known)
    return s != NULL;
  for (size_t i = 0; i < map.nown; i++)
    {
      const struct sc_segment *g = &map.seg[i];
      if (!g->own || (uintptr_t) s < g->lo || (uintptr_t) s >= g->hi)
	continue;
      for (uintptr_t c = (uintptr_t) s; c < g->hi; c++)
	if (!*(const char *) c)
	  return true;
      return false;
    }
  return false;
}

static bool
table_ok (const struct sc_unit *desc, const void *table, uint32_t n,
	  size_t size, const char *what)
{
  if (!n || (table && in_segment (table, (uint64_t) n * size, 0, true)))
    return true;
  sc_warn ("unit %p of %s: its %s table (%u records at %p) runs outside "
	   "the object's loaded segments; its static calls stay on their "
	   "trampolines", (void *) desc, map.name, what, n, table);
  return false;
}

/* Whether the descriptor DESC can be registered: in the object, of a
   version the runtime knows, its tables in the object.  Warns once when
   not.  */
bool
sc_registry_check_unit (const struct sc_unit *desc)
{
  /* The fields of every version first, then those of version 4.  */
  const size_t head = __builtin_offsetof (struct sc_unit, nvalue_sites);
  if (!in_segment (desc, head, 0, true)
      || (desc->version >= SC_UNIT_ABI_VERSION_VALUES
	  && !in_segment (desc, sizeof *desc, 0, true)))
    {
      sc_warn ("unit %p is not in the loaded segments of %s; its static "
	       "calls stay on their trampolines", (void *) desc, map.name);
      return false;
    }
  if (desc->version < SC_UNIT_ABI_VERSION_MIN
      || desc->version > SC_UNIT_ABI_VERSION)
    {
      sc_warn ("unit %p of %s is built for site table version %u, "
	       "runtime knows %u to %u; its static calls stay on their "
	       "trampolines", (void *) desc, map.name, desc->version,
	       SC_UNIT_ABI_VERSION_MIN, SC_UNIT_ABI_VERSION);
      return false;
    }
  return table_ok (desc, desc->sites, desc->nsites, sizeof *desc->sites,
		   "site")
	 && table_ok (desc, desc->keys, desc->nkeys, sizeof *desc->keys,
		      "key")
	 && (desc->version < SC_UNIT_ABI_VERSION_VALUES
	     || table_ok (desc, desc->value_sites, desc->nvalue_sites,
			  sizeof *desc->value_sites, "value site"));
}

static unsigned record_size (const struct sc_key_record *);
static bool record_is_value (const struct sc_key_record *);

/* Whether key record KR, of a site of unit DESC, can be used: one of
   the unit's, named in the object, its variable in writable data (a
   weak undefined one, below SC_NO_OBJECT_BELOW, is left to the caller).
   CHECKED caches the answer per record of the unit (0 not yet, 1 good,
   2 refused), so that a record is warned about once.  */
static bool
key_record_ok (const struct sc_unit *desc, const struct sc_key_record *kr,
	       uint8_t *checked)
{
  uintptr_t off = (uintptr_t) kr - (uintptr_t) desc->keys;
  if (!desc->keys || (uintptr_t) kr < (uintptr_t) desc->keys
      || off / sizeof *kr >= desc->nkeys || off % sizeof *kr)
    {
      sc_warn ("unit %p of %s: a site's key record %p is not one of the "
	       "unit's; leaving the site alone", (void *) desc, map.name,
	       (void *) kr);
      return false;
    }
  uint8_t *c = checked ? &checked[off / sizeof *kr] : NULL;
  if (c && *c)
    return *c == 1;
  bool ok = true;
  if (!string_in_object (kr->name))
    {
      sc_warn ("unit %p of %s: key record %p has no name in the object; "
	       "leaving its sites alone", (void *) desc, map.name,
	       (void *) kr);
      ok = false;
    }
  else if ((uintptr_t) kr->var >= SC_NO_OBJECT_BELOW)
    {
      unsigned size = record_is_value (kr) ? record_size (kr)
					   : sizeof (void *);
      if (!in_segment (kr->var, size ? size : 1, SC_SEG_W, false))
	{
	  sc_warn ("key '%s' of %s: its variable %p is not in writable "
		   "data of any loaded object; leaving its sites alone",
		   kr->name, map.name, (void *) kr->var);
	  ok = false;
	}
    }
  if (c)
    *c = ok ? 1 : 2;
  return ok;
}

/* Whether site S (its address, length and class set) lies in the
   object's executable segments, a branch site's destination and test
   too; recorded for the overlap check.  Warns when not.  */
static bool
site_placed (struct sc_site *s, const char *key)
{
  const unsigned char *bad = NULL;
  if (!in_segment (s->addr, s->len, SC_SEG_X, true))
    bad = s->addr;
  else if (s->cls == SC_CLASS_BRANCH || s->cls == SC_CLASS_BRANCH_INV)
    {
      if (!in_segment (s->dest, 1, SC_SEG_X, true))
	bad = s->dest;
      else if (!in_segment (s->test, 1, SC_SEG_X, true))
	bad = s->test;
    }
  if (bad)
    {
      if (bad == s->addr)
	sc_warn ("site %p of key '%s' is outside the executable segments "
		 "of %s; leaving it alone", (void *) s->addr, key, map.name);
      else
	sc_warn ("site %p of key '%s' jumps to %p, outside the executable "
		 "segments of %s; leaving it alone", (void *) s->addr, key,
		 (void *) bad, map.name);
      return false;
    }
  if (nplaced == placed_cap)
    {
      size_t cap = placed_cap ? 2 * placed_cap : 64;
      struct sc_site **v = sc_realloc (placed, placed_cap * sizeof *v,
				       cap * sizeof *v);
      if (!v)
	{
	  /* No overlap check without memory: refused with the others
	     (registering needs more than this anyway).  */
	  placed_failed = true;
	  return true;
	}
      placed = v;
      placed_cap = cap;
    }
  placed[nplaced++] = s;
  return true;
}

static size_t
key_bucket (void **var)
{
  uintptr_t h = (uintptr_t) var;
  return (h >> 3 ^ h >> 11) % KEY_BUCKETS;
}

/* The key of the record {VAR, DEREF, OFFSET}.  */
static struct sc_key *
find_key (void **var, bool deref, uint32_t offset)
{
  for (struct sc_key *k = key_table[key_bucket (var)]; k; k = k->next)
    if (k->var == var && k->deref == deref && (!deref || k->offset == offset))
      return k;
  return NULL;
}

static bool
record_deref (const struct sc_key_record *rec)
{
  return rec->flags & SC_KEY_DEREF;
}

static uint32_t
record_offset (const struct sc_key_record *rec)
{
  return rec->flags >> SC_KEY_OFFSET_SHIFT;
}

/* The key of the pointer VAR itself (not of an ops pointer's member).  */
struct sc_key *
sc_registry_key (void **var)
{
  return find_key (var, false, 0);
}

/* Every key whose pointer is VAR or is reached through it (the members
   of an ops pointer): up to MAX into OUT.  Returns how many there
   are.  */
size_t
sc_registry_keys_of (void **var, struct sc_key **out, size_t max)
{
  size_t n = 0;
  for (struct sc_key *k = key_table[key_bucket (var)]; k; k = k->next)
    if (k->var == var)
      {
	if (n < max)
	  out[n] = k;
	n++;
      }
  return n;
}

static size_t
name_bucket (const char *name)
{
  size_t h = 5381;
  for (const unsigned char *c = (const unsigned char *) name; *c; c++)
    h = h * 33 + *c;
  return h % KEY_BUCKETS;
}

/* A key names one pointer program-wide, except static pointers, which
   are each unit's own (a header may well define one).  */
static void
check_new_key (const struct sc_key *k)
{
  if (k->internal)
    return;
  for (struct sc_key *o = name_table[name_bucket (k->name)]; o;
       o = o->next_name)
    if (o != k && !sc_strcmp (o->name, k->name))
      sc_warn ("static call key '%s' names two pointers, %p and %p",
	       k->name, (void *) o->var, (void *) k->var);
}

static enum sc_key_kind
record_kind (const struct sc_key_record *rec)
{
  return rec->flags & SC_KEY_BRANCH ? SC_KEY_KIND_BRANCH
	 : rec->flags & SC_KEY_IMMEDIATE ? SC_KEY_KIND_IMM : SC_KEY_POINTER;
}

static unsigned
record_size (const struct sc_key_record *rec)
{
  return rec->flags >> SC_KEY_SIZE_SHIFT & SC_KEY_SIZE_MASK;
}

static bool
record_is_value (const struct sc_key_record *rec)
{
  return rec->flags & SC_KEY_VALUE_KINDS;
}

static struct sc_key *
get_key (const struct sc_key_record *rec)
{
  struct sc_key *k = find_key (rec->var, record_deref (rec),
			       record_offset (rec));
  if (k)
    {
      if (sc_strcmp (k->name, rec->name))
	sc_warn ("pointer %p is static call key '%s' in one object and "
		 "'%s' in another", (void *) k->var, k->name, rec->name);
      /* Its sites would read the variable with another size: none of
	 this record's is patched.  */
      if (k->kind != record_kind (rec)
	  || (k->kind != SC_KEY_POINTER && k->size != record_size (rec)))
	{
	  sc_warn ("variable %p is key '%s' of another kind or size in "
		   "another object; leaving the sites of this one alone",
		   (void *) k->var, k->name);
	  return NULL;
	}
      return k;
    }
  unsigned size = record_size (rec);
  if (record_kind (rec) != SC_KEY_POINTER
      && size != 1 && size != 2 && size != 4 && size != 8)
    {
      sc_warn ("value key '%s' has a variable of %u bytes; leaving its "
	       "sites alone", rec->name, size);
      return NULL;
    }
  k = sc_zalloc (sizeof *k);
  /* A copy: the object that named the key may be unloaded first.  */
  char *name = k ? sc_strdup (rec->name) : NULL;
  if (!name)
    {
      sc_free (k);
      return NULL;
    }
  k->var = rec->var;
  k->deref = record_deref (rec);
  k->offset = record_offset (rec);
  k->name = name;
  k->internal = rec->flags & SC_KEY_INTERNAL;
  k->kind = record_kind (rec);
  k->size = k->kind == SC_KEY_POINTER ? sizeof (void *) : size;
  k->is_signed = rec->flags & SC_KEY_SIGNED;
  check_new_key (k);
  size_t b = key_bucket (rec->var);
  k->next = key_table[b];
  key_table[b] = k;
  if (!k->internal)
    {
      b = name_bucket (k->name);
      k->next_name = name_table[b];
      name_table[b] = k;
    }
  return k;
}

static void
drop_key (struct sc_key *k)
{
  struct sc_key **pp = &key_table[key_bucket (k->var)];
  while (*pp != k)
    pp = &(*pp)->next;
  *pp = k->next;
  if (!k->internal)
    {
      pp = &name_table[name_bucket (k->name)];
      while (*pp != k)
	pp = &(*pp)->next_name;
      *pp = k->next_name;
    }
  if (k->unsorted)
    {
      pp = &unsorted_keys;
      while (*pp != k)
	pp = &(*pp)->next_unsorted;
      *pp = k->next_unsorted;
    }
  sc_free (k->sites);
  sc_free ((char *) k->name);
  sc_free (k);
}

static int
add_site_to_key (struct sc_key *k, struct sc_site *s)
{
  if (k->nsites == k->cap)
    {
      size_t cap = k->cap ? 2 * k->cap : 8;
      struct sc_site **v = sc_realloc (k->sites, k->cap * sizeof *v,
					 cap * sizeof *v);
      if (!v)
	return -SC_ENOMEM;
      k->sites = v;
      k->cap = cap;
    }
  if (k->nsites && k->sites[k->nsites - 1]->addr > s->addr && !k->unsorted)
    {
      k->unsorted = true;
      k->next_unsorted = unsorted_keys;
      unsorted_keys = k;
    }
  k->sites[k->nsites++] = s;
  return 0;
}

static int
compare_site_addr (const void *a, const void *b)
{
  const struct sc_site *x = *(struct sc_site *const *) a;
  const struct sc_site *y = *(struct sc_site *const *) b;
  return (x->addr > y->addr) - (x->addr < y->addr);
}

/* A site must start as the plugin emitted it: call/jmp to its
   trampoline.  Anything else is not ours to touch.  */
static void
check_initial_bytes (struct sc_site *s)
{
  memcpy (s->cur, s->addr, SC_INSN_LEN);
  unsigned char want[SC_INSN_LEN];
  sc_site_insn (s, s->tramp, want);
  /* A debugger's breakpoint already on byte 0 (set before the program
     ran): the rest is ours, and patch.c works under it.  */
  if (s->cur[0] == SC_OP_INT3 && !memcmp (s->cur + 1, want + 1, 4))
    memcpy (s->cur, want, SC_INSN_LEN);
  if (memcmp (s->cur, want, SC_INSN_LEN))
    {
      s->state = SC_SITE_REFUSED;
      SC_COUNT (conflicts);
      sc_warn ("site %p of key '%s' in %s does not hold the call the "
	       "compiler emitted; leaving it alone", (void *) s->addr,
	       s->key->name, map.name);
    }
}

/* A value site must start as the plugin emitted it: a branch site as
   a jmp to its TEST, an immediate site as one load of its register
   from its variable (or a jmp out of line to such a load), of exactly
   its length.  Anything else is refused: it keeps reading the variable
   in memory, so it stays correct.  The compiled bytes are kept: the
   runtime writes them back when no patched form fits.  */
static void
check_value_site (struct sc_site *s)
{
  memcpy (s->orig, s->addr, s->len);
  const char *why = NULL;
  /* A debugger's breakpoint already on byte 0: ours only when the
     opcode under it is known (a branch site's jmp).  */
  if (s->cls != SC_CLASS_IMM && s->orig[0] == SC_OP_INT3)
    s->orig[0] = SC_OP_JMP;
  if (s->cls != SC_CLASS_IMM)
    {
      if (s->len != SC_INSN_LEN || s->orig[0] != SC_OP_JMP
	  || sc_x86_rel32_target ((unsigned long) s->addr, s->orig)
	     != (unsigned long) s->test)
	why = "the jmp to its test the compiler emitted";
    }
  else
    {
      unsigned reg;
      int wide;
      unsigned long from = 0;
      int rip;
      unsigned pre = sc_x86_cs_prefixes (s->orig, s->len);
      bool out_of_line = s->len - pre == SC_INSN_LEN
			 && s->orig[pre] == SC_OP_JMP;
      /* Through a register (the address from the GOT, or the large
	 code model's): the plugin chose the operand, only its form is
	 checked; a rip-relative one must be the variable's.  */
      bool load = sc_x86_decode_load (s->orig, s->len,
				      (unsigned long) s->addr, &reg, &wide,
				      &rip, &from);
      if (s->len < SC_INSN_LEN || s->len > SC_IMM_MAX_LEN
	  || s->wide != (s->key->size == 8)
	  || (!out_of_line
	      && (!load || reg != s->reg || wide != (s->key->size == 8)
		  || (rip && from != (unsigned long) s->key->var))))
	why = "one load of its register from its variable";
    }
  memcpy (s->cur, s->orig, s->len);
  if (why)
    {
      s->state = SC_SITE_REFUSED;
      SC_COUNT (conflicts);
      sc_warn ("site %p of key '%s' in %s is not %s; leaving it alone",
	       (void *) s->addr, s->key->name, map.name, why);
    }
}

/* Set up value site S of record R, in unit U.  */
static void
init_value_site (struct sc_site *s, const struct sc_value_site_record *r,
		 struct sc_unit_state *u, uint8_t *checked)
{
  const struct sc_key_record *kr = sc_value_site_key (r);
  s->addr = sc_value_site_address (r);
  s->cls = SC_CLASS_BRANCH + sc_value_site_kind (r);
  s->unit = u;
  if (s->cls == SC_CLASS_IMM)
    {
      s->len = SC_IMM_LEN (r->info);
      s->reg = SC_IMM_REG (r->info);
      s->wide = SC_IMM_WIDE (r->info);
    }
  else
    {
      s->len = SC_INSN_LEN;
      s->dest = sc_value_site_dest (r);
      s->test = sc_value_site_test (r);
    }
  /* Kind 3 is none yet: a later plugin's, left alone.  */
  bool known = s->cls <= SC_CLASS_IMM && s->len <= SC_SITE_MAX_LEN
	       && key_record_ok (u->desc, kr, checked)
	       && site_placed (s, kr->name);
  s->key = known && (uintptr_t) kr->var >= SC_NO_OBJECT_BELOW
	   && (kr->flags & SC_KEY_VALUE_KINDS) ? get_key (kr) : NULL;
  if (s->key && s->key->kind == SC_KEY_POINTER)
    s->key = NULL;
  if (!s->key || add_site_to_key (s->key, s))
    {
      /* Never patched: it keeps reading the variable.  */
      s->key = NULL;
      s->state = SC_SITE_REFUSED;
      SC_COUNT (conflicts);
      return;
    }
  check_value_site (s);
}

/* File the sites of unit DESC, registered by OWNER, under their keys.
   TO_PATCH (room for all its sites, value sites included) receives the sites that hold the
   call the compiler emitted and are the runtime's to patch.  Returns
   how many, or -errno when the unit cannot be registered (with a
   warning: its sites stay on their trampolines).  The keys' sites are
   sorted again by sc_registry_sort_keys, once the caller has added all
   the units it registers together.  */
int
sc_registry_add_unit (const struct sc_unit *desc, const void *owner,
		      struct sc_site **to_patch)
{
  uint32_t nvalue = desc->version >= SC_UNIT_ABI_VERSION_VALUES
		    ? desc->nvalue_sites : 0;
  size_t nall = (size_t) desc->nsites + nvalue;
  struct sc_unit_state *u = sc_zalloc (sizeof *u);
  struct sc_site *sites = sc_zalloc (nall * sizeof *sites);
  /* Each key record's check, once.  */
  uint8_t *checked = sc_zalloc (desc->nkeys);
  if (!u || (nall && !sites) || (desc->nkeys && !checked))
    {
      sc_free (u);
      sc_free (sites);
      sc_free (checked);
      sc_warn ("out of memory registering %u call sites; they stay on "
	       "their trampolines", desc->nsites);
      return -SC_ENOMEM;
    }
  u->desc = desc;
  u->owner = owner;
  u->sites = sites;
  u->nsites = nall;

  int n = 0;
  for (uint32_t i = 0; i < desc->nsites; i++)
    {
      const struct sc_site_record *r = &desc->sites[i];
      const struct sc_key_record *kr = sc_site_key (r);
      struct sc_site *s = &sites[i];
      s->addr = sc_site_address (r);
      s->kind = sc_site_kind (r);
      s->cls = SC_CLASS_CALL;
      s->len = SC_INSN_LEN;
      s->unit = u;
      if (!key_record_ok (desc, kr, checked) || !site_placed (s, kr->name))
	{
	  s->state = SC_SITE_REFUSED;
	  SC_COUNT (conflicts);
	  continue;
	}
      s->tramp = kr->tramp;
      /* A weak pointer that no object defines has address 0 (a
	 member of an undefined weak table: its offset, below a page):
	 its sites keep calling the trampoline, which faults as the
	 plain call through it would.  */
      s->key = (uintptr_t) kr->var >= SC_NO_OBJECT_BELOW ? get_key (kr)
						       : NULL;
      if (!s->key || add_site_to_key (s->key, s))
	{
	  /* Never patched: it keeps calling its trampoline.  */
	  s->state = SC_SITE_REFUSED;
	  continue;
	}
      check_initial_bytes (s);
      if (s->state == SC_SITE_MANAGED)
	to_patch[n++] = s;
    }
  for (uint32_t i = 0; i < nvalue; i++)
    {
      struct sc_site *s = &sites[desc->nsites + i];
      init_value_site (s, &desc->value_sites[i], u, checked);
      if (s->state == SC_SITE_MANAGED)
	to_patch[n++] = s;
    }
  sc_free (checked);
  u->next = sc_units;
  sc_units = u;
  return n;
}

/* After the units of one registration are added: sites whose bytes
   overlap (whatever their state: a refused site's bytes are not
   written over either) are refused, both of each pair.  Returns how
   many of BATCH[0..N) remain managed, moved to its front.  */
size_t
sc_registry_refuse_overlaps (struct sc_site **batch, size_t n)
{
  if (placed_failed)
    {
      sc_warn ("out of memory checking the sites of %s; they stay as "
	       "they are", map.name);
      for (size_t i = 0; i < n; i++)
	batch[i]->state = SC_SITE_REFUSED;
      return 0;
    }
  /* The plugin emits a unit's sites in address order, and the link
     keeps the units' order: usually no sort at all.  */
  size_t i = 1;
  while (i < nplaced && placed[i - 1]->addr <= placed[i]->addr)
    i++;
  if (i < nplaced)
    sc_sort (placed, nplaced, sizeof *placed, compare_site_addr);
  /* The site reaching farthest so far.  */
  struct sc_site *far = NULL;
  for (size_t i = 0; i < nplaced; i++)
    {
      struct sc_site *s = placed[i];
      if (far && far->addr + far->len > s->addr)
	{
	  sc_warn ("sites %p and %p of %s overlap; leaving both alone",
		   (void *) far->addr, (void *) s->addr, map.name);
	  if (far->state == SC_SITE_MANAGED)
	    SC_COUNT (conflicts);
	  if (s->state == SC_SITE_MANAGED)
	    SC_COUNT (conflicts);
	  far->state = SC_SITE_REFUSED;
	  s->state = SC_SITE_REFUSED;
	}
      if (!far || s->addr + s->len > far->addr + far->len)
	far = s;
    }
  size_t keep = 0;
  for (size_t i = 0; i < n; i++)
    if (batch[i]->state == SC_SITE_MANAGED)
      batch[keep++] = batch[i];
  return keep;
}

/* Keep each key's sites sorted, so a batch of one key needs no sort.  */
void
sc_registry_sort_keys (void)
{
  for (struct sc_key *k = unsorted_keys; k; k = k->next_unsorted)
    {
      sc_sort (k->sites, k->nsites, sizeof *k->sites, compare_site_addr);
      k->unsorted = false;
    }
  unsorted_keys = NULL;
}

/* Forget the units OWNER registered (their object is going away): their
   sites leave their keys, a key left without sites is forgotten, their
   slots are unmapped.  */
void
sc_registry_remove (const void *owner)
{
  struct sc_unit_state *gone = NULL;
  for (struct sc_unit_state **pp = &sc_units; *pp;)
    {
      struct sc_unit_state *u = *pp;
      if (u->owner != owner)
	{
	  pp = &u->next;
	  continue;
	}
      *pp = u->next;
      u->next = gone;
      gone = u;
    }

  /* Each key once, however many of the units have sites of it: a key
     may be freed here.  */
  unsigned long sweep = ++sweeps;
  for (struct sc_unit_state *u = gone; u; u = u->next)
    for (uint32_t i = 0; i < u->desc->nkeys; i++)
      {
	const struct sc_key_record *rec = &u->desc->keys[i];
	struct sc_key *k = find_key (rec->var, record_deref (rec),
				     record_offset (rec));
	if (!k || k->swept == sweep)
	  continue;
	k->swept = sweep;
	size_t keep = 0;
	for (size_t j = 0; j < k->nsites; j++)
	  if (k->sites[j]->unit->owner != owner)
	    k->sites[keep++] = k->sites[j];
	k->nsites = keep;
	if (keep == 0)
	  drop_key (k);
      }
  while (gone)
    {
      struct sc_unit_state *u = gone;
      gone = u->next;
      sc_slots_release (u);
      sc_free (u->sites);
      sc_free (u);
    }
}

/* The sites that the runtime manages in the units OWNER registered:
   their number, and a malloc'ed array of them in *OUT (NULL when there
   are none, or no memory: then 0).  */
size_t
sc_registry_owner_sites (const void *owner, struct sc_site ***out)
{
  size_t n = 0;
  for (const struct sc_unit_state *u = sc_units; u; u = u->next)
    if (u->owner == owner)
      n += u->nsites;
  *out = n ? sc_alloc (n * sizeof **out) : NULL;
  if (!*out)
    return 0;
  size_t k = 0;
  for (const struct sc_unit_state *u = sc_units; u; u = u->next)
    if (u->owner == owner)
      for (size_t i = 0; i < u->nsites; i++)
	if (u->sites[i].state == SC_SITE_MANAGED)
	  (*out)[k++] = &u->sites[i];
  return k;
}

/* The registered units, latest first, chained by next.  */
const struct sc_unit_state *
sc_registry_units (void)
{
  return sc_units;
}

/* The keys whose pointers lie in [LO, HI): up to MAX of them into OUT
   (which may be NULL when MAX is 0).  Returns how many there are.  A
   store into an ops table writes many keys at once.  */
size_t
sc_registry_keys_in (const void *lo, const void *hi, struct sc_key **out,
		     size_t max)
{
  size_t n = 0;
  for (size_t b = 0; b < KEY_BUCKETS; b++)
    for (struct sc_key *k = key_table[b]; k; k = k->next)
      if ((const void *) k->var >= lo && (const void *) k->var < hi)
	{
	  if (n < max)
	    out[n] = k;
	  n++;
	}
  return n;
}

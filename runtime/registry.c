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
      sc_warn ("site %p of key '%s' does not hold the call the compiler "
	       "emitted; leaving it alone", (void *) s->addr, s->key->name);
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
      sc_warn ("site %p of key '%s' is not %s; leaving it alone",
	       (void *) s->addr, s->key->name, why);
    }
}

/* Set up value site S of record R, in unit U.  */
static void
init_value_site (struct sc_site *s, const struct sc_value_site_record *r,
		 struct sc_unit_state *u)
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
  bool known = s->cls <= SC_CLASS_IMM && s->len <= SC_SITE_MAX_LEN;
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
  if (desc->version < SC_UNIT_ABI_VERSION_MIN
      || desc->version > SC_UNIT_ABI_VERSION)
    {
      sc_warn ("object built for site table version %u, runtime knows "
	       "%u to %u; its static calls stay on their trampolines",
	       desc->version, SC_UNIT_ABI_VERSION_MIN, SC_UNIT_ABI_VERSION);
      return -SC_EINVAL;
    }
  uint32_t nvalue = desc->version >= SC_UNIT_ABI_VERSION_VALUES
		    ? desc->nvalue_sites : 0;
  size_t nall = (size_t) desc->nsites + nvalue;
  struct sc_unit_state *u = sc_zalloc (sizeof *u);
  struct sc_site *sites = sc_zalloc (nall * sizeof *sites);
  if (!u || (nall && !sites))
    {
      sc_free (u);
      sc_free (sites);
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
      s->tramp = kr->tramp;
      s->unit = u;
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
      init_value_site (s, &desc->value_sites[i], u);
      if (s->state == SC_SITE_MANAGED)
	to_patch[n++] = s;
    }
  u->next = sc_units;
  sc_units = u;
  return n;
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

/* The records the staticcall plugin emits into each object, and the
   runtime reads: the one definition, included by the runtime, by the
   plugin (plugin/sc-emit.cc, which writes the records as assembler
   text, field by field, with these constants) and by
   tools/staticcall-sites.c.  A change of layout bumps
   SC_UNIT_ABI_VERSION, and must be made in sc-emit.cc's emitter too:
   the size checks below catch a field added on one side only.  C, and
   C++ for the plugin.

   Per translation unit (per LTO partition with -flto):

     .static_call_sites  (read-only, no relocations after link)
	struct sc_site_record[nsites]
     .data.rel.local
	struct sc_key_record[nkeys]   one per key with sites in the unit
	struct sc_unit                the unit's descriptor
     __static_call_units  ("aw")
	const struct sc_unit *        a pointer to it

   The link gathers the pointers of all the units of one executable or
   shared object into its own __static_call_units section, bounded by
   the linker-defined __start___static_call_units and
   __stop___static_call_units, which every unit refers to as hidden so
   that each object sees its own.  Each unit's constructor passes the
   bounds and its own pointer to __static_call_register_object (the
   first call registers and patches every unit of the object, in one
   batch; the later ones only count), its destructor the same to
   __static_call_unregister_object (the last one unregisters the
   object).  Objects of older plugins have no such section: their
   units register one by one, through __static_call_register_unit and
   __static_call_unregister_unit, which stay.  */

#ifndef SC_UNIT_ABI_H
#define SC_UNIT_ABI_H

#include <stdint.h>

#ifdef __cplusplus
# define SC_ABI_ASSERT(cond, why) static_assert (cond, why)
#else
# define SC_ABI_ASSERT(cond, why) _Static_assert (cond, why)
#endif

#define SC_UNIT_ABI_VERSION 3
/* The oldest version the runtime reads.  Version 2 has the same layout
   and no SC_KEY_DEREF key: the plugin still says 2 for a unit without
   one, which a runtime that knows only version 2 can then register;
   it refuses the others, whose deref keys it would take for plain
   pointers.  */
#define SC_UNIT_ABI_VERSION_MIN 2
#define SC_UNIT_ABI_VERSION_PLAIN 2

/* The low bits of sc_site_record.key that hold the site's kind.  */
#define SC_SITE_KIND_MASK 3

/* Kind of a site, in the low two bits of sc_site_record.key.  */
enum sc_site_kind
{
  SC_SITE_CALL = 0,	/* e8 rel32: call */
  SC_SITE_TAIL = 1,	/* e9 rel32: jmp (sibling call) */
  SC_SITE_COND = 2,	/* e8 rel32 to the key's conditional trampoline
			   (`if (p) p (...);'): the runtime may make it
			   a 5-byte NOP while the pointer is NULL */
  SC_SITE_COND_TAIL = 3,	/* e9 rel32 to it, the guarded call being a
				   sibling call: `ret' while NULL */
};

/* Bit 0 of a kind: the site is a jmp; bit 1: it is conditional.  */
#define SC_SITE_KIND_TAIL 1
#define SC_SITE_KIND_COND 2

struct sc_site_record
{
  int32_t site;		/* address of the 5-byte instruction - &site */
  int32_t key;		/* address of its sc_key_record - &key, | kind */
};
SC_ABI_ASSERT (sizeof (struct sc_site_record) == 8,
	       "a site record is two .long");

enum sc_key_flags
{
  SC_KEY_INTERNAL = 1,	/* the pointer is static (internal linkage) */
  SC_KEY_DEREF = 2,	/* VAR is an ops pointer, `const struct ops *':
			   the key's pointer is the member at byte
			   offset flags >> SC_KEY_OFFSET_SHIFT of the
			   struct VAR points to now (version 3) */
};
#define SC_KEY_OFFSET_SHIFT 32

struct sc_key_record
{
  void **var;		/* the annotated pointer (with the offset of a
			   SC_KEY_DEREF key): the key's identity; for a
			   member of a table, the member's address */
  const char *name;	/* KEY as written in the attribute */
  void *tramp;		/* this object's __static_call_tramp_KEY */
  uint64_t flags;	/* enum sc_key_flags */
};
SC_ABI_ASSERT (sizeof (struct sc_key_record) == 32,
	       "a key record is four .quad");

enum sc_unit_flags
{
  SC_UNIT_RETPOLINE = 1,	/* built with -mindirect-branch=thunk*: the
				   runtime must not add indirect branches */
};

struct sc_unit
{
  uint32_t version;	/* SC_UNIT_ABI_VERSION */
  uint32_t nsites;
  uint32_t nkeys;
  uint32_t flags;	/* enum sc_unit_flags */
  const struct sc_site_record *sites;
  const struct sc_key_record *keys;
};
SC_ABI_ASSERT (sizeof (struct sc_unit) == 32,
	       "a unit descriptor is four .long and two .quad");

/* The section of the unit pointers, and the entry points the
   constructor and the destructor of each unit call.  */
#define SC_UNITS_SECTION "__static_call_units"
#define SC_REGISTER_OBJECT "__static_call_register_object"
#define SC_UNREGISTER_OBJECT "__static_call_unregister_object"

static inline void *
sc_site_address (const struct sc_site_record *r)
{
  return (char *) &r->site + r->site;
}

static inline enum sc_site_kind
sc_site_kind (const struct sc_site_record *r)
{
  return (enum sc_site_kind) (r->key & SC_SITE_KIND_MASK);
}

static inline const struct sc_key_record *
sc_site_key (const struct sc_site_record *r)
{
  return (const struct sc_key_record *) ((const char *) &r->key
					 + (r->key & ~SC_SITE_KIND_MASK));
}

#endif /* SC_UNIT_ABI_H */

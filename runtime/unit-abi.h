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
     .static_call_value_sites  (the same, version 4)
	struct sc_value_site_record[nvalue_sites]
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

#define SC_UNIT_ABI_VERSION 4
/* The oldest version the runtime reads.  Version 2 has the same layout
   and no SC_KEY_DEREF key: the plugin still says 2 for a unit without
   one, which a runtime that knows only version 2 can then register;
   it refuses the others, whose deref keys it would take for plain
   pointers.  Version 3 adds SC_KEY_DEREF; version 4 the value sites
   (static keys and immediate values) after the unit's first four
   fields: the plugin says 4 only for a unit that has some.  */
#define SC_UNIT_ABI_VERSION_MIN 2
#define SC_UNIT_ABI_VERSION_PLAIN 2
#define SC_UNIT_ABI_VERSION_DEREF 3
#define SC_UNIT_ABI_VERSION_VALUES 4

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
  SC_KEY_BRANCH = 4,	/* VAR is a static key: an integer (or _Bool)
			   whose truth value the key's branch sites
			   follow; TRAMP is 0 (version 4) */
  SC_KEY_IMMEDIATE = 8,	/* VAR is an immediate value: an integer
			   whose value its sites load as an immediate;
			   TRAMP is 0 (version 4) */
  SC_KEY_SIGNED = 16,	/* a value key of a signed type */
};
#define SC_KEY_OFFSET_SHIFT 32
/* A value key's size in bytes (1, 2, 4 or 8), in bits 8 to 15 of its
   flags.  */
#define SC_KEY_SIZE_SHIFT 8
#define SC_KEY_SIZE_MASK 0xff
#define SC_KEY_VALUE_KINDS (SC_KEY_BRANCH | SC_KEY_IMMEDIATE)

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

/* A site of a value key (version 4), in the unit's value_sites:

     SC_VSITE_BRANCH, SC_VSITE_BRANCH_INV: a 5-byte instruction on a
       conditional branch of a static key, `if (v)'.  Compiled as
       `jmp TEST' (e9 rel32), TEST being GCC's own test of the variable
       in memory, which is correct without any patching.  The runtime
       makes it `jmp DEST' while the branch is taken and a 5-byte NOP
       (fall through) while it is not: taken while the key is non-zero
       for BRANCH, while it is zero for BRANCH_INV (the layout of
       `__builtin_expect (v, 1)', the true block inline).

     SC_VSITE_IMM: one instruction of INFO's length that sets the
       register of INFO to the variable's value.  Compiled as a load
       of the variable (movl, movzbl, movzwl or movq from v(%rip),
       padded in front with 0x2e prefixes), or where that is not one
       instruction (a preemptible variable under -fPIC) as `jmp' to an
       out-of-line load that jumps back to the site's end.  The runtime
       writes `mov $value, %reg' of the same length: movl $imm32 (the
       value zero-extended, for a variable of 1 to 4 bytes), movq
       $simm32 or movabsq $imm64 (8 bytes), padded in front with 0x2e
       prefixes.  DEST is 0.

   Every form of a site is one instruction, so that no thread can be
   stopped inside it; the site never crosses a 64-byte line.  */
enum sc_value_site_kind
{
  SC_VSITE_BRANCH = 0,
  SC_VSITE_BRANCH_INV = 1,
  SC_VSITE_IMM = 2,
};

struct sc_value_site_record
{
  int32_t site;		/* address of the instruction - &site */
  int32_t key;		/* address of its sc_key_record - &key, | kind */
  int32_t dest;		/* branch: where the taken form jumps - &dest */
  int32_t info;		/* branch: TEST - &info; imm: SC_IMM_INFO */
};
SC_ABI_ASSERT (sizeof (struct sc_value_site_record) == 16,
	       "a value site record is four .long");

/* An immediate site's info: its length in bytes (5 to 15), the
   hardware number of its register (0 %rax ... 15 %r15), and whether it
   sets all 64 bits (an 8-byte variable) or the low 32.  */
#define SC_IMM_INFO(len, reg, wide) \
  ((int32_t) ((len) | (reg) << 8 | (wide) << 12))
#define SC_IMM_LEN(info) ((unsigned) (info) & 0xff)
#define SC_IMM_REG(info) (((unsigned) (info) >> 8) & 0xf)
#define SC_IMM_WIDE(info) (((unsigned) (info) >> 12) & 1)
#define SC_IMM_MAX_LEN 15

struct sc_unit
{
  uint32_t version;	/* SC_UNIT_ABI_VERSION */
  uint32_t nsites;
  uint32_t nkeys;
  uint32_t flags;	/* enum sc_unit_flags */
  const struct sc_site_record *sites;
  const struct sc_key_record *keys;
  /* Version 4 only (a unit of version 2 or 3 ends here).  */
  uint32_t nvalue_sites;
  uint32_t reserved;	/* 0 */
  const struct sc_value_site_record *value_sites;
};
SC_ABI_ASSERT (sizeof (struct sc_unit) == 48,
	       "a unit descriptor is four .long, two .quad, two .long "
	       "and a .quad");

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

static inline void *
sc_value_site_address (const struct sc_value_site_record *r)
{
  return (char *) &r->site + r->site;
}

static inline enum sc_value_site_kind
sc_value_site_kind (const struct sc_value_site_record *r)
{
  return (enum sc_value_site_kind) (r->key & SC_SITE_KIND_MASK);
}

static inline const struct sc_key_record *
sc_value_site_key (const struct sc_value_site_record *r)
{
  return (const struct sc_key_record *) ((const char *) &r->key
					 + (r->key & ~SC_SITE_KIND_MASK));
}

/* A branch site's DEST and TEST.  */
static inline void *
sc_value_site_dest (const struct sc_value_site_record *r)
{
  return (char *) &r->dest + r->dest;
}

static inline void *
sc_value_site_test (const struct sc_value_site_record *r)
{
  return (char *) &r->info + r->info;
}

#endif /* SC_UNIT_ABI_H */

/* staticcall runtime: internal declarations.

   The files, each calling only files below it (tools/runtime-layers.sh
   checks it; the manual's "Runtime internals" draws it).  The core,
   built into both libraries, knows nothing of POSIX and reaches its
   environment through env.h only:

   entry_points.c  the entry points of the generated code: register and
		   unregister an object's units, update a key
   stores.c        the stores that are not a plain `p = v'
   introspect.c    static_call_get_stats, static_call_for_each_site;
		   __static_call_debug, what a debugger reads
   registry.c      keys, units and sites, and the objects they are of
   patch.c         one batch: the breakpoint protocol over many sites;
		   owns every batch, the stuck one included
   trap.c          the trap handler's decisions: the patch for a
		   trapping address, and how its call completes
		   (self-hit, emulate, stub, a value site), on a
		   register view of any environment's frame
   site_insn.c     the instruction a site holds, and its route to a
		   target (direct, near slot, trampoline); the form of
		   a value site (static key, immediate value) for its
		   key's value
   base.c          the counters, the sort, string copies

   The userspace environment (libstaticcall.so):

   process.c       the global lock; start-up; fork and exit
   trap_signal.c   the SIGTRAP handler around trap.c; its install
   stub_area.c     per-hit stubs for the STI-shadow (rseq) handler path
   rseq_abort.S    the stubs' rseq abort handler and its counter
   near_slots.c    slots near the sites for targets beyond rel32 reach
   perf_map.c      names of the generated code for profilers
   text_writer.c   how code bytes get written (/proc/self/mem, mprotect)
   sync_cores.c    membarrier: serialise every core of the process
   sigmask_guard.c keeps SIGTRAP deliverable (interposes mask setters)
   config.c        environment variables, read once
   objects.c       the loaded objects' segments (dl_iterate_phdr), for
		   the registry's checks of their records
   util.c          memory, warnings, the thread id, the slow path's
		   sleep

   The freestanding environment (libstaticcall-freestanding.a, over
   <static_call_port.h>):

   freestanding/fs_entry.c  static_call_init, static_call_trap
   freestanding/fs_stub.c   the per-CPU STI-shadow stubs
   freestanding/fs_env.c    the rest of env.h over the port  */

#ifndef SC_INTERNAL_H
#define SC_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "env.h"
#include "unit-abi.h"
#include "static_call.h"

#define SC_INSN_LEN 5
/* The longest site: an immediate value's (unit-abi.h).  */
#define SC_SITE_MAX_LEN SC_IMM_MAX_LEN
#define SC_OP_CALL 0xe8
#define SC_OP_JMP 0xe9
/* A debugger's breakpoint; the runtime's own is SC_TRAP_BYTE (env.h).  */
#define SC_OP_INT3 0xcc
/* The first bytes of the two other 5-byte instructions a site may
   hold (site_insn.c): nopl 0(%rax,%rax) and cs cs cs xor %eax, %eax.  */
#define SC_OP_NOP5 0x0f
#define SC_OP_ZERO5 0x2e
#define SC_OP_RET 0xc3

static inline bool
sc_kind_tail (unsigned kind)
{
  return kind & SC_SITE_KIND_TAIL;
}

/* No object lives in the first page: a key record's pointer below it
   is an undefined weak symbol plus a member's offset.  */
#define SC_NO_OBJECT_BELOW 4096

#define sc_hidden __attribute__ ((visibility ("hidden")))

struct sc_key;
struct sc_unit_state;

enum sc_site_state
{
  SC_SITE_MANAGED,	/* bytes are what the runtime last wrote */
  SC_SITE_REFUSED,	/* not a site the runtime may touch */
};

/* What a site is: a call site (its kind is an enum sc_site_kind), or
   a value site, of enum sc_value_site_kind + 1.  */
enum sc_site_class
{
  SC_CLASS_CALL,
  SC_CLASS_BRANCH,	/* SC_VSITE_BRANCH */
  SC_CLASS_BRANCH_INV,	/* SC_VSITE_BRANCH_INV */
  SC_CLASS_IMM,		/* SC_VSITE_IMM */
};

struct sc_site
{
  unsigned char *addr;
  struct sc_key *key;
  void *tramp;		/* a call site's trampoline; NULL for a value
			   site */
  struct sc_unit_state *unit;
  unsigned char *dest;	/* a branch site: where it jumps while taken */
  unsigned char *test;	/* a branch site: where it jumps as compiled */
  uint8_t kind;		/* enum sc_site_kind (a call site) */
  uint8_t cls;		/* enum sc_site_class */
  uint8_t state;	/* enum sc_site_state */
  uint8_t len;		/* bytes of its instruction: 5, or an immediate
			   site's length */
  uint8_t reg;		/* an immediate site: its register, 0-15 */
  bool wide;		/* an immediate site setting 64 bits */
  unsigned char cur[SC_SITE_MAX_LEN];	/* what the runtime last wrote */
  /* A value site: its bytes as compiled, which read the variable in
     memory (correct whatever it holds): the form it goes back to when
     no other fits.  */
  unsigned char orig[SC_SITE_MAX_LEN];
};

static inline bool
sc_site_is_value (const struct sc_site *s)
{
  return s->cls != SC_CLASS_CALL;
}

/* What a key's variable is.  */
enum sc_key_kind
{
  SC_KEY_POINTER,	/* a function pointer (or an ops pointer's
			   member): a static call */
  SC_KEY_KIND_BRANCH,	/* a static key */
  SC_KEY_KIND_IMM	/* an immediate value */
};

struct sc_key
{
  void **var;
  uint8_t kind;			/* enum sc_key_kind */
  uint8_t size;			/* a value key: bytes of its variable */
  bool is_signed;		/* a value key of a signed type */
  bool deref;			/* an ops pointer's member: the pointer is
				   at *VAR + OFFSET */
  uint32_t offset;
  const char *name;
  struct sc_site **sites;	/* sorted by address (registry.c) */
  size_t nsites, cap;
  bool internal;		/* a static pointer */
  bool unsorted;		/* sites added out of order, not yet sorted */
  unsigned long swept;		/* last removal that filtered its sites */
  struct sc_key *next;		/* hash chain, by pointer */
  struct sc_key *next_name;	/* hash chain, by name */
  struct sc_key *next_unsorted;
};

/* A value key's variable now, of its size, zero-extended (an
   immediate site's register gets the same bits: unit-abi.h).  */
static inline uint64_t
sc_key_raw_value (const struct sc_key *k)
{
  switch (k->size)
    {
    case 1:
      return __atomic_load_n ((const uint8_t *) k->var, __ATOMIC_ACQUIRE);
    case 2:
      return __atomic_load_n ((const uint16_t *) k->var, __ATOMIC_ACQUIRE);
    case 4:
      return __atomic_load_n ((const uint32_t *) k->var, __ATOMIC_ACQUIRE);
    default:
      return __atomic_load_n ((const uint64_t *) k->var, __ATOMIC_ACQUIRE);
    }
}

/* The key's target now: what its pointer holds.  */
static inline void *
sc_key_target (const struct sc_key *k)
{
  void *p = __atomic_load_n (k->var, __ATOMIC_ACQUIRE);
  if (!k->deref || !p)
    return p;
  /* The pointee is const: it never changes while VAR points to it.  */
  return *(void **) ((char *) p + k->offset);
}

/* Whether the key is an ops pointer's member while the ops pointer is
   NULL: there is no member.  A guarded call `if (impl->m) impl->m ()'
   then faults in plain C, loading impl->m, so its conditional site
   must not be a NOP.  */
static inline bool
sc_key_no_pointee (const struct sc_key *k)
{
  return k->deref && !__atomic_load_n (k->var, __ATOMIC_ACQUIRE);
}

/* Where the key's pointer is now (VAR itself while an ops pointer is
   NULL).  */
static inline void *const *
sc_key_pointer (const struct sc_key *k)
{
  void *p = __atomic_load_n (k->var, __ATOMIC_ACQUIRE);
  if (!k->deref || !p)
    return k->var;
  return (void *const *) ((char *) p + k->offset);
}

struct sc_slot_area;

struct sc_unit_state
{
  const struct sc_unit *desc;
  const void *owner;		/* what registered it: its object, or
				   itself for an older object's unit */
  struct sc_site *sites;	/* DESC's call sites, then its value sites */
  size_t nsites;		/* all of them */
  struct sc_slot_area *slots;	/* near_slots.c, made on first need */
  bool slots_failed;
  struct sc_unit_state *next;
};

/* What a thread at a site does once its patch is done.  */
enum sc_patch_op
{
  SC_PATCH_GO,		/* call (or jmp) to dest */
  SC_PATCH_SKIP,	/* nothing: a conditional site's NOP, or for a
			   tail one its `ret' */
  SC_PATCH_ZERO,	/* %rax = 0: a call of static_call_return0 */
  SC_PATCH_BRANCH,	/* a branch site: jump to dest while its key's
			   variable says so, else fall through */
  SC_PATCH_SET,		/* an immediate site: its register = the
			   variable */
};

/* One site of a batch, as the handler sees it.  */
struct sc_patch
{
  unsigned char *addr;
  void *dest;		/* SC_PATCH_GO: where a call here must go now;
			   SC_PATCH_BRANCH: where the branch goes when
			   taken */
  struct sc_site *site;
  const void *var;	/* SC_PATCH_BRANCH, _SET: the key's variable */
  unsigned char insn[SC_SITE_MAX_LEN];	/* the final bytes */
  uint8_t len;		/* of the site */
  uint8_t kind;
  uint8_t op;		/* enum sc_patch_op */
  uint8_t size;		/* SC_PATCH_BRANCH, _SET: of the variable */
  uint8_t reg;		/* SC_PATCH_SET: the register, 0-15 */
  bool wide;		/* SC_PATCH_SET: all 64 bits */
  bool inverted;	/* SC_PATCH_BRANCH: taken while it is zero */
  bool under_foreign_int3;	/* byte 0 is someone else's breakpoint */
};

struct sc_batch
{
  struct sc_patch *p;	/* sorted by addr */
  size_t n;
  int32_t patcher;	/* who patches: the thread id of the patching
			   thread, or the CPU (sc_batch_owner) */
  int32_t pid;		/* process that made the batch (0 in a
			   kernel) */
};

/* The interrupted context as the trap handler sees it, in any
   environment's frame: R[INDEX[N]] is the 64-bit register N (0 %rax,
   1 %rcx ... 4 %rsp ... 15 %r15), R[INDEX[SC_REG_RIP]] the instruction
   pointer, R[INDEX[SC_REG_FLAGS]] the flags.  CTX is the environment's
   own frame (a ucontext, a struct static_call_regs).  */
enum { SC_REG_RAX = 0, SC_REG_RSP = 4, SC_REG_RIP = 16, SC_REG_FLAGS = 17,
       SC_REG_COUNT };
struct sc_regs
{
  uint64_t *r;
  const uint8_t *index;
  void *ctx;
};

/* A macro, not an inline function: valgrind's suppressions
   (valgrind.supp) name the handler's functions from the access up, and
   an inlined frame would come first.  */
#define sc_reg(regs, n) (&(regs)->r[(regs)->index[n]])

/* base.c: counters; see struct static_call_stats.  */
sc_hidden extern struct static_call_stats sc_stats;
#define SC_COUNT(field) \
  __atomic_fetch_add (&sc_stats.field, 1, __ATOMIC_RELAXED)
#define SC_COUNT_N(field, n) \
  __atomic_fetch_add (&sc_stats.field, (n), __ATOMIC_RELAXED)
/* Sort N elements of SIZE bytes at BASE by CMP (a merge sort, or
   without memory for it a heapsort; no C library).  */
sc_hidden void sc_sort (void *base, size_t n, size_t size,
			int (*cmp) (const void *, const void *));
sc_hidden int sc_strcmp (const char *, const char *);
/* A copy in sc_alloc's memory, or NULL.  */
sc_hidden char *sc_strdup (const char *);

/* trap.c */
/* The path in use (emulate unless the environment could set up stubs),
   set before the first batch.  */
sc_hidden void sc_trap_set_path (enum sc_bp_path);
sc_hidden enum sc_bp_path sc_trap_path (void);
/* A trap at SITE (the trapping instruction's address) in context REGS:
   true when it was the runtime's (at a site under patch, or at one
   finished since) and REGS now say where to resume; false for someone
   else's.  No lock, no allocation.  */
sc_hidden bool sc_trap_hit (struct sc_regs *regs, unsigned char *site);
sc_hidden void sc_trap_publish (const struct sc_batch *);
sc_hidden void sc_trap_retire (void);
sc_hidden void sc_trap_keep (const struct sc_batch *);
/* In a new process: no handler of the parent's is running here.  */
sc_hidden void sc_trap_forget_handlers (void);
/* The published batch and the stuck one (for __static_call_debug).  */
sc_hidden extern const struct sc_batch *_Atomic sc_trap_active;
sc_hidden extern const struct sc_batch *_Atomic sc_trap_stuck;

/* site_insn.c */
enum sc_route
{
  SC_ROUTE_DIRECT, SC_ROUTE_SLOT, SC_ROUTE_TRAMPOLINE,
  SC_ROUTE_NOP,		/* a conditional site of a NULL pointer */
  SC_ROUTE_RETURN0	/* a call of static_call_return0 */
};
sc_hidden extern const unsigned char sc_insn_nop5[SC_INSN_LEN];
sc_hidden extern const unsigned char sc_insn_ret5[SC_INSN_LEN];
sc_hidden extern const unsigned char sc_insn_zero5[SC_INSN_LEN];
sc_hidden void sc_site_insn (const struct sc_site *, const void *dest,
			     unsigned char out[SC_INSN_LEN]);
sc_hidden enum sc_route sc_site_insn_alloc_slot (struct sc_site *,
						 void *target,
						 unsigned char out[SC_INSN_LEN]);
enum sc_value_form
{
  SC_FORM_UNPATCHED,	/* as compiled: it reads the variable */
  SC_FORM_TAKEN,	/* a branch site's jmp */
  SC_FORM_NOT_TAKEN,	/* its 5-byte NOP */
  SC_FORM_IMM,		/* an immediate site's move of the value */
};
sc_hidden enum sc_value_form sc_value_site_insn (const struct sc_site *,
						 uint64_t value,
						 unsigned char *out);
sc_hidden bool sc_insn_may_be_site (unsigned char byte0);

/* patch.c */
sc_hidden int sc_patch_sites (struct sc_site **sites, size_t n);
sc_hidden int sc_park_sites (struct sc_site **sites, size_t n);
sc_hidden int sc_patch_keys (struct sc_key **keys, size_t n);

/* stores.c */
sc_hidden int sc_retarget_pointer_locked (void *p);
sc_hidden int sc_store_value_locked (void *var, uint64_t value,
				     unsigned size);

/* registry.c */
sc_hidden int sc_registry_object_get (const void *id);
sc_hidden bool sc_registry_object_put (const void *id);
/* Around one registration: the checks of its records use the map of
   OWNER's object (env.h).  */
sc_hidden void sc_registry_begin (const void *owner);
sc_hidden void sc_registry_end (void);
sc_hidden bool sc_registry_in_object (const void *p, size_t len);
sc_hidden const char *sc_registry_object_name (void);
sc_hidden bool sc_registry_check_unit (const struct sc_unit *);
sc_hidden size_t sc_registry_refuse_overlaps (struct sc_site **batch,
					      size_t n);
sc_hidden int sc_registry_add_unit (const struct sc_unit *, const void *owner,
				    struct sc_site **to_patch);
sc_hidden void sc_registry_sort_keys (void);
sc_hidden void sc_registry_remove (const void *owner);
sc_hidden size_t sc_registry_owner_sites (const void *owner,
					  struct sc_site ***out);
sc_hidden struct sc_key *sc_registry_key (void **var);
sc_hidden size_t sc_registry_keys_of (void **var, struct sc_key **out,
				      size_t max);
sc_hidden size_t sc_registry_keys_in (const void *lo, const void *hi,
				      struct sc_key **out, size_t max);
sc_hidden const struct sc_unit_state *sc_registry_units (void);
/* The list itself (for __static_call_debug).  */
sc_hidden extern struct sc_unit_state *sc_units;

#ifndef SC_FREESTANDING
/* The userspace environment's own files.  */
#include <sys/types.h>

/* util.c */
sc_hidden void sc_warn_set_quiet (bool);
sc_hidden pid_t sc_gettid (void);
sc_hidden void sc_gettid_after_fork (void);

/* config.c: set by sc_config_load at start-up, read-only after.  */
sc_hidden void sc_config_load (void);

/* perf_map.c */
sc_hidden void sc_perf_map_init (void);
sc_hidden void sc_perf_map_after_fork (void);
sc_hidden void sc_perf_map_add (const void *start, size_t size,
				const char *what, const char *key,
				const void *site);

/* sigmask_guard.c */
sc_hidden void sc_warn_if_guard_bypassed (void);

/* sync_cores.c */
sc_hidden int sc_sync_init (void);
sc_hidden bool sc_rseq_fence_init (void);
sc_hidden void sc_rseq_fence (void);
sc_hidden void sc_sync_after_fork (void);

/* text_writer.c */
sc_hidden int sc_writer_init (void);
sc_hidden int sc_writer_after_fork (void);

/* near_slots.c */
sc_hidden void sc_slots_after_fork (void);

/* stub_area.c */
sc_hidden bool sc_stubs_init (void);
sc_hidden bool sc_stubs_used (void);
sc_hidden void *sc_stub_for_call (const struct sc_patch *, uint32_t *ticket);
sc_hidden void sc_stub_enter (void *uc, void *stub, uint32_t ticket,
			      unsigned char *site);
sc_hidden bool sc_rseq_registered (void);
sc_hidden bool sc_stubs_after_fork (void);

/* trap_signal.c */
sc_hidden int sc_trap_init (void);
sc_hidden void sc_trap_after_fork (void);
#endif /* !SC_FREESTANDING */

#endif /* SC_INTERNAL_H */

/* staticcall runtime: what the core asks of its environment.

   The core (base.c, site_insn.c, trap.c, patch.c, registry.c,
   stores.c, introspect.c, entry_points.c) knows nothing of POSIX: it
   compiles with -ffreestanding, includes no C library header beyond
   the compiler's own, and reaches the world only through the
   functions and variables declared here.  Two environments implement
   them, each from its own files:

     userspace     libstaticcall.so: util.c (memory, warnings, the
		   thread id, the slow path's sleep), process.c (the
		   lock, start-up, fork), text_writer.c, sync_cores.c,
		   stub_area.c (rseq stubs), near_slots.c, config.c,
		   trap_signal.c (the SIGTRAP handler, install),
		   objects.c (the loaded objects' segments);
     freestanding  libstaticcall-freestanding.a: freestanding/fs_env.c
		   (all the leaves, over the static_call_port_*
		   functions of <static_call_port.h>), fs_stub.c (the
		   per-CPU STI-shadow stubs), fs_entry.c (static_call_init,
		   static_call_trap).

   Every one resolves at link time: no function pointer, so the
   userspace library's patch and trap paths make the same direct calls
   they made before the split.  */

#ifndef SC_ENV_H
#define SC_ENV_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Every environment has these four (a kernel does): the compiler may
   emit calls to them anyway.  */
void *memcpy (void *, const void *, size_t);
void *memmove (void *, const void *, size_t);
void *memset (void *, int, size_t);
int memcmp (const void *, const void *, size_t);

/* The error numbers the core returns (negated), Linux's values.  */
#define SC_EPERM 1
#define SC_ENOMEM 12
#define SC_EBUSY 16
#define SC_EINVAL 22

struct sc_batch;
struct sc_patch;
struct sc_regs;
struct sc_site;
struct sc_unit_state;

/* ---- Memory: at registration and update time, never from the trap
   handler.  NULL when there is none.  */
void *sc_alloc (size_t size) __attribute__ ((visibility ("hidden")));
void *sc_zalloc (size_t size) __attribute__ ((visibility ("hidden")));
/* P (of OLD_SIZE bytes, or NULL) grown to NEW_SIZE; NULL, P kept,
   when there is no memory.  */
void *sc_realloc (void *p, size_t old_size, size_t new_size)
  __attribute__ ((visibility ("hidden")));
void sc_free (void *p) __attribute__ ((visibility ("hidden")));

/* ---- Messages.  */
void sc_warn (const char *fmt, ...)
  __attribute__ ((format (printf, 1, 2), visibility ("hidden")));
/* A name for the error number ERRNUM (positive).  */
const char *sc_strerror (int errnum) __attribute__ ((visibility ("hidden")));

/* ---- The lock and the runtime's life (process.c, fs_env.c).  */
enum sc_patching
{
  SC_PATCH_YES,
  SC_PATCH_NO,			/* the process cannot write code */
  SC_PATCH_NOT_IN_CHILD		/* nor this child of fork, which says so */
};
void sc_lock (void) __attribute__ ((visibility ("hidden")));
void sc_unlock (void) __attribute__ ((visibility ("hidden")));
void sc_init_locked (void) __attribute__ ((visibility ("hidden")));
enum sc_patching sc_patching_locked (void)
  __attribute__ ((visibility ("hidden")));
bool sc_exiting_locked (void) __attribute__ ((visibility ("hidden")));
/* Where the calling thread's last update status lives
   (__static_call_last_status).  */
int *sc_status_slot (void) __attribute__ ((visibility ("hidden")));

/* ---- Settings, read-only once the runtime runs.  */
enum sc_bp_path { SC_BP_EMULATE, SC_BP_TRAMPOLINE };
struct sc_config
{
  enum sc_bp_path bp;	/* asked for; trap.c knows the one in use */
  unsigned slowpath_us;
  const char *writer;	/* NULL: automatic (userspace only) */
  bool perf_map;	/* name generated code in /tmp/perf-PID.map
			   (userspace only) */
};
extern const struct sc_config *const sc_config
  __attribute__ ((visibility ("hidden")));

/* ---- Writing code and syncing cores, for a batch.  */
/* Before a batch's first write and after its last (the mprotect writer
   opens and closes the pages); 0 or -errno.  */
int sc_writer_begin (const struct sc_batch *)
  __attribute__ ((visibility ("hidden")));
void sc_writer_end (const struct sc_batch *)
  __attribute__ ((visibility ("hidden")));
/* LEN bytes at ADDR, in code other cores may run; also from the trap
   handler (a self-hit).  0 or -errno.  */
int sc_text_write (void *addr, const void *src, size_t len)
  __attribute__ ((visibility ("hidden")));
/* Return once every core has serialised (and count it: syncs).  */
void sc_sync_cores (void) __attribute__ ((visibility ("hidden")));
/* Make sure the trap handler is the installed one, before a batch.  */
int sc_trap_install (void) __attribute__ ((visibility ("hidden")));
/* Wait about US microseconds (the slow path of the tests).  */
void sc_delay_us (unsigned us) __attribute__ ((visibility ("hidden")));
/* While waiting for handlers to leave a batch.  */
void sc_relax (void) __attribute__ ((visibility ("hidden")));

/* ---- Who patches: a batch's patcher, and whether the caller (the
   trap handler) is it.  */
void sc_batch_owner (struct sc_batch *)
  __attribute__ ((visibility ("hidden")));
bool sc_is_patcher (const struct sc_batch *)
  __attribute__ ((visibility ("hidden")));

/* ---- The stub path of the trap handler.  */
/* Send the interrupted context REGS to a stub that makes the call of
   P (a call, not a tail one, to p->dest) and returns true; false when
   there is none for it (the handler emulates).  Counts stub_exhausted
   itself.  */
bool sc_stub_call (struct sc_regs *regs, const struct sc_batch *b,
		   const struct sc_patch *p)
  __attribute__ ((visibility ("hidden")));
/* At publication of a batch, and after its retirement (no handler
   looks at it): the userspace stubs start over, and the threads that
   may be in one are moved out (rseq fence).  */
void sc_stubs_reset (void) __attribute__ ((visibility ("hidden")));
void sc_stubs_retire (void) __attribute__ ((visibility ("hidden")));
/* Stubs' aborts so far (rseq; 0 where there is none).  */
unsigned long sc_stub_aborts (void) __attribute__ ((visibility ("hidden")));

/* ---- Near slots for targets beyond rel32 reach (none where every
   target is in reach: sc_slot_for returns NULL).  */
void *sc_slot_for (struct sc_site *, void *target)
  __attribute__ ((visibility ("hidden")));
bool sc_is_slot (const struct sc_unit_state *, const void *addr)
  __attribute__ ((visibility ("hidden")));
const void *sc_slot_target (const struct sc_unit_state *, const void *addr)
  __attribute__ ((visibility ("hidden")));
void sc_slots_release (struct sc_unit_state *)
  __attribute__ ((visibility ("hidden")));
/* Offsets in an area of: rx, page (size_t), used (unsigned).  */
extern const uint16_t sc_slot_area_layout[3]
  __attribute__ ((visibility ("hidden")));

/* ---- The loaded object that registers units, to check its records
   against (registry.c): once per registration, never per site.  */
enum { SC_SEG_X = 1, SC_SEG_W = 2 };
struct sc_segment
{
  uintptr_t lo, hi;	/* [lo, hi) as loaded */
  uint8_t prot;		/* SC_SEG_X, SC_SEG_W */
  bool own;		/* the registering object's */
};
struct sc_object_map
{
  /* False where the environment knows no segments (a kernel): the
     checks that need them are not made.  */
  bool known;
  /* The object for messages: its file name, "the main program", or
     empty (registry.c then says its address).  */
  char name[160];
  /* Every PT_LOAD segment of the object, and the writable ones of
     every loaded object (a key's variable may be another's).  */
  struct sc_segment *seg;
  size_t nseg;
  size_t nown;		/* the object's own come first: seg[0, nown) */
};
/* The map of the object holding ADDR.  Known, with no segment of its
   own, when no object holds it: then nothing of it is trusted.  */
void sc_object_map_get (const void *addr, struct sc_object_map *)
  __attribute__ ((visibility ("hidden")));
void sc_object_map_release (struct sc_object_map *)
  __attribute__ ((visibility ("hidden")));

/* ---- The byte phase 1 writes: int3 (0xcc) in userspace; in a kernel
   the configured one (an invalid opcode for a hypervisor that cannot
   deliver int3).  */
#ifdef SC_FREESTANDING
extern uint8_t sc_trap_byte __attribute__ ((visibility ("hidden")));
# define SC_TRAP_BYTE sc_trap_byte
#else
# define SC_TRAP_BYTE 0xcc
#endif

#endif /* SC_ENV_H */

/* <static_call.h>: static calls for C.

   Annotate a file-scope function pointer with STATIC_CALL(KEY); build with
   the staticcall GCC plugin (-fplugin=staticcall) and link -lstaticcall.
   Every call through the pointer is then a direct call that the runtime
   retargets when the pointer is assigned.

     static int (*log_impl)(const char *) STATIC_CALL(log) = log_stderr;
     log_impl ("hello");                   // call <log_stderr>
     static_call_update (log_impl, log_syslog);

   On a struct of function pointers (an ops table), each member is a
   static call of its own, retargeted by any store to the struct; on a
   pointer to a const struct (an ops pointer), each member of the
   pointee, retargeted together when the pointer is assigned:

     struct dispatch table STATIC_CALL (tbl);      // table.crc (...)
     static const struct impl *impl STATIC_CALL (mac) = &generic;
     impl->mac (...);                              // impl = &avx2;

   Without the plugin STATIC_CALL expands to nothing and the same source
   is ordinary C with the same results.  */

#ifndef STATIC_CALL_H
#define STATIC_CALL_H

#ifdef __STATICCALL__
# define STATIC_CALL(key) __attribute__ ((static_call (key)))
# define STATIC_KEY(key) __attribute__ ((static_key (key)))
# define STATIC_IMMEDIATE(key) __attribute__ ((immediate (key)))
#else
# define STATIC_CALL(key)
# define STATIC_KEY(key)
# define STATIC_IMMEDIATE(key)
#endif

/* Static keys and immediate values use the same patching:

     static _Bool tracing STATIC_KEY (tracing);
     if (tracing) trace (...);            // a 5-byte NOP while false
     tracing = 1;                          // every site now jumps

     static unsigned shift STATIC_IMMEDIATE (shift) = 4;
     x >>= shift;                          // mov $4, %ecx
     shift = 5;                            // every site now loads 5
*/

#ifdef __cplusplus
extern "C" {
#endif

/* What the runtime has done so far in this process (all counters are
   totals since start-up).  */
struct static_call_stats
{
  unsigned long updates;	/* retargets by assignment or update */
  unsigned long batches;	/* breakpoint-protected patch batches */
  unsigned long sites_patched;	/* sites rewritten */
  unsigned long syncs;		/* all-core serialisations (membarrier;
				   the port's sync, freestanding) */
  unsigned long bp_emulated;	/* calls completed by the trap handler */
  unsigned long bp_stub;	/* calls completed through a stub (rseq;
				   the STI-shadow stub, freestanding) */
  unsigned long bp_self;	/* sites finished by the patching thread */
  unsigned long bp_stale;	/* traps at an already finished site */
  unsigned long rseq_aborts;	/* threads moved out of a stub, restarted */
  unsigned long stub_exhausted;	/* stub area full: emulated instead */
  unsigned long conflicts;	/* sites refused: bytes not ours */
  unsigned long foreign_int3;	/* patched under another's breakpoint */
  unsigned long far_slot;	/* sites moved to a near slot (far target) */
  unsigned long unreachable;	/* sites moved to their trampoline because
				   the target is beyond rel32 reach */
  /* Added with static keys and immediate values (read by
     static_call_get_stats only from a program that knows them).  */
  unsigned long value_updates;	/* stores to static keys and immediate
				   values */
  unsigned long branch_sites_patched;	/* static key sites rewritten */
  unsigned long imm_sites_patched;	/* immediate sites rewritten */
  unsigned long bp_value;	/* branches and reads completed by the trap
				   handler (a jump, or a register set) */
};

/* A registered call site, as static_call_for_each_site reports it.  */
enum static_call_site_state
{
  STATIC_CALL_SITE_DIRECT,	/* calls its target directly */
  STATIC_CALL_SITE_TRAMPOLINE,	/* calls the key's trampoline */
  STATIC_CALL_SITE_REFUSED,	/* bytes not the runtime's: left alone */
  STATIC_CALL_SITE_SLOT,	/* calls a near slot: the target is far */
  STATIC_CALL_SITE_NOP,		/* a conditional site of a NULL pointer:
				   a 5-byte NOP (`ret' for a tail call) */
  STATIC_CALL_SITE_RETURN0,	/* target static_call_return0: a 5-byte
				   instruction clearing %rax */
  /* The states of a static key's branch site and of an immediate
     value's site (kind STATIC_CALL_KIND_BRANCH, _IMMEDIATE).  */
  STATIC_CALL_SITE_UNPATCHED,	/* as compiled, reading the variable in
				   memory: a jmp to GCC's test of it, or a
				   load of it */
  STATIC_CALL_SITE_JUMP,	/* a branch site that jumps */
  STATIC_CALL_SITE_FALLTHROUGH,	/* a branch site that is a 5-byte NOP */
  STATIC_CALL_SITE_IMMEDIATE	/* an immediate site: mov $value, %reg */
};

enum static_call_site_kind
{
  STATIC_CALL_KIND_CALL,	/* a call (or tail call) of a static call */
  STATIC_CALL_KIND_BRANCH,	/* a conditional branch on a static key */
  STATIC_CALL_KIND_IMMEDIATE	/* a read of an immediate value */
};

struct static_call_site_info
{
  const void *addr;		/* the 5-byte call or jmp */
  const char *key;		/* the key's name */
  const void *var;		/* address of the annotated pointer */
  const void *trampoline;	/* the key's trampoline in this object */
  const void *calls;		/* where the instruction goes now; NULL for
				   a NOP or a clearing of %rax */
  int tail;			/* 1 for a jmp (tail call) */
  enum static_call_site_state state;
  const void *target;		/* where the call ends up (NULL for a NOP,
				   static_call_return0 for its clearing) */
  int conditional;		/* 1 for a guarded `if (p) p (...);' */
  /* Added with static keys and immediate values.  For those, VAR is
     the variable, TRAMPOLINE NULL, CALLS where a branch site jumps now
     (NULL while it falls through; for an unpatched one, GCC's test),
     TARGET where it jumps while taken, TAIL 1 for a branch.  */
  enum static_call_site_kind kind;
  long long value;		/* the value the site gives now: the
				   immediate, or for a branch 1 while it
				   jumps, 0 while it falls through; for an
				   unpatched site the variable's value */
  int length;			/* bytes of the instruction (5 but for an
				   immediate site) */
  int inverted;			/* a branch site that jumps while the key
				   is zero: `__builtin_expect (v, 1)' */
  int size;			/* bytes of the variable (0 for a call) */
};

void static_call_get_stats (struct static_call_stats *);
/* The same, filling SIZE bytes: what static_call_get_stats is for a
   program built with this header (the symbol of that name fills the
   fields of the first release only).  */
void static_call_get_stats_sized (struct static_call_stats *,
				  unsigned long size);
#define static_call_get_stats(out) \
  static_call_get_stats_sized ((out), sizeof (struct static_call_stats))

/* Returns 0.  Cast to any function-pointer type whose result is
   returned in %rax (integers, pointers, _Bool, enums; not floating
   point or structures), and store it into an annotated pointer: each
   call site then holds a 5-byte instruction that clears %rax instead of
   a call.  A tail call still jumps to it; static_call_query reports it.
   Like Linux's __static_call_return0.  */
long static_call_return0 (void);

/* Call FN for each registered site, under the runtime's lock (FN must
   not update static calls).  Stops when FN returns non-zero, and
   returns that value.  */
int static_call_for_each_site (int (*fn) (const struct static_call_site_info *,
					   void *),
			       void *arg);

/* Status of the calling thread's last update (0, or -errno); see
   static_call_update.  */
int __static_call_last_status (void);
void __static_call_clear_status (void);

#ifdef __cplusplus
}
#endif

#ifdef __STATICCALL__
# define __STATIC_CALL_STATUS(clear) \
    ((clear) ? (__static_call_clear_status (), 0) \
	     : __static_call_last_status ())
#else
# define __STATIC_CALL_STATUS(clear) 0
#endif

/* Retarget VAR to the function FN: every call site of VAR's key calls
   FN directly when this returns.  FN must have VAR's type (a function of
   another type is a compile-time error); NULL is accepted, and calls
   through VAR then fault as they would in plain C (a guarded one,
   `if (VAR) VAR (...);', is then a 5-byte NOP).  Evaluates to 0, or
   to a negative errno value: -EBUSY when a site of the key holds bytes
   the runtime did not write (a foreign patch; it is left alone and may
   still reach an earlier target), or the error of a failed code write.
   The pointer holds FN in every case.  Same as `VAR = FN' otherwise.  */
#define static_call_update(var, fn)					\
  __extension__ ({							\
    _Pragma ("GCC diagnostic push")					\
    _Pragma ("GCC diagnostic error \"-Wincompatible-pointer-types\"")	\
    _Pragma ("GCC diagnostic error \"-Wint-conversion\"")		\
    __typeof__ (var) __static_call_new = (fn);				\
    _Pragma ("GCC diagnostic pop")					\
    (void) __STATIC_CALL_STATUS (1);					\
    (var) = __static_call_new;						\
    __STATIC_CALL_STATUS (0);						\
  })

/* Set the static key or immediate value VAR to VALUE: every site of
   its key gives VALUE when this returns.  Evaluates to 0, or to a
   negative errno value as static_call_update does (a site left alone
   still reads VAR in memory unless it holds foreign bytes).  Same as
   `VAR = VALUE' otherwise.  */
#define static_key_update(var, value)					\
  __extension__ ({							\
    __typeof__ (var) __static_key_new = (value);			\
    (void) __STATIC_CALL_STATUS (1);					\
    (var) = __static_key_new;						\
    __STATIC_CALL_STATUS (0);						\
  })

/* The current target of VAR.  */
#define static_call_query(var) (1 ? (var) : (var))

#endif /* STATIC_CALL_H */

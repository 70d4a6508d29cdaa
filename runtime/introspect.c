/* staticcall runtime: what a program can ask about the runtime: its
   counters and its registered sites (<static_call.h>).  */

#include "config.h"

#include "internal.h"
#include "../tools/x86-insn.h"

/* The symbol of the first release, not the header's macro.  */
#undef static_call_get_stats

static void
read_stats (struct static_call_stats *out)
{
  /* Without the lock, so that it can watch a batch in progress.  */
  const unsigned long *from = (const unsigned long *) &sc_stats;
  unsigned long *to = (unsigned long *) out;
  for (size_t i = 0; i < sizeof sc_stats / sizeof *from; i++)
    to[i] = __atomic_load_n (&from[i], __ATOMIC_RELAXED);
  out->rseq_aborts = sc_stub_aborts ();
}

/* SIZE bytes of the counters: a program built with an older header
   asks for fewer than there are, one built with a newer one for more
   (the rest is left alone).  */
void
static_call_get_stats_sized (struct static_call_stats *out,
			     unsigned long size)
{
  struct static_call_stats all;
  read_stats (&all);
  memcpy (out, &all, size < sizeof all ? size : sizeof all);
}

/* What programs built before the value keys call: they have room for
   the first release's counters only.  */
void
static_call_get_stats (struct static_call_stats *out)
{
  static_call_get_stats_sized (out,
			       offsetof (struct static_call_stats,
					 value_updates));
}

/* A value key's variable, sign-extended for a signed type.  */
static long long
key_value (const struct sc_key *k)
{
  uint64_t v = sc_key_raw_value (k);
  if (k->is_signed && k->size < 8)
    {
      uint64_t sign = (uint64_t) 1 << (8 * k->size - 1);
      v = (v ^ sign) - sign;
    }
  return (long long) v;
}

static void
describe_value_site (const struct sc_site *s,
		     struct static_call_site_info *info)
{
  info->addr = s->addr;
  info->key = s->key->name;
  info->var = s->key->var;
  info->trampoline = NULL;
  info->length = s->len;
  info->size = s->key->size;
  info->conditional = 0;
  info->inverted = s->cls == SC_CLASS_BRANCH_INV;
  info->value = key_value (s->key);
  if (s->cls == SC_CLASS_IMM)
    {
      info->kind = STATIC_CALL_KIND_IMMEDIATE;
      info->tail = 0;
      info->calls = info->target = NULL;
      unsigned reg;
      int wide;
      unsigned long v;
      if (s->state == SC_SITE_REFUSED)
	info->state = STATIC_CALL_SITE_REFUSED;
      else if (sc_x86_decode_mov_imm (s->cur, s->len, &reg, &wide, &v))
	{
	  info->state = STATIC_CALL_SITE_IMMEDIATE;
	  info->value = (long long) v;
	  /* The register's low bits of a narrow variable, as the
	     program sees them.  */
	  if (s->key->size < 8)
	    {
	      uint64_t mask = ((uint64_t) 1 << 8 * s->key->size) - 1;
	      uint64_t sign = (uint64_t) 1 << (8 * s->key->size - 1);
	      v &= mask;
	      if (s->key->is_signed)
		v = (v ^ sign) - sign;
	      info->value = (long long) v;
	    }
	}
      else
	info->state = STATIC_CALL_SITE_UNPATCHED;
      return;
    }
  info->kind = STATIC_CALL_KIND_BRANCH;
  info->tail = 1;
  info->target = s->dest;
  if (s->state == SC_SITE_REFUSED)
    {
      info->state = STATIC_CALL_SITE_REFUSED;
      info->calls = NULL;
    }
  else if (!memcmp (s->cur, s->orig, SC_INSN_LEN)
	   && (void *) s->test != (void *) s->dest)
    {
      /* (When GCC made the test and the taken path one place, the
	 compiled jmp is also the taken form: reported as a jump.)  */
      info->state = STATIC_CALL_SITE_UNPATCHED;
      info->calls = s->test;
    }
  else if (!memcmp (s->cur, sc_insn_nop5, SC_INSN_LEN))
    {
      info->state = STATIC_CALL_SITE_FALLTHROUGH;
      info->calls = NULL;
      info->value = 0;
    }
  else
    {
      info->state = STATIC_CALL_SITE_JUMP;
      info->calls = (void *) sc_x86_rel32_target ((unsigned long) s->addr,
						   s->cur);
      info->value = 1;
    }
}

static void
describe_site (const struct sc_site *s, struct static_call_site_info *info)
{
  memset (info, 0, sizeof *info);
  if (sc_site_is_value (s))
    {
      describe_value_site (s, info);
      return;
    }
  info->kind = STATIC_CALL_KIND_CALL;
  info->length = SC_INSN_LEN;
  int32_t rel;
  memcpy (&rel, s->cur + 1, 4);
  const unsigned char *dest = s->addr + SC_INSN_LEN + rel;
  info->addr = s->addr;
  info->key = s->key->name;
  info->var = sc_key_pointer (s->key);
  info->trampoline = s->tramp;
  info->calls = dest;
  info->tail = sc_kind_tail (s->kind);
  info->conditional = (s->kind & SC_SITE_KIND_COND) != 0;
  info->target = dest;
  if (s->state == SC_SITE_REFUSED)
    info->state = STATIC_CALL_SITE_REFUSED;
  else if (!memcmp (s->cur, sc_insn_nop5, SC_INSN_LEN)
	   || !memcmp (s->cur, sc_insn_ret5, SC_INSN_LEN))
    {
      info->state = STATIC_CALL_SITE_NOP;
      info->calls = info->target = NULL;
    }
  else if (!memcmp (s->cur, sc_insn_zero5, SC_INSN_LEN))
    {
      info->state = STATIC_CALL_SITE_RETURN0;
      info->calls = NULL;
      info->target = (const void *) static_call_return0;
    }
  else if (dest == s->tramp)
    {
      info->state = STATIC_CALL_SITE_TRAMPOLINE;
      info->target = sc_key_target (s->key);
    }
  else if (sc_is_slot (s->unit, dest))
    {
      info->state = STATIC_CALL_SITE_SLOT;
      info->target = sc_slot_target (s->unit, dest);
    }
  else
    info->state = STATIC_CALL_SITE_DIRECT;
}

int
static_call_for_each_site (int (*fn) (const struct static_call_site_info *,
				       void *),
			   void *arg)
{
  int r = 0;
  sc_lock ();
  for (const struct sc_unit_state *u = sc_registry_units (); u && !r;
       u = u->next)
    for (size_t i = 0; i < u->nsites && !r; i++)
      {
	const struct sc_site *s = &u->sites[i];
	if (!s->key)
	  continue;
	struct static_call_site_info info;
	describe_site (s, &info);
	r = fn (&info, arg);
      }
  sc_unlock ();
  return r;
}

/* What a debugger reads: the gdb extension (gdb/libstaticcall-gdb.py)
   finds the runtime's state through this one exported symbol, which
   survives strip, and reads the structures it points to with the
   offsets given here, so it needs no debug info for the library.  It
   only reads, with the process stopped.  Stable: a new field goes at
   the end, with a larger SIZE; VERSION changes only when a field
   changes meaning.  The manual's "Debuggers" section describes it;
   another reader of a process's memory (/proc/PID/mem) can use it the
   same way.  */
#define SC_DEBUG_VERSION 1

struct sc_debug
{
  uint32_t version;
  uint32_t size;			/* of this descriptor */
  const struct sc_batch *_Atomic *active;	/* the published batch */
  const struct sc_batch *_Atomic *stuck;	/* the stuck batch */
  struct sc_unit_state **units;	/* the registered units, a list */
  const uint16_t *slot_area;	/* offsets in a near-slot area: rx,
				   page, used (sc_slot_area_layout) */
  /* Offsets in bytes.  */
  uint16_t batch_p, batch_n;
  uint16_t patch_size, patch_addr, patch_site, patch_foreign;
  uint16_t unit_sites, unit_nsites, unit_slots, unit_next;
  uint16_t site_size, site_addr, site_key, site_tramp, site_dest,
	   site_test, site_kind, site_cls, site_state, site_len, site_cur,
	   site_orig;
  uint16_t key_var, key_name, key_kind, key_size, key_signed, key_deref,
	   key_offset;
  /* Added within version 1 (a reader checks SIZE): the thread id of a
     batch's patching thread.  */
  uint16_t batch_patcher;
};

#define SC_OFF(type, field) offsetof (struct type, field)

extern const struct sc_debug __static_call_debug;
const struct sc_debug __static_call_debug = {
  .version = SC_DEBUG_VERSION,
  .size = sizeof (struct sc_debug),
  .active = &sc_trap_active,
  .stuck = &sc_trap_stuck,
  .units = &sc_units,
  .slot_area = sc_slot_area_layout,
  .batch_p = SC_OFF (sc_batch, p),
  .batch_n = SC_OFF (sc_batch, n),
  .patch_size = sizeof (struct sc_patch),
  .patch_addr = SC_OFF (sc_patch, addr),
  .patch_site = SC_OFF (sc_patch, site),
  .patch_foreign = SC_OFF (sc_patch, under_foreign_int3),
  .unit_sites = SC_OFF (sc_unit_state, sites),
  .unit_nsites = SC_OFF (sc_unit_state, nsites),
  .unit_slots = SC_OFF (sc_unit_state, slots),
  .unit_next = SC_OFF (sc_unit_state, next),
  .site_size = sizeof (struct sc_site),
  .site_addr = SC_OFF (sc_site, addr),
  .site_key = SC_OFF (sc_site, key),
  .site_tramp = SC_OFF (sc_site, tramp),
  .site_dest = SC_OFF (sc_site, dest),
  .site_test = SC_OFF (sc_site, test),
  .site_kind = SC_OFF (sc_site, kind),
  .site_cls = SC_OFF (sc_site, cls),
  .site_state = SC_OFF (sc_site, state),
  .site_len = SC_OFF (sc_site, len),
  .site_cur = SC_OFF (sc_site, cur),
  .site_orig = SC_OFF (sc_site, orig),
  .key_var = SC_OFF (sc_key, var),
  .key_name = SC_OFF (sc_key, name),
  .key_kind = SC_OFF (sc_key, kind),
  .key_size = SC_OFF (sc_key, size),
  .key_signed = SC_OFF (sc_key, is_signed),
  .key_deref = SC_OFF (sc_key, deref),
  .key_offset = SC_OFF (sc_key, offset),
  .batch_patcher = SC_OFF (sc_batch, patcher),
};

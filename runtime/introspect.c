/* staticcall runtime: what a program can ask about the runtime: its
   counters and its registered sites (<static_call.h>).  */

#include "config.h"

#include <string.h>

#include "internal.h"

extern unsigned long __static_call_rseq_abort_count sc_hidden;

/* The first release's struct static_call_stats: its 14 counters.  */
#define SC_STATS_V1_SIZE (14 * sizeof (unsigned long))

void
static_call_get_stats_sized (struct static_call_stats *out,
			     unsigned long size)
{
  /* Without the lock, so that it can watch a batch in progress.  */
  struct static_call_stats now;
  const unsigned long *from = (const unsigned long *) &sc_stats;
  unsigned long *to = (unsigned long *) &now;
  for (size_t i = 0; i < sizeof sc_stats / sizeof *from; i++)
    to[i] = __atomic_load_n (&from[i], __ATOMIC_RELAXED);
  now.rseq_aborts = __atomic_load_n (&__static_call_rseq_abort_count,
				     __ATOMIC_RELAXED);
  memcpy (out, &now, size < sizeof now ? size : sizeof now);
}

/* The symbol of programs built before static_call_get_stats became a
   macro of static_call_get_stats_sized.  */
#undef static_call_get_stats
void static_call_get_stats (struct static_call_stats *);
void
static_call_get_stats (struct static_call_stats *out)
{
  static_call_get_stats_sized (out, SC_STATS_V1_SIZE);
}

static void
describe_site (const struct sc_site *s, struct static_call_site_info *info)
{
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
    for (uint32_t i = 0; i < u->desc->nsites && !r; i++)
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

/* staticcall runtime: the instruction a site holds.

   A site is a 5-byte call (e8 rel32) or, for a tail call, jmp
   (e9 rel32).  Where it may go: its target directly when within rel32
   reach; else a near slot holding the target (near_slots.c), which is
   allocated here the first time the site's key needs one in its unit;
   else its trampoline, which reads the pointer.  */

#include "config.h"

#include <string.h>

#include "internal.h"

/* The call or jmp of site S to DEST, which must be within reach.  */
void
sc_site_insn (const struct sc_site *s, const void *dest,
	      unsigned char out[SC_INSN_LEN])
{
  int32_t rel32 = (int32_t) ((intptr_t) dest
			     - ((intptr_t) s->addr + SC_INSN_LEN));
  out[0] = s->kind == SC_SITE_TAIL ? SC_OP_JMP : SC_OP_CALL;
  memcpy (out + 1, &rel32, 4);
}

/* The instruction that makes site S go to TARGET: a direct call/jmp
   when TARGET is within rel32 reach; else one to a near slot holding
   TARGET, allocating the slot (and its area) when the key has none yet
   in S's unit, and storing TARGET into it; else one to the site's
   trampoline.  A NULL target also uses the trampoline, so that the call
   faults as plain C would.  Returns the route taken.  Called with the
   registry lock held.  */
enum sc_route
sc_site_insn_alloc_slot (struct sc_site *s, void *target,
			 unsigned char out[SC_INSN_LEN])
{
  intptr_t rel = (intptr_t) target - ((intptr_t) s->addr + SC_INSN_LEN);
  if (target && rel == (int32_t) rel)
    {
      sc_site_insn (s, target, out);
      return SC_ROUTE_DIRECT;
    }
  void *slot = target ? sc_slot_for (s, target) : NULL;
  sc_site_insn (s, slot ? slot : s->tramp, out);
  return slot ? SC_ROUTE_SLOT : SC_ROUTE_TRAMPOLINE;
}

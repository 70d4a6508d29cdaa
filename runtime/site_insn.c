/* staticcall runtime: the instruction a site holds.

   A site is a 5-byte call (e8 rel32) or, for a tail call, jmp
   (e9 rel32).  Where it may go: its target directly when within rel32
   reach; else a near slot holding the target (near_slots.c), which is
   allocated here the first time the site's key needs one in its unit;
   else its trampoline, which reads the pointer.

   Two more single 5-byte instructions stand in for a call, so that no
   thread can ever stop inside one and the breakpoint protocol rewrites
   them as it does a call: a conditional site (SC_SITE_COND, a guarded
   `if (p) p (...)') holds a NOP while the pointer is NULL (`ret' when
   the guarded call is a sibling call, SC_SITE_COND_TAIL), and a call
   site (not a tail one) whose target is static_call_return0 holds an
   instruction that clears %rax.

   A value site (unit-abi.h) holds one of its own forms for its key's
   value: a branch site a jmp rel32 (taken) or the 5-byte NOP (not
   taken), an immediate site a move of the value into its register;
   either one its bytes as compiled, which read the variable in memory
   and are correct whatever it holds.  */

#include "config.h"

#include "internal.h"
#include "../tools/x86-insn.h"

/* nopl 0(%rax,%rax,1), the 5-byte NOP processors recommend.  */
const unsigned char sc_insn_nop5[SC_INSN_LEN] = { 0x0f, 0x1f, 0x44, 0x00,
						  0x00 };
/* xor %eax, %eax, which clears all of %rax, made 5 bytes by three
   ignored CS segment prefixes (what Linux writes for its
   __static_call_return0).  */
/* A guarded sibling call of a NULL pointer returns for its caller:
   `ret', then int3s that no thread reaches (none can be inside the
   site: it is left by the ret, or never entered past its first byte).  */
const unsigned char sc_insn_ret5[SC_INSN_LEN] = { 0xc3, 0xcc, 0xcc, 0xcc,
						  0xcc };
const unsigned char sc_insn_zero5[SC_INSN_LEN] = { 0x2e, 0x2e, 0x2e, 0x31,
						   0xc0 };

long
static_call_return0 (void)
{
  return 0;
}

/* The call or jmp of site S to DEST, which must be within reach.  */
void
sc_site_insn (const struct sc_site *s, const void *dest,
	      unsigned char out[SC_INSN_LEN])
{
  int32_t rel32 = (int32_t) ((intptr_t) dest
			     - ((intptr_t) s->addr + SC_INSN_LEN));
  out[0] = sc_kind_tail (s->kind) ? SC_OP_JMP : SC_OP_CALL;
  memcpy (out + 1, &rel32, 4);
}

/* The instruction that makes site S go to TARGET: a direct call/jmp
   when TARGET is within rel32 reach; else one to a near slot holding
   TARGET, allocating the slot (and its area) when the key has none yet
   in S's unit, and storing TARGET into it; else one to the site's
   trampoline.  A NULL target also uses the trampoline, so that the call
   faults as plain C would, except at a conditional site (a NOP then,
   unless the target is NULL because the key's ops pointer is: the
   conditional trampoline faults loading the member, as plain C does).
   A call of static_call_return0 clears %rax instead.  Returns the route taken.  Called with the
   registry lock held.  */
enum sc_route
sc_site_insn_alloc_slot (struct sc_site *s, void *target,
			 unsigned char out[SC_INSN_LEN])
{
  if (!target && (s->kind & SC_SITE_KIND_COND)
      && !sc_key_no_pointee (s->key))
    {
      memcpy (out, s->kind == SC_SITE_COND_TAIL ? sc_insn_ret5 : sc_insn_nop5,
	      SC_INSN_LEN);
      return SC_ROUTE_NOP;
    }
  /* Through the GOT: the address the program stored, even when a
     non-PIE executable made its PLT entry the canonical one.  */
  if (target == (void *) static_call_return0 && !sc_kind_tail (s->kind))
    {
      memcpy (out, sc_insn_zero5, SC_INSN_LEN);
      return SC_ROUTE_RETURN0;
    }
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

/* The bytes (S->len of them, into OUT) of value site S for its key's
   variable holding VALUE (zero-extended from its size), and which form
   they are.  An immediate site whose length cannot hold the move of
   VALUE (a 64-bit value needing movabsq in a site of 7 bytes, say)
   gets its compiled bytes, the load.  */
enum sc_value_form
sc_value_site_insn (const struct sc_site *s, uint64_t value,
		    unsigned char *out)
{
  if (s->cls == SC_CLASS_IMM)
    {
      if (sc_x86_encode_mov_imm (out, s->len, s->reg, s->wide, value))
	return SC_FORM_IMM;
      memcpy (out, s->orig, s->len);
      return SC_FORM_UNPATCHED;
    }
  bool taken = (value != 0) != (s->cls == SC_CLASS_BRANCH_INV);
  intptr_t rel = (intptr_t) s->dest - ((intptr_t) s->addr + SC_INSN_LEN);
  if (!taken)
    {
      memcpy (out, sc_insn_nop5, SC_INSN_LEN);
      return SC_FORM_NOT_TAKEN;
    }
  /* DEST is in the site's own function: always within reach.  */
  if (rel != (int32_t) rel)
    {
      memcpy (out, s->orig, s->len);
      return SC_FORM_UNPATCHED;
    }
  sc_x86_rel32_encode (out, SC_OP_JMP, (unsigned long) s->addr,
		       (unsigned long) s->dest);
  return SC_FORM_TAKEN;
}

/* Whether BYTE0 may start an instruction a site holds once its batch
   is done: a call, a jmp, a NOP, a clearing of %rax or `ret' (a call
   site); a move of an immediate or a load, prefixed or not (a value
   site).  Not 0x03, the second byte of `int $3', whose trap the
   handler must not take for a site's.  */
bool
sc_insn_may_be_site (unsigned char byte0)
{
  return byte0 == SC_OP_CALL || byte0 == SC_OP_JMP || byte0 == SC_OP_NOP5
	 || byte0 == SC_OP_ZERO5 || byte0 == SC_OP_RET
	 || (byte0 & 0xf0) == 0x40 || (byte0 & 0xf8) == 0xb8
	 || byte0 == 0x8b;
}

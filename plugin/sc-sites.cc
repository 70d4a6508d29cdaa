/* staticcall GCC plugin: RTL pass, run right before "shorten".

   Wraps each emitted call of a trampoline (made by sc-lower.cc, possibly
   duplicated since by inlining or unrolling) into a static call site:

     .LSCPn:			   # before the assembler's padding
	.bundle_align_mode 6	   # the 5-byte call must not cross a
	call __static_call_tramp_k # 64-byte line, so the runtime's
	.bundle_align_mode 0	   # displacement write is one store
     .LSCSn:			   # site = .LSCSn - 5, recorded by sc-emit.cc

   A sibling call is the same with `jmp'.  The call instruction itself
   stays GCC's, with everything GCC knows about it (clobbers, argument
   registers, stack adjustment, unwind info).

   Must run after every pass that may still move or duplicate insns and
   before "shorten": an ASM_INPUT added in front of "final" trips its
   assertions.  ASM_INPUTs carry the call's location, since final needs
   one.  */

#include "sc-plugin.h"

static location_t
insn_location_or_function (const rtx_insn *insn)
{
  location_t loc = INSN_LOCATION (insn);
  if (loc == UNKNOWN_LOCATION)
    loc = DECL_SOURCE_LOCATION (current_function_decl);
  return loc;
}

static void
wrap_site (rtx_insn *insn, tree tramp)
{
  location_t loc = insn_location_or_function (insn);
  unsigned id = sc_emit_note_site (tramp, SIBLING_CALL_P (insn));

  char before[64];
  snprintf (before, sizeof before, ".LSCP%u:\n\t.bundle_align_mode 6", id);
  emit_insn_before (gen_rtx_ASM_INPUT_loc (VOIDmode, ggc_strdup (before),
					   loc), insn);

  char after[64];
  snprintf (after, sizeof after, ".bundle_align_mode 0\n.LSCS%u:", id);
  emit_insn_after (gen_rtx_ASM_INPUT_loc (VOIDmode, ggc_strdup (after), loc),
		   insn);
}

static unsigned
wrap_function_sites (function *)
{
  for (rtx_insn *insn = get_insns (); insn; insn = NEXT_INSN (insn))
    {
      /* Static keys and immediate values (sc-value-sites.cc).  */
      sc_write_value_site (insn);
      if (!CALL_P (insn))
	continue;
      rtx call = get_call_rtx_from (insn);
      if (!call)
	continue;
      rtx addr = XEXP (XEXP (call, 0), 0);
      tree decl = NULL_TREE;
      if (SYMBOL_REF_P (addr))
	decl = SYMBOL_REF_DECL (addr);
      else if (rtx note = find_reg_note (insn, REG_CALL_DECL, NULL_RTX))
	if (XEXP (note, 0) && SYMBOL_REF_P (XEXP (note, 0)))
	  decl = SYMBOL_REF_DECL (XEXP (note, 0));

      tree var;
      tree key = sc_trampoline_key (decl, &var);
      if (!key)
	continue;
      if (!SYMBOL_REF_P (addr))
	{
	  /* Still correct (it calls the trampoline), but not a site the
	     runtime can patch: say so rather than hide it.  */
	  error_at (insn_location_or_function (insn),
		    "call through %qD (static call key %qE) was emitted as "
		    "an indirect call; this code model is not supported",
		    var, key);
	  continue;
	}
      wrap_site (insn, decl);
    }
  return 0;
}

SC_RTL_PASS (sites, 0, wrap_function_sites)

/* staticcall GCC plugin: the instructions and records of value sites
   (static keys and immediate values), written in the RTL pass of
   sc-sites.cc once registers and blocks are final.

   sc-values.cc leaves each site as an asm whose template is a
   placeholder (SC_BRANCH_MARK, SC_IMM_MARK: an assembler error if
   left).  Here each asm, copies made by unrolling or duplication
   included, gets its own number N and its instruction:

     branch (asm goto, labels TEST and TAKEN):
	.bundle_align_mode 6; .bundle_lock
	.byte 0xe9; .long TEST - . - 4		# jmp TEST, always rel32
	.bundle_unlock; .bundle_align_mode 0
     .LSCVSn:   .set .LSCVTn, TEST;  .set .LSCVDn, TAKEN

     immediate (output register R, input the variable in memory):
	.bundle_align_mode 6; .bundle_lock
	.byte 0x2e ...				# up to the immediate's length
	{disp32} movl v(%rip), %R		# movzbl, movzwl, movq
	.bundle_unlock; .bundle_align_mode 0
     .LSCVSn:

   The length of the load is computed here, from its operands, so that
   it can be padded in front to that of `mov $imm, %R' (the runtime
   writes that form over it, and both must be one instruction).  The
   bundle keeps the whole instruction in one 64-byte line.

   sc_emit_value_records writes the value sites' records and their
   keys' (runtime/unit-abi.h) at the end of the unit.  */

#include "sc-plugin.h"
#include "../runtime/unit-abi.h"

struct value_site
{
  unsigned key;		/* index in sc_value_vars */
  enum sc_value_site_kind kind;
  unsigned len;		/* immediate: the instruction's length */
  unsigned reg;		/* immediate: hardware register number */
  bool wide;
};

static vec<value_site> value_sites;
/* The variables with sites in this unit, in index order; a GC root.  */
tree sc_value_vars;

bool
sc_have_value_sites (void)
{
  return !value_sites.is_empty ();
}

static unsigned
value_key_index (tree var)
{
  unsigned i = 0;
  tree l;
  for (l = sc_value_vars; l; l = TREE_CHAIN (l), i++)
    if (TREE_VALUE (l) == var)
      return i;
  sc_value_vars = chainon (sc_value_vars, build_tree_list (NULL_TREE, var));
  return i;
}

/* The variable an "X" (&v) or "m" (v) operand refers to.  */
static tree
operand_variable (rtx op)
{
  if (MEM_P (op))
    {
      if (MEM_EXPR (op) && VAR_P (MEM_EXPR (op)))
	return MEM_EXPR (op);
      op = XEXP (op, 0);
    }
  if (GET_CODE (op) == CONST)
    op = XEXP (op, 0);
  if (GET_CODE (op) == PLUS)
    op = XEXP (op, 0);
  if (SYMBOL_REF_P (op) && SYMBOL_REF_DECL (op)
      && VAR_P (SYMBOL_REF_DECL (op)))
    return SYMBOL_REF_DECL (op);
  return NULL_TREE;
}

/* x86 hardware number of the general register GCC numbers REGNO, or
   -1.  */
static int
hardware_regno (unsigned regno)
{
  static const int low[8] = { 0 /* ax */, 2 /* dx */, 1 /* cx */,
			      3 /* bx */, 6 /* si */, 7 /* di */,
			      5 /* bp */, 4 /* sp */ };
  if (regno < 8)
    return low[regno];
  if (regno >= FIRST_REX_INT_REG && regno <= LAST_REX_INT_REG)
    return 8 + (regno - FIRST_REX_INT_REG);
  return -1;
}

/* Bytes of the load `{disp32} OPCODE MEM, %REG' (REX, opcode, ModRM,
   SIB, disp32), or 0 for an address form it does not handle.  */
static unsigned
load_length (rtx mem, unsigned opcode_len, int reg, bool wide)
{
  struct ix86_address parts;
  if (!ix86_decompose_address (XEXP (mem, 0), &parts)
      || parts.seg != ADDR_SPACE_GENERIC)
    return 0;
  bool rex = wide || reg >= 8;
  bool sib = false;
  if (parts.base && SUBREG_P (parts.base))
    parts.base = SUBREG_REG (parts.base);
  if (parts.index && SUBREG_P (parts.index))
    parts.index = SUBREG_REG (parts.index);
  if (parts.base && REG_P (parts.base))
    {
      int base = hardware_regno (REGNO (parts.base));
      if (base < 0)
	return 0;
      rex |= base >= 8;
      /* %rsp and %r12 as a base need a SIB byte.  */
      sib |= (base & 7) == 4;
    }
  else if (parts.base)
    return 0;
  if (parts.index)
    {
      int index = REG_P (parts.index) ? hardware_regno (REGNO (parts.index))
				      : -1;
      if (index < 0)
	return 0;
      rex |= index >= 8;
      sib = true;
    }
  /* An absolute address without base or index takes a SIB byte in
     64-bit mode; a rip-relative one does not.  */
  if (!parts.base && !parts.index && !ix86_rip_relative_addr_p (&parts))
    sib = true;
  return rex + opcode_len + 1 + sib + 4;
}

static const char *
finish_template (unsigned n, const char *body)
{
  char *t = xasprintf (".LSCVP%u:\n\t.bundle_align_mode 6\n\t.bundle_lock\n"
		       "%s\t.bundle_unlock\n\t.bundle_align_mode 0\n"
		       ".LSCVS%u:", n, body, n);
  const char *g = ggc_strdup (t);
  free (t);
  return g;
}

static void
write_branch_site (rtx_insn *insn, rtx asm_op, bool inverted)
{
  location_t loc = INSN_LOCATION (insn);
  tree var = ASM_OPERANDS_INPUT_LENGTH (asm_op) == 1
	     ? operand_variable (ASM_OPERANDS_INPUT (asm_op, 0)) : NULL_TREE;
  if (!var || ASM_OPERANDS_LABEL_LENGTH (asm_op) != 2)
    {
      error_at (loc, "internal error: the branch site of a static key "
		"lost its variable or its labels");
      return;
    }
  value_site s = { value_key_index (var),
		   inverted ? SC_VSITE_BRANCH_INV : SC_VSITE_BRANCH, 5, 0,
		   false };
  value_sites.safe_push (s);
  unsigned n = value_sites.length () - 1;
  /* Operands: the input (%0), then the labels: TEST %l1, TAKEN %l2.  */
  char *body = xasprintf ("\t.byte\t0xe9\n\t.long\t%%l1 - . - 4\n");
  const char *t = finish_template (n, body);
  free (body);
  char *full = xasprintf ("%s\n\t.set\t.LSCVT%u, %%l1\n\t.set\t.LSCVD%u, "
			  "%%l2", t, n, n);
  ASM_OPERANDS_TEMPLATE (asm_op) = ggc_strdup (full);
  free (full);
}

static void
write_imm_site (rtx_insn *insn, rtx asm_op, rtx out)
{
  location_t loc = INSN_LOCATION (insn);
  rtx mem = ASM_OPERANDS_INPUT_LENGTH (asm_op) == 1
	    ? ASM_OPERANDS_INPUT (asm_op, 0) : NULL_RTX;
  tree var = mem ? operand_variable (mem) : NULL_TREE;
  int reg = out && REG_P (out) ? hardware_regno (REGNO (out)) : -1;
  if (!var || !MEM_P (mem) || reg < 0)
    {
      error_at (loc, "internal error: the site of an immediate value lost "
		"its variable or its register");
      return;
    }
  unsigned size = tree_to_uhwi (TYPE_SIZE_UNIT (TREE_TYPE (var)));
  bool wide = size == 8;
  const char *insn_text = size == 1 ? "movzbl\t%1, %k0"
			  : size == 2 ? "movzwl\t%1, %k0"
			  : size == 4 ? "movl\t%1, %k0" : "movq\t%1, %q0";
  unsigned load = load_length (mem, size <= 2 ? 2 : 1, reg, wide);
  if (!load)
    {
      error_at (loc, "immediate value %qD is read through an address "
		"form the plugin cannot make a site of", var);
      return;
    }
  /* mov $imm32, %r32 is [REX] b8+r imm32; movabs [REX.W] b8+r imm64.  */
  unsigned imm = wide ? 10 : 5 + (reg >= 8);
  unsigned len = MAX (load, imm);
  value_site s = { value_key_index (var), SC_VSITE_IMM, len,
		   (unsigned) reg, wide };
  value_sites.safe_push (s);
  unsigned n = value_sites.length () - 1;
  char pad[64] = "";
  for (unsigned i = load; i < len; i++)
    strcat (pad, "\t.byte\t0x2e\n");
  /* {disp32}: a base register gets the 4-byte displacement the length
     above counts; rip-relative addresses have it anyway.  */
  char *body = xasprintf ("%s\t%%{disp32%%} %s\n", pad, insn_text);
  ASM_OPERANDS_TEMPLATE (asm_op) = finish_template (n, body);
  free (body);
}

/* INSN is any insn: rewrite it if it is a value site's placeholder.  */
void
sc_write_value_site (rtx_insn *insn)
{
  if (!INSN_P (insn))
    return;
  rtx pat = PATTERN (insn);
  rtx asm_op = extract_asm_operands (pat);
  if (!asm_op)
    return;
  const char *t = ASM_OPERANDS_TEMPLATE (asm_op);
  if (startswith (t, SC_IMM_MARK "\n"))
    {
      rtx out = NULL_RTX;
      if (GET_CODE (pat) == PARALLEL)
	pat = XVECEXP (pat, 0, 0);
      if (GET_CODE (pat) == SET)
	out = SET_DEST (pat);
      write_imm_site (insn, asm_op, out);
    }
  else if (startswith (t, SC_BRANCH_INV_MARK "\n"))
    write_branch_site (insn, asm_op, true);
  else if (startswith (t, SC_BRANCH_MARK "\n"))
    write_branch_site (insn, asm_op, false);
}

static const char *
asm_name (tree decl)
{
  return IDENTIFIER_POINTER (DECL_ASSEMBLER_NAME (decl));
}

/* The value keys' records, after the call keys' at .LSC_keys (which
   the caller has just written, in .data.rel.local), as .LSCVKn; then
   the value sites' records in .static_call_value_sites as
   .LSC_vsites.  */
bool
sc_emit_value_records (FILE *f, bool *any)
{
  *any = false;
  if (value_sites.is_empty ())
    return false;
  *any = true;
  unsigned i = 0;
  fputs ("\t.section\t.rodata.str1.1,\"aMS\",@progbits,1\n", f);
  for (tree l = sc_value_vars; l; l = TREE_CHAIN (l), i++)
    fprintf (f, ".LSCVN%u:\n\t.string\t\"%s\"\n", i,
	     IDENTIFIER_POINTER (sc_value_key (TREE_VALUE (l))));
  fputs ("\t.section\t.data.rel.local,\"aw\"\n\t.balign\t8\n", f);
  i = 0;
  for (tree l = sc_value_vars; l; l = TREE_CHAIN (l), i++)
    {
      tree var = TREE_VALUE (l);
      tree type = TREE_TYPE (var);
      unsigned HOST_WIDE_INT flags
	= (sc_value_kind (var) == SC_VALUE_BRANCH ? SC_KEY_BRANCH
	   : SC_KEY_IMMEDIATE)
	  | (TYPE_UNSIGNED (type) ? 0 : SC_KEY_SIGNED)
	  | tree_to_uhwi (TYPE_SIZE_UNIT (type)) << SC_KEY_SIZE_SHIFT
	  | (TREE_PUBLIC (var) ? 0 : SC_KEY_INTERNAL);
      if (DECL_WEAK (var))
	{
	  fputs ("\t.weak\t", f);
	  assemble_name (f, asm_name (var));
	  fputc ('\n', f);
	}
      fprintf (f, ".LSCVK%u:\n\t.quad\t", i);
      assemble_name (f, asm_name (var));
      fprintf (f, "\n\t.quad\t.LSCVN%u\n\t.quad\t0\n\t.quad\t"
	       HOST_WIDE_INT_PRINT_UNSIGNED "\n", i, flags);
    }
  /* A section of their own: .static_call_sites holds call records
     only, which staticcall-sites reads without the descriptors.  */
  fputs ("\t.section\t.static_call_value_sites,\"a\",@progbits\n"
	 "\t.balign\t4\n.LSC_vsites:\n", f);
  value_site *s;
  FOR_EACH_VEC_ELT (value_sites, i, s)
    {
      fprintf (f, "\t.long\t.LSCVS%u - %u - .\n\t.long\t.LSCVK%u - . + %d\n",
	       i, s->len, s->key, (int) s->kind);
      if (s->kind == SC_VSITE_IMM)
	fprintf (f, "\t.long\t0\n\t.long\t%d\n",
		 (int) SC_IMM_INFO (s->len, s->reg, s->wide ? 1 : 0));
      else
	fprintf (f, "\t.long\t.LSCVD%u - .\n\t.long\t.LSCVT%u - .\n", i, i);
    }
  return true;
}

unsigned
sc_value_site_count (void)
{
  return value_sites.length ();
}

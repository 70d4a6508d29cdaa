/* staticcall GCC plugin: per-unit output, written at PLUGIN_FINISH_UNIT.

   For every key with at least one site in this unit (a member of an
   annotated table is a key of its own, whose pointer is at the
   table's symbol plus the member's offset):
     - its trampoline __static_call_tramp_KEY (with a unit-unique suffix
       for a static pointer): hidden, in a COMDAT group of its own name,
       so one copy per linked object; it jumps through the pointer
       (through a retpoline under -mindirect-branch=thunk*);
     - a key record (runtime/unit-abi.h).
   Then the site table in .static_call_sites, the padding record in
   .static_call_padding (not loaded), the unit descriptor, a pointer to
   it in __static_call_units, and a constructor/destructor pair that
   register and unregister the units of the object.
   The layout is described, and must be changed, in runtime/unit-abi.h.  */

#include "sc-plugin.h"
#include "config/i386/i386-opts.h"
#include "../runtime/unit-abi.h"

/* From dwarf2out.h, which needs headers the plugin package lacks.  */
extern bool dwarf2out_do_cfi_asm (void);

struct site
{
  unsigned tramp;	/* index in the unit's trampoline list */
  enum sc_site_kind kind;
};

static vec<site> sites;
/* Trampolines with sites in this unit, in index order; a GC root.  */
tree sc_emit_tramps;
static unsigned n_tramps;

/* Record one site calling TRAMP; returns its label number.  */
unsigned
sc_emit_note_site (tree tramp, bool tail)
{
  unsigned index = 0;
  tree l;
  for (l = sc_emit_tramps; l; l = TREE_CHAIN (l), index++)
    if (TREE_VALUE (l) == tramp)
      break;
  if (!l)
    {
      sc_emit_tramps = chainon (sc_emit_tramps,
				build_tree_list (NULL_TREE, tramp));
      n_tramps++;
    }
  bool cond = sc_cond_trampoline_p (tramp);
  site s = { index, cond ? (tail ? SC_SITE_COND_TAIL : SC_SITE_COND)
		    : tail ? SC_SITE_TAIL : SC_SITE_CALL };
  sites.safe_push (s);
  return sites.length () - 1;
}

static const char *
asm_name (tree decl)
{
  return IDENTIFIER_POINTER (DECL_ASSEMBLER_NAME (decl));
}

/* Start a hidden global function-like symbol NAME in the current
   section.  */
static void
begin_code_symbol (FILE *f, const char *name)
{
  fputs ("\t.p2align 4\n\t.globl\t", f);
  assemble_name (f, name);
  fputs ("\n\t.hidden\t", f);
  assemble_name (f, name);
  fputc ('\n', f);
  fputs ("\t.type\t", f);
  assemble_name (f, name);
  fputs (", @function\n", f);
  assemble_name (f, name);
  fputs (":\n", f);
  if (dwarf2out_do_cfi_asm ())
    fputs ("\t.cfi_startproc\n", f);
}

static void
end_code_symbol (FILE *f, const char *name)
{
  if (dwarf2out_do_cfi_asm ())
    fputs ("\t.cfi_endproc\n", f);
  fputs ("\t.size\t", f);
  assemble_name (f, name);
  fputs (", .-", f);
  assemble_name (f, name);
  fputc ('\n', f);
}

/* The retpoline sequence: speculation is trapped in the pause loop;
   architecturally the `ret' goes to the target in %r11.  */
static void
emit_retpoline_body (FILE *f)
{
  fputs ("\tcall\t1f\n"
	 "2:\tpause\n"
	 "\tlfence\n"
	 "\tjmp\t2b\n"
	 "1:\tmovq\t%r11, (%rsp)\n"
	 "\tret\n", f);
}

#define SC_RETPOLINE "__static_call_retpoline_r11"

static void
emit_retpoline_thunk (FILE *f)
{
  fputs ("\t.section\t.text." SC_RETPOLINE ",\"axG\",@progbits,"
	 SC_RETPOLINE ",comdat\n", f);
  begin_code_symbol (f, SC_RETPOLINE);
  emit_retpoline_body (f);
  end_code_symbol (f, SC_RETPOLINE);
}

/* OFFSET (of a table's member in its variable) as a displacement to
   add to a symbol: "" or "+8".  */
static const char *
offset_suffix (HOST_WIDE_INT offset, char *buf, size_t size)
{
  if (offset)
    snprintf (buf, size, "+" HOST_WIDE_INT_PRINT_DEC, offset);
  else
    buf[0] = 0;
  return buf;
}

/* The memory operand that holds the pointer's value: VAR+OFF(%rip), or
   OFF(%r11) once %r11 holds the address it is relative to.  */
static void
emit_pointer_operand (FILE *f, const char *var_name, const char *off,
		      bool via_r11)
{
  if (via_r11)
    fprintf (f, "%s(%%r11)", off + (off[0] == '+'));
  else
    {
      assemble_name (f, var_name);
      fprintf (f, "%s(%%rip)", off);
    }
}

/* Jump through the pointer or, with retpolines or for a conditional
   trampoline (sc_cond_trampoline_p), load its value into %r11 (which
   no call passes anything in) first.  A conditional trampoline loads
   it once and returns when it is NULL: it leaves every argument
   register alone.  The pointer is at VAR + OFF for a table's member,
   and at *VAR + OFF for an ops pointer's member.  */
static void
emit_trampoline (FILE *f, tree tramp, tree var)
{
  const char *name = asm_name (tramp);
  bool local = targetm.binds_local_p (var);
  bool cond = sc_cond_trampoline_p (tramp);

  fprintf (f, "\t.section\t.text.%s,\"axG\",@progbits,%s,comdat\n",
	   name, name);
  begin_code_symbol (f, name);

  const char *var_name = asm_name (var);
  char off[32];
  offset_suffix (sc_trampoline_offset (tramp), off, sizeof off);
  bool deref = sc_trampoline_deref (tramp);
  bool retpoline = !(ix86_indirect_branch == indirect_branch_keep
		     || ix86_indirect_branch == indirect_branch_unset);

  /* 1. %r11 = the address the operand is relative to, when it is not
     VAR itself in this object.  */
  bool via_r11 = deref || !local;
  if (via_r11)
    {
      fputs ("\tmovq\t", f);
      assemble_name (f, var_name);
      if (local)
	fputs ("(%rip), %r11\n", f);
      else if (deref)
	fputs ("@GOTPCREL(%rip), %r11\n\tmovq\t(%r11), %r11\n", f);
      else
	fputs ("@GOTPCREL(%rip), %r11\n", f);
    }

  /* 2. The jump.  */
  if (!retpoline && !cond)
    {
      fputs ("\tjmp\t*", f);
      emit_pointer_operand (f, var_name, off, via_r11);
      fputs ("\n", f);
      end_code_symbol (f, name);
      return;
    }
  fputs ("\tmovq\t", f);
  emit_pointer_operand (f, var_name, off, via_r11);
  fputs (", %r11\n", f);
  if (cond)
    fputs ("\ttestq\t%r11, %r11\n\tjz\t3f\n", f);
  if (!retpoline)
    fputs ("\tjmp\t*%r11\n", f);
  else if (ix86_indirect_branch == indirect_branch_thunk_inline)
    emit_retpoline_body (f);
  else if (ix86_indirect_branch == indirect_branch_thunk_extern)
    fputs ("\tjmp\t__x86_indirect_thunk_r11\n", f);
  else
    fputs ("\tjmp\t" SC_RETPOLINE "\n", f);
  if (cond)
    fputs ("3:\tret\n\tint3\n", f);
  end_code_symbol (f, name);
}

static void
emit_key_records (FILE *f)
{
  unsigned i = 0;
  for (tree l = sc_emit_tramps; l; l = TREE_CHAIN (l), i++)
    {
      tree var;
      tree key = sc_trampoline_key (TREE_VALUE (l), &var);
      fprintf (f, ".LSCN%u:\n\t.string\t\"%s\"\n", i, IDENTIFIER_POINTER (key));
    }
  fputs ("\t.section\t.data.rel.local,\"aw\"\n\t.balign\t8\n.LSC_keys:\n", f);
  i = 0;
  for (tree l = sc_emit_tramps; l; l = TREE_CHAIN (l), i++)
    {
      tree var;
      bool internal;
      sc_trampoline_key (TREE_VALUE (l), &var, &internal);
      fprintf (f, ".LSCK%u:\n\t.quad\t", i);
      assemble_name (f, asm_name (var));
      HOST_WIDE_INT offset = sc_trampoline_offset (TREE_VALUE (l));
      bool deref = sc_trampoline_deref (TREE_VALUE (l));
      char off[32];
      if (!deref)
	fputs (offset_suffix (offset, off, sizeof off), f);
      fprintf (f, "\n\t.quad\t.LSCN%u\n\t.quad\t", i);
      assemble_name (f, asm_name (TREE_VALUE (l)));
      unsigned HOST_WIDE_INT flags = internal ? SC_KEY_INTERNAL : 0;
      /* An ops pointer's member: VAR is the pointer, the offset is in
	 the flags.  */
      if (deref)
	flags |= SC_KEY_DEREF
		 | (unsigned HOST_WIDE_INT) offset << SC_KEY_OFFSET_SHIFT;
      fprintf (f, "\n\t.quad\t" HOST_WIDE_INT_PRINT_UNSIGNED "\n", flags);
    }
}

/* A constructor or destructor: RUNTIME_ENTRY (start, stop, self) with
   the bounds of the object's unit pointers and this unit's own.  */
static void
emit_cdtor (FILE *f, const char *label, const char *runtime_entry,
	    const char *array)
{
  fputs ("\t.text\n\t.p2align 4\n", f);
  fprintf (f, "%s:\n", label);
  if (flag_cf_protection & CF_BRANCH)
    fputs ("\tendbr64\n", f);
  fprintf (f, "\tleaq\t__start_" SC_UNITS_SECTION "(%%rip), %%rdi\n"
	   "\tleaq\t__stop_" SC_UNITS_SECTION "(%%rip), %%rsi\n"
	   "\tleaq\t.LSC_unit_ref(%%rip), %%rdx\n"
	   "\tjmp\t%s@PLT\n", runtime_entry);
  fprintf (f, "\t.section\t%s,\"aw\"\n\t.balign\t8\n\t.quad\t%s\n",
	   array, label);
}

void
sc_emit_finish_unit (void *, void *)
{
  if (sites.is_empty () || seen_error () || sc_disabled)
    return;
  FILE *f = asm_out_file;
  fputs ("\t.pushsection\t.text\n", f);

  bool need_retpoline = ix86_indirect_branch == indirect_branch_thunk;
  for (tree l = sc_emit_tramps; l; l = TREE_CHAIN (l))
    {
      tree var;
      sc_trampoline_key (TREE_VALUE (l), &var);
      /* A weak pointer that no object defines is 0 at run time: its
	 key record then says so (the runtime leaves its sites on the
	 trampoline, which faults like the plain call would).  GCC only
	 says `.weak' for what the code it emitted refers to.  */
      if (DECL_WEAK (var))
	{
	  fputs ("\t.weak\t", f);
	  assemble_name (f, asm_name (var));
	  fputc ('\n', f);
	}
      emit_trampoline (f, TREE_VALUE (l), var);
    }
  if (need_retpoline)
    emit_retpoline_thunk (f);

  fputs ("\t.section\t.rodata.str1.1,\"aMS\",@progbits,1\n", f);
  emit_key_records (f);

  fputs ("\t.section\t.static_call_sites,\"a\",@progbits\n"
	 "\t.balign\t4\n.LSC_sites:\n", f);
  unsigned i;
  site *s;
  FOR_EACH_VEC_ELT (sites, i, s)
    fprintf (f, "\t.long\t.LSCS%u - 5 - .\n\t.long\t.LSCK%u - . + %d\n",
	     i, s->tramp, (int) s->kind);

  /* Padding the assembler put in front of each site: one byte per site
     in a section that is not loaded (no run-time cost), for
     staticcall-sites --summary and the code-size benchmark.  */
  fputs ("\t.section\t.static_call_padding,\"\",@progbits\n", f);
  for (i = 0; i < sites.length (); i++)
    fprintf (f, "\t.byte\t.LSCS%u - 5 - .LSCP%u\n", i, i);

  int unit_flags = (ix86_indirect_branch != indirect_branch_keep
		    && ix86_indirect_branch != indirect_branch_unset
		    ? SC_UNIT_RETPOLINE : 0);
  /* Version 3 only when an ops pointer's member needs it: a runtime
     that knows version 2 can register the others.  */
  bool any_deref = false;
  for (tree l = sc_emit_tramps; l; l = TREE_CHAIN (l))
    any_deref |= sc_trampoline_deref (TREE_VALUE (l));
  fprintf (f, "\t.section\t.data.rel.local,\"aw\"\n\t.balign\t8\n"
	   ".LSC_unit:\n\t.long\t%d, %u, %u, %d\n"
	   "\t.quad\t.LSC_sites\n\t.quad\t.LSC_keys\n",
	   any_deref ? SC_UNIT_ABI_VERSION_DEREF : SC_UNIT_ABI_VERSION_PLAIN,
	   sites.length (), n_tramps, unit_flags);

  /* The unit's pointer among its object's.  The bounds are hidden, so
     that each object's constructors get that object's own; the
     constructor's reference to the pointer keeps it through
     --gc-sections, even with -z start-stop-gc.  */
  fputs ("\t.section\t" SC_UNITS_SECTION ",\"aw\"\n\t.balign\t8\n"
	 ".LSC_unit_ref:\n\t.quad\t.LSC_unit\n"
	 "\t.hidden\t__start_" SC_UNITS_SECTION "\n"
	 "\t.hidden\t__stop_" SC_UNITS_SECTION "\n", f);

  /* Priority 100, below any a program may use: the object is registered
     before any of its other constructors runs and unregistered after
     all its other destructors ran, whatever the order of its units (an
     LTO link orders partitions at will), so that none of them can call
     a site whose near slot is gone.  */
  emit_cdtor (f, ".LSC_ctor", SC_REGISTER_OBJECT, ".init_array.00100");
  emit_cdtor (f, ".LSC_dtor", SC_UNREGISTER_OBJECT, ".fini_array.00100");
  fputs ("\t.popsection\n", f);
}

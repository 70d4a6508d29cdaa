/* staticcall GCC plugin: GIMPLE lowering, run right after "cfg".

   In each function:
     1. an annotated pointer P as an `asm' output is an error (a store
	there would bypass the runtime; `&p' was diagnosed as the body
	was parsed, sc_check_function_body);
     2. every call through P becomes a direct call of P's trampoline
	__static_call_tramp_KEY, whose FUNCTION_DECL is made here.  GCC
	keeps doing argument passing, struct returns, varargs and tail
	calls as for any direct call; sc-sites.cc later wraps the emitted
	call instruction into a recorded, bundle-aligned site;
     3. every assignment `p = v' becomes __static_call_update (&p, v),
	which stores V and retargets the key's sites;
     4. memcpy, memmove and memset into an annotated object, and GCC's
	atomic builtins on a key, call the runtime's entries of the same
	types instead (sc-tables.cc);
     5. any other store into an annotated table that may write a key
	(`t = x', `t.sub = x', `t = make ()', a compound literal) writes
	a temporary that __static_call_update_range copies in, all its
	keys retargeted in one batch (sc-tables.cc).
   P above is an annotated pointer or a member of pointer-to-function
   type of an annotated table, `t.m' or `t.sub.m' (its key is
   `KEY.m', `KEY.sub.m').
   Before step 2, each guarded call `if (p) p (args);' (value unused,
   no else) through P, or through an ops pointer's member
   (`if (impl->m) impl->m (x);'), loses its test and becomes a call of
   the key's conditional trampoline, a conditional site (step 2a,
   lower_guards).

   The pass runs before call-graph edges exist, so no edge has to be
   repaired, and before SSA, where the callee of `p (...)' is an
   artificial temporary assigned once from P (through casts, if any).  */

#include "sc-plugin.h"

/* Trampoline FUNCTION_DECLs made in this unit: a TREE_LIST of
   (KEY . FUNCTION_DECL), a GC root (see staticcall.cc).  */
tree sc_lower_tramps;

/* Declaration of the runtime's update entry point; a GC root.  */
tree sc_update_decl;

static tree
get_update_decl (void)
{
  if (!sc_update_decl)
    {
      tree type = build_function_type_list (void_type_node, ptr_type_node,
					    ptr_type_node, NULL_TREE);
      sc_update_decl = build_fn_decl (SC_RT_UPDATE, type);
      TREE_PUBLIC (sc_update_decl) = 1;
      DECL_EXTERNAL (sc_update_decl) = 1;
      DECL_ARTIFICIAL (sc_update_decl) = 1;
      TREE_NOTHROW (sc_update_decl) = 1;
    }
  return sc_update_decl;
}

/* VAR's assembler name without the mark ('*') that an `asm' label
   puts in front of it.  */
static const char *
symbol_name (tree var)
{
  return targetm.strip_name_encoding (IDENTIFIER_POINTER
				      (DECL_ASSEMBLER_NAME (var)));
}

/* The calling convention (ms_abi or sysv_abi) of function type FNTYPE.  */
static int
call_abi (const_tree fntype)
{
  return ix86_function_type_abi (fntype);
}

/* The trampoline of KEY, whose variable is VAR, for a call of type
   FNTYPE.  A call normally has VAR's type; one made through a cast to
   a type of another calling convention (ms_abi against sysv_abi) gets a
   trampoline of its own, declared with the call's type: GCC passes
   arguments by the convention of the callee's declaration.  */
static tree
get_trampoline (tree key, tree var, tree fntype, HOST_WIDE_INT offset = 0,
		tree ptr_type = NULL_TREE, bool deref = false)
{
  /* PTR_TYPE: the pointer's type, when VAR is a table.  */
  tree var_type = TREE_TYPE (ptr_type ? ptr_type : TREE_TYPE (var));
  bool own_abi = call_abi (fntype) == call_abi (var_type);
  for (tree l = sc_lower_tramps; l; l = TREE_CHAIN (l))
    if (TREE_PURPOSE (l) == key
	&& call_abi (TREE_TYPE (TREE_VALUE (l))) == call_abi (fntype))
      return TREE_VALUE (l);

  /* __static_call_tramp_KEY.POINTER: the trampoline is COMDAT, and
     copies may only merge when they jump through the same pointer, so
     the pointer is part of the name.  A static pointer is its unit's
     own: add a hash of where the unit is compiled from and to (full
     source path, dump base, which follows -o), so that two units, even
     one file compiled twice, never share one.  Reproducible, unlike
     GCC's random seed.  */
  const char *var_name = symbol_name (var);
  char suffix[32] = "";
  bool internal = !TREE_PUBLIC (var);
  if (internal)
    {
      unsigned h = crc32_string (0, IS_ABSOLUTE_PATH (main_input_filename)
				    ? "" : getpwd ());
      h = crc32_string (h, main_input_filename);
      if (dump_base_name)
	h = crc32_string (h, dump_base_name);
      h = crc32_string (h, var_name);
      snprintf (suffix, sizeof suffix, ".%08x", h);
    }
  const char *abi_suffix = "";
  if (!own_abi)
    abi_suffix = call_abi (fntype) == MS_ABI ? ".ms_abi" : ".sysv_abi";
  /* KEY->m (an ops pointer's member) is spelled KEY..m in a symbol.  */
  char *key_name = xstrdup (IDENTIFIER_POINTER (key));
  for (char *c = key_name; *c; c++)
    if (c[0] == '-' && c[1] == '>')
      c[0] = c[1] = '.';
  char *name = concat (SC_TRAMP_PREFIX, key_name, ".",
		       var_name, suffix, abi_suffix, NULL);
  free (key_name);
  tree fn = build_decl (DECL_SOURCE_LOCATION (var), FUNCTION_DECL,
			get_identifier (name), own_abi ? var_type : fntype);
  free (name);
  /* A hidden global: that gives a direct `call sym' in every code
     model we support, with or without PIC or -fno-plt, and no local-ABI
     optimisations.  sc-emit.cc defines it in a COMDAT group in every
     unit (or LTO partition) that calls it.  */
  TREE_PUBLIC (fn) = 1;
  DECL_EXTERNAL (fn) = 1;
  DECL_ARTIFICIAL (fn) = 1;
  DECL_VISIBILITY (fn) = VISIBILITY_HIDDEN;
  DECL_VISIBILITY_SPECIFIED (fn) = 1;
  /* Whether VAR is static is recorded now: LTO may later make it a
     hidden global to reach it from another partition.  */
  tree value = tree_cons (key, var, internal ? integer_one_node : NULL_TREE);
  DECL_ATTRIBUTES (fn) = tree_cons (get_identifier (SC_TRAMP_ATTRIBUTE),
				    value, NULL_TREE);
  /* A table's member (KEY is then `TABLE-KEY.member'): the pointer is
     at VAR + OFFSET.  */
  if (offset)
    DECL_ATTRIBUTES (fn)
      = tree_cons (get_identifier (SC_TRAMP_OFFSET_ATTRIBUTE),
		   size_int (offset), DECL_ATTRIBUTES (fn));
  if (deref)
    DECL_ATTRIBUTES (fn)
      = tree_cons (get_identifier (SC_TRAMP_DEREF_ATTRIBUTE),
		   NULL_TREE, DECL_ATTRIBUTES (fn));
  sc_lower_tramps = tree_cons (key, fn, sc_lower_tramps);
  return fn;
}

/* KEY of a trampoline FNDECL made by get_trampoline, its VAR, and
   whether VAR was declared static.  NULL_TREE for any other
   declaration.  */
tree
sc_trampoline_key (const_tree fndecl, tree *var, bool *internal)
{
  if (!fndecl || TREE_CODE (fndecl) != FUNCTION_DECL)
    return NULL_TREE;
  tree attr = lookup_attribute (SC_TRAMP_ATTRIBUTE, DECL_ATTRIBUTES (fndecl));
  if (!attr)
    return NULL_TREE;
  tree value = TREE_VALUE (attr);
  if (var)
    *var = TREE_VALUE (value);
  if (internal)
    *internal = TREE_CHAIN (value) != NULL_TREE;
  return TREE_PURPOSE (value);
}

/* The offset of a trampoline's pointer in its VAR: non-zero for a
   member of a table.  */
HOST_WIDE_INT
sc_trampoline_offset (const_tree fndecl)
{
  tree attr = lookup_attribute (SC_TRAMP_OFFSET_ATTRIBUTE,
				DECL_ATTRIBUTES (fndecl));
  return attr ? tree_to_shwi (TREE_VALUE (attr)) : 0;
}

/* Whether a trampoline is an ops pointer member's.  */
bool
sc_trampoline_deref (const_tree fndecl)
{
  return lookup_attribute (SC_TRAMP_DEREF_ATTRIBUTE,
			   DECL_ATTRIBUTES (fndecl)) != NULL_TREE;
}

/* Single definitions of the function's artificial temporaries.  */
struct temp_def
{
  int count;
  tree source;	/* RHS of the definition when it is a copy or a cast.  */
};

typedef hash_map<tree, temp_def> temp_defs;

static bool
is_local_temp (const_tree t)
{
  return VAR_P (t) && DECL_ARTIFICIAL (t) && !TREE_STATIC (t)
	 && !DECL_EXTERNAL (t);
}

static void
collect_temp_defs (function *fun, temp_defs *defs)
{
  basic_block bb;
  FOR_EACH_BB_FN (bb, fun)
    for (gimple_stmt_iterator gsi = gsi_start_bb (bb); !gsi_end_p (gsi);
	 gsi_next (&gsi))
      {
	gimple *stmt = gsi_stmt (gsi);
	tree lhs = gimple_get_lhs (stmt);
	if (!lhs || !is_local_temp (lhs))
	  continue;
	temp_def &d = defs->get_or_insert (lhs);
	d.count++;
	d.source = NULL_TREE;
	if (d.count == 1 && is_gimple_assign (stmt)
	    && (gimple_assign_single_p (stmt) || gimple_assign_cast_p (stmt)))
	  d.source = gimple_assign_rhs1 (stmt);
      }
}

/* The annotated pointer, or table member (sc_ref_key), that the value
   of FN was loaded from, looking through single-definition temporaries
   and casts.  */
static tree
callee_variable (tree fn, temp_defs *defs)
{
  for (int depth = 0; fn && depth < 8; depth++)
    {
      if (sc_ref_key (fn, NULL, NULL))
	return fn;
      if (TREE_CODE (fn) == SSA_NAME)
	{
	  /* The gimplifier makes its temporaries SSA names already.  */
	  gimple *def = SSA_NAME_DEF_STMT (fn);
	  if (!def || !is_gimple_assign (def)
	      || !(gimple_assign_single_p (def) || gimple_assign_cast_p (def)))
	    return NULL_TREE;
	  fn = gimple_assign_rhs1 (def);
	  continue;
	}
      if (!is_local_temp (fn))
	return NULL_TREE;
      temp_def *d = defs->get (fn);
      if (!d || d->count != 1)
	return NULL_TREE;
      fn = d->source;
    }
  return NULL_TREE;
}

/* Where the value of FN, which callee_variable did not trace to a key,
   was loaded from: the last single-definition source, for the verbose
   note on a call that stays indirect.  */
static tree
callee_source (tree fn, temp_defs *defs)
{
  for (int depth = 0; fn && depth < 8; depth++)
    {
      tree next = NULL_TREE;
      if (TREE_CODE (fn) == SSA_NAME)
	{
	  gimple *def = SSA_NAME_DEF_STMT (fn);
	  if (def && is_gimple_assign (def)
	      && (gimple_assign_single_p (def) || gimple_assign_cast_p (def)))
	    next = gimple_assign_rhs1 (def);
	}
      else if (is_local_temp (fn))
	{
	  temp_def *d = defs->get (fn);
	  if (d && d->count == 1)
	    next = d->source;
	}
      if (!next)
	return fn;
      fn = next;
    }
  return fn;
}

/* For the verbose notes: the user's local variables that are assigned
   a static call's pointer (`fp = t.m;'), each with that pointer.  */
typedef hash_map<tree, tree> local_copies;

static void
collect_local_copies (function *fun, temp_defs *defs, local_copies *copies)
{
  basic_block bb;
  FOR_EACH_BB_FN (bb, fun)
    for (gimple_stmt_iterator gsi = gsi_start_bb (bb); !gsi_end_p (gsi);
	 gsi_next (&gsi))
      {
	gimple *stmt = gsi_stmt (gsi);
	if (!gimple_assign_single_p (stmt) && !gimple_assign_cast_p (stmt))
	  continue;
	tree lhs = gimple_assign_lhs (stmt);
	if (!VAR_P (lhs) || DECL_ARTIFICIAL (lhs) || TREE_STATIC (lhs)
	    || DECL_EXTERNAL (lhs))
	  continue;
	if (tree ref = callee_variable (gimple_assign_rhs1 (stmt), defs))
	  copies->put (lhs, ref);
      }
}

/* Step 1: diagnose operands that would let code bypass the runtime.
   `&p' was already diagnosed in the function's body as parsed
   (sc_check_function_body).  */
static void
check_statement (gimple *stmt)
{
  location_t loc = gimple_location (stmt);
  if (gasm *asm_stmt = dyn_cast<gasm *> (stmt))
    for (unsigned i = 0; i < gimple_asm_noutputs (asm_stmt); i++)
      {
	tree op = TREE_VALUE (gimple_asm_output_op (asm_stmt, i));
	tree base = get_base_address (op);
	if (base && sc_var_key (base))
	  error_at (loc, "static call pointer %qD is an output of an "
		    "%<asm%> statement; assign it in C instead", base);
	else if (base && sc_value_kind (base) != SC_VALUE_NONE)
	  error_at (loc, "%s %qD is an output of an %<asm%> statement; "
		    "assign it in C instead",
		    sc_value_kind (base) == SC_VALUE_BRANCH
		    ? "static key" : "immediate value", base);
      }
}

/* Where a verbose note points: where the user wrote the call or the
   assignment, not inside a macro such as static_call_update.  */
static location_t
user_location (location_t loc)
{
  return linemap_resolve_location (line_table, loc,
				   LRK_MACRO_EXPANSION_POINT, NULL);
}

/* A reference to VAR in front of a site, for LTO: the site only names
   the trampoline, and the trampoline and key record (sc-emit.cc) name
   VAR in assembly the partitioner never sees.  Without this, a static
   VAR ends up in one partition and a site in another, where VAR's name
   is undefined.  With it, the partitioner gives VAR a global hidden
   name that both partitions use.  An empty `asm' with the address as
   an unprinted "X" operand emits no code.  */
static void
add_lto_reference (gimple_stmt_iterator *gsi, tree var)
{
  vec<tree, va_gc> *inputs = NULL;
  tree constraint = build_tree_list (NULL_TREE, build_string (2, "X"));
  vec_safe_push (inputs, build_tree_list (constraint,
					  build_fold_addr_expr (var)));
  gasm *ref = gimple_build_asm_vec ("", inputs, NULL, NULL, NULL);
  gimple_asm_set_volatile (ref, true);
  gimple_set_location (ref, gimple_location (gsi_stmt (*gsi)));
  gsi_insert_before (gsi, ref, GSI_SAME_STMT);
}

/* The plain trampoline of a call CALL through REF, an annotated
   pointer, a table's member or an ops pointer's member; its key in
   *KEY, its variable in *VAR.  */
static tree
ref_trampoline (gcall *call, tree ref, tree *key, tree *var)
{
  HOST_WIDE_INT offset;
  bool deref;
  *key = sc_ref_key (ref, var, &offset, &deref);
  return get_trampoline (*key, *var, gimple_call_fntype (call), offset,
			 TREE_TYPE (ref), deref);
}

/* How a verbose note names the pointer REF of key KEY, whose variable
   is VAR: `impl->m' rather than GCC's `*impl.0_1.m' for an ops
   pointer's member.  */
static void
note_site (gcall *call, tree ref, tree key, tree var, const char *what)
{
  location_t loc = user_location (gimple_location (call));
  const char *k = IDENTIFIER_POINTER (key);
  const char *member = strstr (k, "->");
  if (member && !VAR_P (ref))
    inform (loc, "%s through %<%E%s%> is %sstatic call site of key %qE",
	    what, DECL_NAME (var), member,
	    sc_cond_trampoline_p (gimple_call_fndecl (call))
	    ? "conditional " : "", key);
  else
    inform (loc, "%s through %qE is %sstatic call site of key %qE", what,
	    ref, sc_cond_trampoline_p (gimple_call_fndecl (call))
	    ? "conditional " : "", key);
}

/* Step 2.  REF is an annotated pointer or a table's member.  */
static void
lower_call (gimple_stmt_iterator *gsi, gcall *call, tree ref)
{
  tree key, var;
  tree tramp = ref_trampoline (call, ref, &key, &var);
  if (flag_generate_lto || flag_generate_offload)
    add_lto_reference (gsi, var);
  gimple_call_set_fndecl (call, tramp);
  if (sc_verbose)
    note_site (call, ref, key, var, "call");
}

/* Step 3.  REF is an annotated pointer or a table's member.  */
static void
lower_assignment (gimple_stmt_iterator *gsi, tree ref)
{
  gimple *stmt = gsi_stmt (*gsi);
  location_t loc = gimple_location (stmt);
  tree value = gimple_assign_rhs1 (stmt);
  tree key = sc_ref_key (ref, NULL, NULL);
  if (!key)
    /* An ops pointer: every member of its pointee is a key.  */
    key = sc_var_key (ref);
  if (!is_gimple_val (value))
    {
      tree tmp = create_tmp_var (TYPE_MAIN_VARIANT (TREE_TYPE (ref)),
				 "sc_new");
      gimple *load = gimple_build_assign (tmp, value);
      gimple_set_location (load, loc);
      gsi_insert_before (gsi, load, GSI_SAME_STMT);
      value = tmp;
    }
  tree addr = build_fold_addr_expr (unshare_expr (ref));
  gcall *call = gimple_build_call (get_update_decl (), 2, addr, value);
  gimple_set_location (call, loc);
  gsi_replace (gsi, call, false);
  if (sc_verbose && sc_is_ops_pointer (ref))
    inform (user_location (loc), "assignment to %qE retargets the static "
	    "call keys %<%E->...%> of all its members in one batch", ref, key);
  else if (sc_verbose)
    inform (user_location (loc),
	    "assignment to %qE retargets static call key %qE", ref, key);
}

/* Step 2a: conditional sites.

   `if (p) p (args);', with the call's value unused and no `else', is
   at this point a block ending in a GIMPLE_COND that tests a load of P
   against 0 (`!=' or `=='), one arm a block holding only the call
   through another load of P (and the gimplifier's temporaries of its
   arguments), both arms joining.  The test goes, and the call becomes
   an unconditional call of the key's conditional trampoline
   (__static_call_cond_KEY...), which returns at once when P is NULL
   and else jumps through it; sc-emit.cc records the site as
   SC_SITE_COND, which the runtime patches to a 5-byte NOP while P is
   NULL and to a direct call otherwise (Linux's static_call_cond).

   What an `annotated load' is lives in annotated_load alone: what
   callee_variable also returns for the call, the annotated pointer,
   `t.m', `t.sub.m' or `impl.0_1->m'.  The matching compares the
   test's load and the call's by their keys (same_load), and the
   conditional trampoline is derived from whatever plain trampoline
   the call gets (ref_trampoline).  */

/* Marks a conditional trampoline's FUNCTION_DECL; on a plain
   trampoline, the same name's value is its conditional twin.  */
#define SC_COND_ATTRIBUTE "static_call cond trampoline"
#define SC_COND_PREFIX "__static_call_cond_"

/* The conditional twin of the plain trampoline TRAMP, made on first
   use: same type, key, pointer and linkage, its own name
   (__static_call_cond_ instead of __static_call_tramp_).  Reachable
   for the garbage collector through TRAMP's attributes.  */
static tree
get_cond_trampoline (tree tramp)
{
  tree link = lookup_attribute (SC_COND_ATTRIBUTE, DECL_ATTRIBUTES (tramp));
  if (link)
    return TREE_VALUE (link);
  const char *name = IDENTIFIER_POINTER (DECL_NAME (tramp));
  gcc_assert (startswith (name, SC_TRAMP_PREFIX));
  char *cond_name = concat (SC_COND_PREFIX, name + strlen (SC_TRAMP_PREFIX),
			    NULL);
  tree fn = build_decl (DECL_SOURCE_LOCATION (tramp), FUNCTION_DECL,
			get_identifier (cond_name), TREE_TYPE (tramp));
  free (cond_name);
  TREE_PUBLIC (fn) = 1;
  DECL_EXTERNAL (fn) = 1;
  DECL_ARTIFICIAL (fn) = 1;
  DECL_VISIBILITY (fn) = VISIBILITY_HIDDEN;
  DECL_VISIBILITY_SPECIFIED (fn) = 1;
  DECL_ATTRIBUTES (fn) = tree_cons (get_identifier (SC_COND_ATTRIBUTE),
				    NULL_TREE, DECL_ATTRIBUTES (tramp));
  DECL_ATTRIBUTES (tramp) = tree_cons (get_identifier (SC_COND_ATTRIBUTE),
				       fn, DECL_ATTRIBUTES (tramp));
  return fn;
}

/* Whether FNDECL is a conditional trampoline (get_cond_trampoline).  */
bool
sc_cond_trampoline_p (const_tree fndecl)
{
  if (!fndecl || TREE_CODE (fndecl) != FUNCTION_DECL)
    return false;
  tree attr = lookup_attribute (SC_COND_ATTRIBUTE, DECL_ATTRIBUTES (fndecl));
  return attr && TREE_VALUE (attr) == NULL_TREE;
}

/* The annotated load that the pointer value OP comes from, looking
   through temporaries and through conversions that keep every bit of
   it (so that testing the result against 0 tests the pointer); NULL
   when there is none.  An annotated load is what callee_variable
   returns for a call: the annotated pointer, or a member reference
   `t.m', `t.sub.m' or `impl.0_1->m' (sc_ref_key), which same_load
   compares.  */
static tree
annotated_load (tree op, temp_defs *defs)
{
  for (int depth = 0; op && depth < 8; depth++)
    {
      if (sc_ref_key (op, NULL, NULL))
	return op;
      gimple *def = NULL;
      if (TREE_CODE (op) == SSA_NAME)
	def = SSA_NAME_DEF_STMT (op);
      else if (is_local_temp (op))
	{
	  temp_def *d = defs->get (op);
	  if (!d || d->count != 1)
	    return NULL_TREE;
	  op = d->source;
	  continue;
	}
      if (!def || !is_gimple_assign (def))
	return NULL_TREE;
      tree lhs_type = TREE_TYPE (gimple_assign_lhs (def));
      if (gimple_assign_cast_p (def))
	{
	  if (TREE_CODE (lhs_type) != BOOLEAN_TYPE
	      && !POINTER_TYPE_P (lhs_type)
	      && !(INTEGRAL_TYPE_P (lhs_type)
		   && TYPE_PRECISION (lhs_type) >= POINTER_SIZE))
	    return NULL_TREE;
	}
      else if (!gimple_assign_single_p (def))
	return NULL_TREE;
      op = gimple_assign_rhs1 (def);
    }
  return NULL_TREE;
}

/* Whether the annotated loads A and B (annotated_load, callee_variable)
   read the same pointer.  `t.m' is the same tree each time, but the two
   loads of `impl->m' go through two loads of `impl' (other SSA names),
   so they are compared by what sc_ref_key makes of them: one key is one
   pointer, at one place.  */
static bool
same_load (tree a, tree b)
{
  tree var_a, var_b;
  HOST_WIDE_INT off_a, off_b;
  bool deref_a, deref_b;
  tree key_a = sc_ref_key (a, &var_a, &off_a, &deref_a);
  tree key_b = sc_ref_key (b, &var_b, &off_b, &deref_b);
  return key_a && key_a == key_b && var_a == var_b && off_a == off_b
	 && deref_a == deref_b;
}

/* Whether STMT, in the arm of a guard, may run unguarded: it computes
   a temporary of the call's arguments, with no side effect and nothing
   that could trap (a load through a pointer could), or it is debug
   information.  */
static bool
speculable_arm_statement (gimple *stmt)
{
  if (is_gimple_debug (stmt) || gimple_code (stmt) == GIMPLE_NOP)
    return true;
  if (glabel *label = dyn_cast<glabel *> (stmt))
    {
      tree decl = gimple_label_label (label);
      return !FORCED_LABEL (decl) && !DECL_NONLOCAL (decl);
    }
  if (!is_gimple_assign (stmt))
    return false;
  tree lhs = gimple_assign_lhs (stmt);
  return (TREE_CODE (lhs) == SSA_NAME || is_local_temp (lhs))
	 && !gimple_has_side_effects (stmt)
	 && !gimple_has_volatile_ops (stmt)
	 && !gimple_could_trap_p (stmt);
}

/* Whether STMT, in the arm of a guard testing LOAD, loads the same
   annotated pointer again, for the call: `_4 = impl.1_3->m' may trap,
   but the test already made that load (through the same ops pointer),
   and the conditional trampoline makes it in its place.  */
static bool
reload_statement (gimple *stmt, tree load)
{
  if (!gimple_assign_single_p (stmt))
    return false;
  tree lhs = gimple_assign_lhs (stmt);
  return (TREE_CODE (lhs) == SSA_NAME || is_local_temp (lhs))
	 && !gimple_has_volatile_ops (stmt)
	 && same_load (gimple_assign_rhs1 (stmt), load);
}

/* The call that makes BB (the arm of a guard testing LOAD) a
   conditional site, or NULL: its only statements are speculable ones,
   then the call through LOAD with its value unused, then nothing but
   debug statements.  */
static gcall *
guarded_call (basic_block bb, tree load, temp_defs *defs)
{
  gcall *call = NULL;
  for (gimple_stmt_iterator gsi = gsi_start_bb (bb); !gsi_end_p (gsi);
       gsi_next (&gsi))
    {
      gimple *stmt = gsi_stmt (gsi);
      if (call)
	{
	  if (!is_gimple_debug (stmt))
	    return NULL;
	  continue;
	}
      if (gcall *c = dyn_cast<gcall *> (stmt))
	{
	  if (gimple_call_internal_p (c) || gimple_call_fndecl (c)
	      || gimple_call_lhs (c) || gimple_call_chain (c)
	      || (gimple_call_flags (c) & ECF_NORETURN))
	    return NULL;
	  tree callee = callee_variable (gimple_call_fn (c), defs);
	  if (!callee || !same_load (callee, load))
	    return NULL;
	  call = c;
	}
      else if (!speculable_arm_statement (stmt)
	       && !reload_statement (stmt, load))
	return NULL;
    }
  return call;
}

static tree
find_name (tree *tp, int *, void *name)
{
  return *tp == (tree) name ? *tp : NULL_TREE;
}

/* Whether SSA name NAME is used by a statement of FUN other than
   EXCEPT (the immediate uses are not kept before SSA).  */
static bool
name_used_p (function *fun, tree name, gimple *except)
{
  basic_block bb;
  FOR_EACH_BB_FN (bb, fun)
    for (gimple_stmt_iterator gsi = gsi_start_bb (bb); !gsi_end_p (gsi);
	 gsi_next (&gsi))
      {
	gimple *stmt = gsi_stmt (gsi);
	if (stmt == except)
	  continue;
	for (unsigned i = 0; i < gimple_num_ops (stmt); i++)
	  if (tree op = gimple_op (stmt, i))
	    if (walk_tree_without_duplicates (&op, find_name, name))
	      return true;
      }
  return false;
}

/* Remove the statements that computed the tested value OP (the load
   of the pointer or of a static key, casts, __builtin_expect) when
   nothing else uses them, so that even at -O0 no load is left for the
   test that went.  */
void
sc_remove_dead_test_value (function *fun, tree op)
{
  while (op && TREE_CODE (op) == SSA_NAME)
    {
      gimple *def = SSA_NAME_DEF_STMT (op);
      /* DEF itself names OP, as its result.  */
      if (!def || !gimple_bb (def) || gimple_has_volatile_ops (def)
	  || name_used_p (fun, op, def))
	return;
      tree next;
      if (is_gimple_assign (def))
	next = gimple_assign_rhs1 (def);
      else if (gimple_call_builtin_p (def, BUILT_IN_EXPECT)
	       || gimple_call_builtin_p (def,
					 BUILT_IN_EXPECT_WITH_PROBABILITY))
	next = gimple_call_arg (def, 0);
      else
	return;
      gimple_stmt_iterator gsi = gsi_for_stmt (def);
      gsi_remove (&gsi, true);
      release_ssa_name_fn (fun, op);
      op = next;
    }
}

/* Whether BB only passes control on to its one successor: labels of
   its own, a prediction (`if (!p) return;' leaves one) and debug
   statements; entered from one place only.  */
static bool
empty_forwarder_p (basic_block bb)
{
  if (!single_pred_p (bb) || !single_succ_p (bb)
      || (single_succ_edge (bb)->flags & (EDGE_ABNORMAL | EDGE_EH)))
    return false;
  for (gimple_stmt_iterator gsi = gsi_start_bb (bb); !gsi_end_p (gsi);
       gsi_next (&gsi))
    {
      gimple *stmt = gsi_stmt (gsi);
      if (glabel *label = dyn_cast<glabel *> (stmt))
	{
	  tree decl = gimple_label_label (label);
	  if (FORCED_LABEL (decl) || DECL_NONLOCAL (decl))
	    return false;
	}
      else if (!is_gimple_debug (stmt) && gimple_code (stmt) != GIMPLE_PREDICT
	       && gimple_code (stmt) != GIMPLE_NOP)
	return false;
    }
  return true;
}

/* BB ends in a guard `if (P != 0)' (or `if (P == 0)' with the other
   arm) of a call through P: make it a conditional site.  The arm that
   skips the call may go through an empty block (`if (!p) return;
   p (x);').  Returns whether it did.  */
static bool
lower_guard (function *fun, basic_block bb, temp_defs *defs)
{
  gcond *cond = safe_dyn_cast<gcond *> (last_stmt (bb));
  if (!cond || EDGE_COUNT (bb->succs) != 2
      || (gimple_cond_code (cond) != NE_EXPR
	  && gimple_cond_code (cond) != EQ_EXPR)
      || !integer_zerop (gimple_cond_rhs (cond)))
    return false;
  tree tested = gimple_cond_lhs (cond);
  tree load = annotated_load (tested, defs);
  if (!load)
    return false;

  edge taken = EDGE_SUCC (bb, 0), skipped = EDGE_SUCC (bb, 1);
  if (!(taken->flags & (gimple_cond_code (cond) == NE_EXPR
			? EDGE_TRUE_VALUE : EDGE_FALSE_VALUE)))
    std::swap (taken, skipped);
  basic_block arm = taken->dest;
  if (((taken->flags | skipped->flags) & (EDGE_ABNORMAL | EDGE_EH))
      || !single_pred_p (arm) || !single_succ_p (arm)
      || (single_succ_edge (arm)->flags & (EDGE_ABNORMAL | EDGE_EH)))
    return false;
  basic_block forwarder = NULL;
  if (single_succ (arm) != skipped->dest)
    {
      forwarder = skipped->dest;
      if (forwarder == arm || !empty_forwarder_p (forwarder)
	  || single_succ (forwarder) != single_succ (arm))
	return false;
    }
  gcall *call = guarded_call (arm, load, defs);
  if (!call)
    return false;

  tree fn = gimple_call_fn (call);
  tree ref = callee_variable (fn, defs);
  tree key, var;
  tree tramp = ref_trampoline (call, ref, &key, &var);
  gimple_stmt_iterator gsi = gsi_for_stmt (call);
  if (flag_generate_lto || flag_generate_offload)
    add_lto_reference (&gsi, var);
  gimple_call_set_fndecl (call, get_cond_trampoline (tramp));
  if (sc_verbose)
    note_site (call, ref, key, var, "guarded call");
  /* The call's own load of the pointer (which may trap, through an ops
     pointer) is the trampoline's now.  */
  sc_remove_dead_test_value (fun, fn);

  gimple_stmt_iterator cond_gsi = gsi_for_stmt (cond);
  gsi_remove (&cond_gsi, true);
  remove_edge (skipped);
  if (forwarder)
    delete_basic_block (forwarder);
  taken->flags &= ~(EDGE_TRUE_VALUE | EDGE_FALSE_VALUE);
  taken->flags |= EDGE_FALLTHRU;
  taken->probability = profile_probability::always ();
  sc_remove_dead_test_value (fun, tested);
  return true;
}

static void
lower_guards (function *fun, temp_defs *defs)
{
  basic_block bb;
  FOR_EACH_BB_FN (bb, fun)
    lower_guard (fun, bb, defs);
}

static unsigned
lower_function (function *fun)
{
  /* Step 0 (sc-values.cc).  */
  sc_lower_key_branches (fun);
  temp_defs defs;
  collect_temp_defs (fun, &defs);
  lower_guards (fun, &defs);
  local_copies copies;
  if (sc_verbose)
    collect_local_copies (fun, &defs, &copies);

  basic_block bb;
  FOR_EACH_BB_FN (bb, fun)
    for (gimple_stmt_iterator gsi = gsi_start_bb (bb); !gsi_end_p (gsi);
	 gsi_next (&gsi))
      {
	gimple *stmt = gsi_stmt (gsi);
	check_statement (stmt);
	/* Static keys and immediate values (sc-values.cc).  */
	if (sc_lower_value_stmt (&gsi))
	  continue;

	if (gcall *call = dyn_cast<gcall *> (stmt))
	  {
	    /* Step 4 (sc-tables.cc).  */
	    if (sc_lower_store_builtin (&gsi, call))
	      continue;
	    tree var = NULL_TREE;
	    if (!gimple_call_internal_p (call) && !gimple_call_fndecl (call))
	      var = callee_variable (gimple_call_fn (call), &defs);
	    if (var && gimple_call_chain (call))
	      /* __builtin_call_with_static_chain: %r10 is live at the
		 call, and the runtime's stub path uses it.  */
	      warning_at (gimple_location (call), OPT_Wattributes,
			  "call through %qE with a static chain is left "
			  "an indirect call", var);
	    else if (var)
	      lower_call (&gsi, call, var);
	    else if (sc_verbose && !gimple_call_internal_p (call)
		     && !gimple_call_fndecl (call))
	      {
		tree source = callee_source (gimple_call_fn (call), &defs);
		if (tree *from = copies.get (source))
		  inform (user_location (gimple_location (call)),
			  "call through %qD is left an indirect call: it "
			  "goes through a copy of %qE, which is a static "
			  "call; call through %qE itself", source, *from,
			  *from);
		else
		  sc_note_indirect_call (call, source);
	      }
	    /* Step 5: `t = make ()'.  */
	    sc_lower_table_store (&gsi);
	  }
	else if (gimple_assign_single_p (stmt))
	  {
	    tree lhs = gimple_assign_lhs (stmt);
	    if (sc_is_ops_pointer (lhs))
	      lower_assignment (&gsi, lhs);
	    else if (sc_ref_key (lhs, NULL, NULL))
	      {
		if (!sc_lower_member_run (&gsi))
		  lower_assignment (&gsi, lhs);
	      }
	    else
	      sc_lower_table_store (&gsi);
	  }
      }
  return 0;
}

SC_GIMPLE_PASS (lower, PROP_cfg, lower_function)

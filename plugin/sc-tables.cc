/* staticcall GCC plugin: ops tables.

   static_call(KEY) on a file-scope variable of struct type makes each
   of its function-pointer members, at any depth of nested structs (not
   through pointers, not in arrays), a key of its own: `KEY.m',
   `KEY.m.xMalloc'.  Its pointer is the member, at &t + offset; the rest
   of the struct is ordinary data.

   What this file gives the other passes:
     sc_check_table_type   the attribute's checks of the struct type;
     sc_ref_key            the key of `p', `t.m' or `t.sub.m';
     sc_part_has_keys      whether `&t.part' would reach a key (the
			   parse-time address check);
     sc_allowed_address_use  the builtin calls that may take `&t' or
			   `&t.m' (memcpy, memset, __atomic_*);
     sc_lower_table_store  GIMPLE: a store into a table that is not one
			   member's plain assignment -> a copy into a
			   temporary, then __static_call_update_range;
     sc_lower_store_builtin  GIMPLE: memcpy, memmove, memset and the
			   atomic builtins on a table or a pointer ->
			   their runtime entries (runtime/stores.c).  */

#include "sc-plugin.h"

/* Runtime entries, declared on first use; GC roots (staticcall.cc).  */
tree sc_table_decls[SC_TABLE_DECLS];

enum table_decl
{
  DECL_RANGE,
  DECL_FILL,
  DECL_ATOMIC_STORE,
  DECL_ATOMIC_EXCHANGE,
  DECL_ATOMIC_CAS,
  DECL_MEMBERS
};

static const char *const table_decl_names[SC_TABLE_DECLS] = {
  "__static_call_update_range",
  "__static_call_update_fill",
  "__static_call_atomic_store_8",
  "__static_call_atomic_exchange_8",
  "__static_call_atomic_compare_exchange_8",
  "__static_call_update_members",
};

/* The runtime entry WHICH, with the type of the call it replaces:
   each takes the arguments and gives the result of the builtin whose
   store it makes.  */
static tree
table_decl (enum table_decl which, tree type)
{
  tree &d = sc_table_decls[which];
  if (!d)
    {
      d = build_fn_decl (table_decl_names[which], type);
      TREE_PUBLIC (d) = 1;
      DECL_EXTERNAL (d) = 1;
      DECL_ARTIFICIAL (d) = 1;
      TREE_NOTHROW (d) = 1;
    }
  return d;
}

static bool
is_function_pointer_type (const_tree type)
{
  return POINTER_TYPE_P (type)
	 && FUNC_OR_METHOD_TYPE_P (TREE_TYPE (type));
}

/* An annotated `const struct ops *' (an ops pointer): each
   function-pointer member of the struct it points to is a key,
   `KEY->m'.  */
bool
sc_is_ops_pointer (const_tree var)
{
  return var && VAR_P (var) && sc_var_key (var)
	 && POINTER_TYPE_P (TREE_TYPE (var))
	 && TREE_CODE (TREE_TYPE (TREE_TYPE (var))) == RECORD_TYPE;
}

bool
sc_is_table (const_tree var)
{
  return var && VAR_P (var) && sc_var_key (var)
	 && TREE_CODE (TREE_TYPE (var)) == RECORD_TYPE;
}

/* Checks TYPE (the struct, or a member's type) for unions, reported at
   LOC for DECL; counts its keys into *NKEYS.  */
static bool
check_type (tree type, location_t loc, tree name, tree decl, int *nkeys)
{
  while (TREE_CODE (type) == ARRAY_TYPE)
    type = TREE_TYPE (type);
  if (TREE_CODE (type) == UNION_TYPE || TREE_CODE (type) == QUAL_UNION_TYPE)
    {
      /* A union member would let a store to another member of it
	 change a key behind the runtime's back.  */
      error_at (loc, "%qE attribute on %qD, whose type has a union "
		"%qT in it; a store to another member of it would bypass "
		"the runtime", name, decl, type);
      return false;
    }
  if (TREE_CODE (type) != RECORD_TYPE)
    return true;
  for (tree f = TYPE_FIELDS (type); f; f = DECL_CHAIN (f))
    {
      if (TREE_CODE (f) != FIELD_DECL)
	continue;
      tree ft = TREE_TYPE (f);
      if (is_function_pointer_type (ft))
	++*nkeys;
      else if (!check_type (ft, loc, name, decl, nkeys))
	return false;
    }
  return true;
}

/* The checks that DECL's struct TYPE (DECL's own type, or with
   POINTEE the type DECL points to) can hold keys: complete, no union
   in it, at least one member of pointer-to-function type.  */
static bool
check_struct_keys (tree decl, tree name, tree type, bool pointee)
{
  location_t loc = DECL_SOURCE_LOCATION (decl);
  const char *whose = pointee ? "pointed-to type" : "type";
  if (!COMPLETE_TYPE_P (type))
    {
      error_at (loc, "%qE attribute on %qD, whose %s %qT is incomplete",
		name, decl, whose, type);
      return false;
    }
  int nkeys = 0;
  if (!check_type (type, loc, name, decl, &nkeys))
    return false;
  if (nkeys == 0)
    {
      error_at (loc, "%qE attribute on %qD, whose %s %qT has no member "
		"of pointer-to-function type", name, decl, whose, type);
      return false;
    }
  return true;
}

/* The attribute handler's checks of DECL, of struct type.  */
bool
sc_check_table_type (tree decl, tree name)
{
  return check_struct_keys (decl, name, TREE_TYPE (decl), false);
}

/* The attribute handler's checks of DECL, a pointer to a struct.  */
bool
sc_check_ops_pointer_type (tree decl, tree name)
{
  tree type = TREE_TYPE (TREE_TYPE (decl));
  if (!TYPE_READONLY (type))
    {
      /* A store through another pointer to the struct would change a
	 key behind the runtime's back.  */
      error_at (DECL_SOURCE_LOCATION (decl), "%qE attribute on %qD, which "
		"points to %qT; an ops pointer must point to a %<const%> "
		"struct, or a store through another pointer would bypass "
		"the runtime", name, decl, type);
      return false;
    }
  return check_struct_keys (decl, name, type, true);
}

/* Whether a key of the struct TYPE, laid out from bit BASE, overlaps
   bits [LO, LO + SIZE) (SIZE -1: to the end).  */
static bool
type_has_keys_in (tree type, HOST_WIDE_INT base, HOST_WIDE_INT lo,
		  HOST_WIDE_INT size)
{
  for (tree f = TYPE_FIELDS (type); f; f = DECL_CHAIN (f))
    {
      if (TREE_CODE (f) != FIELD_DECL || !tree_fits_shwi_p (bit_position (f)))
	continue;
      HOST_WIDE_INT pos = base + int_bit_position (f);
      tree ft = TREE_TYPE (f);
      if (is_function_pointer_type (ft))
	{
	  HOST_WIDE_INT end = pos + POINTER_SIZE;
	  if (end > lo && (size < 0 || pos < lo + size))
	    return true;
	}
      else if (TREE_CODE (ft) == RECORD_TYPE
	       && type_has_keys_in (ft, pos, lo, size))
	return true;
    }
  return false;
}

/* The annotated variable REF (a reference into it) stores into, and
   whether the stored bits may hold a key.  */
static tree
written_annotated (tree ref, bool *has_keys)
{
  *has_keys = false;
  if (!ref || TREE_CODE (ref) == SSA_NAME || (DECL_P (ref) && !VAR_P (ref)))
    return NULL_TREE;
  tree base = get_base_address (ref);
  if (!base || !VAR_P (base) || !sc_var_key (base))
    return NULL_TREE;
  if (!sc_is_table (base))
    {
      *has_keys = true;
      return base;
    }
  *has_keys = sc_type_part_has_keys (TREE_TYPE (base), ref);
  return base;
}

/* Whether REF, a reference into a variable of struct TYPE, may reach a
   key of TYPE were the variable a table.  */
bool
sc_type_part_has_keys (tree type, tree ref)
{
  poly_int64 pos, size, max_size;
  bool reverse;
  get_ref_base_and_extent (ref, &pos, &size, &max_size, &reverse);
  HOST_WIDE_INT lo, max;
  if (!pos.is_constant (&lo) || !max_size.is_constant (&max))
    lo = 0, max = -1;
  return type_has_keys_in (type, 0, lo, max);
}

bool
sc_part_has_keys (tree ref)
{
  bool has_keys;
  return written_annotated (ref, &has_keys) && has_keys;
}

/* The key of REF when REF is an annotated pointer, or a member of
   pointer-to-function type of an annotated table reached through
   members only.  *VAR is then the annotated variable, *OFFSET the
   pointer's offset in it, in bytes.  */
tree
sc_ref_key (tree ref, tree *var, HOST_WIDE_INT *offset, bool *deref)
{
  if (deref)
    *deref = false;
  if (!ref)
    return NULL_TREE;
  if (VAR_P (ref))
    {
      tree key = sc_var_key (ref);
      if (!key || !is_function_pointer_type (TREE_TYPE (ref)))
	return NULL_TREE;
      if (var)
	*var = ref;
      if (offset)
	*offset = 0;
      return key;
    }
  if (TREE_CODE (ref) != COMPONENT_REF
      || !is_function_pointer_type (TREE_TYPE (ref)))
    return NULL_TREE;
  auto_vec<tree, 8> fields;
  tree t = ref;
  while (TREE_CODE (t) == COMPONENT_REF)
    {
      if (TREE_OPERAND (t, 2))
	return NULL_TREE;
      fields.safe_push (TREE_OPERAND (t, 1));
      t = TREE_OPERAND (t, 0);
    }
  /* An ops pointer's member: `_1 = impl; ... _1->m', the base a MEM_REF
     of the temporary the gimplifier loaded the pointer into.  */
  HOST_WIDE_INT bits = 0;
  bool through = false;
  if (TREE_CODE (t) == MEM_REF && TREE_CODE (TREE_OPERAND (t, 0)) == SSA_NAME
      && tree_fits_shwi_p (TREE_OPERAND (t, 1)))
    {
      gimple *def = SSA_NAME_DEF_STMT (TREE_OPERAND (t, 0));
      if (!def || !gimple_assign_single_p (def)
	  || !sc_is_ops_pointer (gimple_assign_rhs1 (def)))
	return NULL_TREE;
      bits = tree_to_shwi (TREE_OPERAND (t, 1)) * BITS_PER_UNIT;
      t = gimple_assign_rhs1 (def);
      through = true;
    }
  else if (!sc_is_table (t))
    return NULL_TREE;

  /* KEY.m.xMalloc, KEY->m.xMalloc: from the outermost member in.  A
     C11 anonymous struct member adds no name.  */
  tree key = sc_var_key (t);
  char *name = xstrdup (IDENTIFIER_POINTER (key));
  bool first = true;
  for (int i = fields.length () - 1; i >= 0; i--)
    {
      tree f = fields[i];
      if (!tree_fits_shwi_p (bit_position (f)))
	{
	  free (name);
	  return NULL_TREE;
	}
      bits += int_bit_position (f);
      if (DECL_NAME (f))
	{
	  char *longer = concat (name, through && first ? "->" : ".",
				 IDENTIFIER_POINTER (DECL_NAME (f)), NULL);
	  free (name);
	  name = longer;
	  first = false;
	}
    }
  tree id = get_identifier (name);
  free (name);
  if (var)
    *var = t;
  if (offset)
    *offset = bits / BITS_PER_UNIT;
  if (deref)
    *deref = through;
  return id;
}

/* Whether the call EXPR (GENERIC, as parsed) is one that may take the
   address of an annotated object as argument ARG: the first argument
   of memcpy, memmove and memset, or the second of memcpy and memmove
   (a read), for a table or a part of it, or a pointer; the first
   argument of the atomic builtins for a key itself.  */
bool
sc_allowed_address_use (tree fndecl, int arg, tree object)
{
  if (!fndecl || !fndecl_built_in_p (fndecl, BUILT_IN_NORMAL))
    return false;
  tree base = get_base_address (object);
  if (sc_value_kind (base) != SC_VALUE_NONE)
    return base == object && sc_value_allowed_address_use (fndecl, arg);
  switch (DECL_FUNCTION_CODE (fndecl))
    {
    case BUILT_IN_MEMCPY:
    case BUILT_IN_MEMMOVE:
      return arg == 0 || arg == 1;
    case BUILT_IN_MEMSET:
      return arg == 0;
    case BUILT_IN_ATOMIC_STORE_8:
    case BUILT_IN_ATOMIC_EXCHANGE_8:
    case BUILT_IN_ATOMIC_COMPARE_EXCHANGE_8:
    case BUILT_IN_ATOMIC_LOAD_8:
      return arg == 0 && (sc_ref_key (object, NULL, NULL)
			  || sc_is_ops_pointer (object));
    default:
      return false;
    }
}

/* Where a verbose note points: where the user wrote the store.  */
static location_t
user_location (location_t loc)
{
  return linemap_resolve_location (line_table, loc,
				   LRK_MACRO_EXPANSION_POINT, NULL);
}

static tree
address_operand (gimple_stmt_iterator *gsi, tree ref)
{
  tree addr = build_fold_addr_expr (unshare_expr (ref));
  return force_gimple_operand_gsi (gsi, addr, true, NULL_TREE, true,
				   GSI_SAME_STMT);
}

/* Replace, in the reference REF, the sub-reference equal to WHOLE by
   TMP.  Returns the new reference, or NULL_TREE when REF is not inside
   WHOLE.  */
static tree
rebase_ref (tree ref, tree whole, tree tmp)
{
  if (operand_equal_p (ref, whole, 0))
    return tmp;
  if (!handled_component_p (ref))
    return NULL_TREE;
  tree inner = rebase_ref (TREE_OPERAND (ref, 0), whole, tmp);
  if (!inner)
    return NULL_TREE;
  tree copy = copy_node (ref);
  TREE_OPERAND (copy, 0) = inner;
  return copy;
}

static tree
mentions_decl (tree *tp, int *walk_subtrees, void *data)
{
  if (*tp == (tree) data)
    return *tp;
  if (TYPE_P (*tp))
    *walk_subtrees = 0;
  return NULL_TREE;
}

/* Whether STMT is a debug statement or an assignment that reads
   nothing of VAR.  */
static bool
assigns_without_reading (gimple *stmt, tree var)
{
  if (is_gimple_debug (stmt))
    return true;
  if (!is_gimple_assign (stmt))
    return false;
  for (unsigned i = 1; i < gimple_num_ops (stmt); i++)
    {
      tree op = gimple_op (stmt, i);
      if (op && walk_tree_without_duplicates (&op, mentions_decl, var))
	return false;
    }
  return true;
}

/* Whether the assignment STMT writes a register.  */
static bool
writes_register (gimple *stmt)
{
  tree lhs = gimple_assign_lhs (stmt);
  return TREE_CODE (lhs) == SSA_NAME || (VAR_P (lhs) && is_gimple_reg (lhs));
}

/* Whether STMT only computes a register from what is not VAR: it may
   stay in the middle of a run of stores into VAR made elsewhere.  */
static bool
computes_register (gimple *stmt, tree var)
{
  return assigns_without_reading (stmt, var)
	 && (is_gimple_debug (stmt) || writes_register (stmt));
}

/* A store (GIMPLE_ASSIGN or a call with a result) into an annotated
   table (or pointer) that may write one of its keys, other than a
   plain assignment of one key.  It now writes a temporary, and
   __static_call_update_range copies that in and retargets every key
   in the range in one batch.  The gimplifier writes a compound literal
   `t = (struct ops) { .a = f }' as `t = {}; t.a = f;': the stores that
   follow into the same range (with the loads of their values in
   between) are made to the temporary too, so the whole literal is one
   update.  Returns false when STMT is no such
   store.  */
bool
sc_lower_table_store (gimple_stmt_iterator *gsi)
{
  gimple *stmt = gsi_stmt (*gsi);
  if (!is_gimple_assign (stmt) && !is_gimple_call (stmt))
    return false;
  tree lhs = gimple_get_lhs (stmt);
  bool has_keys;
  tree var = written_annotated (lhs, &has_keys);
  if (!var || !has_keys)
    return false;
  if (is_gimple_assign (stmt) && !gimple_assign_single_p (stmt))
    return false;

  location_t loc = gimple_location (stmt);
  tree type = TYPE_MAIN_VARIANT (TREE_TYPE (lhs));
  tree tmp = create_tmp_var (type, "sc_table");
  TREE_ADDRESSABLE (tmp) = 1;
  tree dst = address_operand (gsi, lhs);
  tree src = build_fold_addr_expr (tmp);
  tree size = TYPE_SIZE_UNIT (type);
  gimple_set_lhs (stmt, tmp);

  /* The stores that follow into the same range.  */
  gimple_stmt_iterator last = *gsi;
  gimple_stmt_iterator next = *gsi;
  for (gsi_next (&next); !gsi_end_p (next); gsi_next (&next))
    {
      gimple *s = gsi_stmt (next);
      if (computes_register (s, var))
	continue;
      if (!gimple_assign_single_p (s))
	break;
      tree rhs = gimple_assign_rhs1 (s);
      if (walk_tree_without_duplicates (&rhs, mentions_decl, var))
	break;
      tree moved = rebase_ref (gimple_assign_lhs (s), lhs, tmp);
      if (!moved)
	break;
      gimple_assign_set_lhs (s, moved);
      last = next;
    }

  tree fndecl = table_decl (DECL_RANGE, build_function_type_list
			    (ptr_type_node, ptr_type_node, const_ptr_type_node,
			     size_type_node, NULL_TREE));
  gcall *call = gimple_build_call (fndecl, 3, dst, src,
				   fold_convert (size_type_node, size));
  gimple_set_location (call, loc);
  gsi_insert_after (&last, call, GSI_NEW_STMT);
  *gsi = last;
  if (sc_verbose && TREE_CODE (lhs) == MEM_REF)
    /* What the gimplifier made of a memcpy of constant size.  */
    inform (user_location (loc), "store into %qD retargets the static "
	    "call keys it covers, in one batch", var);
  else if (sc_verbose)
    inform (user_location (loc), "store to %qE retargets the static call "
	    "keys it covers, in one batch", lhs);
  return true;
}

/* memcpy, memmove and memset into an annotated object, and the atomic
   builtins on a key: the call goes to the runtime's entry of the same
   type instead.  Returns false for any other call.  */
bool
sc_lower_store_builtin (gimple_stmt_iterator *gsi, gcall *call)
{
  if (!gimple_call_builtin_p (call, BUILT_IN_NORMAL)
      || gimple_call_num_args (call) < 1)
    return false;
  tree fndecl = gimple_call_fndecl (call);
  tree arg = gimple_call_arg (call, 0);
  if (TREE_CODE (arg) != ADDR_EXPR)
    return false;
  tree object = TREE_OPERAND (arg, 0);
  enum table_decl which;
  switch (DECL_FUNCTION_CODE (fndecl))
    {
    case BUILT_IN_MEMCPY:
    case BUILT_IN_MEMMOVE:
      which = DECL_RANGE;
      break;
    case BUILT_IN_MEMSET:
      which = DECL_FILL;
      break;
    case BUILT_IN_ATOMIC_STORE_8:
      which = DECL_ATOMIC_STORE;
      break;
    case BUILT_IN_ATOMIC_EXCHANGE_8:
      which = DECL_ATOMIC_EXCHANGE;
      break;
    case BUILT_IN_ATOMIC_COMPARE_EXCHANGE_8:
      which = DECL_ATOMIC_CAS;
      break;
    default:
      return false;
    }
  tree var;
  if (which >= DECL_ATOMIC_STORE)
    {
      if (sc_is_ops_pointer (object))
	var = object;
      else if (!sc_ref_key (object, &var, NULL))
	return false;
    }
  else
    {
      bool has_keys;
      var = written_annotated (object, &has_keys);
      if (!var)
	return false;
      /* Data only, when the size is known and reaches no key.  */
      tree size = gimple_call_arg (call, 2);
      HOST_WIDE_INT lo = 0;
      poly_int64 pos, psize, max_size;
      bool reverse;
      if (sc_is_table (var) && tree_fits_shwi_p (size))
	{
	  get_ref_base_and_extent (object, &pos, &psize, &max_size, &reverse);
	  if (pos.is_constant (&lo)
	      && !type_has_keys_in (TREE_TYPE (var), 0, lo,
				    tree_to_shwi (size) * BITS_PER_UNIT))
	    return false;
	}
    }
  gimple_call_set_fndecl (call, table_decl (which, TREE_TYPE (fndecl)));
  if (sc_verbose)
    inform (user_location (gimple_location (call)),
	    "%qD on %qE retargets the static call keys it writes",
	    fndecl, object);
  return true;
}

/* The value of the gimplifier's SSA temporary NAME when it is a copy
   of a memory reference; NULL_TREE otherwise.  */
static tree
ssa_source (tree name)
{
  if (TREE_CODE (name) != SSA_NAME)
    return NULL_TREE;
  gimple *def = SSA_NAME_DEF_STMT (name);
  if (!def || !gimple_assign_single_p (def))
    return NULL_TREE;
  return gimple_assign_rhs1 (def);
}

/* REF as the user wrote it, `t.ops->m' rather than GCC's `*_1.m':
   through the temporaries the pointers were loaded into.  A new
   string, or NULL when REF is not made of variables, members and
   dereferences.  */
static char *
ref_name (tree ref, int depth = 0)
{
  if (depth > 8)
    return NULL;
  if (VAR_P (ref) && DECL_NAME (ref))
    return xstrdup (IDENTIFIER_POINTER (DECL_NAME (ref)));
  if (TREE_CODE (ref) != COMPONENT_REF || TREE_OPERAND (ref, 2))
    return NULL;
  tree object = TREE_OPERAND (ref, 0), field = TREE_OPERAND (ref, 1);
  const char *sep = ".";
  if (TREE_CODE (object) == MEM_REF)
    {
      if (!integer_zerop (TREE_OPERAND (object, 1)))
	return NULL;
      object = ssa_source (TREE_OPERAND (object, 0));
      if (!object)
	return NULL;
      sep = "->";
    }
  char *left = ref_name (object, depth + 1);
  if (!left || !DECL_NAME (field))
    return left;
  char *name = concat (left, sep, IDENTIFIER_POINTER (DECL_NAME (field)),
		       NULL);
  free (left);
  return name;
}

/* When REF is reached through a pointer that is itself loaded from an
   annotated table or from the pointee of an ops pointer (`t.ops->m',
   `impl->next->m'): that load, with the table or the ops pointer in
   *VAR.  */
static tree
through_annotated_pointer (tree ref, tree *var)
{
  for (int depth = 0; depth < 8; depth++)
    {
      tree base = get_base_address (ref);
      if (!base || TREE_CODE (base) != MEM_REF)
	return NULL_TREE;
      tree pointer = ssa_source (TREE_OPERAND (base, 0));
      if (!pointer)
	return NULL_TREE;
      tree object = get_base_address (pointer);
      if (object && (sc_is_table (object) || sc_is_ops_pointer (object))
	  && pointer != object)
	{
	  *var = object;
	  return pointer;
	}
      /* `impl->next->m': impl->next is loaded through impl.  */
      if (object && TREE_CODE (object) == MEM_REF)
	{
	  tree inner = ssa_source (TREE_OPERAND (object, 0));
	  if (inner && sc_is_ops_pointer (inner))
	    {
	      *var = inner;
	      return pointer;
	    }
	}
      ref = pointer;
    }
  return NULL_TREE;
}

/* -fplugin-arg-staticcall-verbose: CALL, which goes through SOURCE, is
   left indirect although SOURCE is in an annotated table, or reached
   through a pointer in one or in an ops pointer's pointee: say why.  */
void
sc_note_indirect_call (gcall *call, tree source)
{
  if (!source || TREE_CODE (source) == SSA_NAME || TREE_CODE (source) == ADDR_EXPR
      || (DECL_P (source) && !VAR_P (source)))
    return;
  tree base = get_base_address (source);
  tree var;
  tree pointer = through_annotated_pointer (source, &var);
  if (pointer)
    {
      char *name = ref_name (source);
      char *pointer_name = ref_name (pointer);
      location_t loc = user_location (gimple_location (call));
      /* The plugin cannot know when what the pointer points to
	 changes: a store through another pointer bypasses the
	 runtime.  */
      if (name && pointer_name && sc_is_table (var))
	inform (loc, "call through %qs is left an indirect call: it goes "
		"through %qs, a pointer that is ordinary data of static "
		"call table %qD; only the function-pointer members of "
		"the table itself are keys", name, pointer_name, var);
      else if (name && pointer_name)
	inform (loc, "call through %qs is left an indirect call: it goes "
		"through %qs, a pointer in the struct that static call ops "
		"pointer %qD points to; only the function-pointer members "
		"of that struct are keys", name, pointer_name, var);
      free (name);
      free (pointer_name);
      return;
    }
  if (!base || !sc_is_table (base))
    return;
  location_t loc = user_location (gimple_location (call));
  tree t = source;
  while (handled_component_p (t) && TREE_CODE (t) != ARRAY_REF)
    t = TREE_OPERAND (t, 0);
  if (TREE_CODE (t) == ARRAY_REF)
    inform (loc, "call through %qE is left an indirect call: an array in "
	    "static call table %qD is ordinary data, its elements are not "
	    "keys", source, base);
  else
    inform (loc, "call through %qE is left an indirect call: it is not a "
	    "function-pointer member of static call table %qD", source, base);
}

/* Whether STMT, between two stores of keys of table VAR, may stay
   where it is while they are made together after it: it reads nothing
   of VAR and writes a register, or VAR's data.  */
static bool
can_pass (gimple *stmt, tree var)
{
  if (!assigns_without_reading (stmt, var))
    return false;
  if (is_gimple_debug (stmt) || writes_register (stmt))
    return true;
  bool has_keys;
  return written_annotated (gimple_assign_lhs (stmt), &has_keys) == var
	 && !has_keys;
}

/* A plain assignment of a key of table VAR, `t.m = v', that may join a
   run: V is a value, not read from VAR.  */
static bool
member_store_p (gimple *stmt, tree var)
{
  if (!gimple_assign_single_p (stmt))
    return false;
  tree v;
  if (!sc_ref_key (gimple_assign_lhs (stmt), &v, NULL) || v != var)
    return false;
  tree rhs = gimple_assign_rhs1 (stmt);
  return is_gimple_val (rhs)
	 && !walk_tree_without_duplicates (&rhs, mentions_decl, var);
}

/* The gimplifier writes `t = (struct ops) { a, b }', and `t = k' for a
   const K whose value it knows, as one assignment per member, with
   the loads of the values in between.  GSI is at the first of such a
   run of assignments of keys of one table, with nothing between them
   that reads the table (data members may be stored): all of them are
   made by one call of __static_call_update_members, with (address,
   value) pairs in a temporary array, at the last one.  One batch, as
   for the whole-table store.  Returns false, leaving the statement to
   lower_assignment, when no other store of a key follows.  */
bool
sc_lower_member_run (gimple_stmt_iterator *gsi)
{
  gimple *first = gsi_stmt (*gsi);
  tree var;
  if (!gimple_assign_single_p (first)
      || !sc_ref_key (gimple_assign_lhs (first), &var, NULL)
      || !sc_is_table (var) || !member_store_p (first, var))
    return false;
  auto_vec<gimple *, 16> run;
  run.safe_push (first);
  gimple_stmt_iterator it = *gsi;
  for (gsi_next (&it); !gsi_end_p (it); gsi_next (&it))
    {
      gimple *s = gsi_stmt (it);
      if (member_store_p (s, var))
	run.safe_push (s);
      else if (!can_pass (s, var))
	break;
    }
  if (run.length () < 2)
    return false;

  location_t loc = gimple_location (first);
  unsigned n = run.length ();
  tree array_type = build_array_type_nelts (ptr_type_node, 2 * n);
  tree pairs = create_tmp_var (array_type, "sc_members");
  TREE_ADDRESSABLE (pairs) = 1;
  tree fndecl = table_decl (DECL_MEMBERS, build_function_type_list
			    (void_type_node, ptr_type_node, size_type_node,
			     NULL_TREE));
  gcall *call = gimple_build_call (fndecl, 2, build_fold_addr_expr (pairs),
				   size_int (n));
  gimple_set_location (call, gimple_location (run[n - 1]));
  for (unsigned i = 0; i < n; i++)
    {
      gimple *s = run[i];
      gimple_stmt_iterator at = gsi_for_stmt (s);
      tree lhs = gimple_assign_lhs (s);
      tree slot = build4 (ARRAY_REF, ptr_type_node, pairs,
			  size_int (2 * i), NULL_TREE, NULL_TREE);
      gimple *a = gimple_build_assign (slot, build_fold_addr_expr_with_type
					       (unshare_expr (lhs),
						ptr_type_node));
      gimple_set_location (a, gimple_location (s));
      gsi_insert_before (&at, a, GSI_SAME_STMT);
      tree value = create_tmp_reg (ptr_type_node, "sc_value");
      gimple *c = gimple_build_assign (value, NOP_EXPR,
				       gimple_assign_rhs1 (s));
      gimple_set_location (c, gimple_location (s));
      gsi_insert_before (&at, c, GSI_SAME_STMT);
      slot = build4 (ARRAY_REF, ptr_type_node, pairs, size_int (2 * i + 1),
		     NULL_TREE, NULL_TREE);
      gimple *v = gimple_build_assign (slot, value);
      gimple_set_location (v, gimple_location (s));
      gsi_insert_before (&at, v, GSI_SAME_STMT);
      if (i == n - 1)
	gsi_insert_before (&at, call, GSI_SAME_STMT);
      gsi_remove (&at, true);
    }
  *gsi = gsi_for_stmt (call);
  if (sc_verbose)
    inform (user_location (loc), "assignments to %u members of %qD "
	    "retarget their static call keys in one batch", n, var);
  return true;
}

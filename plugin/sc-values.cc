/* staticcall GCC plugin: static keys and immediate values (GIMPLE).

   __attribute__ ((static_key (KEY))) on a file-scope integer or _Bool
   variable: every conditional branch on its truth value becomes a
   5-byte site (runtime/unit-abi.h, SC_VSITE_BRANCH).  A block ending in

     _1 = v;  [_2 = (long) _1;  _3 = __builtin_expect (_2, 0);]
     if (_3 != 0) goto T; else goto F;

   is split before the test and ends in an `asm goto' instead:

     B:     asm goto ("<branch site>" : : "X" (&v) : : TEST, T);
	    (falls through to F)
     TEST:  _4 = v; if (_4 != 0) goto T; else goto F;

   The site is compiled as `jmp TEST': GCC's own test of the variable,
   correct before and without any patching.  The runtime makes it a NOP
   while the branch falls through and `jmp T' while it is taken.  Pass
   staticcall_layout makes T very unlikely and TEST never executed, so
   T is out of line as with `__builtin_expect (v, 0)'.  With `__builtin_expect (v, 1)' T and F
   swap roles (the true block is inline, the site jumps to F while the
   key is zero: SC_VSITE_BRANCH_INV).  Other reads of V stay loads.

   __attribute__ ((immediate (KEY))) on a file-scope integer variable of
   1 to 8 bytes: every read `x = v' becomes

     tmp = asm ("<immediate site>" : "=r" (tmp) : "m" (v));  x = (T) tmp;

   compiled as a load of V padded to the length of `mov $imm, %reg'
   (sc-value-sites.cc writes the instruction once registers are known);
   the runtime makes it an immediate of V's value.  The asm reads V's
   memory, so GCC keeps it after every store of V.

   For both, a store `v = x' becomes __static_call_update_value (&v, x,
   sizeof v), and __atomic_store_n, __atomic_exchange_n and
   __atomic_compare_exchange_n on V go to the runtime's entries of the
   same types, which update every site of the key in one batch.  The
   address of V may be taken only by those and __atomic_load_n
   (sc-attribute.cc reports the rest).  */

#include "sc-plugin.h"
#include "predict.h"
#include "cfgloop.h"

/* Keys of value variables seen in this unit, and the variable of each,
   as sc-attribute.cc keeps them for static calls.  */
static hash_map<tree, tree> *value_var_of_key;
static hash_map<tree, location_t> *value_key_loc;
/* The key of each value variable by name: a redeclaration is a new
   tree, which does not have the earlier declaration's attribute yet.  */
static hash_map<tree, tree> *value_key_of_name;

static const char *
attribute_name (enum sc_value_kind kind)
{
  return kind == SC_VALUE_BRANCH ? SC_KEY_ATTRIBUTE : SC_IMM_ATTRIBUTE;
}

/* The kind of VAR's value attribute, SC_VALUE_NONE when it has none.  */
enum sc_value_kind
sc_value_kind (const_tree var)
{
  if (!var || !VAR_P (var))
    return SC_VALUE_NONE;
  if (lookup_attribute (SC_KEY_ATTRIBUTE, DECL_ATTRIBUTES (var)))
    return SC_VALUE_BRANCH;
  if (lookup_attribute (SC_IMM_ATTRIBUTE, DECL_ATTRIBUTES (var)))
    return SC_VALUE_IMMEDIATE;
  return SC_VALUE_NONE;
}

tree
sc_value_key (const_tree var)
{
  enum sc_value_kind kind = sc_value_kind (var);
  if (kind == SC_VALUE_NONE)
    return NULL_TREE;
  tree attr = lookup_attribute (attribute_name (kind), DECL_ATTRIBUTES (var));
  return TREE_VALUE (TREE_VALUE (attr));
}

/* Shared by both attributes: what the variable may be.  */
static tree
handle_value_attribute (tree *node, tree name, tree args, int,
			bool *no_add_attrs)
{
  tree decl = *node;
  *no_add_attrs = true;
  enum sc_value_kind kind = is_attribute_p (SC_KEY_ATTRIBUTE, name)
			    ? SC_VALUE_BRANCH : SC_VALUE_IMMEDIATE;
  const char *a_what = kind == SC_VALUE_BRANCH ? "a static key"
					       : "an immediate value";
  const char *key_what = kind == SC_VALUE_BRANCH ? "static key"
						 : "immediate value key";

  location_t loc;
  tree key = sc_attribute_key (decl, name, args, &loc);
  if (!key)
    return NULL_TREE;
  tree type = TREE_TYPE (decl);
  if (POINTER_TYPE_P (type))
    {
      error_at (loc, "%qE attribute on pointer %qD; %s is an integer "
		"variable (use %<static_call%> for a pointer to function)",
		name, decl, a_what);
      return NULL_TREE;
    }
  if (!INTEGRAL_TYPE_P (type))
    {
      error_at (loc, "%qE attribute applies only to integer variables; "
		"%qD has type %qT", name, decl, type);
      return NULL_TREE;
    }
  if (!tree_fits_uhwi_p (TYPE_SIZE_UNIT (type))
      || !pow2p_hwi (tree_to_uhwi (TYPE_SIZE_UNIT (type)))
      || tree_to_uhwi (TYPE_SIZE_UNIT (type)) > 8)
    {
      error_at (loc, "%qE attribute applies to integers of 8 to 64 bits; "
		"%qD has type %qT", name, decl, type);
      return NULL_TREE;
    }
  if (sc_is_block_scope_static (decl)
      || (!TREE_STATIC (decl) && !DECL_EXTERNAL (decl)))
    {
      error_at (loc, "%qE attribute on %s variable %qD; %s must be "
		"declared at file scope", name,
		TREE_STATIC (decl) ? "block-scope" : "automatic", decl, a_what);
      return NULL_TREE;
    }
  if (!sc_check_lp64 (name, loc))
    return NULL_TREE;
  if (TYPE_ATOMIC (type))
    {
      error_at (loc, "%qE attribute on %<_Atomic%> variable %qD; the "
		"runtime already makes updates atomic", name, decl);
      return NULL_TREE;
    }
  if (TYPE_VOLATILE (type))
    {
      error_at (loc, "%qE attribute on %<volatile%> variable %qD; its "
		"reads would not read memory", name, decl);
      return NULL_TREE;
    }
  if (TYPE_READONLY (type))
    {
      warning_at (loc, OPT_Wattributes, "%qE attribute ignored on "
		  "%<const%> variable %qD, which can never change",
		  name, decl);
      return NULL_TREE;
    }
  if (DECL_THREAD_LOCAL_P (decl))
    {
      error_at (loc, "%qE attribute on thread-local variable %qD",
		name, decl);
      return NULL_TREE;
    }
  if (sc_var_key (decl))
    {
      error_at (loc, "%qE attribute on %qD, which is a static call "
		"pointer", name, decl);
      return NULL_TREE;
    }
  enum sc_value_kind had = sc_value_kind (decl);
  tree *named_key = value_key_of_name->get (DECL_NAME (decl));
  if (had == SC_VALUE_NONE && named_key)
    if (tree *v = value_var_of_key->get (*named_key))
      had = sc_value_kind (*v);
  if (had != SC_VALUE_NONE && had != kind)
    {
      error_at (loc, "%qD cannot be both a static key and an immediate "
		"value", decl);
      return NULL_TREE;
    }
  tree old_key = sc_value_key (decl);
  tree prev_key = old_key ? old_key : named_key ? *named_key : NULL_TREE;
  if (prev_key && prev_key != key)
    {
      error_at (loc, "%qD declared with %s %qE, but it already has "
		"key %qE", decl, key_what, key, prev_key);
      if (location_t *l = value_key_loc->get (prev_key))
	inform (*l, "key %qE given here", prev_key);
      return NULL_TREE;
    }
  tree *prev_var = value_var_of_key->get (key);
  if (prev_var && DECL_NAME (*prev_var) != DECL_NAME (decl))
    {
      error_at (loc, "%s %qE given to %qD, but it already names %qD",
		key_what, key, decl, *prev_var);
      if (location_t *l = value_key_loc->get (key))
	inform (*l, "%qD given key %qE here", *prev_var, key);
      return NULL_TREE;
    }
  if (!prev_var)
    {
      value_var_of_key->put (key, decl);
      value_key_loc->put (key, loc);
    }
  if (!prev_key)
    {
      value_key_of_name->put (DECL_NAME (decl), key);
      sc_report_early_addresses (DECL_NAME (decl), decl);
    }
  /* The site records name the variable even where no C code reads it
     any more.  */
  DECL_PRESERVE_P (decl) = 1;
  TREE_USED (decl) = 1;
  if (!old_key)
    *no_add_attrs = false;
  return NULL_TREE;
}

void
sc_register_value_attributes (void)
{
  static struct attribute_spec specs[2];
  const char *names[2] = { SC_KEY_ATTRIBUTE, SC_IMM_ATTRIBUTE };
  for (int i = 0; i < 2; i++)
    {
      specs[i].name = names[i];
      specs[i].min_length = 1;
      specs[i].max_length = 1;
      specs[i].decl_required = true;
      specs[i].handler = handle_value_attribute;
      register_attribute (&specs[i]);
    }
  value_var_of_key = new hash_map<tree, tree>;
  value_key_loc = new hash_map<tree, location_t>;
  value_key_of_name = new hash_map<tree, tree>;
}

/* Whether FNDECL, a builtin, is one of the atomic builtins that store
   (store, exchange, compare-exchange) on 1 to 8 bytes: those the
   runtime has an entry for.  */
static bool
atomic_store_builtin_p (tree fndecl)
{
  switch (DECL_FUNCTION_CODE (fndecl))
    {
    case BUILT_IN_ATOMIC_STORE_1: case BUILT_IN_ATOMIC_STORE_2:
    case BUILT_IN_ATOMIC_STORE_4: case BUILT_IN_ATOMIC_STORE_8:
    case BUILT_IN_ATOMIC_EXCHANGE_1: case BUILT_IN_ATOMIC_EXCHANGE_2:
    case BUILT_IN_ATOMIC_EXCHANGE_4: case BUILT_IN_ATOMIC_EXCHANGE_8:
    case BUILT_IN_ATOMIC_COMPARE_EXCHANGE_1:
    case BUILT_IN_ATOMIC_COMPARE_EXCHANGE_2:
    case BUILT_IN_ATOMIC_COMPARE_EXCHANGE_4:
    case BUILT_IN_ATOMIC_COMPARE_EXCHANGE_8:
      return true;
    default:
      return false;
    }
}

/* Whether the address of VAR, a value variable, may be argument ARG of
   the builtin FNDECL: only the atomic builtins that read it or that
   sc_lower_value_builtin lowers.  */
bool
sc_value_allowed_address_use (tree fndecl, int arg)
{
  if (arg != 0 || !fndecl || !fndecl_built_in_p (fndecl, BUILT_IN_NORMAL))
    return false;
  switch (DECL_FUNCTION_CODE (fndecl))
    {
    case BUILT_IN_ATOMIC_LOAD_1: case BUILT_IN_ATOMIC_LOAD_2:
    case BUILT_IN_ATOMIC_LOAD_4: case BUILT_IN_ATOMIC_LOAD_8:
      return true;
    default:
      return atomic_store_builtin_p (fndecl);
    }
}

/* Where a verbose note points: where the user wrote the code.  */
static location_t
user_location (location_t loc)
{
  return linemap_resolve_location (line_table, loc,
				   LRK_MACRO_EXPANSION_POINT, NULL);
}

static unsigned
value_size (tree var)
{
  return tree_to_uhwi (TYPE_SIZE_UNIT (TREE_TYPE (var)));
}

/* The runtime's entry for a store, made on first use:
   void __static_call_update_value (void *, uint64_t, unsigned).  */
tree sc_update_value_decl;
#define update_value_decl sc_update_value_decl

static tree
get_update_value_decl (void)
{
  if (update_value_decl)
    return update_value_decl;
  tree type = build_function_type_list (void_type_node, ptr_type_node,
					long_long_unsigned_type_node,
					unsigned_type_node, NULL_TREE);
  tree fn = build_fn_decl (SC_RT_UPDATE_VALUE, type);
  TREE_NOTHROW (fn) = 1;
  TREE_PUBLIC (fn) = 1;
  DECL_EXTERNAL (fn) = 1;
  update_value_decl = fn;
  return fn;
}

/* `v = x' with V a value variable.  */
static void
lower_value_store (gimple_stmt_iterator *gsi, tree var)
{
  gimple *stmt = gsi_stmt (*gsi);
  location_t loc = gimple_location (stmt);
  tree value = gimple_assign_rhs1 (stmt);
  if (!is_gimple_val (value))
    {
      tree tmp = create_tmp_reg (TYPE_MAIN_VARIANT (TREE_TYPE (var)),
				 "sc_new");
      gimple *load = gimple_build_assign (tmp, value);
      gimple_set_location (load, loc);
      gsi_insert_before (gsi, load, GSI_SAME_STMT);
      value = tmp;
    }
  /* The bits as stored: a negative value of a narrow type gives its
     low bytes, which the runtime stores.  */
  tree wide = create_tmp_reg (long_long_unsigned_type_node, "sc_bits");
  gimple *conv = gimple_build_assign (wide, NOP_EXPR, value);
  gimple_set_location (conv, loc);
  gsi_insert_before (gsi, conv, GSI_SAME_STMT);
  gcall *call = gimple_build_call (get_update_value_decl (), 3,
				   build_fold_addr_expr (var), wide,
				   build_int_cst (unsigned_type_node,
						  value_size (var)));
  gimple_set_location (call, loc);
  gsi_replace (gsi, call, false);
  if (sc_verbose)
    inform (user_location (loc), "assignment to %qD updates %s %qE",
	    var, sc_value_kind (var) == SC_VALUE_BRANCH ? "static key"
	    : "immediate value", sc_value_key (var));
}

/* The runtime's atomic entries declared so far (a GC root).  */
tree sc_runtime_atomics;

/* The runtime's entry standing for the atomic builtin FNDECL on a value
   variable of SIZE bytes: same name with __static_call_ in front of
   `atomic_..._N', same type.  */
static tree
runtime_atomic_decl (tree fndecl)
{
  const char *name = IDENTIFIER_POINTER (DECL_NAME (fndecl));
  /* __atomic_store_4 -> __static_call_atomic_store_4.  */
  gcc_assert (startswith (name, "__atomic_"));
  char *rt = concat ("__static_call_", name + 2, NULL);
  tree id = get_identifier (rt);
  free (rt);
  /* One declaration per entry for the whole compilation, as for any
     other function: not a new FUNCTION_DECL at each call.  */
  for (tree l = sc_runtime_atomics; l; l = TREE_CHAIN (l))
    if (DECL_NAME (TREE_VALUE (l)) == id)
      return TREE_VALUE (l);
  tree fn = build_fn_decl (IDENTIFIER_POINTER (id), TREE_TYPE (fndecl));
  TREE_PUBLIC (fn) = 1;
  DECL_EXTERNAL (fn) = 1;
  TREE_NOTHROW (fn) = 1;
  sc_runtime_atomics = tree_cons (NULL_TREE, fn, sc_runtime_atomics);
  return fn;
}

/* __atomic_store_n (&v, ...), __atomic_exchange_n, and
   __atomic_compare_exchange_n on a value variable: to the runtime.  */
static bool
lower_value_builtin (gcall *call)
{
  if (!gimple_call_builtin_p (call, BUILT_IN_NORMAL)
      || gimple_call_num_args (call) < 1)
    return false;
  tree arg = gimple_call_arg (call, 0);
  if (TREE_CODE (arg) != ADDR_EXPR
      || sc_value_kind (TREE_OPERAND (arg, 0)) == SC_VALUE_NONE)
    return false;
  tree var = TREE_OPERAND (arg, 0);
  tree fndecl = gimple_call_fndecl (call);
  /* __atomic_load_n is a read: left as it is.  */
  if (!atomic_store_builtin_p (fndecl))
    return false;
  gimple_call_set_fndecl (call, runtime_atomic_decl (fndecl));
  if (sc_verbose)
    inform (user_location (gimple_location (call)),
	    "%qD on %qD updates every site of its key", fndecl, var);
  return true;
}

/* The placeholder templates sc-value-sites.cc recognises and rewrites.
   Left as they are, they stop the assembler.  */
#define PLACEHOLDER_END "\n\t.error \"staticcall: value site not rewritten\""
static const char sc_branch_placeholder[] = SC_BRANCH_MARK PLACEHOLDER_END;
static const char sc_branch_inv_placeholder[]
  = SC_BRANCH_INV_MARK PLACEHOLDER_END;
static const char sc_imm_placeholder[] = SC_IMM_MARK PLACEHOLDER_END;

/* Append to OPS the asm operand "CONSTRAINT" (VALUE).  */
static void
push_asm_operand (vec<tree, va_gc> **ops, const char *constraint,
		  tree value)
{
  tree c = build_string (strlen (constraint) + 1, constraint);
  vec_safe_push (*ops, build_tree_list (build_tree_list (NULL_TREE, c),
					value));
}

/* `x = v' with V an immediate value.  */
static void
lower_imm_read (gimple_stmt_iterator *gsi, tree var)
{
  gimple *stmt = gsi_stmt (*gsi);
  location_t loc = gimple_location (stmt);
  tree lhs = gimple_assign_lhs (stmt);
  tree reg_type = value_size (var) == 8 ? long_long_unsigned_type_node
					: unsigned_type_node;
  tree tmp = create_tmp_reg (reg_type, "sc_imm");

  vec<tree, va_gc> *outputs = NULL, *inputs = NULL;
  push_asm_operand (&outputs, "=r", tmp);
  push_asm_operand (&inputs, "m", var);
  gasm *site = gimple_build_asm_vec (sc_imm_placeholder, inputs, outputs,
				     NULL, NULL);
  gimple_set_location (site, loc);
  gsi_insert_before (gsi, site, GSI_SAME_STMT);
  gimple *conv = gimple_build_assign (lhs, NOP_EXPR, tmp);
  gimple_set_location (conv, loc);
  gsi_replace (gsi, conv, false);
  if (sc_verbose)
    inform (user_location (loc), "read of %qD is an immediate site of "
	    "key %qE", var, sc_value_key (var));
}

/* Step 1 for value variables: stores, atomic builtins, immediate reads.
   Returns true when the statement at *GSI was lowered.  */
bool
sc_lower_value_stmt (gimple_stmt_iterator *gsi)
{
  gimple *stmt = gsi_stmt (*gsi);
  if (gcall *call = dyn_cast<gcall *> (stmt))
    return lower_value_builtin (call);
  if (!gimple_assign_single_p (stmt))
    return false;
  tree lhs = gimple_assign_lhs (stmt);
  if (sc_value_kind (lhs) != SC_VALUE_NONE)
    {
      lower_value_store (gsi, lhs);
      return true;
    }
  tree rhs = gimple_assign_rhs1 (stmt);
  if (sc_value_kind (rhs) == SC_VALUE_IMMEDIATE)
    {
      lower_imm_read (gsi, rhs);
      return true;
    }
  return false;
}

/* Branch sites.  */

/* How a condition's operand NAME derives from a static key: the key's
   variable, whether the operand's truth is the key's negated, and the
   truth of the key __builtin_expect says to expect (-1: no hint).  */
struct key_test
{
  tree var;
  bool inverted;
  int expect;
};

static bool
is_bool (const_tree type)
{
  return TREE_CODE (type) == BOOLEAN_TYPE || TYPE_PRECISION (type) == 1;
}

/* A conversion from FROM to TO that keeps every value's truth.  */
static bool
truth_preserving_conversion (const_tree to, const_tree from)
{
  return INTEGRAL_TYPE_P (to) && INTEGRAL_TYPE_P (from)
	 && (TYPE_PRECISION (to) >= TYPE_PRECISION (from) || is_bool (from));
}

static bool
trace_key_test (tree name, key_test *t)
{
  bool inverted = false;
  /* The inversion between the condition and the __builtin_expect.  */
  bool inverted_at_expect = false;
  int expect_of_value = -1;
  for (int depth = 0; depth < 8; depth++)
    {
      if (TREE_CODE (name) != SSA_NAME)
	return false;
      gimple *def = SSA_NAME_DEF_STMT (name);
      if (!def)
	return false;
      if (gcall *call = dyn_cast<gcall *> (def))
	{
	  if ((!gimple_call_builtin_p (call, BUILT_IN_EXPECT)
	       && !gimple_call_builtin_p (call,
					  BUILT_IN_EXPECT_WITH_PROBABILITY))
	      || TREE_CODE (gimple_call_arg (call, 1)) != INTEGER_CST)
	    return false;
	  if (expect_of_value < 0)
	    {
	      expect_of_value = !integer_zerop (gimple_call_arg (call, 1));
	      inverted_at_expect = inverted;
	    }
	  name = gimple_call_arg (call, 0);
	  continue;
	}
      if (!is_gimple_assign (def))
	return false;
      tree lhs_type = TREE_TYPE (gimple_assign_lhs (def));
      tree rhs1 = gimple_assign_rhs1 (def);
      switch (gimple_assign_rhs_code (def))
	{
	case VAR_DECL:
	  if (sc_value_kind (rhs1) != SC_VALUE_BRANCH)
	    return false;
	  t->var = rhs1;
	  t->inverted = inverted;
	  t->expect = -1;
	  if (expect_of_value >= 0)
	    /* The hint is on a value whose truth is the key's, negated
	       as often as between the hint and here.  */
	    t->expect = expect_of_value ^ (inverted != inverted_at_expect);
	  return true;
	CASE_CONVERT:
	  if (!truth_preserving_conversion (lhs_type, TREE_TYPE (rhs1)))
	    return false;
	  name = rhs1;
	  continue;
	case SSA_NAME:
	  name = rhs1;
	  continue;
	case BIT_NOT_EXPR:
	case TRUTH_NOT_EXPR:
	  if (!is_bool (TREE_TYPE (rhs1)))
	    return false;
	  inverted = !inverted;
	  name = rhs1;
	  continue;
	case BIT_XOR_EXPR:
	  if (!is_bool (TREE_TYPE (rhs1))
	      || !integer_onep (gimple_assign_rhs2 (def)))
	    return false;
	  inverted = !inverted;
	  name = rhs1;
	  continue;
	case NE_EXPR:
	case EQ_EXPR:
	  if (!integer_zerop (gimple_assign_rhs2 (def)))
	    return false;
	  if (gimple_assign_rhs_code (def) == EQ_EXPR)
	    inverted = !inverted;
	  name = rhs1;
	  continue;
	default:
	  return false;
	}
    }
  return false;
}

static bool
lower_key_branch (basic_block bb)
{
  gcond *cond = safe_dyn_cast<gcond *> (last_stmt (bb));
  if (!cond
      || (gimple_cond_code (cond) != NE_EXPR
	  && gimple_cond_code (cond) != EQ_EXPR)
      || !integer_zerop (gimple_cond_rhs (cond)))
    return false;
  key_test t;
  if (!trace_key_test (gimple_cond_lhs (cond), &t))
    return false;
  edge true_edge, false_edge;
  extract_true_false_edges_from_block (bb, &true_edge, &false_edge);
  bool flip = t.inverted != (gimple_cond_code (cond) == EQ_EXPR);
  basic_block key_true = (flip ? false_edge : true_edge)->dest;
  basic_block key_false = (flip ? true_edge : false_edge)->dest;
  if (key_true == key_false)
    return false;
  bool likely = t.expect == 1;
  basic_block taken = likely ? key_false : key_true;
  basic_block fall = likely ? key_true : key_false;
  location_t loc = gimple_location (cond);

  /* BB: up to the test; TEST: the test alone.  */
  gimple_stmt_iterator gsi = gsi_for_stmt (cond);
  gsi_prev (&gsi);
  edge to_test = gsi_end_p (gsi) ? split_block_after_labels (bb)
				 : split_block (bb, gsi_stmt (gsi));
  basic_block test = to_test->dest;
  to_test->flags &= ~EDGE_FALLTHRU;
  /* The test reads the variable itself: the load the program made
     before it stays in BB, where it is dead once nothing else uses it,
     rather than on the fast path.  */
  gimple_stmt_iterator at_test = gsi_for_stmt (cond);
  tree fresh = create_tmp_reg (TREE_TYPE (t.var), "sc_key");
  gimple *load = gimple_build_assign (fresh, t.var);
  gimple_set_location (load, loc);
  gsi_insert_before (&at_test, load, GSI_SAME_STMT);
  tree old_value = gimple_cond_lhs (cond);
  gimple_cond_set_code (cond, NE_EXPR);
  gimple_cond_set_lhs (cond, fresh);
  gimple_cond_set_rhs (cond, build_zero_cst (TREE_TYPE (t.var)));
  update_stmt (cond);
  if (flip)
    {
      true_edge->flags ^= EDGE_TRUE_VALUE | EDGE_FALSE_VALUE;
      false_edge->flags ^= EDGE_TRUE_VALUE | EDGE_FALSE_VALUE;
    }
  sc_remove_dead_test_value (cfun, old_value);
  make_edge (bb, taken, 0);
  make_edge (bb, fall, EDGE_FALLTHRU);

  vec<tree, va_gc> *inputs = NULL, *labels = NULL;
  push_asm_operand (&inputs, "X", build_fold_addr_expr (t.var));
  vec_safe_push (labels, build_tree_list (NULL_TREE,
					  gimple_block_label (test)));
  vec_safe_push (labels, build_tree_list (NULL_TREE,
					  gimple_block_label (taken)));
  gasm *site = gimple_build_asm_vec (likely ? sc_branch_inv_placeholder
					    : sc_branch_placeholder,
				     inputs, NULL, NULL, labels);
  gimple_asm_set_volatile (site, true);
  gimple_set_location (site, loc);
  gimple_stmt_iterator end = gsi_last_bb (bb);
  if (gsi_end_p (end))
    {
      end = gsi_after_labels (bb);
      gsi_insert_before (&end, site, GSI_NEW_STMT);
    }
  else
    gsi_insert_after (&end, site, GSI_NEW_STMT);
  if (sc_verbose)
    inform (user_location (loc), "branch on %qD is a%s site of static "
	    "key %qE", t.var, likely ? " likely" : "", sc_value_key (t.var));
  return true;
}

/* Step 0: every conditional branch on a static key becomes a site.  */
void
sc_lower_key_branches (function *fun)
{
  bool changed = false;
  auto_vec<basic_block> blocks;
  basic_block bb;
  FOR_EACH_BB_FN (bb, fun)
    blocks.safe_push (bb);
  for (basic_block b : blocks)
    changed |= lower_key_branch (b);
  if (!changed)
    return;
  /* Blocks and edges were added: what was computed on the old graph
     is stale.  */
  free_dominance_info (CDI_DOMINATORS);
  free_dominance_info (CDI_POST_DOMINATORS);
  if (current_loops)
    loops_state_set (LOOPS_NEED_FIXUP);
}

/* The layout of a branch site's block, BB: the fall-through path is
   the fast one; the taken path is very unlikely, so that GCC puts it
   out of line; the test (only reached before patching) never runs, so
   that it goes to the cold partition.  Set after GCC's estimate, in
   pass sc_layout (a three-way block gets no useful guess from GCC's
   predictors), then the block counts are recomputed from the new
   probabilities.  */
static bool
lay_out_site (basic_block bb)
{
  gasm *site = safe_dyn_cast<gasm *> (last_stmt (bb));
  if (!site || gimple_asm_nlabels (site) != 2
      || !startswith (gimple_asm_string (site), SC_BRANCH_MARK))
    return false;
  basic_block test
    = label_to_block (cfun, TREE_VALUE (gimple_asm_label_op (site, 0)));
  basic_block taken
    = label_to_block (cfun, TREE_VALUE (gimple_asm_label_op (site, 1)));
  edge e;
  edge_iterator ei;
  FOR_EACH_EDGE (e, ei, bb->succs)
    if (e->dest == test)
      e->probability = profile_probability::never ();
    else if (e->dest == taken)
      e->probability = profile_probability::very_unlikely ();
    else
      e->probability = profile_probability::very_likely ();
  return true;
}

static unsigned
lay_out_sites (function *fun)
{
  if (!optimize || profile_status_for_fn (fun) != PROFILE_GUESSED)
    return 0;
  bool any = false;
  basic_block bb;
  FOR_EACH_BB_FN (bb, fun)
    any |= lay_out_site (bb);
  if (any)
    estimate_bb_frequencies (true);
  return 0;
}

SC_GIMPLE_PASS (layout, PROP_cfg, lay_out_sites)

/* staticcall GCC plugin: the static_call(KEY) attribute.

   Accepts __attribute__((static_call(KEY))) on a variable of static
   storage duration whose type is a pointer to function, or a struct
   (an ops table, whose function-pointer members are keys of their
   own: sc-tables.cc), and diagnoses every other use.  KEY is a bare identifier; GCC's C parser only
   accepts one when targetm.attribute_takes_identifier_p says so, so the
   plugin wraps that hook.

   Within one translation unit a key names exactly one variable and a
   variable has exactly one key; both are checked here, across
   redeclarations.  Across units the runtime checks the first rule.  */

#include "sc-plugin.h"

/* Key of each annotated variable seen so far (keyed by the variable's
   identity, see var_identity), and the variable of each key.  The maps
   hold identifiers and declarations of static storage, which GCC never
   frees.  */
static hash_map<tree, tree> *key_of_var_name;
static hash_map<tree, tree> *var_name_of_key;
/* Where each key was first claimed, for the "previously" note.  */
static hash_map<tree, location_t> *key_first_loc;

/* True for a variable declared with static storage inside a function.
   The attribute handler runs before the C front end sets DECL_CONTEXT,
   so the function being parsed tells as well.  */
bool
sc_is_block_scope_static (const_tree var)
{
  if (DECL_EXTERNAL (var))
    return false;
  if (DECL_CONTEXT (var))
    return TREE_CODE (DECL_CONTEXT (var)) == FUNCTION_DECL;
  return current_function_decl != NULL_TREE;
}

/* What names VAR for the duplicate checks.  Redeclarations of one
   file-scope variable are separate trees that the front end merges, so
   those are named by their identifier.  A block-scope static cannot be
   redeclared and is its own entity even when another variable shares
   its name: it is named by its declaration.  */
static tree
var_identity (tree var)
{
  return sc_is_block_scope_static (var) ? var : DECL_NAME (var);
}

/* Addresses of not (yet) annotated file-scope pointers to functions
   taken in static initializers or function bodies, with where: a later
   redeclaration may add the attribute.  */
struct early_address
{
  tree var;
  location_t loc;
  tree object;	/* what the address is of: VAR or a part of it */
};
static vec<early_address> early_addresses;

static bool
is_function_pointer_type (const_tree type)
{
  return POINTER_TYPE_P (type)
	 && FUNC_OR_METHOD_TYPE_P (TREE_TYPE (type));
}

static void report_address_taken (tree var, location_t loc,
				  tree annotated = NULL_TREE);

/* VAR, named ID, has just become a static call pointer (or a static
   key or an immediate value): its address must not have been taken
   before.  */
void
sc_report_early_addresses (tree id, tree var)
{
  unsigned i;
  early_address *e;
  FOR_EACH_VEC_ELT (early_addresses, i, e)
    if (var_identity (e->var) == id
	/* A table's data: no key behind that address.  */
	&& (TREE_CODE (TREE_TYPE (var)) != RECORD_TYPE
	    || sc_type_part_has_keys (TREE_TYPE (var), e->object)))
      {
	report_address_taken (e->var, e->loc, var);
	if (INTEGRAL_TYPE_P (TREE_TYPE (var)))
	  inform (DECL_SOURCE_LOCATION (var), "%qD is declared a static "
		  "key or an immediate value here", var);
	else
	  inform (DECL_SOURCE_LOCATION (var), "%qD is declared a static call "
		  "%s here", var, TREE_CODE (TREE_TYPE (var)) == RECORD_TYPE
		  ? "table" : "pointer");
      }
}

/* The checks every attribute of the plugin (static_call, static_key,
   immediate) begins with: C, a variable, an identifier for its key.
   Returns the key, with *LOC the declaration's location, or NULL_TREE
   after an error.  */
tree
sc_attribute_key (tree decl, tree name, tree args, location_t *loc)
{
  if (!sc_language_supported)
    {
      error_at (DECL_P (decl) ? DECL_SOURCE_LOCATION (decl) : input_location,
		"%qE attribute is supported in C only", name);
      return NULL_TREE;
    }
  if (!VAR_P (decl))
    {
      if (DECL_P (decl))
	error_at (DECL_SOURCE_LOCATION (decl),
		  "%qE attribute only applies to variables", name);
      else
	error ("%qE attribute only applies to variables", name);
      return NULL_TREE;
    }
  *loc = DECL_SOURCE_LOCATION (decl);
  tree key = args ? TREE_VALUE (args) : NULL_TREE;
  if (!key || TREE_CODE (key) != IDENTIFIER_NODE)
    {
      error_at (*loc, "%qE attribute argument must be an identifier", name);
      return NULL_TREE;
    }
  return key;
}

/* Whether the target is x86-64 LP64, the only ABI of the sites and the
   runtime; else an error at LOC.  */
bool
sc_check_lp64 (tree name, location_t loc)
{
  if (TARGET_64BIT && !TARGET_X32)
    return true;
  error_at (loc, "%qE attribute needs the x86-64 LP64 ABI; it is not "
	    "supported with %<-m32%> or %<-mx32%>", name);
  return false;
}

/* The attribute handler.  Errors point at the declaration.  */
static tree
handle_static_call_attribute (tree *node, tree name, tree args, int,
			      bool *no_add_attrs)
{
  tree decl = *node;
  *no_add_attrs = true;
  location_t loc;
  tree key = sc_attribute_key (decl, name, args, &loc);
  if (!key)
    return NULL_TREE;
  bool table = TREE_CODE (TREE_TYPE (decl)) == RECORD_TYPE;
  if (table)
    {
      if (!sc_check_table_type (decl, name))
	return NULL_TREE;
    }
  else if (POINTER_TYPE_P (TREE_TYPE (decl))
	   && TREE_CODE (TREE_TYPE (TREE_TYPE (decl))) == RECORD_TYPE)
    {
      if (!sc_check_ops_pointer_type (decl, name))
	return NULL_TREE;
    }
  else if (!is_function_pointer_type (TREE_TYPE (decl)))
    {
      if (POINTER_TYPE_P (TREE_TYPE (decl)))
	error_at (loc, "%qE attribute applies only to pointers to functions "
		  "and to structs; %qD points to data", name, decl);
      else
	error_at (loc, "%qE attribute applies only to pointers to functions "
		  "and to structs; %qD has type %qT", name, decl,
		  TREE_TYPE (decl));
      return NULL_TREE;
    }
  if (!TREE_STATIC (decl) && !DECL_EXTERNAL (decl))
    {
      error_at (loc, "%qE attribute on automatic variable %qD; a static "
		"call needs a variable of static storage duration",
		name, decl);
      return NULL_TREE;
    }
  if (!sc_check_lp64 (name, loc))
    return NULL_TREE;
  if (TYPE_ATOMIC (TREE_TYPE (decl)))
    {
      /* GCC stores to an _Atomic object through its address, which the
	 lowering cannot tell from a user's `&p'.  */
      error_at (loc, "%qE attribute on %<_Atomic%> variable %qD; the "
		"runtime already makes updates atomic", name, decl);
      return NULL_TREE;
    }
  if (TYPE_READONLY (TREE_TYPE (decl)))
    {
      /* Never assigned, so GCC already calls its initial value directly
	 (or cannot, if it has none): nothing for a static call to do.  */
      warning_at (loc, OPT_Wattributes, "%qE attribute ignored on "
		  "%<const%> %s %qD, which can never be retargeted",
		  name, table ? "table" : "pointer", decl);
      return NULL_TREE;
    }
  if (DECL_THREAD_LOCAL_P (decl))
    {
      error_at (loc, "%qE attribute on thread-local variable %qD",
		name, decl);
      return NULL_TREE;
    }

  /* One variable, one key.  The check sees earlier declarations too:
     the map is keyed by name, and DECL_ATTRIBUTES covers the attribute
     given twice in one declaration.  */
  tree id = var_identity (decl);
  tree *prev_key = key_of_var_name->get (id);
  tree old = lookup_attribute (SC_ATTRIBUTE, DECL_ATTRIBUTES (decl));
  if (!prev_key && old)
    prev_key = &TREE_VALUE (TREE_VALUE (old));
  if (prev_key && *prev_key != key)
    {
      error_at (loc, "%qD declared with static call key %qE, but it "
		"already has key %qE", decl, key, *prev_key);
      if (location_t *l = key_first_loc->get (*prev_key))
	inform (*l, "key %qE given here", *prev_key);
      return NULL_TREE;
    }

  /* One key, one variable.  */
  tree *prev_var = var_name_of_key->get (key);
  if (prev_var && *prev_var != id)
    {
      if ((DECL_P (*prev_var) ? DECL_NAME (*prev_var) : *prev_var)
	  == DECL_NAME (decl))
	error_at (loc, "static call key %qE given to %qD, but it already "
		  "names another variable of that name", key, decl);
      else
	error_at (loc, "static call key %qE given to %qD, but it already "
		  "names %qE", key, decl, *prev_var);
      if (location_t *l = key_first_loc->get (key))
	inform (*l, "%qE given key %qE here", *prev_var, key);
      return NULL_TREE;
    }

  if (!prev_key)
    {
      key_of_var_name->put (id, key);
      var_name_of_key->put (key, id);
      key_first_loc->put (key, loc);
      sc_report_early_addresses (id, decl);
    }

  /* The generated trampoline and site table refer to the variable by
     name, even when no C code reads it any more: keep it.  */
  DECL_PRESERVE_P (decl) = 1;
  TREE_USED (decl) = 1;

  if (!old)
    *no_add_attrs = false;
  return NULL_TREE;
}

void
sc_register_attribute (void *, void *)
{
  /* Filled by field name, so a release that reorders attribute_spec
     does not silently break the plugin.  */
  if (lookup_attribute_spec (get_identifier (SC_ATTRIBUTE)))
    {
      error ("the staticcall plugin is loaded more than once, from "
	     "different files");
      sc_disabled = true;
      return;
    }
  static struct attribute_spec spec;
  spec.name = SC_ATTRIBUTE;
  spec.min_length = 1;
  spec.max_length = 1;
  spec.decl_required = true;
  spec.type_required = false;
  spec.function_type_required = false;
  spec.affects_type_identity = false;
  spec.handler = handle_static_call_attribute;
  spec.exclude = NULL;
  register_attribute (&spec);
  sc_register_value_attributes ();

  key_of_var_name = new hash_map<tree, tree>;
  var_name_of_key = new hash_map<tree, tree>;
  key_first_loc = new hash_map<tree, location_t>;
}

static bool (*prev_takes_identifier_p) (const_tree);

static bool
takes_identifier_p (const_tree attr_id)
{
  if (is_attribute_p (SC_ATTRIBUTE, attr_id)
      || is_attribute_p (SC_KEY_ATTRIBUTE, attr_id)
      || is_attribute_p (SC_IMM_ATTRIBUTE, attr_id))
    return true;
  return prev_takes_identifier_p (attr_id);
}

void
sc_hook_identifier_arguments (void)
{
  prev_takes_identifier_p = targetm.attribute_takes_identifier_p;
  targetm.attribute_takes_identifier_p = takes_identifier_p;
}

/* The key of VAR, or NULL_TREE when VAR is not an annotated pointer.  */
tree
sc_var_key (const_tree var)
{
  if (!var || !VAR_P (var))
    return NULL_TREE;
  tree attr = lookup_attribute (SC_ATTRIBUTE, DECL_ATTRIBUTES (var));
  return attr ? TREE_VALUE (TREE_VALUE (attr)) : NULL_TREE;
}

/* If T is &VAR (or the address of a part of VAR) for an annotated VAR,
   report it at T's location, or at FALLBACK when T has none.  */
static bool
report_if_address_taken (tree t, location_t fallback)
{
  if (TREE_CODE (t) != ADDR_EXPR)
    return false;
  tree base = get_base_address (TREE_OPERAND (t, 0));
  if (!base || (!sc_var_key (base) && sc_value_kind (base) == SC_VALUE_NONE))
    return false;
  /* A table's data: no key behind that address.  */
  if (sc_is_table (base) && !sc_part_has_keys (TREE_OPERAND (t, 0)))
    return false;
  location_t loc = EXPR_LOCATION (t);
  if (loc == UNKNOWN_LOCATION)
    loc = fallback;
  report_address_taken (base, loc);
  return true;
}

static void
report_address_taken (tree var, location_t loc, tree annotated)
{
  enum sc_value_kind kind = sc_value_kind (annotated ? annotated : var);
  if (kind != SC_VALUE_NONE)
    {
      error_at (loc, "taking the address of %s %qD; a store through it "
		"would bypass the runtime", kind == SC_VALUE_BRANCH
		? "static key" : "immediate value", var);
      inform (loc, "its address may only be the first argument of "
	      "%<__atomic_store_n%>, %<__atomic_exchange_n%>, "
	      "%<__atomic_compare_exchange_n%>, %<__atomic_load_n%> or "
	      "their generic forms");
      return;
    }
  /* By type: for an address taken before the attribute, VAR does not
     have it yet.  */
  if (TREE_CODE (TREE_TYPE (var)) == RECORD_TYPE)
    error_at (loc, "taking the address of static call table %qD, or of a "
	      "part of it holding a key; a store through it would bypass "
	      "the runtime", var);
  else
    error_at (loc, "taking the address of static call pointer %qD; "
	      "a store through it would bypass the runtime", var);
  inform (loc, "the address of a static call pointer or table may only be "
	  "the destination of %<memcpy%>, %<memmove%> or %<memset%>, the "
	  "source of %<memcpy%> or %<memmove%>, or, for a pointer or a "
	  "member of a table itself, the first argument of %<__atomic_store_n%>, "
	  "%<__atomic_store%>, %<__atomic_exchange_n%>, %<__atomic_exchange%>, "
	  "%<__atomic_compare_exchange_n%>, %<__atomic_compare_exchange%>, "
	  "%<__atomic_load_n%> or %<__atomic_load%>");
}

static tree check_address_operand (tree *tp, int *walk_subtrees, void *data);

/* A call of a builtin that may take the address of an annotated object
   (sc_allowed_address_use): its allowed arguments are not reported,
   the rest are walked as usual.  */
static bool
check_builtin_call (tree call, void *data)
{
  tree fndecl = get_callee_fndecl (call);
  if (!fndecl || !fndecl_built_in_p (fndecl, BUILT_IN_NORMAL))
    return false;
  for (int i = 0; i < call_expr_nargs (call); i++)
    {
      tree arg = CALL_EXPR_ARG (call, i);
      STRIP_NOPS (arg);
      if (TREE_CODE (arg) == ADDR_EXPR
	  && sc_allowed_address_use (fndecl, i, TREE_OPERAND (arg, 0)))
	continue;
      walk_tree (&CALL_EXPR_ARG (call, i), check_address_operand, data,
		 NULL);
    }
  return true;
}

/* Remember, for report_early_addresses, T when it is the address of a
   file-scope pointer to function, struct (a table) or pointer to a
   struct (an ops pointer) that is not annotated (yet).  */
static void
note_early_address (tree t, location_t fallback)
{
  if (TREE_CODE (t) != ADDR_EXPR)
    return;
  tree base = get_base_address (TREE_OPERAND (t, 0));
  /* Only file-scope variables can be redeclared with the attribute.
     BASE is declared already, so its DECL_CONTEXT tells (unlike in
     is_block_scope_static, which also serves for the declaration
     being made).  */
  if (!base || !VAR_P (base)
      || (!DECL_EXTERNAL (base) && DECL_CONTEXT (base)
	  && TREE_CODE (DECL_CONTEXT (base)) == FUNCTION_DECL)
      || !(is_function_pointer_type (TREE_TYPE (base))
	   || INTEGRAL_TYPE_P (TREE_TYPE (base))
	   || TREE_CODE (TREE_TYPE (base)) == RECORD_TYPE
	   || (POINTER_TYPE_P (TREE_TYPE (base))
	       && TREE_CODE (TREE_TYPE (TREE_TYPE (base))) == RECORD_TYPE)))
    return;
  location_t loc = EXPR_LOCATION (t);
  early_address e = { base, loc == UNKNOWN_LOCATION ? fallback : loc,
		      TREE_OPERAND (t, 0) };
  early_addresses.safe_push (e);
}

/* walk_tree callback over a static initializer or a function body
   (DATA: the location to use where a tree has none): report `&p' of
   an annotated pointer, remember `&q' of one that may be annotated
   later.  */
static tree
check_address_operand (tree *tp, int *walk_subtrees, void *data)
{
  location_t loc = *(location_t *) data;
  if (TYPE_P (*tp) || report_if_address_taken (*tp, loc))
    *walk_subtrees = 0;
  else if (TREE_CODE (*tp) == CALL_EXPR && check_builtin_call (*tp, data))
    *walk_subtrees = 0;
  else if (TREE_CODE (*tp) == ADDR_EXPR)
    note_early_address (*tp, loc);
  else if (TREE_CODE (*tp) == COMPOUND_LITERAL_EXPR)
    {
      /* walk_tree does not enter the literal's own initializer, and no
	 PLUGIN_FINISH_DECL comes for its hidden variable.  */
      tree decl = COMPOUND_LITERAL_EXPR_DECL (*tp);
      if (decl && DECL_INITIAL (decl))
	walk_tree_without_duplicates (&DECL_INITIAL (decl),
				      check_address_operand, data);
    }
  else if (TREE_CODE (*tp) == DECL_EXPR
	   && TREE_CODE (DECL_EXPR_DECL (*tp)) == FUNCTION_DECL
	   && DECL_SAVED_TREE (DECL_EXPR_DECL (*tp)))
    /* A nested function (GNU C): its body is not in ours.  */
    walk_tree_without_duplicates (&DECL_SAVED_TREE (DECL_EXPR_DECL (*tp)),
				  check_address_operand, data);
  return NULL_TREE;
}

/* PLUGIN_PRE_GENERICIZE: `&p' in a function body, including the
   initializers of its automatic variables, checked as the body is
   parsed: whatever the optimisation level, also for functions never
   emitted and under -fsyntax-only.  */
void
sc_check_function_body (void *gcc_data, void *)
{
  tree fndecl = (tree) gcc_data;
  if (sc_disabled || TREE_CODE (fndecl) != FUNCTION_DECL
      || !DECL_SAVED_TREE (fndecl))
    return;
  location_t loc = DECL_SOURCE_LOCATION (fndecl);
  walk_tree_without_duplicates (&DECL_SAVED_TREE (fndecl),
				check_address_operand, &loc);
}

/* PLUGIN_FINISH_DECL: an initializer such as `void *q = &p;' of a
   static variable never reaches a function body; check it here.  */
void
sc_check_initializer (void *gcc_data, void *)
{
  tree decl = (tree) gcc_data;
  if (sc_disabled || !VAR_P (decl)
      || !(TREE_STATIC (decl) || DECL_EXTERNAL (decl))
      || !DECL_INITIAL (decl) || DECL_INITIAL (decl) == error_mark_node)
    return;
  location_t loc = DECL_SOURCE_LOCATION (decl);
  walk_tree_without_duplicates (&DECL_INITIAL (decl),
				check_address_operand, &loc);
}

/* The variable NODE is an alias of (weakref or alias attribute), or
   NODE itself.  */
static symtab_node *
alias_target (symtab_node *node)
{
  for (int depth = 0; node->alias && depth < 16; depth++)
    {
      ipa_ref *ref = NULL;
      symtab_node *next = NULL;
      for (unsigned i = 0; node->iterate_reference (i, ref); i++)
	if (ref->use == IPA_REF_ALIAS)
	  next = ref->referred;
      if (!next)
	break;
      node = next;
    }
  return node;
}

/* What the annotated variable DECL is, for a message.  */
static const char *
annotated_noun (tree decl)
{
  switch (sc_value_kind (decl))
    {
    case SC_VALUE_BRANCH: return "static key";
    case SC_VALUE_IMMEDIATE: return "immediate value";
    default: return "static call pointer";
    }
}

/* PLUGIN_FINISH_UNIT: another name for an annotated pointer -- an
   alias, a weakref, or a declaration given its symbol with an asm
   label -- would let stores through it bypass the runtime.  Aliases
   are only resolved once the whole unit is read, hence here.  */
void
sc_check_aliases (void *, void *)
{
  if (sc_disabled)
    return;
  auto_vec<varpool_node *> annotated;
  varpool_node *node;
  FOR_EACH_VARIABLE (node)
    if (sc_var_key (node->decl)
	|| sc_value_kind (node->decl) != SC_VALUE_NONE)
      {
	annotated.safe_push (node);
	if (node->alias)
	  error_at (DECL_SOURCE_LOCATION (node->decl), "%s %qD cannot be "
		    "an alias of another variable", annotated_noun (node->decl),
		    node->decl);
      }
  if (annotated.is_empty ())
    return;
  FOR_EACH_VARIABLE (node)
    {
      if (sc_var_key (node->decl)
	  || sc_value_kind (node->decl) != SC_VALUE_NONE)
	continue;
      symtab_node *target = alias_target (node);
      for (varpool_node *a : annotated)
	if (target == a
	    || symbol_table::assembler_names_equal_p
		 (IDENTIFIER_POINTER (DECL_ASSEMBLER_NAME (node->decl)),
		  IDENTIFIER_POINTER (DECL_ASSEMBLER_NAME (a->decl))))
	  {
	    error_at (DECL_SOURCE_LOCATION (node->decl), "%qD names the "
		      "same object as %s %qD; a store through it would "
		      "bypass the runtime", node->decl,
		      annotated_noun (a->decl), a->decl);
	    inform (DECL_SOURCE_LOCATION (a->decl), "%qD declared here",
		    a->decl);
	    break;
	  }
    }
}

/* staticcall GCC plugin: the static_call(KEY) attribute.

   Accepts __attribute__((static_call(KEY))) on a variable of static
   storage duration whose type is a pointer to function, and diagnoses
   every other use.  KEY is a bare identifier; GCC's C parser only
   accepts one when targetm.attribute_takes_identifier_p says so, so the
   plugin wraps that hook.

   Within one translation unit a key names exactly one variable and a
   variable has exactly one key; both are checked here, across
   redeclarations.  Across units the runtime checks the first rule.  */

#include "sc-plugin.h"

/* Key of each annotated variable seen so far (keyed by the variable's
   name, so that redeclarations of one file-scope variable share an
   entry), and the variable of each key.  Both maps hold identifiers
   only, which GCC never frees.  */
static hash_map<tree, tree> *key_of_var_name;
static hash_map<tree, tree> *var_name_of_key;
/* Where each key was first claimed, for the "previously" note.  */
static hash_map<tree, location_t> *key_first_loc;

/* The identifier that names VAR for the duplicate checks.  A block-scope
   static is its own entity even if another one shares its name, so it
   is named by its assembler name, which GCC makes unique.  */
static tree
var_identity (tree var)
{
  if (DECL_CONTEXT (var) && TREE_CODE (DECL_CONTEXT (var)) == FUNCTION_DECL)
    return DECL_ASSEMBLER_NAME (var);
  return DECL_NAME (var);
}

static bool
is_function_pointer_type (const_tree type)
{
  return POINTER_TYPE_P (type)
	 && FUNC_OR_METHOD_TYPE_P (TREE_TYPE (type));
}

/* The attribute handler.  Errors point at the declaration.  */
static tree
handle_static_call_attribute (tree *node, tree name, tree args, int,
			      bool *no_add_attrs)
{
  tree decl = *node;
  *no_add_attrs = true;

  if (!VAR_P (decl))
    {
      if (DECL_P (decl))
	error_at (DECL_SOURCE_LOCATION (decl),
		  "%qE attribute only applies to variables", name);
      else
	error ("%qE attribute only applies to variables", name);
      return NULL_TREE;
    }
  location_t loc = DECL_SOURCE_LOCATION (decl);

  tree key = args ? TREE_VALUE (args) : NULL_TREE;
  if (!key || TREE_CODE (key) != IDENTIFIER_NODE)
    {
      error_at (loc, "%qE attribute argument must be an identifier", name);
      return NULL_TREE;
    }
  if (!is_function_pointer_type (TREE_TYPE (decl)))
    {
      if (POINTER_TYPE_P (TREE_TYPE (decl)))
	error_at (loc, "%qE attribute applies only to pointers to functions; "
		  "%qD points to data", name, decl);
      else
	error_at (loc, "%qE attribute applies only to pointers to functions; "
		  "%qD has type %qT", name, decl, TREE_TYPE (decl));
      return NULL_TREE;
    }
  if (!TREE_STATIC (decl) && !DECL_EXTERNAL (decl))
    {
      error_at (loc, "%qE attribute on automatic variable %qD; a static "
		"call needs a variable of static storage duration",
		name, decl);
      return NULL_TREE;
    }
  if (TYPE_READONLY (TREE_TYPE (decl)))
    {
      /* Never assigned, so GCC already calls its initial value directly
	 (or cannot, if it has none): nothing for a static call to do.  */
      warning_at (loc, OPT_Wattributes, "%qE attribute ignored on "
		  "%<const%> pointer %qD, which can never be retargeted",
		  name, decl);
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

  key_of_var_name = new hash_map<tree, tree>;
  var_name_of_key = new hash_map<tree, tree>;
  key_first_loc = new hash_map<tree, location_t>;
}

static bool (*prev_takes_identifier_p) (const_tree);

static bool
takes_identifier_p (const_tree attr_id)
{
  if (is_attribute_p (SC_ATTRIBUTE, attr_id))
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
bool
sc_report_address_taken (tree t, location_t fallback)
{
  if (TREE_CODE (t) != ADDR_EXPR)
    return false;
  tree base = get_base_address (TREE_OPERAND (t, 0));
  if (!base || !sc_var_key (base))
    return false;
  location_t loc = EXPR_LOCATION (t);
  if (loc == UNKNOWN_LOCATION)
    loc = fallback;
  error_at (loc, "taking the address of static call pointer %qD; "
	    "a store through it would bypass the runtime", base);
  return true;
}

static tree
check_initializer_operand (tree *tp, int *walk_subtrees, void *data)
{
  if (TYPE_P (*tp)
      || sc_report_address_taken (*tp, *(location_t *) data))
    *walk_subtrees = 0;
  else if (TREE_CODE (*tp) == COMPOUND_LITERAL_EXPR)
    {
      /* walk_tree does not enter the literal's own initializer, and no
	 PLUGIN_FINISH_DECL comes for its hidden variable.  */
      tree decl = COMPOUND_LITERAL_EXPR_DECL (*tp);
      if (decl && DECL_INITIAL (decl))
	walk_tree_without_duplicates (&DECL_INITIAL (decl),
				      check_initializer_operand, data);
    }
  return NULL_TREE;
}

/* PLUGIN_FINISH_DECL: an initializer such as `void *q = &p;' of a
   static variable never reaches a function body; check it here.
   Automatic variables are checked in their function's GIMPLE.  */
void
sc_check_initializer (void *gcc_data, void *)
{
  tree decl = (tree) gcc_data;
  if (!VAR_P (decl) || !(TREE_STATIC (decl) || DECL_EXTERNAL (decl))
      || !DECL_INITIAL (decl) || DECL_INITIAL (decl) == error_mark_node)
    return;
  location_t loc = DECL_SOURCE_LOCATION (decl);
  walk_tree_without_duplicates (&DECL_INITIAL (decl),
				check_initializer_operand, &loc);
}

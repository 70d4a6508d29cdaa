/* staticcall: a GCC plugin that turns calls through rarely-changed
   function pointers into direct, runtime-retargetable call sites.

   Usage:
     gcc -fplugin=staticcall [-fplugin-arg-staticcall-verbose] ... -lstaticcall

   Options:
     -fplugin-arg-staticcall-verbose   report each converted call site and
				       each assignment lowered to an update

   Files:
     sc-attribute.cc  the static_call(KEY) attribute and its diagnostics
     sc-lower.cc      GIMPLE: calls -> trampoline calls, stores -> updates
     sc-sites.cc      RTL: wrap each trampoline call into a recorded site
     sc-emit.cc       trampolines, site table, registration constructor
     sc-tables.cc     annotated structs: member keys, their stores
     sc-values.cc     static keys and immediate values: attributes,
		      branches, reads and stores (GIMPLE)
     sc-value-sites.cc  their sites' instructions (RTL) and records
     gcc-compat.h     GCC headers, version differences, pass boilerplate

   Defines __STATICCALL__ for the compiled source, which <static_call.h>
   uses to expand STATIC_CALL(KEY).  */

#include "sc-plugin.h"
#include "plugin-version.h"

int plugin_is_GPL_compatible;

bool sc_verbose;
bool sc_language_supported;
bool sc_disabled;

extern tree sc_lower_tramps;
extern tree sc_update_decl;
extern tree sc_emit_tramps;
extern tree sc_update_value_decl;
extern tree sc_value_vars;
extern tree sc_runtime_atomics;

static const struct ggc_root_tab sc_roots[] = {
  { &sc_lower_tramps, 1, sizeof (tree), &gt_ggc_mx_tree_node,
    &gt_pch_nx_tree_node },
  { &sc_update_decl, 1, sizeof (tree), &gt_ggc_mx_tree_node,
    &gt_pch_nx_tree_node },
  { &sc_emit_tramps, 1, sizeof (tree), &gt_ggc_mx_tree_node,
    &gt_pch_nx_tree_node },
  { &sc_update_value_decl, 1, sizeof (tree), &gt_ggc_mx_tree_node,
    &gt_pch_nx_tree_node },
  { &sc_value_vars, 1, sizeof (tree), &gt_ggc_mx_tree_node,
    &gt_pch_nx_tree_node },
  { &sc_runtime_atomics, 1, sizeof (tree), &gt_ggc_mx_tree_node,
    &gt_pch_nx_tree_node },
  { &sc_table_decls[0], SC_TABLE_DECLS, sizeof (tree), &gt_ggc_mx_tree_node,
    &gt_pch_nx_tree_node },
  LAST_GGC_ROOT_TAB
};

static struct plugin_info sc_info = {
  "1",
  "Static calls: -fplugin-arg-staticcall-verbose reports each call site"
};

/* parse_in belongs to the C family front ends; lto1 has none, and must
   still be able to load the plugin.  */
extern cpp_reader *parse_in __attribute__ ((weak));

/* Defines __STATICCALL__.  When preprocessing only (-E, or the first
   step of -save-temps) this runs from PLUGIN_PRAGMAS, since no unit is
   compiled; otherwise from PLUGIN_START_UNIT, after the debug-info
   machinery that -g3 reports each macro definition to is ready.  */
static void
define_feature_macro (void *, void *data)
{
  bool from_pragmas = data != NULL;
  if (from_pragmas != (flag_preprocess_only != 0))
    return;
  /* Preprocessed input (-save-temps, -fpreprocessed) already had its
     macros expanded by the preprocessing run, where the plugin was
     loaded too; there `#define' would read as a line marker.  */
  if (&parse_in && parse_in && !cpp_get_options (parse_in)->preprocessed)
    cpp_define (parse_in, "__STATICCALL__=1");
}

static bool
parse_arguments (struct plugin_name_args *info)
{
  bool ok = true;
  for (int i = 0; i < info->argc; i++)
    {
      const char *key = info->argv[i].key;
      const char *value = info->argv[i].value;
      if (!strcmp (key, "verbose") && !value)
	sc_verbose = true;
      else
	{
	  if (value)
	    error (G_ ("unknown option %<-fplugin-arg-%s-%s=%s%>"),
		   info->base_name, key, value);
	  else
	    error (G_ ("unknown option %<-fplugin-arg-%s-%s%>"),
		   info->base_name, key);
	  ok = false;
	}
    }
  return ok;
}

static void
register_passes (const char *name)
{
  /* Before call-graph edges exist, so nothing needs repair.  */
  SC_REGISTER_PASS (name, lower, "cfg", PASS_POS_INSERT_AFTER);
  /* Branch sites' edge probabilities, over GCC's guess.  */
  SC_REGISTER_PASS (name, layout, "profile_estimate", PASS_POS_INSERT_AFTER);
  /* After everything that may still move or duplicate insns.  */
  SC_REGISTER_PASS (name, sites, "shorten", PASS_POS_INSERT_BEFORE);
}

int
plugin_init (struct plugin_name_args *info, struct plugin_gcc_version *version)
{
  if (!plugin_default_version_check (version, &gcc_version))
    {
      error (G_ ("%qs was built for GCC %s and cannot be loaded by this "
		 "compiler"), info->base_name, gcc_version.basever);
      return 1;
    }
  if (!parse_arguments (info))
    return 1;

  register_callback (info->base_name, PLUGIN_INFO, NULL, &sc_info);
  register_callback (info->base_name, PLUGIN_ATTRIBUTES,
		     sc_register_attribute, NULL);
  sc_hook_identifier_arguments ();

  /* C ("GNU C17" and the like, by -std), and lto1 for LTO objects.  In
     C++ or Objective-C the plugin leaves the unit alone: __STATICCALL__ stays undefined, so
     <static_call.h> gives plain function pointers, and a spelled-out
     attribute is an error rather than silently ignored.  */
  const char *lang = lang_hooks.name;
  sc_language_supported = (startswith (lang, "GNU C") && lang[5] != '+')
			  || !strcmp (lang, "GNU GIMPLE");
  if (!sc_language_supported)
    return 0;
  register_callback (info->base_name, PLUGIN_START_UNIT,
		     define_feature_macro, NULL);
  static int pragmas_marker;
  register_callback (info->base_name, PLUGIN_PRAGMAS,
		     define_feature_macro, &pragmas_marker);
  register_callback (info->base_name, PLUGIN_FINISH_DECL,
		     sc_check_initializer, NULL);
  register_callback (info->base_name, PLUGIN_PRE_GENERICIZE,
		     sc_check_function_body, NULL);
  register_callback (info->base_name, PLUGIN_FINISH_UNIT,
		     sc_check_aliases, NULL);
  register_callback (info->base_name, PLUGIN_FINISH_UNIT,
		     sc_emit_finish_unit, NULL);
  register_callback (info->base_name, PLUGIN_REGISTER_GGC_ROOTS, NULL,
		     (void *) sc_roots);
  register_passes (info->base_name);
  return 0;
}

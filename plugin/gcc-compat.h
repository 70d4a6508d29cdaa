/* staticcall GCC plugin: what differs between the GCC releases it
   supports (11 and 12), in one place.

   Includes every GCC header the plugin uses, in an order each release
   accepts (stringpool.h before attribs.h, memmodel.h before emit-rtl.h),
   and gives:
     SC_GCC_VERSION        major * 1000 + minor of the GCC whose plugin
			   headers the plugin is built against;
     startswith ()         GCC 12's helper, defined here for GCC 11;
     SC_GIMPLE_PASS (NAME, PROPERTIES_REQUIRED, EXECUTE)
     SC_RTL_PASS (NAME, PROPERTIES_REQUIRED, EXECUTE)
			   a pass "staticcall_NAME" that runs EXECUTE
			   (unsigned int (function *)) unless the plugin
			   is disabled, made by sc_make_NAME_pass ();
     SC_DECLARE_PASS (NAME) that maker's declaration;
     SC_REGISTER_PASS (PLUGIN, NAME, REFERENCE, POSITION)
			   registers the pass after or before the first
			   instance of GCC's pass REFERENCE.
   The pass files then hold only their passes' logic.

   Older GCC is refused here as well as by configure, so that a plugin
   directory passed by hand cannot build a plugin nobody has tested.  */

#ifndef SC_GCC_COMPAT_H
#define SC_GCC_COMPAT_H

/* bversion.h only defines macros, unlike plugin-version.h, whose
   static version strings belong to staticcall.cc alone; first, so that
   an older GCC's headers are refused before they are read.  */
#include "bversion.h"

#define SC_GCC_VERSION BUILDING_GCC_VERSION

#if SC_GCC_VERSION < 11000
#error "staticcall needs GCC 11 or later"
#endif

#include "gcc-plugin.h"
#include "system.h"
#include "coretypes.h"
#include "backend.h"
#include "target.h"
#include "tree.h"
#include "gimple.h"
#include "tree-pass.h"
#include "stringpool.h"
#include "attribs.h"
#include "memmodel.h"
#include "rtl.h"
#include "emit-rtl.h"
#include "diagnostic.h"
#include "gimple-iterator.h"
#include "gimple-walk.h"
#include "gimplify.h"
#include "gimplify-me.h"
#include "tree-dfa.h"
#include "ssa.h"
#include "tree-cfg.h"
#include "tree-eh.h"
#include "cgraph.h"
#include "varasm.h"
#include "output.h"
#include "ggc.h"
#include "intl.h"
#include "tm_p.h"
#include "langhooks.h"
#include "toplev.h"
#include "context.h"
#include "cpplib.h"
#include "c-family/c-pragma.h"

#if SC_GCC_VERSION < 12000
/* GCC 12 added this to system.h and uses it for what GCC 11 spelled
   with strncmp.  */
static inline bool
startswith (const char *str, const char *prefix)
{
  return strncmp (str, prefix, strlen (prefix)) == 0;
}
#endif

/* TYPE is `gimple' or `rtl', TYPE_ENUM GIMPLE_PASS or RTL_PASS.  The
   pass dumps as staticcall_NAME (-fdump-tree-staticcall_lower,
   -fdump-rtl-staticcall_sites).  Its gate is sc_disabled (sc-plugin.h):
   true when another copy of the plugin was loaded first.  */
#define SC_PASS_(TYPE, TYPE_ENUM, NAME, PROPERTIES_REQUIRED, EXECUTE)	\
  static const pass_data NAME##_pass_data = {				\
    TYPE_ENUM,			/* type */				\
    "staticcall_" #NAME,	/* name */				\
    OPTGROUP_NONE,		/* optinfo_flags */			\
    TV_NONE,			/* tv_id */				\
    PROPERTIES_REQUIRED,	/* properties_required */		\
    0,				/* properties_provided */		\
    0,				/* properties_destroyed */		\
    0,				/* todo_flags_start */			\
    0,				/* todo_flags_finish */			\
  };									\
  namespace {								\
  class pass_sc_##NAME : public TYPE##_opt_pass				\
  {									\
  public:								\
    pass_sc_##NAME (gcc::context *ctxt)				\
      : TYPE##_opt_pass (NAME##_pass_data, ctxt)			\
    {}									\
    bool gate (function *) final override { return !sc_disabled; }	\
    unsigned int execute (function *fun) final override		\
    {									\
      return EXECUTE (fun);						\
    }									\
  };									\
  } /* namespace */							\
  opt_pass *								\
  sc_make_##NAME##_pass (gcc::context *ctxt)				\
  {									\
    return new pass_sc_##NAME (ctxt);					\
  }

#define SC_GIMPLE_PASS(NAME, PROPERTIES_REQUIRED, EXECUTE)		\
  SC_PASS_ (gimple, GIMPLE_PASS, NAME, PROPERTIES_REQUIRED, EXECUTE)
#define SC_RTL_PASS(NAME, PROPERTIES_REQUIRED, EXECUTE)		\
  SC_PASS_ (rtl, RTL_PASS, NAME, PROPERTIES_REQUIRED, EXECUTE)

#define SC_DECLARE_PASS(NAME) opt_pass *sc_make_##NAME##_pass (gcc::context *)

/* POSITION is PASS_POS_INSERT_AFTER or PASS_POS_INSERT_BEFORE.
   GCC positions the pass before register_callback returns and keeps
   no pointer to the structure, so it may be automatic.  */
#define SC_REGISTER_PASS(PLUGIN, NAME, REFERENCE, POSITION)		\
  do									\
    {									\
      struct register_pass_info info_;					\
      info_.pass = sc_make_##NAME##_pass (g);				\
      info_.reference_pass_name = (REFERENCE);				\
      info_.ref_pass_instance_number = 1;				\
      info_.pos_op = (POSITION);					\
      register_callback ((PLUGIN), PLUGIN_PASS_MANAGER_SETUP, NULL,	\
			 &info_);					\
    }									\
  while (0)

#endif /* SC_GCC_COMPAT_H */

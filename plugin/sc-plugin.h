/* staticcall GCC plugin: declarations shared by the plugin's files.

   All GCC headers are included here, once, in the order GCC 12 needs
   (stringpool.h before attribs.h, memmodel.h before emit-rtl.h), so
   that the pass files do not each carry their own copy of that order.  */

#ifndef SC_PLUGIN_H
#define SC_PLUGIN_H

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

/* Name of the attribute and of the plugin, as the user spells them.  */
#define SC_ATTRIBUTE "static_call"

/* Symbol prefixes.  A trampoline's name is SC_TRAMP_PREFIX followed by
   the key, so a disassembly names the key of every site.  */
#define SC_TRAMP_PREFIX "__static_call_tramp_"
/* Attribute attached (internally, never by users) to a trampoline's
   FUNCTION_DECL; its value is (KEY-IDENTIFIER . VAR_DECL), chained to
   a second element when VAR is static.  */
#define SC_TRAMP_ATTRIBUTE "static_call trampoline"

/* The runtime entry point an assignment calls (those of the
   constructors are in runtime/unit-abi.h).  */
#define SC_RT_UPDATE "__static_call_update"

extern bool sc_verbose;
/* False in a front end other than C's (or lto1's): the attribute is
   then refused and nothing else is done.  */
extern bool sc_language_supported;
/* Set when another copy of the plugin got loaded first: this one then
   stays out of the way after saying so.  */
extern bool sc_disabled;

/* sc-attribute.cc  */
void sc_register_attribute (void *, void *);
void sc_hook_identifier_arguments (void);
tree sc_var_key (const_tree var);
void sc_check_initializer (void *decl, void *);
void sc_check_function_body (void *fndecl, void *);
void sc_check_aliases (void *, void *);

/* sc-lower.cc: GIMPLE pass after "cfg".  */
opt_pass *sc_make_lower_pass (gcc::context *);
tree sc_trampoline_key (const_tree fndecl, tree *var,
			bool *internal = NULL);

/* sc-sites.cc: RTL pass before "shorten".  */
opt_pass *sc_make_sites_pass (gcc::context *);

/* sc-emit.cc: the per-unit tables, trampolines and constructors.  */
unsigned sc_emit_note_site (tree tramp, bool tail);
void sc_emit_finish_unit (void *, void *);

#endif /* SC_PLUGIN_H */

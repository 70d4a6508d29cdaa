/* staticcall GCC plugin: declarations shared by the plugin's files.

   GCC's headers, and what differs between the GCC releases, come from
   gcc-compat.h, so that the pass files carry neither.  */

#ifndef SC_PLUGIN_H
#define SC_PLUGIN_H

#include "gcc-compat.h"

/* Name of the attribute and of the plugin, as the user spells them.  */
#define SC_ATTRIBUTE "static_call"

/* Symbol prefixes.  A trampoline's name is SC_TRAMP_PREFIX followed by
   the key, so a disassembly names the key of every site.  */
#define SC_TRAMP_PREFIX "__static_call_tramp_"
/* Attribute attached (internally, never by users) to a trampoline's
   FUNCTION_DECL; its value is (KEY-IDENTIFIER . VAR_DECL), chained to
   a second element when VAR is static.  */
#define SC_TRAMP_ATTRIBUTE "static_call trampoline"
/* With SC_TRAMP_ATTRIBUTE on the trampoline of a table's member: its
   offset in VAR, an INTEGER_CST of bytes.  */
#define SC_TRAMP_OFFSET_ATTRIBUTE "static_call member offset"
/* With SC_TRAMP_ATTRIBUTE on the trampoline of an ops pointer's member
   (VAR + OFFSET is then an offset in the struct VAR points to).  */
#define SC_TRAMP_DEREF_ATTRIBUTE "static_call ops pointer"

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
SC_DECLARE_PASS (lower);
tree sc_trampoline_key (const_tree fndecl, tree *var,
			bool *internal = NULL);
HOST_WIDE_INT sc_trampoline_offset (const_tree fndecl);
bool sc_trampoline_deref (const_tree fndecl);
bool sc_cond_trampoline_p (const_tree fndecl);
void sc_remove_dead_test_value (function *fun, tree op);

/* sc-sites.cc: RTL pass before "shorten".  */
SC_DECLARE_PASS (sites);

/* sc-tables.cc: annotated structs (ops tables) and their stores.  */
#define SC_TABLE_DECLS 6
extern tree sc_table_decls[SC_TABLE_DECLS];
bool sc_is_table (const_tree var);
bool sc_check_table_type (tree decl, tree name);
tree sc_attribute_key (tree decl, tree name, tree args, location_t *loc);
bool sc_check_lp64 (tree name, location_t loc);
tree sc_ref_key (tree ref, tree *var, HOST_WIDE_INT *offset,
		 bool *deref = NULL);
bool sc_is_ops_pointer (const_tree var);
bool sc_check_ops_pointer_type (tree decl, tree name);
bool sc_part_has_keys (tree ref);
bool sc_type_part_has_keys (tree type, tree ref);
bool sc_allowed_address_use (tree fndecl, int arg, tree object);
bool sc_lower_table_store (gimple_stmt_iterator *gsi);
bool sc_lower_store_builtin (gimple_stmt_iterator *gsi, gcall *call);
void sc_note_indirect_call (gcall *call, tree source);
bool sc_lower_member_run (gimple_stmt_iterator *gsi);

/* sc-values.cc: static keys and immediate values, up to GIMPLE.  */
#define SC_KEY_ATTRIBUTE "static_key"
#define SC_IMM_ATTRIBUTE "immediate"
#define SC_RT_UPDATE_VALUE "__static_call_update_value"
/* First line of the templates of the asm statements that stand for
   value sites until sc-value-sites.cc writes them out.  */
#define SC_BRANCH_MARK "# staticcall static key branch"
#define SC_BRANCH_INV_MARK "# staticcall static key branch, inverted"
#define SC_IMM_MARK "# staticcall immediate value"
enum sc_value_kind { SC_VALUE_NONE, SC_VALUE_BRANCH, SC_VALUE_IMMEDIATE };
enum sc_value_kind sc_value_kind (const_tree var);
tree sc_value_key (const_tree var);
void sc_register_value_attributes (void);
bool sc_value_allowed_address_use (tree fndecl, int arg);
bool sc_lower_value_stmt (gimple_stmt_iterator *gsi);
void sc_lower_key_branches (function *fun);
SC_DECLARE_PASS (layout);

/* sc-value-sites.cc: the value sites' instructions, in RTL.  */
void sc_write_value_site (rtx_insn *insn);
bool sc_emit_value_records (FILE *f, bool *any);
bool sc_have_value_sites (void);
unsigned sc_value_site_count (void);

/* sc-attribute.cc  */
bool sc_is_block_scope_static (const_tree var);
void sc_report_early_addresses (tree id, tree var);

/* sc-emit.cc: the per-unit tables, trampolines and constructors.  */
unsigned sc_emit_note_site (tree tramp, bool tail);
void sc_emit_finish_unit (void *, void *);

#endif /* SC_PLUGIN_H */

/* The dlopen'ed module of the staticcall.shared tests.  */
#include "shared.h"

int mod_t (int x) { return 3000 + x; }
int mod_calls_lib_key (int x) { return lib_key (x); }
int mod_calls_exe_key (int x) { return exe_key (x) + 0 * exe_key (1); }
void mod_sets_lib_key (int (*f) (int)) { lib_key = f; }
int mod_calls_ops (int x) { return lib_ops.a (x) * 10000 + lib_ops.sub.b (x); }
void mod_sets_ops_b (int (*f) (int))
{
  __atomic_store_n (&lib_ops.sub.b, f, __ATOMIC_SEQ_CST);
}
int mod_calls_impl (int x) { return lib_impl->a (x) * 10000 + lib_impl->sub.b (x); }
static const struct shared_ops mod_ops = { mod_t, 3, { mod_t } };
void mod_sets_impl (void) { lib_impl = &mod_ops; }

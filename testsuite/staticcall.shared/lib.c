/* The shared library of the staticcall.shared tests.  */
#include "shared.h"

int lib_t1 (int x) { return 1000 + x; }
int lib_t2 (int x) { return 2000 + x; }

int (*lib_key) (int) STATIC_CALL (lib_key) = lib_t1;

int lib_calls_lib_key (int x) { return lib_key (x) + 0 * lib_key (0); }
int lib_calls_exe_key (int x) { return exe_key (x) + 0 * exe_key (0); }
int lib_tail_exe_key (int x) { return exe_key (x); }
void lib_sets_exe_key (int (*f) (int)) { exe_key = f; }
void lib_sets_lib_key (int (*f) (int)) { lib_key = f; }

struct shared_ops lib_ops STATIC_CALL (lib_ops) = { lib_t1, 5, { lib_t2 } };
int lib_calls_ops (int x) { return lib_ops.a (x) * 10000 + lib_ops.sub.b (x); }
void lib_sets_ops (const struct shared_ops *o) { lib_ops = *o; }
static const struct shared_ops lib_impl_default = { lib_t2, 1, { lib_t1 } };
const struct shared_ops *lib_impl STATIC_CALL (lib_impl) = &lib_impl_default;
int lib_calls_impl (int x) { return lib_impl->a (x) * 10000 + lib_impl->sub.b (x); }
void lib_sets_impl (const struct shared_ops *o) { lib_impl = o; }

/* TEMPORARY: stands in for libstaticcall-freestanding.a until the
   split lands; every site keeps calling its trampoline.  */
#include "kernel.h"
#include <static_call.h>
void __static_call_register_object (const void *a, const void *b, const void *c) {}
void __static_call_unregister_object (const void *a, const void *b, const void *c) {}
void __static_call_update (void *var, void *fn) { *(void **) var = fn; }
int __static_call_last_status (void) { return 0; }
void __static_call_clear_status (void) {}
int static_call_init (const struct static_call_config *c) { return 0; }
int static_call_trap (struct static_call_regs *r, uintptr_t a) { return 0; }
void static_call_get_stats_sized (struct static_call_stats *s, unsigned long n) { memset (s, 0, n); }

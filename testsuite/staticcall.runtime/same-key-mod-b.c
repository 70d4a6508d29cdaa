/* Second unit of same-key.c: another pointer with the same key name.  */
#include <static_call.h>

static int from_b (void) { return 200; }
int (*hook_b) (void) STATIC_CALL (same_key) = from_b;
int call_b (void) { return hook_b (); }
void set_b (int (*f) (void)) { hook_b = f; }

/* Module for key-name.c: sites of the executable's `named_hook'.  */
#include <static_call.h>

extern int (*named_hook) (void) STATIC_CALL (named_hook);
int mod_call (void) { return named_hook (); }

/* Two pointers of external linkage in two units claim one key name.
   The runtime warns, but each unit's sites must keep going through its
   own pointer, also on their trampolines (STATICCALL_WRITER=none) and
   with -flto: trampolines are named after the pointer too, so COMDAT
   never merges one pointer's with the other's.  */
/* { sc-sources "same-key-mod-b.c" } */
/* { sc-run "STATICCALL_QUIET=1" } */
/* { sc-run "STATICCALL_QUIET=1 STATICCALL_WRITER=none" } */
#include "sc-test.h"

static int from_a (void) { return 100; }
int (*hook_a) (void) STATIC_CALL (same_key) = from_a;
int call_a (void) { return hook_a (); }
int call_b (void);
/* hook_b is assigned in its own unit: this one may not declare it with
   the same key, and a store through a declaration without the
   attribute would not retarget its sites.  */
void set_b (int (*) (void));

static int other (void) { return 300; }

int
main (void)
{
  CHECK (call_a () == 100 && call_b () == 200);
  set_b (other);
  CHECK (call_a () == 100 && call_b () == 300);
  hook_a = other;
  CHECK (call_a () == 300);
  puts ("one key name, two pointers, each its own trampoline");
  return 0;
}

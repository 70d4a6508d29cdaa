/* -fplugin-arg-staticcall-verbose tells a guarded call that became a
   conditional site from one whose guard stays a test.  */
/* { dg-do compile } */
/* { dg-options "-fplugin-arg-staticcall-verbose" } */
void (*hook) (int) __attribute__ ((static_call (hook_key)));
int (*get) (int) __attribute__ ((static_call (get_key)));
int counter;

void
guarded (int x)
{
  if (hook) hook (x); /* { dg-message "guarded call through 'hook' is conditional static call site of key 'hook_key'" } */
  if (hook == 0) return;
  hook (x + 1); /* { dg-message "guarded call through 'hook' is conditional static call site of key 'hook_key'" } */
}

int
unguarded (int x)
{
  int r = 0;
  if (hook) hook (x); else counter++; /* { dg-message "\[^d\] call through 'hook' is static call site of key 'hook_key'" } */
  if (get) r = get (x); /* { dg-message "\[^d\] call through 'get' is static call site of key 'get_key'" } */
  if (hook) { hook (x); counter++; } /* { dg-message "\[^d\] call through 'hook' is static call site of key 'hook_key'" } */
  return r;
}

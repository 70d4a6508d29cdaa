/* -fplugin-arg-staticcall-verbose tells a guarded call that became a
   conditional site from one whose guard stays a test, and names the
   member of a table or ops pointer as written.  */
/* { dg-do compile } */
/* { dg-options "-fplugin-arg-staticcall-verbose" } */
void (*hook) (int) __attribute__ ((static_call (hook_key)));
int (*get) (int) __attribute__ ((static_call (get_key)));
int counter;
struct tab { int data; void (*m) (int); struct { void (*x) (int); } sub; };
struct tab t __attribute__ ((static_call (tk)));
struct ops { void (*m) (int); };
const struct ops *impl __attribute__ ((static_call (ik)));

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

void
members (int x)
{
  if (t.m) t.m (x); /* { dg-message "guarded call through 't.m' is conditional static call site of key 'tk.m'" } */
  if (t.sub.x) t.sub.x (x); /* { dg-message "guarded call through 't.sub.x' is conditional static call site of key 'tk.sub.x'" } */
  if (impl->m) impl->m (x); /* { dg-message "guarded call through 'impl->m' is conditional static call site of key 'ik->m'" } */
  if (impl->m) impl->m (x); else counter++; /* { dg-message "\[^d\] call through 'impl->m' is static call site of key 'ik->m'" } */
}

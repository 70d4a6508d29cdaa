/* -fplugin-arg-staticcall-verbose on a call through a member reached
   through a pointer that is itself data of a table (`t.ops->m') or of
   an ops pointer's pointee (`impl->next->m'): it stays indirect, and
   the note says through which pointer.  */
/* { dg-do compile } */
/* { dg-options "-fplugin-arg-staticcall-verbose" } */
typedef int fn_t (int);
struct inner { fn_t *m; struct { fn_t *x; } s; const struct inner *next; };
struct tab { fn_t *a; const struct inner *ops; };
struct tab t __attribute__ ((static_call (tk)));
const struct inner *impl __attribute__ ((static_call (ik)));

int
use (void)
{
  int r = t.ops->m (1); /* { dg-message "call through 't.ops->m' is left an indirect call: it goes through 't.ops', a pointer that is ordinary data of static call table 't'; only the function-pointer members of the table itself are keys" } */
  r += t.ops->s.x (2); /* { dg-message "call through 't.ops->s.x' is left an indirect call: it goes through 't.ops'" } */
  r += t.ops->next->m (3); /* { dg-message "call through 't.ops->next->m' is left an indirect call: it goes through 't.ops'" } */
  r += impl->next->m (4); /* { dg-message "call through 'impl->next->m' is left an indirect call: it goes through 'impl->next', a pointer in the struct that static call ops pointer 'impl' points to; only the function-pointer members of that struct are keys" } */
  r += impl->m (5); /* { dg-message "call through 'impl->m' is static call site of key 'ik->m'" } */
  r += t.a (6); /* { dg-message "call through 't.a' is static call site of key 'tk.a'" } */
  return r;
}

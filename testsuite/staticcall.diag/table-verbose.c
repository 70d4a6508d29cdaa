/* -fplugin-arg-staticcall-verbose on a table: sites are named after
   KEY.member, stores say what they retarget, and a call through an
   array of function pointers in the table, or through a local copy of
   a member or of a pointer, says why it stays indirect.  */
/* { dg-do compile } */
/* { dg-options "-fplugin-arg-staticcall-verbose" } */
#include <string.h>
typedef int fn_t (int);
struct sub { fn_t *x; };
struct ops { fn_t *a; struct sub s; fn_t *arr[2]; };
struct ops t __attribute__ ((static_call (tk)));
fn_t *p __attribute__ ((static_call (pk)));
extern const struct ops other;

int
use (int i, fn_t *f)
{
  int r = t.a (1); /* { dg-message "call through 't.a' is static call site of key 'tk.a'" } */
  r += t.s.x (2); /* { dg-message "call through 't.s.x' is static call site of key 'tk.s.x'" } */
  r += t.arr[i] (3); /* { dg-message "call through 't.arr\\\[i\\\]' is left an indirect call: an array in static call table 't' is ordinary data" } */
  fn_t *copy = t.s.x;
  r += copy (4); /* { dg-message "call through 'copy' is left an indirect call: it goes through a copy of 't.s.x', which is a static call; call through 't.s.x' itself" } */
  fn_t *q = p;
  r += q (5); /* { dg-message "call through 'q' is left an indirect call: it goes through a copy of 'p'" } */
  t.s.x = f; /* { dg-message "assignment to 't.s.x' retargets static call key 'tk.s.x'" } */
  t = other; /* { dg-message "store to 't' retargets the static call keys it covers, in one batch" } */
  memset (&t, 0, sizeof t); /* { dg-message "'memset' on 't' retargets the static call keys it writes" } */
  __atomic_store_n (&t.a, f, __ATOMIC_RELAXED); /* { dg-message "'__atomic_store_8' on 't.a' retargets the static call keys it writes" } */
  return r;
}

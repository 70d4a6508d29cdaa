/* An annotated struct needs a member of pointer-to-function type (in
   it or in a nested struct; arrays of them are ordinary data); a const
   one can never be retargeted; an automatic one has no static
   storage.  */
/* { dg-do compile } */
typedef int fn_t (int);
struct data { int a; long b; fn_t *arr[2]; struct { fn_t **pp; } s; };
struct data d __attribute__ ((static_call (d))); /* { dg-error "'static_call' attribute on 'd', whose type 'struct data' has no member of pointer-to-function type" } */
static int one (int x) { return x; }
struct ops { fn_t *f; };
const struct ops fixed __attribute__ ((static_call (fixed))) = { one }; /* { dg-warning "'static_call' attribute ignored on 'const' table 'fixed', which can never be retargeted" } */
struct later;
extern struct later l __attribute__ ((static_call (l))); /* { dg-error "'static_call' attribute on 'l', whose type 'struct later' is incomplete" } */
int
use (void)
{
  struct ops local __attribute__ ((static_call (local))) = { one }; /* { dg-error "'static_call' attribute on automatic variable 'local'" } */
  return local.f (1);
}

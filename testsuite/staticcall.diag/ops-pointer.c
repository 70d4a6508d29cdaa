/* An ops pointer must point to a const struct with a member of
   pointer-to-function type; its address is refused like a pointer's,
   except for the atomic builtins, memcpy and memset.  */
/* { dg-do compile } */
#include <string.h>
typedef int fn_t (int);
struct ops { fn_t *f; int data; };
struct data { int a; };
struct ops *writable __attribute__ ((static_call (w))); /* { dg-error "'static_call' attribute on 'writable', which points to 'struct ops'; an ops pointer must point to a 'const' struct" } */
const struct data *nokeys __attribute__ ((static_call (n))); /* { dg-error "'static_call' attribute on 'nokeys', whose pointed-to type 'const struct data' has no member of pointer-to-function type" } */
const struct ops *impl __attribute__ ((static_call (impl)));
const struct ops **escape = &impl; /* { dg-error "taking the address of static call pointer 'impl'" } */
void take (const void *);

void
uses (const struct ops *o)
{
  take (&impl); /* { dg-error "taking the address of static call pointer 'impl'" } */
  __atomic_store_n (&impl, o, __ATOMIC_SEQ_CST);
  (void) __atomic_exchange_n (&impl, o, __ATOMIC_SEQ_CST);
  memcpy (&impl, &o, sizeof o);
  impl = o;
}
/* { dg-message "the address of a static call pointer or table may only be" "" { target *-*-* } 0 } */

/* The address of an annotated table, of a part of it holding a key, or
   of a key member is refused except as memcpy's, memmove's or memset's
   pointer, or as the atomic builtins' pointer for a key itself; each
   error has a note listing those uses.  Addresses of data members (and
   of an array of function pointers, which is data) are fine.  */
/* { dg-do compile } */
#include <string.h>
typedef int fn_t (int);
struct sub { fn_t *x; long d; };
struct ops { fn_t *a; struct sub s; int data; fn_t *arr[2]; };
struct ops t __attribute__ ((static_call (tk)));
void take (void *);
void *escape = &t; /* { dg-error "taking the address of static call table 't', or of a part of it holding a key" } */
void *escape_sub = &t.s; /* { dg-error "taking the address of static call table 't'" } */
int *fine_data = &t.data;
fn_t **fine_array = &t.arr[1];

void
uses (fn_t *f, struct ops *q)
{
  take (&t); /* { dg-error "taking the address of static call table 't'" } */
  take (&t.s); /* { dg-error "taking the address of static call table 't'" } */
  fn_t **pm = &t.a; /* { dg-error "taking the address of static call table 't'" } */
  *pm = f;
  memcpy (q, &t.s.x, sizeof (fn_t *));
  take (&t.s.d);
  __atomic_store_n (&t.s.x, f, __ATOMIC_SEQ_CST);
  __atomic_store (&t.a, &f, __ATOMIC_SEQ_CST);
  memset (&t.s, 0, sizeof t.s);
  memcpy (&t, q, sizeof t);
  memmove (&t.s, &q->s, sizeof t.s);
  (void) __atomic_load_n (&t.a, __ATOMIC_RELAXED);
  (void) __atomic_fetch_add (&t.data, 1, __ATOMIC_RELAXED);
  /* A memcpy's other arguments are still checked.  */
  memcpy (q, &t, (size_t) &t.a); /* { dg-error "taking the address of static call table 't'" } */
}
/* { dg-message "the address of a static call pointer or table may only be" "" { target *-*-* } 0 } */

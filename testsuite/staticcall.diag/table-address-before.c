/* The address of a table, or of a key member, taken before a
   redeclaration adds the attribute is diagnosed too; the address of a
   data member is not.  The same for an ops pointer.  */
/* { dg-do compile } */
typedef int fn_t (int);
struct ops { fn_t *a; int data; };
struct ops t;
void *early = &t; /* { dg-error "taking the address of static call table 't'" } */
int *data = &t.data;

fn_t **
in_function (void)
{
  return &t.a; /* { dg-error "taking the address of static call table 't'" } */
}

const struct ops *impl;
const struct ops **early_impl = &impl; /* { dg-error "taking the address of static call pointer 'impl'" } */

extern struct ops t __attribute__ ((static_call (k))); /* { dg-message "'t' is declared a static call table here" } */
extern const struct ops *impl __attribute__ ((static_call (ik))); /* { dg-message "'impl' is declared a static call pointer here" } */
/* { dg-message "the address of a static call pointer or table may only be" "" { target *-*-* } 0 } */

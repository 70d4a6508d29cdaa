/* The address taken in an initializer or a function before a
   redeclaration adds the attribute is diagnosed too.  */
/* { dg-do compile } */
static int one (void) { return 1; }
int (*p) (void) = one;
int (**early) (void) = &p; /* { dg-error "taking the address of static call pointer 'p'" } */

void *
in_function (void)
{
  void *q = &p; /* { dg-error "taking the address of static call pointer 'p'" } */
  return q;
}

extern int (*p) (void) __attribute__ ((static_call (k))); /* { dg-message "'p' is declared a static call pointer here" } */

int (*plain) (void) = one;
int (**fine) (void) = &plain;
/* Each error has a note listing the allowed uses.  */
/* { dg-message "the address of a static call pointer or table may only be" "" { target *-*-* } 0 } */

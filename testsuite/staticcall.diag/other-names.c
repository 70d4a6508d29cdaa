/* Another name for an annotated pointer would let a store bypass the
   runtime: an alias, a weakref, or an asm label with its symbol.  */
/* { dg-do compile } */
static int one (void) { return 1; }
int (*p) (void) __attribute__ ((static_call (k))) = one; /* { dg-message "'p' declared here" } */

extern int (*alias_p) (void) __attribute__ ((alias ("p"))); /* { dg-error "'alias_p' names the same object as static call pointer 'p'; a store through it would bypass the runtime" } */
static int (*weak_p) (void) __attribute__ ((weakref ("p"))); /* { dg-error "'weak_p' names the same object as static call pointer 'p'" } */
extern int (*label_p) (void) __asm__ ("p"); /* { dg-error "'label_p' names the same object as static call pointer 'p'" } */

void
set (void)
{
  alias_p = one;
  weak_p = one;
  label_p = one;
}

int (*q) (void) = one;
extern int (*alias_q) (void) __attribute__ ((alias ("q"), static_call (kq))); /* { dg-error "static call pointer 'alias_q' cannot be an alias of another variable" } */

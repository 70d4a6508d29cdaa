/* `&p' in a function body is an error whatever happens to the function
   later: in a static function that is never emitted at -O2 (nested
   functions: address-nested-function.c; a pointer that a later
   redeclaration annotates: address-before-attribute.c).  The check used to run
   on GIMPLE, which an unused static function never reaches.  */
/* { dg-do compile } */
/* { dg-options "-O2" } */
static void nop (void) {}
void (*hook) (void) __attribute__ ((static_call (hook))) = nop;

static void *
never_emitted (void)
{
  return &hook; /* { dg-error "taking the address of static call pointer 'hook'" } */
}

int
locals_are_fine (void)
{
  static void (*s) (void);
  void (*a) (void) = nop;
  void *q = &s, *r = &a;
  return q != r;
}
/* Each error has a note listing the allowed uses.  */
/* { dg-message "the address of a static call pointer or table may only be" "" { target *-*-* } 0 } */

/* `&p' in a nested function (GNU C), whose body is not part of its
   parent's.  */
/* { dg-do compile } */
static void nop (void) {}
void (*hook) (void) __attribute__ ((static_call (hook))) = nop;

int
outer (void)
{
  void *
  nested (void)
  {
    void *q = &hook; /* { dg-error "taking the address of static call pointer 'hook'" } */
    return q;
  }
  return nested () != 0;
}
/* Each error has a note listing the allowed uses.  */
/* { dg-message "the address of a static call pointer or table may only be" "" { target *-*-* } 0 } */

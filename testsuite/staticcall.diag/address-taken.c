/* { dg-do compile } */
static void nop (void) {}
void (*hook) (void) __attribute__ ((static_call (hook))) = nop;
void *escape = &hook; /* { dg-error "taking the address of static call pointer 'hook'" } */

void **
leak (void)
{
  void **p;
  p = (void **) &hook; /* { dg-error "taking the address of static call pointer 'hook'" } */
  return p;
}
/* Each error has a note listing the allowed uses.  */
/* { dg-message "the address of a static call pointer or table may only be" "" { target *-*-* } 0 } */

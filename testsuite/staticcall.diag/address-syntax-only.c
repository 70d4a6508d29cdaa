/* -fsyntax-only parses but generates nothing: `&p' must still be
   diagnosed.  */
/* { dg-do compile } */
/* { dg-options "-fsyntax-only" } */
static void nop (void) {}
void (*hook) (void) __attribute__ ((static_call (hook))) = nop;

void *
leak (void)
{
  return &hook; /* { dg-error "taking the address of static call pointer 'hook'" } */
}
/* Each error has a note listing the allowed uses.  */
/* { dg-message "the address of a static call pointer or table may only be" "" { target *-*-* } 0 } */

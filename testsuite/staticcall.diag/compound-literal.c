/* { dg-do compile } */
static int f1 (void) { return 1; }
int (*hook) (void) __attribute__ ((static_call (hook))) = f1;
static int (**const *pp) (void) = (int (**[]) (void)) { &hook }; /* { dg-error "taking the address of static call pointer 'hook'" } */
/* Each error has a note listing the allowed uses.  */
/* { dg-message "the address of a static call pointer or table may only be" "" { target *-*-* } 0 } */

/* { dg-do compile } */
static void f (void) {}
void (*const fixed) (void) __attribute__ ((static_call (k))) = f; /* { dg-warning "'static_call' attribute ignored on 'const' pointer 'fixed', which can never be retargeted" } */

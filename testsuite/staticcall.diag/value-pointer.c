/* A static key or an immediate value is an integer: a pointer is
   refused, with a hint at static_call for pointers to functions.  */
/* { dg-do compile } */
int *ip __attribute__ ((static_key (kp))); /* { dg-error "'static_key' attribute on pointer 'ip'; a static key is an integer variable \\(use 'static_call' for a pointer to function\\)" } */
void (*fp) (void) __attribute__ ((immediate (kf))); /* { dg-error "'immediate' attribute on pointer 'fp'; an immediate value is an integer variable" } */

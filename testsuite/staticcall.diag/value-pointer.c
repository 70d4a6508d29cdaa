/* A static key or immediate value on a pointer is refused, with an
   error that says which.  FAILING: the immediate one says "a immediate
   value".  */
/* { dg-do compile } */
static int *flag __attribute__ ((static_key (flag))); /* { dg-error "'static_key' attribute on pointer 'flag'; a static key is an integer variable" } */
static char *text __attribute__ ((immediate (text))); /* { dg-error "'immediate' attribute on pointer 'text'; an immediate value is an integer variable" } */

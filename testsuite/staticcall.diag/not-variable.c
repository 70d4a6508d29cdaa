/* { dg-do compile } */
void f (void) __attribute__ ((static_call (k))); /* { dg-error "'static_call' attribute only applies to variables" } */

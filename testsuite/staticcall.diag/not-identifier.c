/* { dg-do compile } */
void (*fp) (void) __attribute__ ((static_call ("quoted"))); /* { dg-error "'static_call' attribute argument must be an identifier" } */

/* { dg-do compile } */
int on __attribute__ ((static_key ("quoted"))); /* { dg-error "'static_key' attribute argument must be an identifier" } */
int n __attribute__ ((immediate (1))); /* { dg-error "'immediate' attribute argument must be an identifier" } */

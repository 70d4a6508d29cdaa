/* GCC stores to an _Atomic object through its address: refused.  */
/* { dg-do compile } */
int (*_Atomic p) (void) __attribute__ ((static_call (k))); /* { dg-error "'static_call' attribute on '_Atomic' variable 'p'; the runtime already makes updates atomic" } */

/* Sites, trampolines and records are x86-64 LP64 code.  */
/* { dg-do compile } */
/* { dg-options "-m32" } */
int (*p) (void) __attribute__ ((static_call (k))); /* { dg-error "'static_call' attribute needs the x86-64 LP64 ABI; it is not supported with '-m32' or '-mx32'" } */

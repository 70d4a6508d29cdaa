/* { dg-do compile } */
/* { dg-options "-m32" } */
int on __attribute__ ((static_key (k))); /* { dg-error "'static_key' attribute needs the x86-64 LP64 ABI; it is not supported with '-m32' or '-mx32'" } */

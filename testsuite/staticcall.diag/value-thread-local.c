/* { dg-do compile } */
_Thread_local int t __attribute__ ((static_key (kt))); /* { dg-error "'static_key' attribute on thread-local variable 't'" } */
__thread long n __attribute__ ((immediate (kn))); /* { dg-error "'immediate' attribute on thread-local variable 'n'" } */

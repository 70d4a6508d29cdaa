/* { dg-do compile } */
__thread void (*per_thread) (void) __attribute__ ((static_call (k))); /* { dg-error "'static_call' attribute on thread-local variable 'per_thread'" } */

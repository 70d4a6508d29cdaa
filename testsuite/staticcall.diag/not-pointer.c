/* { dg-do compile } */
int counter __attribute__ ((static_call (k1))); /* { dg-error "'static_call' attribute applies only to pointers to functions and to structs; 'counter' has type 'int'" } */

/* { dg-do compile } */
int *data __attribute__ ((static_call (k2))); /* { dg-error "applies only to pointers to functions and to structs; 'data' points to data" } */

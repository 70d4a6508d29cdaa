/* { dg-do compile } */
void (*first) (void) __attribute__ ((static_call (shared))); /* { dg-message "'first' given key 'shared' here" } */
void (*second) (void) __attribute__ ((static_call (shared))); /* { dg-error "static call key 'shared' given to 'second', but it already names 'first'" } */

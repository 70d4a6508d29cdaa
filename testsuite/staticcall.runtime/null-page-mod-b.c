/* A second unit of null-page.c.  */
#include <static_call.h>
extern int (*null_page_op) (int) STATIC_CALL (null_page_op);
int call_b (int x) { return null_page_op (x); }

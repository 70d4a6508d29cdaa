/* Loop conditions on a static key are branch sites too: `while (v)',
   a `for' condition with `&& !v', `do ... while (v)'.  */
/* { dg-do assemble } */
#include <static_call.h>

_Bool on STATIC_KEY (k_on);
int level STATIC_KEY (k_level);

extern void work (int);

void w (int x) { while (on) work (x); }
void fo (int n) { for (int i = 0; i < n && !level; i++) work (i); }
void dw (int x) { do work (x); while (level); }

/* { dg-final { value-sites-ok 3 3 } } */
/* While the key is off, `while (on)' returns at once; its site's jump
   enters the loop.  */
/* { dg-final { value-branch-path w ret work } } */

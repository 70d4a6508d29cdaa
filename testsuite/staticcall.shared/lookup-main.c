/* Built without the plugin; shared.exp links it with and without
   -lstaticcall and checks the library's warning about lookup order.  */
#include <stdio.h>

long lookup_call (long);
void lookup_switch (void);

int
main (void)
{
  long a = lookup_call (1);
  lookup_switch ();
  long b = lookup_call (1);
  printf ("lookup %ld %ld\n", a, b);
  return a == 2 && b == 3 ? 0 : 1;
}

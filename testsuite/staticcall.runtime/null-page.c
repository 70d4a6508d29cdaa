/* Near slots never go at page 0.  A non-PIE executable sits at 4 MiB,
   so the search for memory near its sites, in 2 MiB steps, reached
   address 0 for the third unit that needed a slot area, and root may
   map there: NULL then no longer faulted.  Three units call a key
   whose target is in a dlopen'ed module, out of rel32 reach, so each
   needs a slot area near the executable.  Only root can map page 0, so
   the test is UNSUPPORTED for others.  */
/* { sc-options "-fno-pie -no-pie" } */
/* { sc-sources "null-page-mod-b.c" } */
/* { sc-sources "null-page-mod-c.c" } */
/* { sc-module "null-page-mod.c" } */
/* { sc-run "" } */
#include <dlfcn.h>
#include <unistd.h>

#include "sc-test.h"

static int plus1 (int x) { return x + 1; }

int (*null_page_op) (int) STATIC_CALL (null_page_op) = plus1;

int call_b (int);
int call_c (int);

__attribute__ ((noinline)) static int
call_a (int x)
{
  return null_page_op (x);
}

int
main (void)
{
  if (geteuid () != 0)
    sc_test_unsupported ("not root: page 0 cannot be mapped anyway");
  void *h = dlopen (getenv ("SC_MODULE"), RTLD_NOW);
  CHECK (h);
  int (*far) (int) = (int (*) (int)) dlsym (h, "null_page_far");
  CHECK (far);
  null_page_op = far;
  CHECK (call_a (1) == 1001 && call_b (1) == 1001 && call_c (1) == 1001);

  FILE *f = fopen ("/proc/self/maps", "r");
  CHECK (f);
  char line[512];
  int low = 0;
  while (fgets (line, sizeof line, f))
    if (strtoul (line, NULL, 16) < 0x10000)
      {
	fprintf (stderr, "mapped at the bottom: %s", line);
	low = 1;
      }
  fclose (f);
  CHECK (!low);
  printf ("nothing mapped below 64 KiB\n");
  return 0;
}

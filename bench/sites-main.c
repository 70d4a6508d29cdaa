/* sites-main: a main program for one generated file of call sites
   (bench/gen-sites.py), so that bench/code-size.py can link the
   10000-site file into an executable with and without the plugin and
   compare their sizes.  Build with -DSITES=N, the file's site count;
   the program runs the first function of sites once.  */

#include <static_call.h>

#define PASTE_(a, b) a##b
#define PASTE(a, b) PASTE_ (a, b)
#define KEY PASTE (gen_, SITES)
#define FIRST PASTE (PASTE (sites_, SITES), _0_0)

typedef unsigned gen_fn (unsigned);

static unsigned __attribute__ ((noipa))
target (unsigned h)
{
  return h * 3 + 1;
}

gen_fn *KEY STATIC_CALL (KEY) = target;

extern unsigned FIRST (unsigned);

int
main (void)
{
  return FIRST (0) == 0;
}

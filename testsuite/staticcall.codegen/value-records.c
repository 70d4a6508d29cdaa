/* A unit with value sites is of version 4, also with call sites: its
   descriptor has the value sites' count and table; each variable with
   sites has one key record (SC_KEY_BRANCH 4 or SC_KEY_IMMEDIATE 8,
   SC_KEY_SIGNED 16, the size in bits 8-15, SC_KEY_INTERNAL 1), named
   after its key, after the call keys.  A variable without sites in the
   unit has no record.  */
/* { dg-do assemble } */
#include <static_call.h>

_Bool on STATIC_KEY (k_on);
static int level STATIC_KEY (k_level);
long n STATIC_IMMEDIATE (k_n);
static unsigned short u STATIC_IMMEDIATE (k_u);
int unread STATIC_KEY (k_unread);
int (*hook) (int) STATIC_CALL (k_hook);

extern void trace (void);

int
f (int x)
{
  if (on)
    trace ();
  if (level)
    trace ();
  unread = x;
  return hook (x) + n + u;
}

void set_level (int v) { level = v; u = v; }

/* { dg-final { value-sites-ok 4 2 } } */
/* { dg-final { unit-version 4 } } */
/* { dg-final { scan-assembler "\\.LSC_unit:\n\t\\.long\t4, 1, 5, 0\n" } } */
/* { dg-final { scan-assembler "\t\\.quad\ton\n\t\\.quad\t\\.LSCVN\[0-9\]+\n\t\\.quad\t0\n\t\\.quad\t260\n" } } */
/* { dg-final { scan-assembler "\t\\.quad\tlevel\n\t\\.quad\t\\.LSCVN\[0-9\]+\n\t\\.quad\t0\n\t\\.quad\t1045\n" } } */
/* { dg-final { scan-assembler "\t\\.quad\tn\n\t\\.quad\t\\.LSCVN\[0-9\]+\n\t\\.quad\t0\n\t\\.quad\t2072\n" } } */
/* { dg-final { scan-assembler "\t\\.quad\tu\n\t\\.quad\t\\.LSCVN\[0-9\]+\n\t\\.quad\t0\n\t\\.quad\t521\n" } } */
/* { dg-final { scan-assembler "\t\\.string\t\"k_level\"\n" } } */
/* { dg-final { scan-assembler-not "\"k_unread\"" } } */

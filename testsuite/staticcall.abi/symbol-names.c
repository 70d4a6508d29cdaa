/* Annotated pointers whose symbol is not their C name, or may be
   missing: a pointer with an `asm' label (static and public), a weak
   definition, and a weak declaration that no object defines.  The
   label's leading `*' reached the generated assembly, which the
   assembler refused; the undefined weak pointer failed to link
   (its trampoline and key record named it without `.weak').  */
#include <stdio.h>
#include <stdlib.h>
#include <static_call.h>
#include "abi-check.h"

static long one (long x) { return x + 1; }
static long two (long x) { return x + 2; }

long (*labelled) (long) __asm__ ("sc_labelled_sym") STATIC_CALL (labelled)
  = one;
static long (*slabelled) (long) __asm__ ("sc_static_labelled_sym")
  STATIC_CALL (slabelled) = one;
__attribute__ ((weak)) long (*weakdef) (long) STATIC_CALL (weakdef) = one;
extern long (*missing) (long) STATIC_CALL (missing) __attribute__ ((weak));

/* Never run: calling an undefined weak pointer faults, with or without
   the plugin.  */
__attribute__ ((noinline)) long
call_missing (long x)
{
  return missing (x) + 1;
}

int
main (int argc, char **argv)
{
  (void) argv;
  if (argc > 100)
    return (int) call_missing (argc);
  check ("asm label", labelled (1), 2);
  check ("static asm label", slabelled (1), 2);
  check ("weak definition", weakdef (1), 2);
  labelled = two;
  slabelled = two;
  weakdef = two;
  check ("asm label, updated", labelled (1), 3);
  check ("static asm label, updated", slabelled (1), 3);
  check ("weak definition, updated", weakdef (1), 3);
  check_sites ();
  return 0;
}

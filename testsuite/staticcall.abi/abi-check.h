/* Helpers shared by the ABI run tests (not a test itself: abi.exp runs
   the *.c files only).

   check () and check_real () print a result and abort unless it is the
   expected one.  check_sites () verifies, in a build with the plugin,
   that every registered site goes where its pointer points: directly when the
   target is within rel32 reach, else through its trampoline (or any
   other indirection the runtime has for far targets), a conditional
   site of a NULL pointer a NOP, a call of static_call_return0 the
   clearing of %rax, a static key's branch site jumps exactly while
   taken, an immediate site holds its variable's value, and that no
   site is refused.  It prints nothing, so the output stays the same
   with and without the plugin.  */
#ifndef ABI_CHECK_H
#define ABI_CHECK_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <static_call.h>

#include "../../tools/x86-insn.h"

#ifdef __STATICCALL__
/* The value of a static key or immediate value of SIZE bytes at VAR,
   zero-extended as its immediate sites hold it.  */
static unsigned long long
value_at (const void *var, int size)
{
  switch (size)
    {
    case 1: return *(const volatile uint8_t *) var;
    case 2: return *(const volatile uint16_t *) var;
    case 4: return *(const volatile uint32_t *) var;
    default: return *(const volatile uint64_t *) var;
    }
}

/* A site of a static key jumps exactly while its branch is taken; an
   immediate site holds the variable's value.  */
static int
check_value_site (const struct static_call_site_info *s)
{
  unsigned long long v = value_at (s->var, s->size);
  if (s->kind == STATIC_CALL_KIND_BRANCH)
    {
      int taken = (v != 0) != (s->inverted != 0);
      return s->length == 5
	     && (taken ? s->state == STATIC_CALL_SITE_JUMP
			 && s->calls == s->target
		       : s->state == STATIC_CALL_SITE_FALLTHROUGH
			 && !s->calls);
    }
  unsigned long long mask = s->size == 8 ? ~0ull
			   : (1ull << 8 * s->size) - 1;
  return s->state == STATIC_CALL_SITE_IMMEDIATE
	 && ((unsigned long long) s->value & mask) == v;
}

static int
check_one_site (const struct static_call_site_info *s, void *arg)
{
  if (s->kind != STATIC_CALL_KIND_CALL)
    {
      ++*(int *) arg;
      if (!check_value_site (s))
	{
	  fprintf (stderr, "value site %p of key %s: kind %d, state %d, "
		   "value %lld, length %d\n", s->addr, s->key, (int) s->kind,
		   (int) s->state, s->value, s->length);
	  abort ();
	}
      return 0;
    }
  const void *target = *(void *const *) s->var;
  int reachable = target && sc_x86_rel32_reaches ((unsigned long) s->addr,
						   (unsigned long) target);
  int ok;

  ++*(int *) arg;
  switch (s->state)
    {
    case STATIC_CALL_SITE_DIRECT:
      ok = s->calls == target;
      break;
    case STATIC_CALL_SITE_TRAMPOLINE:
      ok = s->calls == s->trampoline && !reachable;
      break;
    case STATIC_CALL_SITE_REFUSED:
      ok = 0;
      break;
    case STATIC_CALL_SITE_NOP:
      ok = !target && s->conditional && !s->calls;
      break;
    case STATIC_CALL_SITE_RETURN0:
      ok = target == (const void *) static_call_return0 && !s->tail
	   && !s->calls;
      break;
    default:
      /* Some other way to a target out of rel32 reach.  */
      ok = target && !reachable;
      break;
    }
  if (!ok)
    {
      fprintf (stderr, "site %p of key %s: state %d, calls %p, pointer %p\n",
	       s->addr, s->key, (int) s->state, s->calls, target);
      abort ();
    }
  return 0;
}
#endif

/* Print what a call gave and abort unless it is what it must be: the
   printed lines are compared between the plain and the plugin build.  */
static void __attribute__ ((unused))
check (const char *what, long long got, long long want)
{
  printf ("%s = %lld\n", what, got);
  if (got != want)
    abort ();
}

static void __attribute__ ((unused))
check_real (const char *what, double got, double want)
{
  printf ("%s = %.17g\n", what, got);
  if (got != want)
    abort ();
}

static void __attribute__ ((unused))
check_sites (void)
{
#ifdef __STATICCALL__
  int n = 0;
  static_call_for_each_site (check_one_site, &n);
  if (n == 0)
    abort ();
#endif
}

#endif /* ABI_CHECK_H */

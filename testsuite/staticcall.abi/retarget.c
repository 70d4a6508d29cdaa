/* Retargeting static calls: plain assignment, static_call_update (its
   status must be 0), hundreds of retargets in a loop alternating
   between targets, static_call_query against the expected function,
   assignments from an ordinary pointer variable, from another key's
   pointer, from a call's result, from a conditional expression, from a
   `void *' (the dlsym idiom), chained assignments, NULL and back, a C
   library function as target (out of rel32 reach unless static), and
   a key with internal linkage.  */
#include <stdio.h>
#include <stdlib.h>
#include <static_call.h>
#include "abi-check.h"

typedef int fn_t (int);

static int add1 (int x) { return x + 1; }
static int add2 (int x) { return x + 2; }
static int mul3 (int x) { return x * 3; }
static int neg (int x) { return -x; }

fn_t *p STATIC_CALL (p) = add1;
fn_t *q STATIC_CALL (q) = mul3;
/* Internal linkage: its trampoline is a local symbol.  */
static fn_t *sp STATIC_CALL (sp) = neg;
/* Assigned but never called: a key without sites.  */
fn_t *unused STATIC_CALL (unused) = add1;

static const char *
name_of (fn_t *f)
{
  return f == add1 ? "add1" : f == add2 ? "add2" : f == mul3 ? "mul3"
	 : f == neg ? "neg" : f == NULL ? "NULL" : f == abs ? "abs" : "?";
}

static void
expect (const char *what, fn_t *ptr, fn_t *want, int got, int want_val)
{
  printf ("%s: %s, %d\n", what, name_of (ptr), got);
  if (ptr != want || got != want_val)
    abort ();
}

static fn_t *__attribute__ ((noinline))
pick (int i)
{
  static fn_t *const table[] = { add1, add2, mul3, neg };
  return table[i & 3];
}

static volatile int v_ten = 10;
fn_t *plain_ptr = add2;
void *opaque;

int
main (void)
{
  int ten = v_ten;
  int r;

  expect ("initial p", static_call_query (p), add1, p (ten), 11);
  expect ("initial sp", static_call_query (sp), neg, sp (ten), -10);

  p = add2;
  expect ("p = add2", static_call_query (p), add2, p (ten), 12);

  r = static_call_update (p, mul3);
  printf ("update status %d\n", r);
  if (r != 0)
    abort ();
  expect ("update (p, mul3)", static_call_query (p), mul3, p (ten), 30);

  /* To the same target again.  */
  r = static_call_update (p, mul3);
  if (r != 0)
    abort ();
  expect ("update (p, mul3) again", static_call_query (p), mul3, p (ten), 30);

  r = static_call_update (sp, add1);
  if (r != 0)
    abort ();
  expect ("update (sp, add1)", static_call_query (sp), add1, sp (ten), 11);
  sp = mul3;
  expect ("sp = mul3", static_call_query (sp), mul3, sp (ten), 30);

  /* Many retargets, alternating, by both forms.  */
  long sum = 0;
  for (int i = 0; i < 300; i++)
    {
      fn_t *want = (i & 1) ? add1 : neg;
      if (i % 3 == 0)
	p = want;
      else if (static_call_update (p, want) != 0)
	abort ();
      if (static_call_query (p) != want)
	abort ();
      sum += p (i);
      if (i % 50 == 0)
	check_sites ();
    }
  /* Odd i: i + 1; even i: -i.  */
  printf ("loop sum %ld\n", sum);
  if (sum != 150L * 150 + 150 - 149L * 150)
    abort ();

  /* From an ordinary pointer variable, and from another key.  */
  p = plain_ptr;
  expect ("p = plain_ptr", static_call_query (p), add2, p (ten), 12);
  p = q;
  expect ("p = q", static_call_query (p), mul3, p (ten), 30);
  q = sp;
  expect ("q = sp", static_call_query (q), mul3, q (ten), 30);

  /* From a call's result and a conditional.  */
  for (int i = 0; i < 4; i++)
    {
      p = pick (i);
      if (static_call_query (p) != pick (i))
	abort ();
      printf ("pick %d: %s %d\n", i, name_of (p), p (ten));
    }
  p = ten > 5 ? add1 : add2;
  expect ("p = cond", static_call_query (p), add1, p (ten), 11);

  /* Through `void *', as from dlsym.  */
  opaque = (void *) neg;
  p = (fn_t *) opaque;
  expect ("p = (fn_t *) opaque", static_call_query (p), neg, p (ten), -10);

  /* Chained.  */
  p = q = sp = add2;
  expect ("chain p", static_call_query (p), add2, p (ten), 12);
  expect ("chain q", static_call_query (q), add2, q (ten), 12);
  expect ("chain sp", static_call_query (sp), add2, sp (ten), 12);

  /* NULL (not called), then back.  */
  p = NULL;
  if (static_call_query (p) != NULL)
    abort ();
  check_sites ();
  p = add1;
  expect ("p = add1 after NULL", static_call_query (p), add1, p (ten), 11);

  /* A C library function, and back.  */
  p = abs;
  expect ("p = abs", static_call_query (p), abs, p (-ten), 10);
  check_sites ();
  p = neg;
  expect ("p = neg", static_call_query (p), neg, p (-ten), 10);

  unused = add2;
  unused = neg;
  if (static_call_query (unused) != neg)
    abort ();
  check_sites ();
  return 0;
}

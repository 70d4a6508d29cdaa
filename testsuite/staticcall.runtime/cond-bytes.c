/* Conditional sites and static_call_return0, read back from the code
   bytes.  A guarded call `if (p) p (x);' is one conditional site: a
   5-byte NOP while P is NULL (`ret' when it is a sibling call) and a
   call straight to the target otherwise.  A call site whose target is
   static_call_return0 holds cs cs cs xor %eax, %eax, for results of
   type int, long, pointer and _Bool; a tail site still jumps to it.
   An unguarded call through NULL faults as in plain C (in a child).  */
/* { sc-levels "-O1 -O3" } */
/* { sc-run "" } */
/* { sc-run "STATICCALL_BP=trampoline" } */
/* { sc-run "STATICCALL_WRITER=mprotect" } */

#include "sc-test.h"

static int hits;
static void bump (int x) { hits += x; }
static void bump2 (int x) { hits += 2 * x; }
static long add1 (long x) { return x + 1; }
static int iadd1 (int x) { return x + 1; }
static void *self (void) { return (void *) &hits; }
static _Bool yes (void) { return 1; }

void (*hook) (int) STATIC_CALL (cb_hook);
long (*num) (long) STATIC_CALL (cb_num) = add1;
int (*inum) (int) STATIC_CALL (cb_inum) = iadd1;
void *(*pnum) (void) STATIC_CALL (cb_pnum) = self;
_Bool (*bnum) (void) STATIC_CALL (cb_bnum) = yes;

/* A guarded call with code after it (never a sibling call), and one
   that ends its function (a sibling call at -O2).  */
__attribute__ ((noinline, noclone)) void
guarded (int x)
{
  if (hook)
    hook (x);
  hits += 100;
}

__attribute__ ((noinline, noclone)) void
guarded_tail (int x)
{
  if (hook != NULL)
    hook (x);
}

__attribute__ ((noinline, noclone)) void
unguarded (int x)
{
  hook (x);
  hits += 1000;
}

__attribute__ ((noinline, noclone)) long use_num (long x) { return num (x) + 1; }
__attribute__ ((noinline, noclone)) long tail_num (long x) { return num (x); }
__attribute__ ((noinline, noclone)) int use_inum (int x) { return inum (x) * 2; }
__attribute__ ((noinline, noclone)) char *use_pnum (void) { return (char *) pnum () + 1; }
__attribute__ ((noinline, noclone)) int use_bnum (void) { return bnum () ? 5 : 6; }

enum want { W_CALL, W_NOP, W_ZERO };

struct expect
{
  const char *key;
  enum want want;
  const void *target;
  int seen, conditional, nop, ret, zero, direct, wrong;
};

static int
check_site (const struct static_call_site_info *s, void *arg)
{
  struct expect *e = arg;
  if (strcmp (s->key, e->key))
    return 0;
  e->seen++;
  e->conditional += s->conditional;
  const unsigned char *b = s->addr;
  int tail = -1;
  if (sc_x86_is_nop5 (b))
    e->nop++;
  else if (sc_x86_is_ret5 (b))
    e->ret++;
  else if (sc_x86_is_zero_rax5 (b))
    e->zero++;
  else if (sc_x86_is_rel32 (b) && sc_x86_rel32_dest (b, &tail) == e->target)
    e->direct++;
  int ok;
  switch (e->want)
    {
    case W_NOP:
      /* A NOP, or ret for a sibling call; reported as one.  An
	 unguarded site calls its trampoline, to fault there.  */
      if (s->conditional)
	ok = sc_test_site_is_nop (s) && !s->target;
      else
	ok = sc_test_site_is_trampoline (s);
      break;
    case W_ZERO:
      ok = s->tail ? sc_x86_is_rel32 (b) && tail == 1
		   : sc_x86_is_zero_rax5 (b)
		     && s->state == STATIC_CALL_SITE_RETURN0 && !s->calls;
      ok = ok && s->target == (const void *) static_call_return0;
      break;
    default:
      ok = sc_test_site_is_direct (s, e->target);
      break;
    }
  if (!ok)
    {
      static const char *const want[] = { "a call", "a NOP", "return 0" };
      sc_test_site_wrong (s, want[e->want]);
      e->wrong++;
    }
  return 0;
}

static struct expect
expect (const char *key, enum want want, const void *target)
{
  struct expect e = { key, want, target, 0, 0, 0, 0, 0, 0, 0 };
  static_call_for_each_site (check_site, &e);
  CHECK (e.wrong == 0);
  return e;
}

int
main (void)
{
  /* NULL from the start: the two guarded sites are NOPs (or ret), the
     unguarded one calls its trampoline.  */
  struct expect e = expect ("cb_hook", W_NOP, NULL);
  CHECK (e.seen == 3);
  CHECK (e.conditional == 2 && e.nop + e.ret == 2);
  hits = 0;
  guarded (1);
  guarded_tail (1);
  CHECK (hits == 100);
  /* Not guarded: faults, as plain C does.  */
  CHECK (sc_test_child_signal (unguarded, 1) == SIGSEGV);

  void (*order[]) (int) = { bump, NULL, bump2, bump, NULL, NULL, bump2 };
  for (unsigned i = 0; i < sizeof order / sizeof *order; i++)
    {
      if (i % 2)
	hook = order[i];
      else
	CHECK (static_call_update (hook, order[i]) == 0);
      hits = 0;
      guarded (3);
      guarded_tail (5);
      int want = order[i] == bump ? 8 : order[i] == bump2 ? 16 : 0;
      CHECK (hits == 100 + want);
      e = expect ("cb_hook", order[i] ? W_CALL : W_NOP,
		  (const void *) order[i]);
      if (order[i])
	CHECK (e.direct == 3);
      else
	CHECK (e.nop + e.ret == 2
	       && sc_test_child_signal (unguarded, 1) == SIGSEGV);
    }

  /* static_call_return0 for each kind of result.  */
  num = (long (*) (long)) static_call_return0;
  inum = (int (*) (int)) static_call_return0;
  CHECK (static_call_update (pnum, (void *(*) (void)) static_call_return0)
	 == 0);
  bnum = (_Bool (*) (void)) static_call_return0;
  CHECK (static_call_query (num) == (long (*) (long)) static_call_return0);
  e = expect ("cb_num", W_ZERO, NULL);
  /* -O0 makes no sibling call.  */
  CHECK (e.seen == 2 && e.zero >= 1);
  CHECK (expect ("cb_inum", W_ZERO, NULL).zero == 1);
  CHECK (expect ("cb_pnum", W_ZERO, NULL).zero == 1);
  CHECK (expect ("cb_bnum", W_ZERO, NULL).zero == 1);
  CHECK (use_num (41) == 1 && tail_num (41) == 0);
  CHECK (use_inum (41) == 0 && use_pnum () == (char *) 1 && use_bnum () == 6);

  /* And back.  */
  num = add1;
  bnum = yes;
  CHECK (expect ("cb_num", W_CALL, (const void *) add1).direct == 2);
  CHECK (use_num (41) == 43 && tail_num (41) == 42 && use_bnum () == 5);

  /* A guarded site of static_call_return0: it clears %rax, which is
     as good as the NOP (the value is unused).  */
  hook = (void (*) (int)) static_call_return0;
  hits = 0;
  guarded (1);
  guarded_tail (1);
  CHECK (hits == 100);

  struct static_call_stats st;
  static_call_get_stats (&st);
  CHECK (st.syncs == 3 * st.batches);
  printf ("%lu batches, %lu syncs\n", st.batches, st.syncs);
  return 0;
}

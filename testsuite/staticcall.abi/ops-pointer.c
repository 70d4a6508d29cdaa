/* Ops pointers: calls through the members of the const struct a global
   pointer points to, impl->m (nested too), after each way of pointing
   it elsewhere: assignment, from a call's result, memcpy, and the
   atomic builtins with their old values and compare-and-swap results;
   a static and an external pointer, and one that starts NULL and is
   pointed at an implementation at first use.  After each, every site
   must go to the member of the new pointee (check_sites).  */
/* { sc-levels "-O1 -O3" } */
#include <string.h>
#include "abi-check.h"

typedef long fn_t (long);

static long add1 (long x) { return x + 1; }
static long add2 (long x) { return x + 2; }
static long mul3 (long x) { return x * 3; }
static long neg (long x) { return -x; }

struct impl
{
  fn_t *mac;
  int width;
  struct { fn_t *init, *fini; } ctx;
};

static const struct impl impl_generic = { add1, 1, { add2, mul3 } };
static const struct impl impl_avx2 = { mul3, 2, { neg, add1 } };
static const struct impl impl_sse = { neg, 3, { mul3, add2 } };

static const struct impl *impl STATIC_CALL (mac) = &impl_generic;
const struct impl *ext_impl STATIC_CALL (ext) = &impl_avx2;
static const struct impl *lazy STATIC_CALL (lazy);

static const struct impl *__attribute__ ((noinline))
pick (int i)
{
  static const struct impl *const all[3] = { &impl_generic, &impl_avx2,
					     &impl_sse };
  return all[i % 3];
}

static long
calls (const char *what)
{
  long r = impl->mac (10) + 1000 * impl->ctx.init (10)
	   + 1000000 * impl->ctx.fini (10);
  long e = ext_impl->mac (5) + 100 * ext_impl->ctx.fini (5);
  check_sites ();
  printf ("%s: %ld %ld width %d\n", what, r, e, impl->width);
  return r;
}

static long
lazy_mac (long x)
{
  if (lazy == NULL)
    lazy = pick (2);
  return lazy->mac (x);
}

static volatile int v_one = 1;

int
main (void)
{
  int one = v_one;
  const struct impl *old, *want;

  calls ("initial");
  impl = &impl_avx2;
  calls ("impl = &impl_avx2");
  impl = pick (one + 1);
  calls ("impl = pick (2)");
  ext_impl = impl;
  calls ("ext_impl = impl");
  memcpy (&impl, &ext_impl, sizeof impl);
  calls ("memcpy");
  impl = &impl_generic;

  __atomic_store_n (&impl, &impl_sse, __ATOMIC_SEQ_CST);
  calls ("atomic_store_n");
  old = __atomic_exchange_n (&impl, &impl_avx2, __ATOMIC_ACQ_REL);
  check ("exchange_n old", old == &impl_sse, 1);
  calls ("atomic_exchange_n");
  want = &impl_generic;
  __atomic_store (&ext_impl, &want, __ATOMIC_RELEASE);
  calls ("atomic_store");
  old = &impl_sse;
  check ("cas_n fails", __atomic_compare_exchange_n (&impl, &old,
						    &impl_generic, 0,
						    __ATOMIC_SEQ_CST,
						    __ATOMIC_SEQ_CST), 0);
  check ("cas_n failure gives current", old == &impl_avx2, 1);
  check ("cas_n", __atomic_compare_exchange_n (&impl, &old, &impl_generic,
					      0, __ATOMIC_SEQ_CST,
					      __ATOMIC_SEQ_CST), 1);
  calls ("cas_n");
  check ("load_n", __atomic_load_n (&impl, __ATOMIC_ACQUIRE)
		   == &impl_generic, 1);

  check_sites ();
  check ("lazy first", lazy_mac (4), -4);
  check ("lazy again", lazy_mac (5), -5);
  check_sites ();
  lazy = NULL;
  check_sites ();
  check ("lazy after NULL", lazy_mac (6), -6);
  return 0;
}

/* Far targets, forced: a target function is copied to executable memory
   mapped at a chosen address 64 GiB away from the program's code, beyond
   rel32 reach of every site.  Retargeting to it sends each site through
   a near slot (a `jmp *word' mapped within reach), checked from the code
   bytes; retargeting back makes the sites direct again.  A retpoline
   build (EXPECT_TRAMPOLINE) keeps far sites on the trampoline instead.  */
/* { sc-run "" } */
/* { sc-run "STATICCALL_BP=trampoline STATICCALL_SLOWPATH_US=50" } */

#include "sc-test.h"

static int near_fn (int x) { return x + 1; }
int (*op) (int) STATIC_CALL (far_op) = near_fn;

__attribute__ ((noinline)) static int call_op (int x) { return op (x); }
__attribute__ ((noinline)) static int tail_op (int x) { return op (x); }

int
main (void)
{
  /* lea 7(%rdi), %eax; ret  */
  static const unsigned char code[] = { 0x8d, 0x47, 0x07, 0xc3 };
  unsigned char *far = sc_test_map_far ((const void *) call_op, code,
					sizeof code);
  int (*far_fn) (int) = (int (*) (int)) far;

  op = far_fn;
  CHECK (call_op (1) == 8 && tail_op (2) == 9);
  int n = sc_test_expect_current ("far_op", far);
  struct static_call_stats st;
  static_call_get_stats (&st);
#ifdef EXPECT_TRAMPOLINE
  CHECK (st.far_slot == 0 && st.unreachable == (unsigned long) n);
#else
  CHECK (st.far_slot == (unsigned long) n && st.unreachable == 0);
#endif

  op = near_fn;
  CHECK (call_op (1) == 2);
  CHECK (sc_test_expect_direct ("far_op", (const void *) near_fn) == n);
  op = far_fn;
  CHECK (call_op (1) == 8);
  sc_test_expect_current ("far_op", far);
  printf ("%d far sites: %lu through near slots, %lu on trampolines\n", n,
	  st.far_slot, st.unreachable);
  return 0;
}

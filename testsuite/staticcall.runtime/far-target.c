/* Far targets, forced: a target function is copied to executable memory
   mapped at a chosen address 64 GiB away from the program's code, beyond
   rel32 reach of every site.  Retargeting to it sends each site through
   a near slot (a `jmp *word' mapped within reach), checked from the code
   bytes; retargeting back makes the sites direct again.  A retpoline
   build (EXPECT_TRAMPOLINE) keeps far sites on the trampoline instead.  */
/* { sc-run "" } */
/* { sc-run "STATICCALL_BP=trampoline STATICCALL_SLOWPATH_US=50" } */
#include <sys/mman.h>

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
  uintptr_t here = (uintptr_t) call_op & ~(uintptr_t) 0xfff;
  unsigned char *far = MAP_FAILED;
  for (uintptr_t d = 64UL << 30; far == MAP_FAILED && d < (1UL << 46);
       d += 64UL << 30)
    far = mmap ((void *) (here + d), 4096, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  CHECK (far != MAP_FAILED);
  memcpy (far, code, sizeof code);
  CHECK (mprotect (far, 4096, PROT_READ | PROT_EXEC) == 0);
  int (*far_fn) (int) = (int (*) (int)) far;
  CHECK (!sc_test_reachable ((const void *) call_op, far));

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

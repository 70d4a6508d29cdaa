/* A child of _Fork (which runs no fork handlers) keeps its own far
   targets: the near slots' target words are private memory, so the
   parent retargeting a far key after the fork does not retarget the
   child's calls.  */
#include <sys/wait.h>

#include "sc-test.h"

extern pid_t _Fork (void);

static int near_fn (int x) { return x + 1; }
int (*op) (int) STATIC_CALL (far_fork) = near_fn;

__attribute__ ((noinline)) static int call_op (int x) { return op (x); }

int
main (void)
{
  /* lea 7(%rdi), %eax; ret -- and lea 9(%rdi), %eax; ret at +16.  */
  static const unsigned char code[20] = { 0x8d, 0x47, 0x07, 0xc3,
					  [16] = 0x8d, 0x47, 0x09, 0xc3 };
  unsigned char *far = sc_test_map_far ((const void *) call_op, code,
					sizeof code);
  int (*far7) (int) = (int (*) (int)) far;
  int (*far9) (int) = (int (*) (int)) (far + 16);

  op = far7;
  CHECK (call_op (1) == 8);
  struct static_call_stats st;
  static_call_get_stats (&st);
  CHECK (st.far_slot >= 1);

  int go[2];
  CHECK (pipe (go) == 0);
  pid_t child = _Fork ();
  CHECK (child >= 0);
  if (child == 0)
    {
      char c;
      if (read (go[0], &c, 1) != 1)
	_exit (2);
      _exit (call_op (1) == 8 ? 0 : 1);
    }
  op = far9;	/* a store into the slot's word, in the parent only */
  CHECK (call_op (1) == 10);
  CHECK (write (go[1], "x", 1) == 1);
  int status;
  CHECK (waitpid (child, &status, 0) == child);
  CHECK (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  return 0;
}

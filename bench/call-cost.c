/* call-cost: what one call costs through a static call, compared with
   the alternatives, in one process.

   Five loops, identical but for the call, each make 2^20 dependent
   calls (h = f (h)) of one tiny out-of-line function, `bench_leaf'
   (leal 1(%rdi),%eax; ret, written in assembler so the compiler can
   neither inline nor analyse it):

     direct      call bench_leaf, as the compiler emits it;
     patched     a static call site (key bench_near) that the runtime
		 patched to `call bench_leaf';
     trampoline  `call __static_call_tramp_bench_near.bench_near': the bytes of a
		 site of the same key that was never patched, so the call
		 goes through the key's trampoline (jmp *bench_near(%rip),
		 or a retpoline under -mindirect-branch=thunk) to the same
		 bench_leaf;
     indirect    a call through a pointer loaded from a volatile
		 variable every iteration (`call *%rax', or
		 `call __x86_indirect_thunk_rax' with retpolines);
     far         a static call site (key bench_far) whose target is a
		 copy of bench_leaf mapped more than 2 GiB away, beyond the
		 reach of a rel32 call: whatever the runtime does with such
		 a site (trampoline, or a near slot), as the `site' column
		 says.

   How the trampoline row keeps a site on its trampoline in the same
   process as the patched one: the runtime patches every site it knows
   of, so the loop is not a site at all; it is compiled as a direct call
   to the trampoline symbol the plugin emitted for bench_near (hidden,
   so the call is the same e8 rel32 an unpatched site holds), and the
   runtime, which only rewrites the addresses listed in
   .static_call_sites, never touches it.  It therefore runs exactly the
   instructions a site left on its trampoline runs (for instance under
   STATICCALL_WRITER=none, where every site stays there: `make bench'
   runs this benchmark once that way as a cross-check, and the `site'
   column then says `trampoline' for the patched loop too).
   static_call_for_each_site gives the `site' column: what the runtime
   reports for the key's site.

   Rounds are interleaved (every round runs all the loops, in an order
   rotated from round to round), and the table gives, per loop, the
   median over the rounds of the time per call with the quartiles, and
   the per-round ratios patched/direct, trampoline/patched,
   indirect/patched and far/patched as median [first quartile, third
   quartile].  Timing is CLOCK_MONOTONIC around each loop.  It also
   checks that, once patched, the patched loop's code is the direct
   loop's byte for byte (but for the call's displacement, both going to
   bench_leaf), so that any difference between the two is noise.

   usage: call-cost [-o RESULT.json] [--label NAME] [--rounds N]
		    [--calls LOG2]  */

#include <stdint.h>
#include <sys/mman.h>

#include <static_call.h>

#include "bench-rounds.h"

typedef unsigned leaf_fn (unsigned);

/* The callee, and the end of its bytes (for the far copy).  */
BENCH_DEFINE_LEAF ()

/* External linkage, so that the plugin makes bench_near's trampoline a
   global (hidden) symbol this file can call.  */
leaf_fn *bench_near STATIC_CALL (bench_near) = bench_leaf;
leaf_fn *bench_far STATIC_CALL (bench_far) = bench_leaf;
leaf_fn *volatile bench_plain = bench_leaf;

#ifdef __STATICCALL__
/* The trampoline's name is __static_call_tramp_KEY.POINTER, not a C
   identifier: reach it through an asm label.  */
extern leaf_fn bench_near_trampoline
  __asm__ ("__static_call_tramp_bench_near.bench_near")
  __attribute__ ((visibility ("hidden")));
# define BENCH_TRAMPOLINE bench_near_trampoline
#else
# error "call-cost measures static calls: build it with -fplugin=staticcall"
#endif

/* One loop per way of calling (BENCH_CALL_LOOP: noipa, aligned alike,
   every result kept live).  */
BENCH_CALL_LOOP (loop_direct, bench_leaf (h))
BENCH_CALL_LOOP (loop_patched, bench_near (h))
BENCH_CALL_LOOP (loop_trampoline, BENCH_TRAMPOLINE (h))
BENCH_CALL_LOOP (loop_indirect, bench_plain (h))
BENCH_CALL_LOOP (loop_far, bench_far (h))

enum { V_DIRECT, V_PATCHED, V_TRAMPOLINE, V_INDIRECT, V_FAR, NV };

static const char *const vname[NV] = {
  "direct", "patched", "trampoline", "indirect", "far"
};

static bench_loop_fn *const vloop[NV] = {
  loop_direct, loop_patched, loop_trampoline, loop_indirect, loop_far
};

/* What a site does now, as the runtime reports it.  */
static const char *
state_name (const struct static_call_site_info *s)
{
  if (s->calls == s->trampoline)
    return "trampoline";
  if (s->state == STATIC_CALL_SITE_DIRECT)
    return "direct";
  if (s->state == STATIC_CALL_SITE_REFUSED)
    return "refused";
  return "near-slot";	/* the one other state (static_call.h) */
}

/* A copy of bench_leaf beyond rel32 reach of this executable.  */
static leaf_fn *
far_copy (void)
{
  size_t len = bench_leaf_end - (const unsigned char *) bench_leaf;
  uintptr_t here = (uintptr_t) bench_leaf;
  /* Ask for 64 GiB away, either side; take what the kernel gives if it
     is far enough.  */
  uintptr_t hints[] = { here + (64ul << 30), here - (64ul << 30), 0 };
  for (size_t i = 0; i < sizeof hints / sizeof *hints; i++)
    {
      unsigned char *p = mmap ((void *) hints[i], 4096,
			       PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (p == MAP_FAILED)
	continue;
      intptr_t d = (intptr_t) p - (intptr_t) here;
      if (d > (1l << 32) || d < -(1l << 32))
	{
	  memcpy (p, (const void *) bench_leaf, len);
	  if (mprotect (p, 4096, PROT_READ | PROT_EXEC) == 0)
	    return (leaf_fn *) p;
	}
      munmap (p, 4096);
    }
  fprintf (stderr, "call-cost: cannot map a page beyond rel32 reach\n");
  exit (2);
}

int
main (int argc, char **argv)
{
  FILE *out = bench_open_result (argc, argv);
  const char *label = bench_label_arg (argc, argv);
  int rounds = bench_rounds_arg (argc, argv, 51);
  long calls = 1l << bench_long_arg (argc, argv, "--calls", 20);

  leaf_fn *far = far_copy ();
  int r = static_call_update (bench_far, far);
  (void) r;		/* -EBUSY or the like shows in the state below */
  const char *state[NV] = {
    "-", bench_site_state ("bench_near", state_name), "(never)", "-",
    bench_site_state ("bench_far", state_name)
  };

  /* The loops agree (and are warm).  */
  if (!bench_loops_agree ("call-cost", vname, vloop, NV))
    return 1;

  double *t[NV];
  unsigned sink = bench_rounds (vloop, NV, 1, rounds, calls, calls, t);
  double *ratio_pd = bench_ratio (t[V_PATCHED], t[V_DIRECT], rounds);
  double *ratio_tp = bench_ratio (t[V_TRAMPOLINE], t[V_PATCHED], rounds);
  double *ratio_ip = bench_ratio (t[V_INDIRECT], t[V_PATCHED], rounds);
  double *ratio_fp = bench_ratio (t[V_FAR], t[V_PATCHED], rounds);

  printf ("== call-cost (%s build): ns per call, %d interleaved rounds "
	  "of %ld calls\n", label, rounds, calls);
  bench_machine_print ();
  printf ("  %-11s %-11s %9s %9s %9s %9s\n", "call", "site", "median",
	  "q1", "q3", "/direct");
  double med[NV];
  bench_print_variants (vname, state, med, t, NV, rounds, 11, V_DIRECT);
  struct { const char *name; double *v; } ratios[] = {
    { "patched/direct", ratio_pd },
    { "trampoline/patched", ratio_tp },
    { "indirect/patched", ratio_ip },
    { "far/patched", ratio_fp },
  };
  enum { NR = sizeof ratios / sizeof *ratios };
  /* Whether the patched loop is now the direct loop byte for byte, but
     for the displacement of its call, both calling bench_leaf.  */
  const char *same = bench_same_code (loop_direct, loop_patched, bench_leaf)
		     ? "yes" : "no";
  printf ("  patched loop = direct loop, byte for byte, both calling "
	  "bench_leaf: %s\n", same);
  printf ("  per-round ratios, median [q1, q3]:\n");
  for (int k = 0; k < NR; k++)
    bench_print_ratio (stdout, ratios[k].name, ratios[k].v, rounds, 0, 0);

  if (out)
    {
      bench_json_head (out, "call-cost");
      fprintf (out, "  \"build\": \"%s\",\n  \"rounds\": %d,\n"
	       "  \"calls_per_round\": %ld,\n"
	       "  \"patched_code_is_direct_code\": %s,\n"
	       "  \"ns_per_call\": {\n",
	       label, rounds, calls, !strcmp (same, "yes") ? "true" : "false");
      bench_json_variants (out, vname, state, med, t, NV, rounds);
      fputs ("  },\n  \"ratios\": {\n", out);
      for (int k = 0; k < NR; k++)
	bench_print_ratio (out, ratios[k].name, ratios[k].v, rounds, 1,
			   k + 1 == NR);
      fputs ("  },\n  \"rounds_ns_per_call\": {\n", out);
      bench_json_rounds_end (out, vname, t, NV, rounds);
    }
  return (int) (sink & 0);
}

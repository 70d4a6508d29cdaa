/* The lazy-stub pattern: a table starts full of stubs; the first call
   through any member runs the stub, which picks the implementations
   (as a CPU check would), stores every member with __atomic_store and
   calls again through the table.  8 threads make their first calls at
   once, each through a different member, so stubs run concurrently and
   each stores all members (each stub waits for the others to be in
   theirs).  Every call must give the right result, and
   afterwards every site calls its implementation directly.  */
/* { sc-options "-pthread" } */
/* { sc-levels "-O1 -O3" } */
#include <pthread.h>
#include <stdatomic.h>

#include "sc-test.h"

#define NT 8

struct dispatch
{
  long (*crc) (long);
  long (*adler) (long);
  long (*match) (long);
  long (*copy) (long);
  struct { long (*alloc) (long), (*release) (long); } mem;
  long (*hash) (long);
  long (*fill) (long);
};

extern struct dispatch dispatch STATIC_CALL (lazy);

/* The implementations: member I gives x * 10 + I.  */
#define IMPL(name, i) static long name##_fast (long x) { return x * 10 + i; }
IMPL (crc, 0) IMPL (adler, 1) IMPL (match, 2) IMPL (copy, 3)
IMPL (alloc, 4) IMPL (release, 5) IMPL (hash, 6) IMPL (fill, 7)

static atomic_int stub_runs;

/* Each stub waits (at most 2 s) until every thread is in one, so that
   the stores of all of them race.  */
static void
choose (void)
{
  atomic_fetch_add (&stub_runs, 1);
  SC_TEST_WAIT (atomic_load (&stub_runs) >= NT, 2);
  static const struct dispatch chosen = {
    .crc = crc_fast, .adler = adler_fast, .match = match_fast,
    .copy = copy_fast, .mem = { alloc_fast, release_fast },
    .hash = hash_fast, .fill = fill_fast };
  __atomic_store (&dispatch.crc, &chosen.crc, __ATOMIC_SEQ_CST);
  __atomic_store (&dispatch.adler, &chosen.adler, __ATOMIC_SEQ_CST);
  __atomic_store (&dispatch.match, &chosen.match, __ATOMIC_SEQ_CST);
  __atomic_store (&dispatch.copy, &chosen.copy, __ATOMIC_SEQ_CST);
  __atomic_store (&dispatch.mem.alloc, &chosen.mem.alloc, __ATOMIC_SEQ_CST);
  __atomic_store (&dispatch.mem.release, &chosen.mem.release,
		  __ATOMIC_SEQ_CST);
  __atomic_store (&dispatch.hash, &chosen.hash, __ATOMIC_SEQ_CST);
  __atomic_store (&dispatch.fill, &chosen.fill, __ATOMIC_SEQ_CST);
}

/* A stub's call again through the table must not reach a stub: that
   would loop for ever.  */
static __thread int in_stub;

#define STUB(name, member)						\
  static long name##_stub (long x)					\
  {									\
    CHECK (!in_stub);							\
    in_stub = 1;							\
    choose ();								\
    long r = dispatch.member (x);					\
    in_stub = 0;							\
    return r;								\
  }
STUB (crc, crc) STUB (adler, adler) STUB (match, match) STUB (copy, copy)
STUB (hash, hash) STUB (fill, fill)
STUB (alloc, mem.alloc) STUB (release, mem.release)

struct dispatch dispatch STATIC_CALL (lazy) = {
  .crc = crc_stub, .adler = adler_stub, .match = match_stub,
  .copy = copy_stub, .mem = { alloc_stub, release_stub },
  .hash = hash_stub, .fill = fill_stub };

static long
call (int i, long x)
{
  switch (i)
    {
    case 0: return dispatch.crc (x);
    case 1: return dispatch.adler (x);
    case 2: return dispatch.match (x);
    case 3: return dispatch.copy (x);
    case 4: return dispatch.mem.alloc (x);
    case 5: return dispatch.mem.release (x);
    case 6: return dispatch.hash (x);
    default: return dispatch.fill (x);
    }
}

static atomic_int ready, go, wrong;

static void *
first_caller (void *arg)
{
  int i = (int) (long) arg;
  atomic_fetch_add (&ready, 1);
  while (!atomic_load (&go))
    ;
  /* The first call of this thread, then more through every member.  */
  for (int round = 0; round < 1000; round++)
    for (int j = 0; j < NT; j++)
      {
	int m = (i + j) % NT;
	if (call (m, round) != round * 10 + m)
	  atomic_fetch_add (&wrong, 1);
      }
  return NULL;
}

int
main (void)
{
  pthread_t th[NT];
  for (int i = 0; i < NT; i++)
    CHECK (pthread_create (&th[i], NULL, first_caller, (void *) (long) i)
	   == 0);
  CHECK (SC_TEST_WAIT (atomic_load (&ready) == NT, 60));
  atomic_store (&go, 1);
  for (int i = 0; i < NT; i++)
    pthread_join (th[i], NULL);
  printf ("%d stub runs, %d wrong results\n", atomic_load (&stub_runs),
	  atomic_load (&wrong));
  CHECK (atomic_load (&wrong) == 0);
  /* Unless a thread was not scheduled within the stub's wait, all of
     them ran a stub at once.  */
  CHECK (atomic_load (&stub_runs) >= 2);
  CHECK (sc_test_expect_current ("lazy.crc", crc_fast) >= 1);
  CHECK (sc_test_expect_current ("lazy.mem.alloc", alloc_fast) >= 1);
  CHECK (sc_test_expect_current ("lazy.mem.release", release_fast) >= 1);
  CHECK (sc_test_expect_current ("lazy.fill", fill_fast) >= 1);
  return 0;
}

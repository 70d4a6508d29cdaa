/* Stores of every form into a static key and immediate values, from
   several threads and then from one: compare-exchange loops, exchanges
   (the values taken out balance those put in), ++ and += under a
   mutex, static_key_update, __atomic_store_n, the generic atomics, and
   a chain of compound assignments; every result is read back through
   a site.  The results do not depend on timing.  A held-out program of
   issue 12's.  */
#include <stdio.h>
#include <pthread.h>
#include <static_call.h>
#include "abi-check.h"

static long counter STATIC_KEY (counter);
unsigned total STATIC_IMMEDIATE (total);
static int slot STATIC_KEY (slot);
static unsigned char byte_imm STATIC_IMMEDIATE (byte_imm);
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

#define THREADS 4
#define ROUNDS 300

static long exchanged[THREADS];
static long hits[THREADS];

static void *
worker (void *arg)
{
  long id = (long) arg;
  for (int r = 0; r < ROUNDS; r++)
    {
      /* compare_exchange loop: +1 each round.  */
      long old = __atomic_load_n (&counter, __ATOMIC_RELAXED);
      while (!__atomic_compare_exchange_n (&counter, &old, old + 1, 0,
					   __ATOMIC_SEQ_CST,
					   __ATOMIC_RELAXED))
	;
      /* exchange: the sum of every value taken out plus the last one
	 is the sum of every value put in.  */
      exchanged[id] += __atomic_exchange_n (&slot, (int) (id * 1000 + r + 1),
					    __ATOMIC_SEQ_CST);
      pthread_mutex_lock (&lock);
      total++;
      total += 2;
      byte_imm = (unsigned char) (byte_imm + 1);
      pthread_mutex_unlock (&lock);
      if (counter)
	hits[id]++;
    }
  return NULL;
}

int
main (void)
{
  pthread_t t[THREADS];
  for (long i = 0; i < THREADS; i++)
    pthread_create (&t[i], NULL, worker, (void *) i);
  for (int i = 0; i < THREADS; i++)
    pthread_join (t[i], NULL);
  long put = 0, taken = slot;
  for (long i = 0; i < THREADS; i++)
    for (int r = 0; r < ROUNDS; r++)
      put += i * 1000 + r + 1;
  long h = 0;
  for (int i = 0; i < THREADS; i++)
    taken += exchanged[i], h += hits[i];
  printf ("counter=%ld total=%u byte=%u exchange-balance=%s hits=%ld\n",
	  counter, total, byte_imm, put == taken ? "ok" : "BAD", h);
  check_sites ();
  /* Single-threaded forms, each result read back through a site.  */
  counter = 0;
  printf ("plain: %d\n", counter ? 1 : 0);
  int rc = static_key_update (counter, 5);
  printf ("update: rc=%d %d\n", rc, counter ? 1 : 0);
  __atomic_store_n (&counter, 0, __ATOMIC_RELEASE);
  printf ("atomic_store: %d\n", counter ? 1 : 0);
  long prev = __atomic_exchange_n (&counter, 9, __ATOMIC_ACQ_REL);
  printf ("exchange: prev=%ld %d\n", prev, counter ? 1 : 0);
  long want = 9;
  _Bool ok = __atomic_compare_exchange_n (&counter, &want, 0, 0,
					  __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
  printf ("cas: ok=%d %d\n", ok, counter ? 1 : 0);
  want = 4;
  ok = __atomic_compare_exchange_n (&counter, &want, 1, 0,
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
  printf ("cas-fail: ok=%d want=%ld %d\n", ok, want, counter ? 1 : 0);
  total = 0;
  total += 77;
  ++total;
  total--;
  total *= 3;
  total <<= 2;
  total |= 1;
  printf ("imm chain: %u\n", total);
  unsigned newv = 42, outv;
  __atomic_store (&total, &newv, __ATOMIC_SEQ_CST);
  __atomic_exchange (&total, &newv, &outv, __ATOMIC_SEQ_CST);
  printf ("generic: %u %u load=%u\n", total, outv,
	  __atomic_load_n (&total, __ATOMIC_ACQUIRE));
  counter++;
  counter += 10;
  printf ("inc: %ld %d\n", counter, counter ? 1 : 0);
  check_sites ();
  return 0;
}

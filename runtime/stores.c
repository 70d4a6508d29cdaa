/* staticcall runtime: the entry points of the stores that are not a
   plain `p = v' (that one is __static_call_update, entry_points.c):

     __static_call_update_range (dst, src, n)   memcpy, and any store
	into an annotated table that writes more than one member or
	not exactly one: `t = x', `t.sub = x', `t = make ()', a
	compound literal;
     __static_call_update_fill (dst, c, n)      memset;
     __static_call_update_members (pairs, n)    the member-by-member
	stores the gimplifier makes of a compound literal or of a known
	const table, gathered;
     __static_call_atomic_store_N, _exchange_N, _compare_exchange_N
	GCC's atomic builtins on a key, with the builtins' own types:
	N = 8 for a pointer or an 8-byte value key, 1, 2, 4 for smaller
	static keys and immediate values.

   (`v = x' on a static key or an immediate value is
   __static_call_update_value, entry_points.c, through
   sc_store_value_locked.)

   Each writes the bytes, then retargets the sites of every key whose
   pointer the write covered, in one batch (3 syncs) however many keys
   changed.  Under the global lock, so the atomic ones are atomic with
   respect to every other update of their keys, and all of them at
   least as strongly ordered as __ATOMIC_SEQ_CST asks.  */

#include "config.h"

#include "internal.h"

static int
compare_keys (const void *a, const void *b)
{
  const struct sc_key *x = *(struct sc_key *const *) a;
  const struct sc_key *y = *(struct sc_key *const *) b;
  return (x->var > y->var) - (x->var < y->var);
}

/* Patch the sites of KEYS[0..N) to their pointers' values, in one
   batch.  */
static int
retarget_locked (struct sc_key **keys, size_t n)
{
  if (n == 0)
    return 0;
  enum sc_patching can = sc_patching_locked ();
  if (can == SC_PATCH_NOT_IN_CHILD)
    {
      sc_warn ("in this child of fork the runtime cannot write code: "
	       "sites of key '%s' may still call the old target",
	       keys[0]->name);
      return -SC_EPERM;
    }
  if (can != SC_PATCH_YES)
    return 0;
  return sc_patch_keys (keys, n);
}

/* Write BYTES[0..N) at DST.  Aligned words are written whole, so that a
   racing call through a trampoline (or plain code reading a member)
   never sees half a pointer.  */
static void
write_words (unsigned char *dst, const unsigned char *bytes, size_t n)
{
  size_t i = 0;
  for (; i < n && ((uintptr_t) (dst + i) & 7); i++)
    __atomic_store_n (dst + i, bytes[i], __ATOMIC_RELAXED);
  for (; i + 8 <= n; i += 8)
    {
      uint64_t w;
      memcpy (&w, bytes + i, 8);
      __atomic_store_n ((uint64_t *) (dst + i), w, __ATOMIC_RELAXED);
    }
  for (; i < n; i++)
    __atomic_store_n (dst + i, bytes[i], __ATOMIC_RELAXED);
  /* The trampolines and the trap handler read the pointers with
     acquire: they see them before the sites change.  */
  __atomic_thread_fence (__ATOMIC_SEQ_CST);
}

/* Store BYTES[0..N) (not overlapping DST) at DST and retarget the keys
   in the range, in one batch.  */
static void
store_range (void *dst, const unsigned char *bytes, size_t n)
{
  sc_lock ();
  sc_init_locked ();
  SC_COUNT (updates);
  write_words (dst, bytes, n);
  const char *lo = dst;
  size_t nkeys = sc_registry_keys_in (lo, lo + n, NULL, 0);
  if (nkeys)
    {
      struct sc_key **keys = sc_alloc (nkeys * sizeof *keys);
      if (keys)
	{
	  sc_registry_keys_in (lo, lo + n, keys, nkeys);
	  /* Sites of keys in address order make a batch of sites in
	     address order more often: no sort in patch.c.  */
	  sc_sort (keys, nkeys, sizeof *keys, compare_keys);
	  retarget_locked (keys, nkeys);
	  sc_free (keys);
	}
      else
	{
	  /* One batch each, rather than none.  */
	  sc_warn ("out of memory retargeting %zu keys at once", nkeys);
	  for (size_t i = 0; i < n; i += sizeof (void *))
	    sc_retarget_pointer_locked ((void *) (lo + i));
	}
    }
  sc_unlock ();
}

/* Small stores (an ops table) are copied on the stack.  */
#define STACK_COPY 1024

/* `memcpy (&t, src, n)', `t = x' and other stores into a table: memmove
   semantics, since SRC may be a part of the table itself.  */
void *
__static_call_update_range (void *dst, const void *src, size_t n)
{
  unsigned char local[STACK_COPY];
  unsigned char *copy = n <= sizeof local ? local : sc_alloc (n);
  if (!copy)
    {
      /* Still the store the program asked for, key by key.  */
      sc_warn ("out of memory copying %zu bytes of a static call table; "
	       "retargeting its keys one by one", n);
      for (size_t i = 0; i < n; i += sizeof (void *))
	{
	  size_t len = n - i < sizeof (void *) ? n - i : sizeof (void *);
	  unsigned char word[sizeof (void *)];
	  memcpy (word, (const char *) src + i, len);
	  store_range ((char *) dst + i, word, len);
	}
      return dst;
    }
  memcpy (copy, src, n);
  store_range (dst, copy, n);
  if (copy != local)
    sc_free (copy);
  return dst;
}

/* `memset (&t, c, n)'.  */
void *
__static_call_update_fill (void *dst, int c, size_t n)
{
  unsigned char local[STACK_COPY];
  if (n <= sizeof local)
    {
      memset (local, c, n);
      store_range (dst, local, n);
      return dst;
    }
  for (size_t i = 0; i < n; i += sizeof local)
    {
      size_t len = n - i < sizeof local ? n - i : sizeof local;
      memset (local, c, len);
      store_range ((char *) dst + i, local, len);
    }
  return dst;
}

/* The keys of pointer P after a store to it (one, or every member of
   an ops pointer): their sites, retargeted in one batch.  Returns 0 or
   what the batch returned.  Also the second half of
   __static_call_update.  */
int
sc_retarget_pointer_locked (void *p)
{
  struct sc_key *local[64];
  struct sc_key **keys = local;
  size_t n = sc_registry_keys_of (p, local, 64);
  if (n > 64 && !(keys = sc_alloc (n * sizeof *keys)))
    {
      sc_warn ("out of memory retargeting the %zu keys of %p; the first "
	       "64 are", n, p);
      keys = local;
      n = 64;
    }
  else if (keys != local)
    sc_registry_keys_of (p, keys, n);
  int status = retarget_locked (keys, n);
  if (keys != local)
    sc_free (keys);
  return status;
}

/* Count a store to P: a value key's (static key, immediate value), or
   any other.  */
static void
count_store (void *p)
{
  struct sc_key *k = sc_registry_key (p);
  if (k && k->kind != SC_KEY_POINTER)
    SC_COUNT (value_updates);
  else
    SC_COUNT (updates);
}

/* Store the SIZE (1, 2, 4 or 8) low bytes of V at P, atomically, with
   release (at least); then every site of P's key gives the new value
   (one batch).  Returns 0 or what the batch returned.  */
int
sc_store_value_locked (void *p, uint64_t v, unsigned size)
{
  count_store (p);
  switch (size)
    {
    case 1:
      __atomic_store_n ((uint8_t *) p, (uint8_t) v, __ATOMIC_SEQ_CST);
      break;
    case 2:
      __atomic_store_n ((uint16_t *) p, (uint16_t) v, __ATOMIC_SEQ_CST);
      break;
    case 4:
      __atomic_store_n ((uint32_t *) p, (uint32_t) v, __ATOMIC_SEQ_CST);
      break;
    default:
      __atomic_store_n ((uint64_t *) p, v, __ATOMIC_SEQ_CST);
      break;
    }
  return sc_retarget_pointer_locked (p);
}

/* The same as an exchange: returns the old value, and patches only
   when the value changed.  */
static uint64_t
exchange_locked (volatile void *p, uint64_t v, unsigned size)
{
  uint64_t old;
  count_store ((void *) p);
  switch (size)
    {
    case 1:
      old = __atomic_exchange_n ((volatile uint8_t *) p, (uint8_t) v,
				 __ATOMIC_SEQ_CST);
      break;
    case 2:
      old = __atomic_exchange_n ((volatile uint16_t *) p, (uint16_t) v,
				 __ATOMIC_SEQ_CST);
      break;
    case 4:
      old = __atomic_exchange_n ((volatile uint32_t *) p, (uint32_t) v,
				 __ATOMIC_SEQ_CST);
      break;
    default:
      old = __atomic_exchange_n ((volatile uint64_t *) p, v,
				 __ATOMIC_SEQ_CST);
      break;
    }
  if (size < 8)
    v &= ((uint64_t) 1 << 8 * size) - 1;
  if (old != v)
    sc_retarget_pointer_locked ((void *) p);
  return old;
}

/* A strong compare-and-exchange of SIZE bytes: *EXPECTED (SIZE bytes)
   receives what P holds when it differs.  */
static bool
compare_exchange_locked (volatile void *p, void *expected, uint64_t desired,
			 unsigned size)
{
  uint64_t want = 0, now = 0;
  memcpy (&want, expected, size);
  switch (size)
    {
    case 1:
      now = __atomic_load_n ((volatile uint8_t *) p, __ATOMIC_SEQ_CST);
      break;
    case 2:
      now = __atomic_load_n ((volatile uint16_t *) p, __ATOMIC_SEQ_CST);
      break;
    case 4:
      now = __atomic_load_n ((volatile uint32_t *) p, __ATOMIC_SEQ_CST);
      break;
    default:
      now = __atomic_load_n ((volatile uint64_t *) p, __ATOMIC_SEQ_CST);
      break;
    }
  /* Every store to a key takes the lock, so nothing changes P between
     the load and the store (other code storing to it behind the
     plugin's back gets no atomicity from us in any case).  */
  if (now != want)
    {
      memcpy (expected, &now, size);
      return false;
    }
  if (size < 8)
    desired &= ((uint64_t) 1 << 8 * size) - 1;
  if (now != desired)
    sc_store_value_locked ((void *) p, desired, size);
  else
    count_store ((void *) p);
  return true;
}

/* The atomic builtins, with the types GCC gives __atomic_store_N and
   the others (I1 to I8 being the unsigned integers of N bytes), whose
   calls the plugin redirects here unchanged.  The memory order
   arguments ask for at most __ATOMIC_SEQ_CST, which the lock and the
   sequentially consistent operations above give.  A compare-exchange
   never fails spuriously, which a weak one may.  */
#define SC_ATOMIC_ENTRY_POINTS(n, type)					\
  void									\
  __static_call_atomic_store_##n (volatile void *p, type v, int order)	\
  {									\
    sc_lock ();								\
    sc_init_locked ();							\
    sc_store_value_locked ((void *) p, v, n);				\
    sc_unlock ();							\
  }									\
									\
  type									\
  __static_call_atomic_exchange_##n (volatile void *p, type v,		\
				     int order)				\
  {									\
    sc_lock ();								\
    sc_init_locked ();							\
    type old = (type) exchange_locked (p, v, n);			\
    sc_unlock ();							\
    return old;								\
  }									\
									\
  bool									\
  __static_call_atomic_compare_exchange_##n (volatile void *p,		\
					     void *expected,		\
					     type desired, bool weak,	\
					     int success_order,		\
					     int failure_order)		\
  {									\
    sc_lock ();								\
    sc_init_locked ();							\
    bool done = compare_exchange_locked (p, expected, desired, n);	\
    sc_unlock ();							\
    return done;							\
  }

SC_ATOMIC_ENTRY_POINTS (1, uint8_t)
SC_ATOMIC_ENTRY_POINTS (2, uint16_t)
SC_ATOMIC_ENTRY_POINTS (4, uint32_t)
SC_ATOMIC_ENTRY_POINTS (8, uint64_t)

/* Assignments of several members of one table, as the plugin gathers
   them (`t = (struct ops) { a, b }'): PAIRS holds N (address, value)
   pairs.  One batch for all.  */
void
__static_call_update_members (void *const *pairs, size_t n)
{
  struct sc_key *local[32];
  struct sc_key **keys = n <= 32 ? local : sc_alloc (n * sizeof *keys);
  sc_lock ();
  sc_init_locked ();
  SC_COUNT (updates);
  for (size_t i = 0; i < n; i++)
    __atomic_store_n ((void **) pairs[2 * i], pairs[2 * i + 1],
		      __ATOMIC_RELEASE);
  size_t nkeys = 0;
  for (size_t i = 0; i < n; i++)
    {
      struct sc_key *k = sc_registry_key ((void **) pairs[2 * i]);
      if (!k)
	continue;
      if (!keys)
	{
	  /* Out of memory: one batch each, rather than none.  */
	  retarget_locked (&k, 1);
	  continue;
	}
      bool seen = false;
      for (size_t j = 0; j < nkeys && !seen; j++)
	seen = keys[j] == k;
      if (!seen)
	keys[nkeys++] = k;
    }
  if (keys)
    {
      sc_sort (keys, nkeys, sizeof *keys, compare_keys);
      retarget_locked (keys, nkeys);
    }
  sc_unlock ();
  if (keys != local)
    sc_free (keys);
}

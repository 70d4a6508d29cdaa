/* staticcall runtime: the core's own bottom layer, which every other
   core file may use and which uses nothing of theirs: the counters, a
   sort, string copies.  No C library: the freestanding runtime has
   none.  */

#include "config.h"

#include "internal.h"

struct static_call_stats sc_stats;

static void
swap_elements (unsigned char *a, unsigned char *b, size_t size)
{
  /* Words where they fit: the batch's patches are tens of bytes.  */
  while (size >= 8)
    {
      uint64_t t, u;
      memcpy (&t, a, 8);
      memcpy (&u, b, 8);
      memcpy (a, &u, 8);
      memcpy (b, &t, 8);
      a += 8, b += 8, size -= 8;
    }
  while (size--)
    {
      unsigned char t = *a;
      *a++ = *b;
      *b++ = t;
    }
}

/* Move the element at ROOT down the heap of N elements until both its
   children are no greater.  */
static void
sift_down (unsigned char *base, size_t root, size_t n, size_t size,
	   int (*cmp) (const void *, const void *))
{
  for (;;)
    {
      size_t child = 2 * root + 1;
      if (child >= n)
	return;
      if (child + 1 < n
	  && cmp (base + child * size, base + (child + 1) * size) < 0)
	child++;
      if (cmp (base + root * size, base + child * size) >= 0)
	return;
      swap_elements (base + root * size, base + child * size, size);
      root = child;
    }
}

static void
heap_sort (unsigned char *b, size_t n, size_t size,
	   int (*cmp) (const void *, const void *))
{
  for (size_t i = n / 2; i-- > 0;)
    sift_down (b, i, n, size, cmp);
  for (size_t end = n - 1; end > 0; end--)
    {
      swap_elements (b, b + end * size, size);
      sift_down (b, 0, end, size, cmp);
    }
}

/* Sort B[0..N) by merging, with TMP (room for N elements).  */
static void
merge_sort (unsigned char *b, unsigned char *tmp, size_t n, size_t size,
	    int (*cmp) (const void *, const void *))
{
  if (n < 2)
    return;
  size_t half = n / 2;
  merge_sort (b, tmp, half, size, cmp);
  merge_sort (b + half * size, tmp, n - half, size, cmp);
  /* Already in order (a batch of sorted keys' sites): nothing to do.  */
  if (cmp (b + (half - 1) * size, b + half * size) <= 0)
    return;
  memcpy (tmp, b, half * size);
  unsigned char *l = tmp, *lend = tmp + half * size;
  unsigned char *r = b + half * size, *rend = b + n * size, *out = b;
  while (l < lend && r < rend)
    {
      if (cmp (r, l) < 0)
	memcpy (out, r, size), r += size;
      else
	memcpy (out, l, size), l += size;
      out += size;
    }
  memcpy (out, l, lend - l);
}

/* Merge sort when there is memory for it, else heapsort: in place,
   O(N log N) whatever the input.  The callers sort only when their
   input is not sorted already (patch.c, registry.c).  */
void
sc_sort (void *base, size_t n, size_t size,
	 int (*cmp) (const void *, const void *))
{
  if (n < 2)
    return;
  unsigned char *tmp = sc_alloc ((n / 2) * size);
  if (tmp)
    {
      merge_sort (base, tmp, n, size, cmp);
      sc_free (tmp);
    }
  else
    heap_sort (base, n, size, cmp);
}

int
sc_strcmp (const char *a, const char *b)
{
  const unsigned char *x = (const unsigned char *) a;
  const unsigned char *y = (const unsigned char *) b;
  while (*x && *x == *y)
    x++, y++;
  return (*x > *y) - (*x < *y);
}

char *
sc_strdup (const char *s)
{
  size_t n = 0;
  while (s[n])
    n++;
  char *copy = sc_alloc (n + 1);
  if (copy)
    memcpy (copy, s, n + 1);
  return copy;
}

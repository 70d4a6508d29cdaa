/* Ops tables: calls through the members of an annotated struct (nested
   too, with data members around them) after each way of storing them:
   member assignment, nested or not; whole-struct assignment from an
   array element, through a pointer, from a compound literal and from a
   call's result; assignment of a nested struct; memcpy and memset of
   the whole table and of a nested struct; and GCC's atomic builtins on
   members and on a plain annotated pointer, with their old values and
   compare-and-swap results.  After each, every site must go where its
   member points (check_sites), and the data members keep their
   values.  A static table too, and a call through an array of function
   pointers in the table, which stays an indirect call.  */
/* { sc-levels "-O1 -O3" } */
#include <string.h>
#include "abi-check.h"

typedef long fn_t (long);

static long add1 (long x) { return x + 1; }
static long add2 (long x) { return x + 2; }
static long mul3 (long x) { return x * 3; }
static long neg (long x) { return -x; }

struct alloc
{
  fn_t *xMalloc;
  long hint;
  fn_t *xFree;
};

struct ops
{
  int version;
  fn_t *crc;
  char tag[3];
  struct alloc m;
  fn_t *arr[2];
  fn_t *hash;
};

struct ops table STATIC_CALL (tbl) = { 1, add1, "ab", { add2, 7, mul3 },
				       { neg, neg }, neg };
static struct ops mine STATIC_CALL (mine) = { 2, neg, "cd", { neg, 8, neg },
					      { add1, add1 }, neg };
fn_t *lone STATIC_CALL (lone) = add1;

static const struct ops choices[2] = {
  { 10, mul3, "x", { mul3, 70, add1 }, { add2, add2 }, add2 },
  { 20, add2, "y", { neg, 80, add2 }, { mul3, mul3 }, mul3 },
};

static struct ops __attribute__ ((noinline))
make (int i)
{
  return choices[i & 1];
}

static volatile int v_zero = 0;

/* Every member's call, printed, so both builds print the same.  */
static long
calls (const char *what)
{
  long r = table.crc (100) + 1000 * table.m.xMalloc (100)
	   + 1000000 * table.m.xFree (100) + 1000000000L * table.hash (100);
  long s = mine.crc (5) + 100 * mine.m.xFree (5);
  check_sites ();
  printf ("%s: %ld %ld %ld %d %s %ld\n", what, r, s, lone (9),
	  table.version, table.tag, table.m.hint);
  return r;
}

int
main (void)
{
  int zero = v_zero;
  fn_t *fp, *old;

  calls ("initial");
  table.crc = mul3;
  calls ("member");
  table.m.xFree = add1;
  calls ("nested member");
  table = choices[zero];
  check ("version after t = choices[0]", table.version, 10);
  calls ("t = choices[0]");
  const struct ops *p = &choices[1 - zero];
  table = *p;
  calls ("t = *p");
  table = (struct ops) { .version = 3, .crc = neg, .m = { add1, 1, add2 },
			 .hash = mul3 };
  calls ("t = literal");
  table = make (zero);
  calls ("t = make (0)");
  table.m = choices[1].m;
  calls ("t.m = choices[1].m");
  mine = table;
  calls ("mine = table");

  memcpy (&table, &choices[1], sizeof table);
  calls ("memcpy");
  memcpy (&table.m, &choices[0].m, sizeof table.m);
  calls ("memcpy nested");
  memset (&mine.m, 0, sizeof mine.m);
  check ("memset nested", mine.m.xMalloc == NULL && mine.m.hint == 0, 1);
  mine.m.xFree = add2;
  calls ("mine.m cleared, xFree set");

  __atomic_store_n (&table.crc, add1, __ATOMIC_SEQ_CST);
  calls ("atomic_store_n");
  fp = neg;
  __atomic_store (&table.m.xMalloc, &fp, __ATOMIC_RELEASE);
  calls ("atomic_store");
  old = __atomic_exchange_n (&table.hash, add2, __ATOMIC_ACQ_REL);
  check ("exchange_n old", old == mul3, 1);
  old = __atomic_exchange_n (&table.hash, add1, __ATOMIC_ACQ_REL);
  check ("exchange_n old 2", old == add2, 1);
  calls ("atomic_exchange_n");
  fp = mul3;
  __atomic_exchange (&table.crc, &fp, &old, __ATOMIC_SEQ_CST);
  check ("exchange old", old == add1, 1);
  calls ("atomic_exchange");
  old = add1;
  check ("cas_n fails", __atomic_compare_exchange_n (&table.crc, &old, neg, 0,
						    __ATOMIC_SEQ_CST,
						    __ATOMIC_RELAXED), 0);
  check ("cas_n failure gives current", old == mul3, 1);
  calls ("cas_n failed");
  check ("cas_n succeeds", __atomic_compare_exchange_n (&table.crc, &old, neg,
						       1, __ATOMIC_SEQ_CST,
						       __ATOMIC_SEQ_CST), 1);
  calls ("cas_n");
  fp = add2;
  old = neg;
  check ("cas fails", __atomic_compare_exchange (&table.m.xFree, &old, &fp,
						 0, __ATOMIC_ACQUIRE,
						 __ATOMIC_ACQUIRE), 0);
  check ("cas failure gives current", old == add1, 1);
  check ("cas succeeds", __atomic_compare_exchange (&table.m.xFree, &old, &fp,
						    0, __ATOMIC_ACQUIRE,
						    __ATOMIC_ACQUIRE), 1);
  calls ("cas");
  check ("load_n", __atomic_load_n (&table.crc, __ATOMIC_ACQUIRE) == neg, 1);

  /* A plain annotated pointer.  */
  __atomic_store_n (&lone, mul3, __ATOMIC_SEQ_CST);
  check ("lone after store_n", lone (2), 6);
  old = __atomic_exchange_n (&lone, neg, __ATOMIC_SEQ_CST);
  check ("lone exchange old", old == mul3, 1);
  fp = add2;
  check ("lone cas", __atomic_compare_exchange (&lone, &old, &fp, 0,
						__ATOMIC_SEQ_CST,
						__ATOMIC_SEQ_CST), 0);
  check ("lone cas expected", old == neg, 1);
  check ("lone cas 2", __atomic_compare_exchange_n (&lone, &old, add2, 0,
						   __ATOMIC_SEQ_CST,
						   __ATOMIC_SEQ_CST), 1);
  calls ("lone");

  /* An array member: ordinary data, called indirectly.  */
  table.arr[zero] = add1;
  check ("array member", table.arr[zero] (1), 2);

  memset (&table, 0, sizeof table);
  check ("memset", table.crc == NULL && table.version == 0, 1);
  table.crc = table.m.xMalloc = table.m.xFree = table.hash = add1;
  calls ("after memset");
  return 0;
}

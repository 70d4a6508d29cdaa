/* Struct assignment in a constructor: the table starts all NULL and a
   constructor fills it from a const array of tables, `table =
   tables[cpu]', chosen at run time; calls come after NULL checks,
   `if (table.m == NULL) init ();'.  A second table stays NULL until
   the first guarded call initialises it (a copy at init from another
   object, `actions = epoll_actions'), and a memset clears it at
   shutdown, after which the guards initialise it again.  Every call
   must reach the chosen implementation, and its sites call it
   directly.  */
/* { sc-levels "-O1 -O3" } */
#include <stdlib.h>
#include <string.h>

#include "sc-test.h"

struct kernels
{
  unsigned (*crc32) (unsigned, const char *, size_t);
  size_t (*longest_match) (const char *, size_t);
  int level;
};

static unsigned
crc_generic (unsigned c, const char *p, size_t n)
{
  for (size_t i = 0; i < n; i++)
    c = c * 31 + (unsigned char) p[i];
  return c;
}

static unsigned
crc_wide (unsigned c, const char *p, size_t n)
{
  return crc_generic (c, p, n) ^ 0x80000000u;
}

static size_t match_generic (const char *p, size_t n) { return n; }
static size_t match_wide (const char *p, size_t n) { return n * 2; }

static const struct kernels tables[2] = {
  { crc_generic, match_generic, 1 },
  { crc_wide, match_wide, 2 },
};

static struct kernels table STATIC_CALL (kernels);
static volatile int cpu_level = 1;

__attribute__ ((constructor)) static void
choose_kernels (void)
{
  table = tables[cpu_level];
}

struct actions
{
  int (*add) (int);
  int (*del) (int);
};

static int epoll_add (int fd) { return fd + 1000; }
static int epoll_del (int fd) { return fd + 2000; }
static const struct actions epoll_actions = { epoll_add, epoll_del };

struct actions actions STATIC_CALL (actions);
static int inits;

static void
init_actions (void)
{
  inits++;
  actions = epoll_actions;
}

static int
add (int fd)
{
  if (actions.add == NULL)
    init_actions ();
  return actions.add (fd);
}

static int
del (int fd)
{
  if (actions.del == NULL)
    init_actions ();
  return actions.del (fd);
}

int
main (void)
{
  CHECK (table.level == 2);
  if (table.crc32 == NULL)
    abort ();
  CHECK (table.crc32 (0, "ab", 2) == (('a' * 31u + 'b') ^ 0x80000000u));
  CHECK (table.longest_match ("abc", 3) == 6);
  CHECK (sc_test_expect_current ("kernels.crc32", crc_wide) >= 1);
  CHECK (sc_test_expect_current ("kernels.longest_match", match_wide) >= 1);

  CHECK (actions.add == NULL);
  CHECK (add (1) == 1001);
  CHECK (del (2) == 2002);
  CHECK (inits == 1);
  CHECK (sc_test_expect_current ("actions.add", epoll_add) >= 1);
  CHECK (sc_test_expect_current ("actions.del", epoll_del) >= 1);

  /* Shutdown, and a later use.  */
  memset (&actions, 0, sizeof actions);
  CHECK (actions.add == NULL && actions.del == NULL);
  CHECK (del (3) == 2003);
  CHECK (inits == 2);
  CHECK (sc_test_expect_current ("actions.del", epoll_del) >= 1);
  return 0;
}

/* STATICCALL_PERF_MAP=1: the runtime names its generated code in
   /tmp/perf-PID.map, perf's JIT map (`START SIZE NAME', hex).  Threads
   call sites of one key while the main thread retargets it under the
   forced slow path, so that the trap handler makes stubs; a far target
   sends another key's sites through a near slot.  Then the map is
   checked against the live process: every line lies inside one
   executable mapping (stubs in the stub area, slots in a slot area),
   is named `staticcall stub KEY site 0xADDR' with ADDR a site of KEY,
   or `staticcall slot KEY' for 8 bytes; there is one stub line per
   stub the handler handed out, and a slot line for each slot a site
   uses now.  A child of fork writes its own map, naming the slots it
   inherited.  */
/* { sc-run "STATICCALL_PERF_MAP=1" } */
/* { sc-run "STATICCALL_PERF_MAP=1 STATICCALL_BP=trampoline STATICCALL_SLOWPATH_US=200" } */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>

#include "sc-test.h"

static long t0 (long x) { return x + 1; }
static long t1 (long x) { return x + 1; }
long (*op) (long) STATIC_CALL (pm_op) = t0;

static int near_fn (int x) { return x + 1; }
int (*far_op) (int) STATIC_CALL (pm_far) = near_fn;

#define S(i)								\
  __attribute__ ((noinline)) static long s##i (long x)			\
  {									\
    volatile long pad[i + 1];						\
    pad[0] = x;								\
    long r = op (pad[0]);						\
    return r + pad[0] - x;						\
  }
S (0) S (1) S (2) S (3)
static long (*const fs[4]) (long) = { s0, s1, s2, s3 };

__attribute__ ((noinline)) static int call_far (int x) { return far_op (x); }

static atomic_int stop;

static void *
caller (void *arg)
{
  long id = (long) arg;
  while (!atomic_load_explicit (&stop, memory_order_relaxed))
    for (int i = 0; i < 4; i++)
      {
	long x = id * 1000 + i;
	CHECK (fs[i] (x) == x + 1);
      }
  return NULL;
}

/* The sites of the test's keys, and the slots they use now.  */
#define MAX_SITES 64
static struct
{
  const void *addr, *slot;
  const char *key;
} sites[MAX_SITES];
static int nsites;

static int
note_site (const struct static_call_site_info *s, void *arg)
{
  if (strcmp (s->key, "pm_op") && strcmp (s->key, "pm_far"))
    return 0;
  CHECK (nsites < MAX_SITES);
  sites[nsites].addr = s->addr;
  sites[nsites].key = s->key;
  sites[nsites].slot = s->state == STATIC_CALL_SITE_SLOT ? s->calls : NULL;
  nsites++;
  return 0;
}

/* The executable mapping holding [START, START + SIZE), its name in
   NAME; 0 when there is none.  */
static int
in_exec_mapping (unsigned long start, unsigned long size, char *name,
		 size_t len)
{
  FILE *f = fopen ("/proc/self/maps", "r");
  CHECK (f);
  char line[512];
  int found = 0;
  while (!found && fgets (line, sizeof line, f))
    {
      unsigned long lo, hi;
      char perms[8];
      int off = 0;
      if (sscanf (line, "%lx-%lx %7s %*s %*s %*s%n", &lo, &hi, perms,
		  &off) < 3)
	continue;
      if (perms[2] != 'x' || start < lo || start + size > hi)
	continue;
      char *n = line + off;
      n += strspn (n, " ");
      n[strcspn (n, "\n")] = 0;
      snprintf (name, len, "%s", n);
      found = 1;
    }
  fclose (f);
  return found;
}

struct map_counts
{
  unsigned long stubs, slots;
};

/* Check every line of PID's map; count them.  Each slot in SITES must
   be named when NEED_SLOTS.  */
static struct map_counts
check_map (pid_t pid, int need_slots)
{
  char path[64];
  snprintf (path, sizeof path, "/tmp/perf-%d.map", (int) pid);
  FILE *f = fopen (path, "r");
  if (!f)
    {
      fprintf (stderr, "%s: %s\n", path, strerror (errno));
      CHECK (f);
    }
  struct map_counts c = { 0, 0 };
  int slot_named[MAX_SITES] = { 0 };
  char line[512];
  while (fgets (line, sizeof line, f))
    {
      unsigned long start, size, site;
      char what[16], key[128], region[256];
      int n = 0;
      CHECK (line[strlen (line) - 1] == '\n');
      if (sscanf (line, "%lx %lx staticcall %15s %127s%n", &start, &size,
		  what, key, &n) != 4)
	{
	  fprintf (stderr, "bad line: %s", line);
	  CHECK (0);
	}
      if (!in_exec_mapping (start, size, region, sizeof region))
	{
	  fprintf (stderr, "not in executable memory: %s", line);
	  CHECK (0);
	}
      if (!strcmp (what, "stub"))
	{
	  CHECK (sscanf (line + n, " site 0x%lx\n", &site) == 1);
	  CHECK (size == 128);
	  CHECK (strstr (region, "staticcall-stubs"));
	  int ok = 0;
	  for (int i = 0; i < nsites; i++)
	    ok |= sites[i].addr == (const void *) site
		  && !strcmp (sites[i].key, key);
	  if (!ok)
	    {
	      fprintf (stderr, "not a site of its key: %s", line);
	      CHECK (0);
	    }
	  c.stubs++;
	}
      else
	{
	  CHECK (!strcmp (what, "slot"));
	  CHECK (line[n] == '\n');
	  CHECK (size == 8);
	  CHECK (strstr (region, "staticcall-slots"));
	  for (int i = 0; i < nsites; i++)
	    if (sites[i].slot == (const void *) start
		&& !strcmp (sites[i].key, key))
	      slot_named[i] = 1;
	  c.slots++;
	}
    }
  fclose (f);
  if (need_slots)
    for (int i = 0; i < nsites; i++)
      if (sites[i].slot && !slot_named[i])
	{
	  fprintf (stderr, "slot %p of site %p (%s) not in %s\n",
		   sites[i].slot, sites[i].addr, sites[i].key, path);
	  CHECK (0);
	}
  return c;
}

int
main (void)
{
  const char *bp = getenv ("STATICCALL_BP");
  int stubs = bp && !strcmp (bp, "trampoline");
  char path[64];
  snprintf (path, sizeof path, "/tmp/perf-%d.map", (int) getpid ());

  /* Stubs: calls that hit a site under patch, on the stub path.  */
  enum { N = 4 };
  pthread_t th[N];
  for (long i = 0; i < N; i++)
    CHECK (pthread_create (&th[i], NULL, caller, (void *) i) == 0);
  double end = sc_test_now () + 3;
  unsigned long updates = 0;
  do
    op = (updates++ & 1) ? t0 : t1;
  while (sc_test_now () < end && (!stubs || sc_test_stub_hits () < 200));
  atomic_store (&stop, 1);
  for (int i = 0; i < N; i++)
    pthread_join (th[i], NULL);

  /* A near slot.  lea 7(%rdi), %eax; ret  */
  static const unsigned char code[] = { 0x8d, 0x47, 0x07, 0xc3 };
  unsigned char *far = sc_test_map_far ((const void *) call_far, code,
					sizeof code);
  far_op = (int (*) (int)) far;
  CHECK (call_far (1) == 8);

  static_call_for_each_site (note_site, NULL);
  int nslots = 0;
  for (int i = 0; i < nsites; i++)
    nslots += sites[i].slot != NULL;
  CHECK (nslots > 0);

  struct static_call_stats st;
  static_call_get_stats (&st);
  struct map_counts c = check_map (getpid (), 1);
  printf ("%lu updates, %lu stub hits; map: %lu stubs, %lu slots, %d "
	  "sites in slots\n", updates, st.bp_stub, c.stubs, c.slots, nslots);
  CHECK (c.stubs == st.bp_stub);
  CHECK (!stubs || c.stubs > 0);
  CHECK (c.slots > 0);

  /* A child of fork: its own map, naming the slots it kept.  */
  pid_t child = fork ();
  CHECK (child >= 0);
  if (child == 0)
    {
      struct map_counts cc = check_map (getpid (), 1);
      char own[64];
      snprintf (own, sizeof own, "/tmp/perf-%d.map", (int) getpid ());
      unlink (own);
      _exit (cc.stubs == 0 && cc.slots == c.slots ? 0 : 1);
    }
  int status;
  CHECK (waitpid (child, &status, 0) == child);
  CHECK (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  /* The child wrote nothing into the parent's map.  */
  struct map_counts after = check_map (getpid (), 1);
  CHECK (after.stubs == c.stubs && after.slots == c.slots);
  unlink (path);
  return 0;
}

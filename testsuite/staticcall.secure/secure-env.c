/* What the STATICCALL_ variables did to this run, as the program sees
   it from outside the runtime: secure.exp runs it with each variable
   set, normally (each must take effect) and as a setuid-root program
   run by an unprivileged user (none may).  One line each:
     secure=0|1         getauxval (AT_SECURE)
     writer=procmem|mprotect|none
			none: the site stays on its trampoline after an
			update; procmem: the runtime holds /proc/PID/mem
			open; mprotect otherwise
     update_us=N        how long one static_call_update took
			(STATICCALL_SLOWPATH_US holds its batch)
     stubs=0|1          the stub area (STATICCALL_BP=trampoline) is
			mapped
     perf_map=0|1       /tmp/perf-PID.map exists (STATICCALL_PERF_MAP;
			removed after)
     batches=N, patched=N  the runtime's stats (one line each)
   The warnings (STATICCALL_QUIET) are on stderr.  */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <time.h>
#include <unistd.h>

#include <static_call.h>

static int one (int x) { return x + 1; }
static int two (int x) { return x + 2; }
int (*se_op) (int) STATIC_CALL (se_op) = one;

__attribute__ ((noinline)) static int
call_op (int x)
{
  return se_op (x);
}

static int
site_state (const struct static_call_site_info *s, void *arg)
{
  if (!strcmp (s->key, "se_op"))
    *(int *) arg = s->state;
  return 0;
}

/* Whether a descriptor of ours is open on /proc/PID/mem.  */
static int
holds_proc_mem (void)
{
  char want[64], link[256], path[64];
  snprintf (want, sizeof want, "/proc/%d/mem", (int) getpid ());
  DIR *d = opendir ("/proc/self/fd");
  int found = 0;
  struct dirent *e;
  while (d && (e = readdir (d)))
    {
      snprintf (path, sizeof path, "/proc/self/fd/%s", e->d_name);
      ssize_t n = readlink (path, link, sizeof link - 1);
      if (n > 0)
	{
	  link[n] = 0;
	  found |= !strcmp (link, want);
	}
    }
  if (d)
    closedir (d);
  return found;
}

static int
maps_has (const char *name)
{
  FILE *f = fopen ("/proc/self/maps", "r");
  char line[512];
  int found = 0;
  while (f && fgets (line, sizeof line, f))
    found |= strstr (line, name) != NULL;
  if (f)
    fclose (f);
  return found;
}

int
main (void)
{
  struct timespec t0, t1;
  int state = -1;
  if (call_op (1) != 2)
    return 1;
  clock_gettime (CLOCK_MONOTONIC, &t0);
  static_call_update (se_op, two);
  clock_gettime (CLOCK_MONOTONIC, &t1);
  if (call_op (1) != 3)
    return 1;
  static_call_for_each_site (site_state, &state);
  char map[64];
  snprintf (map, sizeof map, "/tmp/perf-%d.map", (int) getpid ());
  int perf_map = access (map, F_OK) == 0;
  if (perf_map)
    unlink (map);
  struct static_call_stats st;
  static_call_get_stats (&st);
  printf ("secure=%d\n", getauxval (AT_SECURE) != 0);
  printf ("writer=%s\n", state == STATIC_CALL_SITE_TRAMPOLINE ? "none"
			 : holds_proc_mem () ? "procmem" : "mprotect");
  printf ("update_us=%ld\n", (long) ((t1.tv_sec - t0.tv_sec) * 1000000
				     + (t1.tv_nsec - t0.tv_nsec) / 1000));
  printf ("stubs=%d\n", maps_has ("staticcall-stubs"));
  printf ("perf_map=%d\n", perf_map);
  printf ("batches=%lu\npatched=%lu\n", st.batches, st.sites_patched);
  return 0;
}

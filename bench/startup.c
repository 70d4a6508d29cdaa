/* startup: what start-up costs a program with static calls, against
   the same program built without the plugin.

   The program: 100 translation units of 100 call sites each (10000
   sites of 10 keys; bench/gen-startup.py writes the sources), every
   site patched at load.  It is built four ways, from the same sources:

     executable        bench/startup-main.c and the units, with the
		       plugin, and the same without it;
     dlopen'ed module  the units as a shared object, with the plugin,
		       and the same without it, loaded (dlopen,
		       RTLD_NOW) by this program, which is built without
		       the plugin and linked with the runtime, as a
		       program that loads plugins is.

   Each run is a new process: for the executables, the time from just
   before execve to the start of main (the kernel's loading, the
   dynamic linker's, and every constructor, the runtime's registration
   and first patching among them); for the modules, the time of the
   dlopen call, in a new process of this program.  One round runs the
   four once, in an order rotated from round to round, and the table
   gives the medians over the rounds, with quartiles, of each, and of
   the difference plugin minus plain within a round, which divided by
   the number of sites is the load time per site.  The runtime's
   counters (static_call_get_stats) give the syncs (membarrier), the
   batches and the sites patched at load: for the executable, all the
   counts at main; for the module, the counts after dlopen less those
   before it.  Every run checks that all the sites are registered and
   direct, and that calling every site once gives the same result as
   the build without the plugin.

   The targets (doc/results.texi): 3 syncs per loaded object, however
   many units it has; at most 0.3 us of load time per site.  Reported,
   not asserted.

   usage: startup --exe PLUGIN-EXE PLAIN-EXE --mod PLUGIN.so PLAIN.so
		  [--sites N] [--units N] [--rounds N] [-o RESULT.json]
	  startup --dlopen MODULE.so	(one run of a module; prints the
					 line startup-main.c prints)  */

#include <dlfcn.h>
#include <errno.h>
#include <sys/wait.h>

#include <static_call.h>

#include "bench.h"

/* ---- one run of a module, in the child --------------------------- */

static int
run_dlopen (const char *path)
{
  struct static_call_stats a, b;
  static_call_get_stats (&a);
  double t0 = bench_now_ns ();
  void *h = dlopen (path, RTLD_NOW | RTLD_LOCAL);
  double t1 = bench_now_ns ();
  static_call_get_stats (&b);
  if (!h)
    {
      fprintf (stderr, "startup: %s\n", dlerror ());
      return 1;
    }
  unsigned (*run) (void) = (unsigned (*) (void)) dlsym (h, "startup_run");
  if (!run)
    {
      fprintf (stderr, "startup: %s: no startup_run\n", path);
      return 1;
    }
  long sites[2] = { 0, 0 };
  static_call_for_each_site (bench_count_site, sites);
  printf ("%.0f %lu %lu %lu %ld %ld %u\n", t1 - t0, b.syncs - a.syncs,
	  b.batches - a.batches, b.sites_patched - a.sites_patched,
	  sites[0], sites[1], run ());
  return 0;
}

/* ---- the rounds, in the parent ----------------------------------- */

struct run
{
  double ns;
  unsigned long syncs, batches, patched;
  long sites, direct;
  unsigned check;
};

/* Run ARGV (ARGV[0] a path; for an executable, ARGV[1] is left for the
   start time) in a new process; its line into R.  */
static int
run_child (char **argv, int timed_exec, struct run *r)
{
  int fd[2];
  if (pipe (fd))
    {
      perror ("pipe");
      exit (2);
    }
  fflush (stdout);
  pid_t pid = fork ();
  if (pid < 0)
    {
      perror ("fork");
      exit (2);
    }
  if (pid == 0)
    {
      char t0[32];
      dup2 (fd[1], 1);
      close (fd[0]);
      close (fd[1]);
      if (timed_exec)
	{
	  snprintf (t0, sizeof t0, "%.0f", bench_now_ns ());
	  argv[1] = t0;
	}
      execv (argv[0], argv);
      perror (argv[0]);
      _exit (127);
    }
  close (fd[1]);
  FILE *f = fdopen (fd[0], "r");
  char line[256] = "";
  int got = f && fgets (line, sizeof line, f) != NULL;
  if (f)
    fclose (f);
  int status = 0;
  while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
    ;
  if (!got || !WIFEXITED (status) || WEXITSTATUS (status) != 0
      || sscanf (line, "%lf %lu %lu %lu %ld %ld %u", &r->ns, &r->syncs,
		 &r->batches, &r->patched, &r->sites, &r->direct,
		 &r->check) != 7)
    {
      fprintf (stderr, "startup: %s%s%s: status %#x, printed '%s'\n",
	       argv[0], timed_exec ? "" : " ", timed_exec ? "" : argv[2],
	       status, line);
      return -1;
    }
  return 0;
}

enum { EXE_PLAIN, EXE_PLUGIN, MOD_PLAIN, MOD_PLUGIN, NVARIANTS };
static const char *const variant_name[NVARIANTS] = {
  "exe-plain", "exe-plugin", "module-plain", "module-plugin"
};

struct range
{
  unsigned long lo, hi;
};

static void
range_add (struct range *g, unsigned long v, int first)
{
  if (first || v < g->lo)
    g->lo = v;
  if (first || v > g->hi)
    g->hi = v;
}

static const char *
range_str (char *buf, size_t size, const struct range *g)
{
  if (g->lo == g->hi)
    snprintf (buf, size, "%lu", g->lo);
  else
    snprintf (buf, size, "%lu-%lu", g->lo, g->hi);
  return buf;
}

static const char *
arg_after (int argc, char **argv, const char *name, int k)
{
  for (int i = 1; i + k < argc; i++)
    if (!strcmp (argv[i], name))
      return argv[i + k];
  return NULL;
}

int
main (int argc, char **argv)
{
  if (argc == 3 && !strcmp (argv[1], "--dlopen"))
    return run_dlopen (argv[2]);

  const char *exe[2] = { arg_after (argc, argv, "--exe", 2),
			 arg_after (argc, argv, "--exe", 1) };
  const char *mod[2] = { arg_after (argc, argv, "--mod", 2),
			 arg_after (argc, argv, "--mod", 1) };
  if (!exe[0] || !mod[0])
    {
      fprintf (stderr, "usage: startup --exe PLUGIN-EXE PLAIN-EXE --mod "
	       "PLUGIN.so PLAIN.so [--sites N] [--units N] [--rounds N] "
	       "[-o RESULT.json]\n");
      return 2;
    }
  long nsites = bench_long_arg (argc, argv, "--sites", 10000);
  long nunits = bench_long_arg (argc, argv, "--units", 100);
  int rounds = bench_long_arg (argc, argv, "--rounds", 201);
  int warmup = 5;
  FILE *out = bench_open_result (argc, argv);

  char self[4096];
  ssize_t n = readlink ("/proc/self/exe", self, sizeof self - 1);
  if (n < 0)
    {
      perror ("/proc/self/exe");
      return 2;
    }
  self[n] = 0;

  char *argvs[NVARIANTS][4] = {
    { (char *) exe[0], NULL, NULL },
    { (char *) exe[1], NULL, NULL },
    { self, "--dlopen", (char *) mod[0], NULL },
    { self, "--dlopen", (char *) mod[1], NULL },
  };

  double *t[NVARIANTS], *extra[2];
  for (int v = 0; v < NVARIANTS; v++)
    t[v] = calloc (rounds, sizeof (double));
  for (int k = 0; k < 2; k++)
    extra[k] = calloc (rounds, sizeof (double));
  struct range syncs[NVARIANTS], batches[NVARIANTS], patched[NVARIANTS];
  struct range sites[NVARIANTS], direct[NVARIANTS];
  unsigned check[NVARIANTS];
  int failed = 0, bad_check = 0;

  for (int r = -warmup; r < rounds; r++)
    {
      struct run res[NVARIANTS];
      for (int j = 0; j < NVARIANTS; j++)
	{
	  int v = ((r + warmup) + j) % NVARIANTS;
	  if (run_child (argvs[v], v < MOD_PLAIN, &res[v]))
	    {
	      failed = 1;
	      goto done;
	    }
	}
      if (r < 0)
	continue;
      for (int v = 0; v < NVARIANTS; v++)
	{
	  t[v][r] = res[v].ns / 1000;
	  range_add (&syncs[v], res[v].syncs, r == 0);
	  range_add (&batches[v], res[v].batches, r == 0);
	  range_add (&patched[v], res[v].patched, r == 0);
	  range_add (&sites[v], res[v].sites, r == 0);
	  range_add (&direct[v], res[v].direct, r == 0);
	  if (r == 0)
	    check[v] = res[v].check;
	  bad_check |= res[v].check != res[EXE_PLAIN].check;
	}
      extra[0][r] = t[EXE_PLUGIN][r] - t[EXE_PLAIN][r];
      extra[1][r] = t[MOD_PLUGIN][r] - t[MOD_PLAIN][r];
    }
done:
  if (failed)
    return 1;

  printf ("== startup: loading %ld units x %ld sites (%ld sites), with the "
	  "plugin and without;\n   %d interleaved rounds, a new process each "
	  "run (microseconds)\n", nunits, nsites / nunits, nsites, rounds);
  bench_machine_print ();
  printf ("  %-26s %8s %8s %8s %17s %8s %6s %7s %7s\n", "", "plain",
	  "plugin", "extra", "[q1, q3]", "us/site", "syncs", "batches",
	  "patched");
  static const char *const what[2] = { "executable, exec to main",
				       "module, dlopen" };
  double per_site[2];
  for (int k = 0; k < 2; k++)
    {
      int plain = k ? MOD_PLAIN : EXE_PLAIN, plug = plain + 1;
      char b1[32], b2[32], b3[32];
      double med = bench_median (extra[k], rounds);
      per_site[k] = med / nsites;
      printf ("  %-26s %8.1f %8.1f %8.1f [%7.1f, %7.1f] %8.4f %6s %7s %7s\n",
	      what[k], bench_median (t[plain], rounds),
	      bench_median (t[plug], rounds), med,
	      bench_quantile (extra[k], rounds, 0.25),
	      bench_quantile (extra[k], rounds, 0.75), per_site[k],
	      range_str (b1, sizeof b1, &syncs[plug]),
	      range_str (b2, sizeof b2, &batches[plug]),
	      range_str (b3, sizeof b3, &patched[plug]));
    }
  printf ("  (extra: plugin minus plain within a round, median; syncs, "
	  "batches, patched:\n   at load, min-max over the rounds)\n");
  printf ("  targets: 3 syncs per loaded object (executable %lu-%lu, module "
	  "%lu-%lu); load time\n   <= 0.3 us per site (executable %.3f, "
	  "module %.3f)\n", syncs[EXE_PLUGIN].lo, syncs[EXE_PLUGIN].hi,
	  syncs[MOD_PLUGIN].lo, syncs[MOD_PLUGIN].hi, per_site[0],
	  per_site[1]);
  int bad_sites = 0;
  for (int v = EXE_PLUGIN; v < NVARIANTS; v += 2)
    if (sites[v].lo != (unsigned long) nsites
	|| sites[v].hi != (unsigned long) nsites
	|| direct[v].lo != (unsigned long) nsites
	|| direct[v].hi != (unsigned long) nsites)
      {
	char b1[32], b2[32];
	printf ("  FAILED: %s: %s sites registered, %s direct, of %ld\n",
		variant_name[v], range_str (b1, sizeof b1, &sites[v]),
		range_str (b2, sizeof b2, &direct[v]), nsites);
	bad_sites = 1;
      }
  if (bad_check)
    printf ("  FAILED: calling every site gave different results with the "
	    "plugin and without\n");

  if (out)
    {
      bench_json_head (out, "startup");
      fprintf (out, "  \"units\": %ld,\n  \"sites\": %ld,\n  \"rounds\": %d,\n"
	       "  \"bad_sites\": %d,\n  \"bad_check\": %d,\n", nunits, nsites,
	       rounds, bad_sites, bad_check);
      for (int k = 0; k < 2; k++)
	{
	  int plain = k ? MOD_PLAIN : EXE_PLAIN, plug = plain + 1;
	  fprintf (out, "  \"%s\": {\n", k ? "module" : "executable");
	  for (int v = plain; v <= plug; v++)
	    fprintf (out, "    \"%s_us\": {\"median\": %.2f, \"q1\": %.2f, "
		     "\"q3\": %.2f},\n", v == plain ? "plain" : "plugin",
		     bench_median (t[v], rounds),
		     bench_quantile (t[v], rounds, 0.25),
		     bench_quantile (t[v], rounds, 0.75));
	  fprintf (out, "    \"extra_us\": {\"median\": %.2f, \"q1\": %.2f, "
		   "\"q3\": %.2f},\n    \"us_per_site\": %.5f,\n"
		   "    \"syncs\": [%lu, %lu],\n    \"batches\": [%lu, %lu],\n"
		   "    \"sites_patched\": [%lu, %lu],\n    \"check\": %u\n"
		   "  }%s\n", bench_median (extra[k], rounds),
		   bench_quantile (extra[k], rounds, 0.25),
		   bench_quantile (extra[k], rounds, 0.75), per_site[k],
		   syncs[plug].lo, syncs[plug].hi, batches[plug].lo,
		   batches[plug].hi, patched[plug].lo, patched[plug].hi,
		   check[plug], k ? "" : ",");
	}
      fputs ("}\n", out);
      fclose (out);
    }
  return bad_sites || bad_check;
}

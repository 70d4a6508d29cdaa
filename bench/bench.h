/* Helpers shared by the staticcall benchmarks in bench/: a monotonic
   clock, order statistics over the rounds of a measurement, the
   machine description written at the head of every result file, the
   command line, and a count of the sites (bench-rounds.h has the
   rounds of the benchmarks that time loops).

   No benchmark reports a single absolute time: each one runs the
   variants it compares in interleaved rounds inside one process and
   reports medians (and quartiles) over the rounds, and ratios between
   variants measured in the same round.  */

#ifndef BENCH_H
#define BENCH_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/utsname.h>

#include <static_call.h>

/* Nanoseconds from CLOCK_MONOTONIC (no rdtsc: its rate and its
   synchronisation across cores are not ours to assume).  */
static inline double
bench_now_ns (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int
bench_cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* The Q-quantile (0 <= Q <= 1) of V[0..N), nearest rank; sorts a copy.  */
static inline double
bench_quantile (const double *v, size_t n, double q)
{
  if (n == 0)
    return 0;
  double *c = malloc (n * sizeof *c);
  if (!c)
    abort ();
  memcpy (c, v, n * sizeof *c);
  qsort (c, n, sizeof *c, bench_cmp_double);
  size_t i = (size_t) (q * (n - 1) + 0.5);
  double r = c[i];
  free (c);
  return r;
}

static inline double
bench_median (const double *v, size_t n)
{
  return bench_quantile (v, n, 0.5);
}

/* Write S as a JSON string.  */
static inline void
bench_json_string (FILE *f, const char *s)
{
  fputc ('"', f);
  for (; *s; s++)
    if (*s == '"' || *s == '\\')
      fprintf (f, "\\%c", *s);
    else if ((unsigned char) *s < 0x20)
      fprintf (f, "\\u%04x", *s);
    else
      fputc (*s, f);
  fputc ('"', f);
}

/* The CPU model from /proc/cpuinfo, into BUF.  */
static inline void
bench_cpu_model (char *buf, size_t size)
{
  snprintf (buf, size, "unknown");
  FILE *f = fopen ("/proc/cpuinfo", "r");
  if (!f)
    return;
  char line[512];
  while (fgets (line, sizeof line, f))
    if (!strncmp (line, "model name", 10))
      {
	char *v = strchr (line, ':');
	if (v)
	  {
	    v += 1 + (v[1] == ' ');
	    v[strcspn (v, "\n")] = 0;
	    snprintf (buf, size, "%s", v);
	  }
	break;
      }
  fclose (f);
}

/* The machine: kernel, CPU, cores, the compiler this benchmark was
   built with, and the date.  */
struct bench_machine
{
  char kernel[128], cpu[256], date[64];
  long nproc;
};

static inline void
bench_machine_get (struct bench_machine *m)
{
  struct utsname u;
  snprintf (m->kernel, sizeof m->kernel, "%s",
	    uname (&u) ? "unknown" : u.release);
  bench_cpu_model (m->cpu, sizeof m->cpu);
  time_t t = time (NULL);
  strftime (m->date, sizeof m->date, "%Y-%m-%dT%H:%M:%SZ", gmtime (&t));
  m->nproc = sysconf (_SC_NPROCESSORS_ONLN);
}

/* Print it as a header line.  */
static inline void
bench_machine_print (void)
{
  struct bench_machine m;
  bench_machine_get (&m);
  printf ("machine: Linux %s, %s, %ld cores, gcc %s, %s\n", m.kernel, m.cpu,
	  m.nproc, __VERSION__, m.date);
}

/* Write it as the "machine" member of the JSON object being written
   to F.  */
static inline void
bench_machine_json (FILE *f)
{
  struct bench_machine m;
  bench_machine_get (&m);
  fputs ("  \"machine\": {\"kernel\": ", f);
  bench_json_string (f, m.kernel);
  fputs (", \"cpu\": ", f);
  bench_json_string (f, m.cpu);
  fprintf (f, ", \"nproc\": %ld, \"gcc\": ", m.nproc);
  bench_json_string (f, __VERSION__);
  fputs (", \"date\": ", f);
  bench_json_string (f, m.date);
  fputs ("},\n", f);
}

/* Start the JSON object of the result file F, for BENCHMARK: its name
   and the machine.  */
static inline void
bench_json_head (FILE *f, const char *benchmark)
{
  fputs ("{\n  \"benchmark\": ", f);
  bench_json_string (f, benchmark);
  fputs (",\n", f);
  bench_machine_json (f);
}

/* Open the result file named by `-o FILE' in ARGV (NULL when absent).  */
static inline FILE *
bench_open_result (int argc, char **argv)
{
  for (int i = 1; i + 1 < argc; i++)
    if (!strcmp (argv[i], "-o"))
      {
	FILE *f = fopen (argv[i + 1], "w");
	if (!f)
	  {
	    perror (argv[i + 1]);
	    exit (2);
	  }
	return f;
      }
  return NULL;
}

/* The value of `--label NAME' in ARGV (the build's name in the
   results), or "plain".  */
static inline const char *
bench_label_arg (int argc, char **argv)
{
  const char *label = "plain";
  for (int i = 1; i + 1 < argc; i++)
    if (!strcmp (argv[i], "--label"))
      label = argv[i + 1];
  return label;
}

/* The value of `NAME VALUE' in ARGV, or DFLT.  */
static inline long
bench_long_arg (int argc, char **argv, const char *name, long dflt)
{
  for (int i = 1; i + 1 < argc; i++)
    if (!strcmp (argv[i], name))
      return strtol (argv[i + 1], NULL, 0);
  return dflt;
}

/* The value of `--rounds N' in ARGV, or DFLT; at least 3, for
   quartiles.  */
static inline int
bench_rounds_arg (int argc, char **argv, int dflt)
{
  int rounds = bench_long_arg (argc, argv, "--rounds", dflt);
  return rounds < 3 ? 3 : rounds;
}

/* For static_call_for_each_site: count in N[0] the sites, in N[1]
   those that call their target directly (ARG is long N[2]).  */
static inline int
bench_count_site (const struct static_call_site_info *s, void *arg)
{
  long *n = arg;
  n[0]++;
  n[1] += s->state == STATIC_CALL_SITE_DIRECT;
  return 0;
}

#endif /* BENCH_H */

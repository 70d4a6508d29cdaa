/* staticcall runtime: names for the code it generates, for profilers.

   With STATICCALL_PERF_MAP=1 each piece of generated code is appended,
   when it is made, to /tmp/perf-PID.map, the file in which perf (and
   other profilers that follow its JIT convention) look up addresses
   that no ELF file covers: one line `START SIZE NAME', START and SIZE
   in hex.  The pieces are the stubs of the STI-shadow path
   (`staticcall stub KEY site 0xADDR') and the near slots
   (`staticcall slot KEY'); the trampolines and the rseq abort handler
   are in the objects' own code and have symbols.  A stub's slot is
   reused for later batches: each use is a new line, the latest naming
   what the slot holds now.

   Stubs are made in the SIGTRAP handler, so a line is written with one
   write(2) on a descriptor opened at start-up, formatted by hand: no
   stdio, no allocation, nothing that takes a lock.  A child of fork
   has another PID, and its own file (sc_perf_map_after_fork); until it
   has opened it, nothing is written, rather than name the child's code
   in the parent's file.

   /tmp is everyone's, and the name is known in advance: another user
   may have put a symbolic link there, a FIFO, or a file of their own
   for us to append to.  So the file is created with O_EXCL, never
   through a link (O_NOFOLLOW); one already there is opened only to be
   checked (O_NONBLOCK: a FIFO without a reader does not stall us) and
   used only if it is a regular file of ours (our effective uid, as
   perf checks when it reads it) with no other name, and then emptied.
   Otherwise one warning, and nothing is written.  Never in
   secure-execution mode (AT_SECURE): config.c ignores
   STATICCALL_PERF_MAP there, and this file checks again.  */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

static int map_fd = -1;
/* Whose file MAP_FD is.  */
static pid_t map_pid;
/* Which file it is: a program that closes every descriptor it did not
   open (a daemon) may get MAP_FD's number for a file of its own, which
   the map must not be written into.  */
static dev_t map_dev;
static ino_t map_ino;

static void
open_map (void)
{
  pid_t pid = getpid ();
  char path[64] = "/tmp/perf-";
  char *p = path + strlen (path);
  char digits[16];
  int n = 0;
  for (unsigned long v = (unsigned long) pid; v || !n; v /= 10)
    digits[n++] = (char) ('0' + v % 10);
  while (n)
    *p++ = digits[--n];
  strcpy (p, ".map");
  if (getauxval (AT_SECURE))
    return;
  const char *why = NULL;
  struct stat st;
  int fd = open (path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_NOFOLLOW
		       | O_CLOEXEC, 0644);
  if (fd < 0 && errno == EEXIST)
    {
      /* A file of this PID: left by a process gone (it names nothing of
	 ours, and is emptied), or planted.  */
      fd = open (path, O_WRONLY | O_APPEND | O_NOFOLLOW | O_NONBLOCK
		       | O_CLOEXEC | O_NOCTTY);
      if (fd < 0 && errno == ELOOP)
	why = "a symbolic link";
      else if (fd < 0 && errno == ENXIO)
	why = "not a regular file";	/* a FIFO or socket, no reader */
      else if (fd >= 0 && fstat (fd, &st))
	why = "a file that cannot be examined";
      else if (fd >= 0 && !S_ISREG (st.st_mode))
	why = "not a regular file";
      else if (fd >= 0 && st.st_uid != geteuid ())
	why = "another user's file";
      else if (fd >= 0 && st.st_nlink != 1)
	why = "a file with another name (a hard link)";
      else if (fd >= 0
	       && (fcntl (fd, F_SETFL, O_APPEND) || ftruncate (fd, 0)))
	why = "a file that cannot be emptied";
    }
  if (fd >= 0 && !why && fstat (fd, &st))
    why = "a file that cannot be examined";
  if (why)
    {
      if (fd >= 0)
	close (fd);
      sc_warn ("STATICCALL_PERF_MAP: %s is %s: not written; generated "
	       "code stays unnamed", path, why);
      return;
    }
  if (fd < 0)
    {
      sc_warn ("STATICCALL_PERF_MAP: cannot open %s (%m); generated code "
	       "stays unnamed", path);
      return;
    }
  map_fd = fd;
  map_pid = pid;
  map_dev = st.st_dev;
  map_ino = st.st_ino;
}

void
sc_perf_map_init (void)
{
  if (sc_config->perf_map)
    open_map ();
}

void
sc_perf_map_after_fork (void)
{
  if (map_fd < 0)
    return;
  close (map_fd);
  map_fd = -1;
  open_map ();
}

static char *
put_hex (char *p, uint64_t v)
{
  char digits[16];
  int n = 0;
  do
    {
      digits[n++] = "0123456789abcdef"[v & 15];
      v >>= 4;
    }
  while (v);
  while (n)
    *p++ = digits[--n];
  return p;
}

static char *
put_str (char *p, const char *end, const char *s)
{
  while (*s && p < end)
    *p++ = *s++;
  return p;
}

/* Name SIZE bytes at START `staticcall WHAT KEY', followed by
   ` site 0xSITE' when SITE is not NULL.  Async-signal-safe.  */
void
sc_perf_map_add (const void *start, size_t size, const char *what,
		 const char *key, const void *site)
{
  struct stat st;
  if (map_fd < 0 || getpid () != map_pid || fstat (map_fd, &st)
      || st.st_dev != map_dev || st.st_ino != map_ino)
    return;
  char line[320];
  /* Room for the site and the newline after a key cut short.  */
  const char *end = line + sizeof line - 32;
  char *p = put_hex (line, (uintptr_t) start);
  *p++ = ' ';
  p = put_hex (p, size);
  p = put_str (p, end, " staticcall ");
  p = put_str (p, end, what);
  *p++ = ' ';
  p = put_str (p, end, key ? key : "?");
  if (site)
    {
      p = put_str (p, line + sizeof line, " site 0x");
      p = put_hex (p, (uintptr_t) site);
    }
  *p++ = '\n';
  /* One write to a file opened O_APPEND: lines of several threads do
     not interleave.  */
  ssize_t r = write (map_fd, line, p - line);
  (void) r;
}

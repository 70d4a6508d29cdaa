/* staticcall runtime: writing code bytes.

   Three writers, chosen once:
     procmem   pwrite to /proc/self/mem.  The kernel writes through its
	       own mapping of the page (FOLL_FORCE), so the text stays
	       r-x the whole time: no writable+executable window, and it
	       works under policies that forbid PROT_WRITE|PROT_EXEC.
     mprotect  make the batch's pages rwx for the batch, store, restore
	       r-x.  Never makes a page non-executable, since other
	       threads may be running it.
     none      nothing works: sites stay on their trampolines, which is
	       correct, and one warning says why.

   sc_text_write must be async-signal-safe: the trap handler calls it
   when the patching thread hits its own batch.  */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"

#ifdef HAVE_VALGRIND_VALGRIND_H
# include <valgrind/valgrind.h>
#else
# define RUNNING_ON_VALGRIND 0
# define VALGRIND_DISCARD_TRANSLATIONS(addr, len) ((void) (addr), (void) (len))
#endif

enum writer { W_UNSET, W_NONE, W_PROCMEM, W_MPROTECT };
static enum writer writer = W_UNSET;
static int mem_fd = -1;
static long page_size;

/* A byte of our own text, rewritten with its own value to probe a
   writer.  */
static void __attribute__ ((noinline, used))
probe_target (void)
{
  __asm__ volatile ("");
}

static int
open_proc_mem (void)
{
  int fd = open ("/proc/self/mem", O_RDWR | O_CLOEXEC);
  return fd < 0 ? -errno : fd;
}

static int
procmem_write (void *addr, const void *src, size_t len)
{
  const char *p = src;
  off_t off = (off_t) (uintptr_t) addr;
  while (len)
    {
      ssize_t n = pwrite (mem_fd, p, len, off);
      if (n < 0)
	{
	  if (errno == EINTR)
	    continue;
	  return -errno;
	}
      if (n == 0)
	return -EIO;
      p += n;
      off += n;
      len -= n;
    }
  return 0;
}

static int
mprotect_range (void *addr, size_t len, int prot)
{
  uintptr_t start = (uintptr_t) addr & ~(uintptr_t) (page_size - 1);
  uintptr_t end = ((uintptr_t) addr + len + page_size - 1)
		  & ~(uintptr_t) (page_size - 1);
  return mprotect ((void *) start, end - start, prot) ? -errno : 0;
}

static int
try_procmem (void)
{
  int fd = open_proc_mem ();
  if (fd < 0)
    return fd;
  mem_fd = fd;
  unsigned char *probe = (unsigned char *) probe_target;
  int r = procmem_write (probe, probe, 1);
  if (r)
    {
      close (fd);
      mem_fd = -1;
    }
  return r;
}

static int
try_mprotect (void)
{
  void *probe = (void *) probe_target;
  int r = mprotect_range (probe, 1, PROT_READ | PROT_WRITE | PROT_EXEC);
  if (r == 0)
    mprotect_range (probe, 1, PROT_READ | PROT_EXEC);
  return r;
}

/* Choose a writer, once.  Returns 0, or -errno when none works.  */
int
sc_writer_init (void)
{
  if (writer != W_UNSET)
    return writer == W_NONE ? -EPERM : 0;
  page_size = sysconf (_SC_PAGESIZE);

  const char *want = sc_config->writer;
  int r_proc = -ENOTSUP, r_mprot = -ENOTSUP;
  if (!want || !strcmp (want, "procmem"))
    {
      r_proc = try_procmem ();
      if (!r_proc)
	return writer = W_PROCMEM, 0;
    }
  if (!want || !strcmp (want, "mprotect"))
    {
      r_mprot = try_mprotect ();
      if (!r_mprot)
	return writer = W_MPROTECT, 0;
    }
  writer = W_NONE;
  if (want && !strcmp (want, "none"))
    sc_warn ("STATICCALL_WRITER=none: call sites stay on their "
	     "trampolines");
  else
    sc_warn ("cannot write code (/proc/self/mem: %s; mprotect: %s); "
	     "call sites stay on their trampolines",
	     strerror (-r_proc), strerror (-r_mprot));
  return -EPERM;
}

/* Set PROT on each run of pages holding sites of the batch.  */
static int
for_each_page_run (const struct sc_batch *b, int prot)
{
  size_t i = 0;
  while (i < b->n)
    {
      uintptr_t start = (uintptr_t) b->p[i].addr;
      uintptr_t end = start + b->p[i].len;
      /* Sites are sorted: extend the run while the next site is in the
	 same unit (so the same text segment) and on the same or the next
	 page, so that no page without a site changes protection.  */
      const struct sc_unit_state *unit = b->p[i].site->unit;
      while (++i < b->n && b->p[i].site->unit == unit
	     && ((uintptr_t) b->p[i].addr & ~(uintptr_t) (page_size - 1))
		<= ((end - 1) | (uintptr_t) (page_size - 1)) + 1)
	end = (uintptr_t) b->p[i].addr + b->p[i].len;
      int r = mprotect_range ((void *) start, end - start, prot);
      if (r)
	return r;
    }
  return 0;
}

int
sc_writer_begin (const struct sc_batch *b)
{
  if (writer == W_MPROTECT)
    {
      int r = for_each_page_run (b, PROT_READ | PROT_WRITE | PROT_EXEC);
      if (r)
	{
	  for_each_page_run (b, PROT_READ | PROT_EXEC);
	  return r;
	}
    }
  return writer == W_NONE ? -EPERM : 0;
}

void
sc_writer_end (const struct sc_batch *b)
{
  if (writer == W_MPROTECT)
    for_each_page_run (b, PROT_READ | PROT_EXEC);
}

int
sc_text_write (void *addr, const void *src, size_t len)
{
  int r;
  switch (writer)
    {
    case W_PROCMEM:
      r = procmem_write (addr, src, len);
      break;
    case W_MPROTECT:
      /* The page is writable for the whole batch (sc_writer_begin).  */
      memcpy (addr, src, len);
      r = 0;
      break;
    default:
      return -EPERM;
    }
  if (RUNNING_ON_VALGRIND)
    VALGRIND_DISCARD_TRANSLATIONS (addr, len);
  return r;
}

/* In a child of fork: the descriptor still names the parent's memory.
   Returns 0, or -errno when the child cannot write code.  */
int
sc_writer_after_fork (void)
{
  if (writer != W_PROCMEM)
    return writer == W_NONE ? -EPERM : 0;
  close (mem_fd);
  mem_fd = open_proc_mem ();
  if (mem_fd >= 0)
    return 0;
  writer = W_NONE;
  return -EPERM;
}

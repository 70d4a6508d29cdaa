/* staticcall-sites: list and check the static call sites of a linked
   x86-64 ELF file (executable or shared object), from the file alone.

   usage: staticcall-sites [--check] [--quiet] [--summary] FILE...

   For each record of .static_call_sites it prints the site's address,
   `call' or `jmp' (`cond call' or `cond jmp' for a guarded
   `if (p) p (...)', which the runtime makes a NOP, or `ret', while the
   pointer is NULL), the symbol the instruction goes to (normally
   __static_call_tramp_KEY, __static_call_cond_KEY for a conditional
   site), and the site's offset within its 64-byte line.  --check exits
   1 unless every site is a 5-byte e8/e9 whose target is a trampoline
   of its kind and whose displacement stays inside one 64-byte line.  --summary prints one line of totals.  */

#include <elf.h>
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../runtime/unit-abi.h"
#include "x86-insn.h"

#define TRAMP_PREFIX "__static_call_tramp_"
#define COND_PREFIX "__static_call_cond_"

struct image
{
  const char *path;
  const unsigned char *data;
  size_t size;
  const Elf64_Ehdr *eh;
  const Elf64_Shdr *sh;
  const Elf64_Sym *syms;
  size_t nsyms;
  const char *strtab;
};

static bool quiet, check, summary;

static const Elf64_Shdr *
section_named (const struct image *im, const char *name)
{
  const Elf64_Shdr *shstr = &im->sh[im->eh->e_shstrndx];
  for (int i = 0; i < im->eh->e_shnum; i++)
    if (!strcmp ((const char *) im->data + shstr->sh_offset
		 + im->sh[i].sh_name, name))
      return &im->sh[i];
  return NULL;
}

/* File bytes at virtual address VA, or NULL when no allocated section
   with contents holds LEN bytes there.  */
static const unsigned char *
bytes_at (const struct image *im, uint64_t va, size_t len)
{
  for (int i = 0; i < im->eh->e_shnum; i++)
    {
      const Elf64_Shdr *s = &im->sh[i];
      if (!(s->sh_flags & SHF_ALLOC) || s->sh_type == SHT_NOBITS)
	continue;
      if (va >= s->sh_addr && va + len <= s->sh_addr + s->sh_size)
	return im->data + s->sh_offset + (va - s->sh_addr);
    }
  return NULL;
}

static const char *
symbol_at (const struct image *im, uint64_t va)
{
  const char *best = NULL;
  for (size_t i = 0; i < im->nsyms; i++)
    {
      const Elf64_Sym *s = &im->syms[i];
      if (s->st_value != va || s->st_shndx == SHN_UNDEF || !s->st_name)
	continue;
      const char *name = im->strtab + s->st_name;
      /* Prefer the trampoline's name over an alias at the same place.  */
      if (!best || !strncmp (name, TRAMP_PREFIX, strlen (TRAMP_PREFIX)))
	best = name;
    }
  return best;
}

static int
load (struct image *im, const char *path)
{
  memset (im, 0, sizeof *im);
  im->path = path;
  int fd = open (path, O_RDONLY);
  struct stat st;
  if (fd < 0 || fstat (fd, &st))
    {
      fprintf (stderr, "staticcall-sites: %s: %s\n", path, strerror (errno));
      return -1;
    }
  im->size = st.st_size;
  im->data = mmap (NULL, im->size, PROT_READ, MAP_PRIVATE, fd, 0);
  close (fd);
  if (im->data == MAP_FAILED || im->size < sizeof (Elf64_Ehdr)
      || memcmp (im->data, ELFMAG, SELFMAG)
      || im->data[EI_CLASS] != ELFCLASS64)
    {
      fprintf (stderr, "staticcall-sites: %s: not a 64-bit ELF file\n", path);
      return -1;
    }
  im->eh = (const Elf64_Ehdr *) im->data;
  im->sh = (const Elf64_Shdr *) (im->data + im->eh->e_shoff);
  const Elf64_Shdr *symtab = section_named (im, ".symtab");
  if (!symtab)
    symtab = section_named (im, ".dynsym");
  if (symtab)
    {
      im->syms = (const Elf64_Sym *) (im->data + symtab->sh_offset);
      im->nsyms = symtab->sh_size / sizeof (Elf64_Sym);
      im->strtab = (const char *) im->data
		   + im->sh[symtab->sh_link].sh_offset;
    }
  return 0;
}

/* Returns the number of bad sites, or -1 when the file cannot be read.  */
static int
inspect (const char *path)
{
  struct image im;
  if (load (&im, path))
    return -1;
  const Elf64_Shdr *tab = section_named (&im, ".static_call_sites");
  if (!tab)
    {
      if (!quiet)
	printf ("%s: no static call sites\n", path);
      if (summary)
	printf ("%s: 0 sites\n", path);
      return 0;
    }
  size_t n = tab->sh_size / sizeof (struct sc_site_record);
  size_t bad = 0, tails = 0, conds = 0;
  /* One byte per site, in table order: the assembler's padding in
     front of the site (absent in objects from older plugins).  */
  const Elf64_Shdr *pad = section_named (&im, ".static_call_padding");
  if (pad && pad->sh_size != n)
    pad = NULL;
  unsigned long pad_total = 0, pad_max = 0;
  for (size_t i = 0; i < n; i++)
    {
      /* The fields are relative to their own address: compute with
	 the record's address in the file's image, not in our copy.  */
      uint64_t rec = tab->sh_addr + i * sizeof (struct sc_site_record);
      struct sc_site_record r;
      memcpy (&r, im.data + tab->sh_offset
		  + i * sizeof (struct sc_site_record), sizeof r);
      uint64_t site = rec + offsetof (struct sc_site_record, site) + r.site;
      bool tail = (r.key & SC_SITE_KIND_TAIL) != 0;
      bool cond = (r.key & SC_SITE_KIND_COND) != 0;
      tails += tail;
      conds += cond;
      const char *prefix = cond ? COND_PREFIX : TRAMP_PREFIX;
      const unsigned char *b = bytes_at (&im, site, 5);
      const char *why = NULL, *target_name = "?";
      uint64_t target = 0;
      if (!b)
	why = "site is not in the file's code";
      else
	{
	  target = sc_x86_rel32_target (site, b);
	  const char *sym = symbol_at (&im, target);
	  if (sym)
	    target_name = sym;
	  if (!(tail ? sc_x86_is_jmp_rel32 (b) : sc_x86_is_call_rel32 (b)))
	    why = tail ? "not a 5-byte jmp" : "not a 5-byte call";
	  else if (strncmp (target_name, prefix, strlen (prefix)))
	    why = cond ? "does not go to a conditional trampoline"
		       : "does not go to a trampoline";
	  else if ((site + 1) / 64 != (site + 4) / 64)
	    why = "displacement crosses a 64-byte line";
	}
      if (pad)
	{
	  unsigned p = im.data[pad->sh_offset + i];
	  pad_total += p;
	  if (p > pad_max)
	    pad_max = p;
	}
      if (why)
	bad++;
      if (!quiet || why)
	printf ("%s: %#lx %s%s %s (+%lu in line)%s%s\n", path,
		(unsigned long) site, cond ? "cond " : "", tail ? "jmp " : "call",
		target_name, (unsigned long) (site % 64),
		why ? ": BAD: " : "", why ? why : "");
    }
  if (summary)
    {
      printf ("%s: %zu sites (%zu tail, %zu conditional), %zu bad, %lu "
	      "bytes of site records", path, n, tails, conds, bad,
	      (unsigned long) tab->sh_size);
      if (pad && n)
	printf (", padding %lu bytes (mean %.2f, max %lu per site)",
		pad_total, (double) pad_total / n, pad_max);
      putchar ('\n');
    }
  munmap ((void *) im.data, im.size);
  return (int) bad;
}

int
main (int argc, char **argv)
{
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++)
    {
      if (!strcmp (argv[i], "--check"))
	check = true;
      else if (!strcmp (argv[i], "--quiet"))
	quiet = true;
      else if (!strcmp (argv[i], "--summary"))
	summary = true;
      else
	{
	  fprintf (stderr, "staticcall-sites: unknown option '%s'\n"
		   "usage: staticcall-sites [--check] [--quiet] [--summary] "
		   "FILE...\n", argv[i]);
	  return 2;
	}
    }
  if (i == argc)
    {
      fprintf (stderr, "usage: staticcall-sites [--check] [--quiet] "
	       "[--summary] FILE...\n");
      return 2;
    }
  int status = 0;
  for (; i < argc; i++)
    {
      int bad = inspect (argv[i]);
      if (bad < 0)
	status = 2;
      else if (bad && check && status == 0)
	status = 1;
    }
  return status;
}

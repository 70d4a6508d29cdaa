/* staticcall-sites: list and check the static call sites of a linked
   x86-64 ELF file (executable or shared object), from the file alone;
   or list those of a running process, from outside it.

   usage: staticcall-sites [--check] [--quiet] [--summary] FILE...
	  staticcall-sites --pid PID

   For each record of .static_call_sites it prints the site's address,
   `call' or `jmp' (`cond call' or `cond jmp' for a guarded
   `if (p) p (...)', which the runtime makes a NOP, or `ret', while the
   pointer is NULL), the symbol the instruction goes to (normally
   __static_call_tramp_KEY, __static_call_cond_KEY for a conditional
   site), and the site's offset within its 64-byte line.  --check exits
   1 unless every site is a 5-byte e8/e9 whose target is a trampoline
   of its kind and whose displacement stays inside one 64-byte line.  --summary prints one line of totals.

   The value sites of static keys and immediate values (units of
   version 4, found through the __static_call_units section) are listed
   after them: `branch' (`branch inv' for the layout of
   `__builtin_expect (v, 1)') with the key, what the site holds (`jmp'
   to GCC's test as compiled, `jmp' to the taken block, or `nop') and
   where the taken branch goes; `imm' with the key, the register, and
   `load' as compiled or `$VALUE' once patched.  --check takes a value
   site for good when it is one instruction inside one 64-byte line and
   holds its compiled form, which reads the variable, or the form for
   the value the variable has in the file.

   --pid PID lists the keys of a running process with their targets or
   values, and the state of each of its sites as its bytes and the
   runtime's registry say (see list_process and read_registry).

   Every input is hostile: a file may be truncated, corrupted or made
   to mislead (see parse_image), and a process's memory may say
   anything and change between two reads (MAX_LIVE_RECORDS).  The tool
   ends on any of them, reading nothing outside what it read, in time
   and memory bounded by its input (testsuite/fuzz/fuzz-sites.c fuzzes
   both readers).  */

#include <elf.h>
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../runtime/unit-abi.h"
#include "x86-insn.h"

#define TRAMP_PREFIX "__static_call_tramp_"
#define COND_PREFIX "__static_call_cond_"

struct image
{
  const char *path;
  const unsigned char *data;	/* the whole file, read (not mapped) */
  size_t size;
  const Elf64_Ehdr *eh;
  const Elf64_Shdr *sh;
  unsigned shnum;		/* 0 when the section headers are unusable */
  const char *shstr;		/* section names, or NULL */
  size_t shstrsz;
  const Elf64_Sym *syms;
  size_t nsyms;
  const char *strtab;
  size_t strsz;
};

static bool quiet, check, summary;
/* Say nothing of a file that cannot be read or is not ELF (the files
   a process maps, of which only some are objects).  */
static bool load_silently;

/* Larger files are not read (a process may map huge files).  */
#define MAX_FILE_SIZE ((size_t) 1 << 30)

/* The file is hostile until checked: every offset, size, index and
   count in it is checked against the file before it is used, and a
   string is used only when its NUL is inside its table.  The tables
   read through pointers (section and program headers, symbols,
   relocations) must also be aligned.  */

/* Whether [OFF, OFF + LEN) is inside the file.  */
static bool
in_file (const struct image *im, uint64_t off, uint64_t len)
{
  return off <= im->size && len <= im->size - off;
}

/* The contents of section S, or NULL when they are not in the file.  */
static const unsigned char *
section_data (const struct image *im, const Elf64_Shdr *s)
{
  if (s->sh_type == SHT_NOBITS || !in_file (im, s->sh_offset, s->sh_size))
    return NULL;
  return im->data + s->sh_offset;
}

/* Section S's contents as a table of entries of SIZE bytes aligned to
   ALIGN; their number in *N.  */
static const void *
section_table (const struct image *im, const Elf64_Shdr *s, size_t size,
	       size_t align, size_t *n)
{
  const unsigned char *d = section_data (im, s);
  *n = 0;
  if (!d || s->sh_offset % align)
    return NULL;
  *n = s->sh_size / size;
  return d;
}

/* The string at offset OFF of the table TAB of SIZE bytes, or NULL when
   it does not end inside the table.  */
static const char *
string_in (const char *tab, size_t size, uint64_t off)
{
  if (!tab || off >= size || !memchr (tab + off, 0, size - off))
    return NULL;
  return tab + off;
}

static const char *
symbol_name (const struct image *im, const Elf64_Sym *s)
{
  return s->st_name ? string_in (im->strtab, im->strsz, s->st_name) : NULL;
}

static const Elf64_Shdr *
section_named (const struct image *im, const char *name)
{
  for (unsigned i = 0; i < im->shnum; i++)
    {
      const char *n = string_in (im->shstr, im->shstrsz, im->sh[i].sh_name);
      if (n && !strcmp (n, name))
	return &im->sh[i];
    }
  return NULL;
}

/* File bytes at virtual address VA, or NULL when no allocated section
   with contents holds LEN bytes there.  */
static const unsigned char *
bytes_at (const struct image *im, uint64_t va, size_t len)
{
  for (unsigned i = 0; i < im->shnum; i++)
    {
      const Elf64_Shdr *s = &im->sh[i];
      if (!(s->sh_flags & SHF_ALLOC) || s->sh_type == SHT_NOBITS
	  || va < s->sh_addr || va - s->sh_addr > s->sh_size
	  || len > s->sh_size - (va - s->sh_addr))
	continue;
      const unsigned char *d = section_data (im, s);
      if (d)
	return d + (va - s->sh_addr);
    }
  return NULL;
}

/* The string at virtual address VA, when it ends inside its section.  */
static const char *
string_at (const struct image *im, uint64_t va)
{
  for (unsigned i = 0; i < im->shnum; i++)
    {
      const Elf64_Shdr *s = &im->sh[i];
      if (!(s->sh_flags & SHF_ALLOC) || s->sh_type == SHT_NOBITS
	  || va < s->sh_addr || va - s->sh_addr >= s->sh_size)
	continue;
      const char *d = (const char *) section_data (im, s);
      const char *str = d ? string_in (d, s->sh_size, va - s->sh_addr)
			  : NULL;
      if (str)
	return str;
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
      if (s->st_value != va || s->st_shndx == SHN_UNDEF)
	continue;
      const char *name = symbol_name (im, s);
      if (!name)
	continue;
      /* Prefer the trampoline's name over an alias at the same place.  */
      if (!best || !strncmp (name, TRAMP_PREFIX, strlen (TRAMP_PREFIX)))
	best = name;
    }
  return best;
}

/* The symbol table of section S and its strings, when both are usable.  */
static bool
symbols_of (const struct image *im, const Elf64_Shdr *s,
	    const Elf64_Sym **syms, size_t *nsyms, const char **str,
	    size_t *strsz)
{
  *syms = section_table (im, s, sizeof (Elf64_Sym), 8, nsyms);
  if (!*syms || s->sh_link >= im->shnum)
    return false;
  const Elf64_Shdr *ss = &im->sh[s->sh_link];
  *str = (const char *) section_data (im, ss);
  *strsz = ss->sh_size;
  return *str != NULL;
}

/* Checks the ELF header and finds the tables of the file IM->DATA, of
   IM->SIZE bytes.  On failure, says why unless load_silently.  */
static int
parse_image (struct image *im)
{
  const char *why = NULL;
  im->eh = (const Elf64_Ehdr *) im->data;
  const Elf64_Ehdr *eh = im->eh;
  if (im->size < sizeof (Elf64_Ehdr) || memcmp (im->data, ELFMAG, SELFMAG)
      || im->data[EI_CLASS] != ELFCLASS64)
    why = "not a 64-bit ELF file";
  else if (im->data[EI_DATA] != ELFDATA2LSB)
    why = "not a little-endian ELF file";
  else if (eh->e_shnum
	   && (eh->e_shentsize != sizeof (Elf64_Shdr) || eh->e_shoff % 8
	       || !in_file (im, eh->e_shoff,
			    (uint64_t) eh->e_shnum * sizeof (Elf64_Shdr))))
    why = "malformed ELF file: its section headers are not in it";
  if (why)
    {
      if (!load_silently)
	fprintf (stderr, "staticcall-sites: %s: %s\n", im->path, why);
      return -1;
    }
  /* With no (or too many, SHN_XINDEX) sections, no section is found.  */
  im->shnum = eh->e_shnum;
  im->sh = im->shnum ? (const Elf64_Shdr *) (im->data + eh->e_shoff) : NULL;
  if (eh->e_shstrndx < im->shnum)
    {
      im->shstr = (const char *) section_data (im, &im->sh[eh->e_shstrndx]);
      im->shstrsz = im->shstr ? im->sh[eh->e_shstrndx].sh_size : 0;
    }
  const Elf64_Shdr *symtab = section_named (im, ".symtab");
  if (!symtab || !symbols_of (im, symtab, &im->syms, &im->nsyms,
			      &im->strtab, &im->strsz))
    {
      symtab = section_named (im, ".dynsym");
      if (!symtab || !symbols_of (im, symtab, &im->syms, &im->nsyms,
				  &im->strtab, &im->strsz))
	{
	  im->syms = NULL;
	  im->nsyms = 0;
	  im->strtab = NULL;
	  im->strsz = 0;
	}
    }
  return 0;
}

static void
unload (struct image *im)
{
  free ((void *) im->data);
  im->data = NULL;
}

/* Reads the file PATH whole into memory (not mapped: a file truncated
   under us would raise SIGBUS) and parses it.  */
static int
load (struct image *im, const char *path)
{
  memset (im, 0, sizeof *im);
  im->path = path;
  /* Not blocked by a FIFO put where a file was (O_NONBLOCK: no effect
     on a regular file's reads).  */
  int fd = open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  struct stat st;
  unsigned char ident[EI_NIDENT];
  const char *why = NULL;
  if (fd < 0 || fstat (fd, &st))
    why = strerror (errno);
  else if (!S_ISREG (st.st_mode)
	   || pread (fd, ident, sizeof ident, 0) != (ssize_t) sizeof ident
	   || memcmp (ident, ELFMAG, SELFMAG) || ident[EI_CLASS] != ELFCLASS64)
    why = "not a 64-bit ELF file";
  else if ((uint64_t) st.st_size > MAX_FILE_SIZE)
    why = "too large";
  unsigned char *data = NULL;
  size_t got = 0;
  if (!why)
    {
      data = malloc (st.st_size ? st.st_size : 1);
      if (!data)
	why = strerror (errno);
      /* The size when we looked: a file that shrinks since is read up
	 to its new end, one that grows only up to that size.  */
      while (data && got < (size_t) st.st_size)
	{
	  ssize_t r = pread (fd, data + got, st.st_size - got, got);
	  if (r < 0 && errno == EINTR)
	    continue;
	  if (r < 0)
	    why = strerror (errno);
	  if (r <= 0)
	    break;
	  got += r;
	}
    }
  if (fd >= 0)
    close (fd);
  if (why)
    {
      if (!load_silently)
	fprintf (stderr, "staticcall-sites: %s: %s\n", path, why);
      free (data);
      return -1;
    }
  im->data = data;
  im->size = got;
  if (parse_image (im))
    {
      unload (im);
      return -1;
    }
  return 0;
}

/* The 8-byte pointer at virtual address VA as the dynamic loader
   leaves it: the file's word, or the addend of a relative relocation
   there (a position-independent file).  0 when unknown.  */
static uint64_t
pointer_at (const struct image *im, uint64_t va)
{
  const unsigned char *b = bytes_at (im, va, 8);
  uint64_t v = 0;
  if (b)
    memcpy (&v, b, 8);
  if (v)
    return v;
  for (unsigned i = 0; i < im->shnum; i++)
    {
      const Elf64_Shdr *s = &im->sh[i];
      size_t nr;
      if (s->sh_type != SHT_RELA)
	continue;
      const Elf64_Rela *r = section_table (im, s, sizeof *r, 8, &nr);
      for (size_t j = 0; r && j < nr; j++)
	if (r[j].r_offset == va)
	  {
	    if (ELF64_R_TYPE (r[j].r_info) == R_X86_64_RELATIVE)
	      return r[j].r_addend;
	    /* A symbol's address (an extern variable of a shared
	       object): the symbol's value, when the file defines it.  */
	    size_t nsyms = 0;
	    const Elf64_Sym *syms
	      = s->sh_link < im->shnum
		? section_table (im, &im->sh[s->sh_link], sizeof *syms, 8,
				 &nsyms)
		: NULL;
	    uint64_t k = ELF64_R_SYM (r[j].r_info);
	    if (k && k < nsyms && syms[k].st_shndx != SHN_UNDEF)
	      return syms[k].st_value + r[j].r_addend;
	    return 0;
	  }
    }
  return 0;
}

/* The value of the key's variable in the file (its initial value), of
   its size, zero-extended; false when the file holds none there (an
   extern variable, or .bss: 0).  */
static bool
initial_value (const struct image *im, uint64_t var, unsigned size,
	       uint64_t *out)
{
  *out = 0;
  if (!var)
    return false;
  const unsigned char *b = bytes_at (im, var, size);
  if (b)
    {
      memcpy (out, b, size);
      return true;
    }
  /* .bss: zero.  */
  for (unsigned i = 0; i < im->shnum; i++)
    {
      const Elf64_Shdr *s = &im->sh[i];
      if (s->sh_type == SHT_NOBITS && (s->sh_flags & SHF_ALLOC)
	  && var >= s->sh_addr && var - s->sh_addr <= s->sh_size
	  && size <= s->sh_size - (var - s->sh_addr))
	return true;
    }
  return false;
}

static const char *const vsite_kind_names[] = { "branch", "branch inv",
						"imm", "?" };

/* One value site: prints it, returns whether it is bad.  */
static bool
inspect_value_site (const struct image *im, const char *path, uint64_t rec)
{
  struct sc_value_site_record r;
  const unsigned char *rb = bytes_at (im, rec, sizeof r);
  if (!rb)
    {
      printf ("%s: value site record %#lx is not in the file: BAD\n", path,
	      (unsigned long) rec);
      return true;
    }
  memcpy (&r, rb, sizeof r);
  uint64_t site = rec + offsetof (struct sc_value_site_record, site) + r.site;
  uint64_t key = rec + offsetof (struct sc_value_site_record, key)
		 + (r.key & ~SC_SITE_KIND_MASK);
  unsigned kind = r.key & SC_SITE_KIND_MASK;
  uint64_t var = pointer_at (im, key);
  uint64_t name_va = pointer_at (im, key + 8);
  uint64_t flags = 0;
  const unsigned char *fb = bytes_at (im, key + 24, 8);
  if (fb)
    memcpy (&flags, fb, 8);
  const char *name = name_va ? string_at (im, name_va) : NULL;
  if (!name)
    name = "?";
  unsigned size = flags >> SC_KEY_SIZE_SHIFT & SC_KEY_SIZE_MASK;
  uint64_t value;
  bool known = (size == 1 || size == 2 || size == 4 || size == 8)
	       && initial_value (im, var, size, &value);

  unsigned len = kind == SC_VSITE_IMM ? SC_IMM_LEN (r.info) : 5;
  const char *why = NULL;
  char what[96] = "?";
  const unsigned char *b = len && len <= SC_IMM_MAX_LEN
			   ? bytes_at (im, site, len) : NULL;
  if (kind > SC_VSITE_IMM)
    why = "unknown kind";
  else if (!b)
    why = "site is not in the file's code";
  else if (site / 64 != (site + len - 1) / 64)
    why = "crosses a 64-byte line";
  else if (kind != SC_VSITE_IMM)
    {
      uint64_t dest = rec + offsetof (struct sc_value_site_record, dest)
		      + r.dest;
      uint64_t test = rec + offsetof (struct sc_value_site_record, info)
		      + r.info;
      bool taken_now = known && (value != 0) != (kind == SC_VSITE_BRANCH_INV);
      const char *dsym = symbol_at (im, dest);
      if (sc_x86_is_jmp_rel32 (b) && sc_x86_rel32_target (site, b) == test)
	snprintf (what, sizeof what, "jmp test %#lx", (unsigned long) test);
      else if (sc_x86_is_jmp_rel32 (b)
	       && sc_x86_rel32_target (site, b) == dest)
	{
	  snprintf (what, sizeof what, "jmp");
	  if (!known || !taken_now)
	    why = "jumps while the key says fall through";
	}
      else if (sc_x86_is_nop5 (b))
	{
	  snprintf (what, sizeof what, "nop");
	  if (!known || taken_now)
	    why = "falls through while the key says jump";
	}
      else
	why = "neither its jmp nor its NOP";
      size_t l = strlen (what);
      snprintf (what + l, sizeof what - l, ", taken: %s%s%#lx",
		dsym ? dsym : "", dsym ? " " : "", (unsigned long) dest);
    }
  else
    {
      unsigned reg, want_reg = SC_IMM_REG (r.info);
      int wide, want_wide = SC_IMM_WIDE (r.info);
      unsigned long from = 0, v;
      int rip;
      unsigned pre = sc_x86_cs_prefixes (b, len);
      if (sc_x86_decode_load (b, len, site, &reg, &wide, &rip, &from))
	{
	  if (rip)
	    snprintf (what, sizeof what, "load %#lx, r%u", from, reg);
	  else
	    snprintf (what, sizeof what, "load through a register, r%u",
		      reg);
	  if (reg != want_reg || wide != want_wide
	      || (rip && var && from != var))
	    why = "not a load of its register from its variable";
	}
      else if (len - pre == 5 && sc_x86_is_jmp_rel32 (b + pre))
	snprintf (what, sizeof what, "jmp %#lx (load out of line)",
		  (unsigned long) sc_x86_rel32_target (site + pre, b + pre));
      else if (sc_x86_decode_mov_imm (b, len, &reg, &wide, &v))
	{
	  snprintf (what, sizeof what, "$%#lx, r%u", v, reg);
	  unsigned char want[SC_IMM_MAX_LEN];
	  if (reg != want_reg || wide != want_wide || !known
	      || !sc_x86_encode_mov_imm (want, len, reg, wide, value)
	      || memcmp (want, b, len))
	    why = "does not hold its variable's value";
	}
      else
	why = "neither a load nor a move of an immediate";
    }
  if (!quiet || why)
    printf ("%s: %#lx %s %s, %u bytes: %s (+%lu in line)%s%s\n", path,
	    (unsigned long) site, vsite_kind_names[kind], name, len, what,
	    (unsigned long) (site % 64), why ? ": BAD: " : "", why ? why : "");
  return why != NULL;
}

/* The value sites of every unit of version 4 the file lists in its
   __static_call_units section.  Adds to *N, *BAD and *BRANCHES.  */
static void
inspect_value_sites (const struct image *im, const char *path, size_t *n,
		     size_t *bad, size_t *branches)
{
  const Elf64_Shdr *us = section_named (im, SC_UNITS_SECTION);
  /* Its size bounds the loop only when it is in the file.  */
  if (!us || !section_data (im, us))
    return;
  for (uint64_t k = 0; k < us->sh_size / 8; k++)
    {
      uint64_t unit = pointer_at (im, us->sh_addr + 8 * k);
      const unsigned char *ub = unit ? bytes_at (im, unit, 16) : NULL;
      uint32_t version = 0, nvalue = 0;
      if (ub)
	memcpy (&version, ub, 4);
      if (version < SC_UNIT_ABI_VERSION_VALUES)
	continue;
      const unsigned char *nb
	= bytes_at (im, unit + offsetof (struct sc_unit, nvalue_sites), 4);
      if (nb)
	memcpy (&nvalue, nb, 4);
      uint64_t recs
	= pointer_at (im, unit + offsetof (struct sc_unit, value_sites));
      /* The whole table in the file, or none of it: a count the file
	 cannot hold is not walked.  */
      if (nvalue && (!recs || !bytes_at (im, recs, (uint64_t) nvalue
					 * sizeof (struct sc_value_site_record))))
	{
	  printf ("%s: unit %#lx: its %u value site records are not in the "
		  "file: BAD\n", path, (unsigned long) unit, nvalue);
	  ++*bad;
	  continue;
	}
      for (uint32_t i = 0; i < nvalue; i++)
	{
	  uint64_t rec = recs + i * sizeof (struct sc_value_site_record);
	  const unsigned char *rb = bytes_at (im, rec, 8);
	  int32_t key = 0;
	  if (rb)
	    memcpy (&key, rb + 4, 4);
	  *branches += (key & SC_SITE_KIND_MASK) != SC_VSITE_IMM;
	  *bad += inspect_value_site (im, path, rec);
	  ++*n;
	}
    }
}

/* Lists and checks the sites of the loaded file IM, and unloads it.
   Returns the number of bad sites, or -1 when the file cannot be
   read.  */
static int
inspect_image (struct image *imp, const char *path)
{
  struct image im = *imp;
  const Elf64_Shdr *tab = section_named (&im, ".static_call_sites");
  size_t nv = 0, vbad = 0, vbranches = 0;
  if (!tab)
    {
      inspect_value_sites (&im, path, &nv, &vbad, &vbranches);
      if (!quiet && !nv)
	printf ("%s: no static call sites\n", path);
      if (summary)
	printf ("%s: 0 sites, %zu value sites (%zu branches), %zu bad\n",
		path, nv, vbranches, vbad);
      unload (&im);
      return (int) vbad;
    }
  const unsigned char *recs = section_data (&im, tab);
  if (!recs)
    {
      fprintf (stderr, "staticcall-sites: %s: malformed ELF file: its "
	       ".static_call_sites is not in it\n", path);
      unload (&im);
      return -1;
    }
  size_t n = tab->sh_size / sizeof (struct sc_site_record);
  size_t bad = 0, tails = 0, conds = 0;
  /* One byte per site, in table order: the assembler's padding in
     front of the site (absent in objects from older plugins).  */
  const Elf64_Shdr *pad = section_named (&im, ".static_call_padding");
  const unsigned char *pads = pad ? section_data (&im, pad) : NULL;
  if (pad && (!pads || pad->sh_size != n))
    pad = NULL;
  unsigned long pad_total = 0, pad_max = 0;
  for (size_t i = 0; i < n; i++)
    {
      /* The fields are relative to their own address: compute with
	 the record's address in the file's image, not in our copy.  */
      uint64_t rec = tab->sh_addr + i * sizeof (struct sc_site_record);
      struct sc_site_record r;
      memcpy (&r, recs + i * sizeof (struct sc_site_record), sizeof r);
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
	  unsigned p = pads[i];
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
  inspect_value_sites (&im, path, &nv, &vbad, &vbranches);
  if (summary)
    {
      printf ("%s: %zu sites (%zu tail, %zu conditional), %zu bad, %lu "
	      "bytes of site records", path, n, tails, conds, bad,
	      (unsigned long) tab->sh_size);
      if (pad && n)
	printf (", padding %lu bytes (mean %.2f, max %lu per site)",
		pad_total, (double) pad_total / n, pad_max);
      if (nv)
	printf (", %zu value sites (%zu branches), %zu bad", nv, vbranches,
		vbad);
      putchar ('\n');
    }
  unload (&im);
  return (int) (bad + vbad);
}

static int
inspect (const char *path)
{
  struct image im;
  if (load (&im, path))
    return -1;
  return inspect_image (&im, path);
}

/* ---- A running process: --pid PID -------------------------------------

   Read as a debugger would, with no help from the process: its
   mappings from /proc/PID/maps, and memory through /proc/PID/mem,
   which the kernel opens only to whom ptrace rules allow.  Each mapped
   ELF object with a __static_call_units section (or, from an older
   plugin, only .static_call_sites) is read from its file for its
   section headers and symbols; the load bias comes from where its
   first segment is mapped.  Unit descriptors, key records, the keys'
   variables and the sites' bytes are then read from memory, relocated
   as the process sees them.  A site's state is what its bytes say,
   with what the runtime's registry adds for the sites it knows
   (refused, under patch: see read_registry).  The process is not
   stopped, so a site under patch shows its breakpoint.  */

/* At most so many records of each kind in an object, and so many
   sites in the registry: what the process's memory says is not trusted either (it
   changes while it is read, and may be anything).  */
#define MAX_LIVE_RECORDS ((size_t) 1 << 22)

struct mapping
{
  uint64_t lo, hi, off;
  char perms[5];
  char *path;		/* "" for anonymous memory */
  int obj;		/* index in objs, or -1 */
};

struct object
{
  char *path;
  struct image im;
  uint64_t bias;
};

static int mem_fd = -1;
static struct mapping *maps;
static size_t nmaps;
static struct object *objs;
static size_t nobjs;

static bool
mem_read (uint64_t addr, void *buf, size_t len)
{
  return pread (mem_fd, buf, len, (off_t) addr) == (ssize_t) len;
}

static uint64_t
mem_u64 (uint64_t addr)
{
  uint64_t v = 0;
  if (!mem_read (addr, &v, 8))
    v = 0;
  return v;
}

/* A NUL-terminated string of the process at ADDR, cut to LEN - 1.  */
static void
mem_string (uint64_t addr, char *out, size_t len)
{
  size_t i = 0;
  for (; i + 1 < len && addr; i++)
    if (!mem_read (addr + i, &out[i], 1) || !out[i])
      break;
  out[i] = 0;
  if (!i)
    snprintf (out, len, "?");
}

static const struct mapping *
mapping_of (uint64_t addr)
{
  for (size_t i = 0; i < nmaps; i++)
    if (addr >= maps[i].lo && addr < maps[i].hi)
      return &maps[i];
  return NULL;
}

/* The symbol of OBJ covering VA (the nearest one below it that holds
   it, or one at VA of unknown size), and the offset into it.  */
static const char *
symbol_covering (const struct image *im, uint64_t va, uint64_t *off)
{
  const Elf64_Sym *best = NULL;
  for (size_t i = 0; i < im->nsyms; i++)
    {
      const Elf64_Sym *s = &im->syms[i];
      unsigned type = ELF64_ST_TYPE (s->st_info);
      if (s->st_shndx == SHN_UNDEF || !symbol_name (im, s)
	  || (type != STT_FUNC && type != STT_OBJECT && type != STT_NOTYPE)
	  || s->st_value > va
	  || (va >= s->st_value + s->st_size
	      && !(s->st_size == 0 && va == s->st_value)))
	continue;
      if (!best || s->st_value > best->st_value
	  || (s->st_value == best->st_value
	      && ELF64_ST_BIND (s->st_info) == STB_GLOBAL))
	best = s;
    }
  if (!best)
    return NULL;
  *off = va - best->st_value;
  return symbol_name (im, best);
}

/* What is at ADDR in the process: "SYMBOL (0xADDR)", "SYMBOL+0xOFF
   (0xADDR)", or the address and what maps it.  */
static void
describe_address (uint64_t addr, char *out, size_t len)
{
  const struct mapping *m = mapping_of (addr);
  const char *sym = NULL;
  uint64_t off = 0;
  if (m && m->obj >= 0)
    sym = symbol_covering (&objs[m->obj].im, addr - objs[m->obj].bias, &off);
  if (sym && off)
    snprintf (out, len, "%s+%#lx (%#lx)", sym, (unsigned long) off,
	      (unsigned long) addr);
  else if (sym)
    snprintf (out, len, "%s (%#lx)", sym, (unsigned long) addr);
  else if (m && *m->path)
    snprintf (out, len, "%#lx in %s", (unsigned long) addr, m->path);
  else
    snprintf (out, len, "%#lx%s", (unsigned long) addr,
	      m ? "" : " (not mapped)");
}

static bool
mapped_as (uint64_t addr, const char *name)
{
  const struct mapping *m = mapping_of (addr);
  return m && strstr (m->path, name);
}

static bool
read_maps (pid_t pid)
{
  char path[64];
  snprintf (path, sizeof path, "/proc/%d/maps", (int) pid);
  FILE *f = fopen (path, "r");
  if (!f)
    return false;
  char line[4096 + 256];
  size_t cap = 0;
  while (fgets (line, sizeof line, f))
    {
      struct mapping m = { .obj = -1 };
      unsigned long lo, hi, off, inode;
      int n = 0;
      if (sscanf (line, "%lx-%lx %4s %lx %*s %lu%n", &lo, &hi, m.perms,
		  &off, &inode, &n) < 5)
	continue;
      char *p = line + n;
      p += strspn (p, " ");
      p[strcspn (p, "\n")] = 0;
      m.lo = lo;
      m.hi = hi;
      m.off = off;
      m.path = strdup (p);
      if (!m.path)
	break;
      if (nmaps == cap)
	{
	  cap = cap ? 2 * cap : 64;
	  struct mapping *more = realloc (maps, cap * sizeof *maps);
	  if (!more)
	    break;
	  maps = more;
	}
      maps[nmaps++] = m;
    }
  fclose (f);
  return true;
}

/* The load bias of IM mapped with file offset OFF at LO: where the
   loader put the segment of that offset, minus its link address.  */
static bool
load_bias (const struct image *im, uint64_t lo, uint64_t off, uint64_t *bias)
{
  const Elf64_Ehdr *eh = im->eh;
  if (eh->e_type == ET_EXEC)
    {
      *bias = 0;
      return true;
    }
  if (eh->e_phentsize != sizeof (Elf64_Phdr) || eh->e_phoff % 8
      || !in_file (im, eh->e_phoff,
		   (uint64_t) eh->e_phnum * sizeof (Elf64_Phdr)))
    return false;
  const Elf64_Phdr *ph = (const Elf64_Phdr *) (im->data + eh->e_phoff);
  for (int i = 0; i < eh->e_phnum; i++)
    if (ph[i].p_type == PT_LOAD
	&& (ph[i].p_offset & ~(uint64_t) 0xfff) == off)
      {
	*bias = lo - (ph[i].p_vaddr & ~(uint64_t) 0xfff);
	return true;
      }
  return false;
}

/* An object for each ELF file the process maps, its mappings pointing
   at it.  ROOT is /proc/PID/root, to open the files as the process
   sees them (another mount namespace).  */
static void
find_objects (const char *root)
{
  objs = calloc (nmaps ? nmaps : 1, sizeof *objs);
  if (!objs)
    return;
  load_silently = true;
  for (size_t i = 0; i < nmaps; i++)
    {
      struct mapping *m = &maps[i];
      if (m->path[0] != '/' || strstr (m->path, " (deleted)"))
	continue;
      size_t j;
      for (j = 0; j < nobjs && strcmp (objs[j].path, m->path); j++)
	;
      if (j == nobjs)
	{
	  /* Its first mapping, at the lowest address.  */
	  struct object *o = &objs[nobjs];
	  char *in_root = malloc (strlen (root) + strlen (m->path) + 1);
	  if (!in_root)
	    continue;
	  strcpy (in_root, root);
	  strcat (in_root, m->path);
	  o->path = m->path;
	  if (load (&o->im, in_root) && load (&o->im, m->path))
	    {
	      free (in_root);
	      continue;
	    }
	  if (strcmp (o->im.path, m->path))
	    o->im.path = in_root;
	  else
	    free (in_root);
	  if (!load_bias (&o->im, m->lo, m->off, &o->bias))
	    {
	      unload (&o->im);
	      continue;
	    }
	  nobjs++;
	}
      m->obj = (int) j;
    }
  load_silently = false;
}

/* ---- The runtime's registry, through __static_call_debug ------------

   What the runtime knows of each site that the bytes cannot say: that
   it refused it (it holds bytes the runtime did not write, or it was
   never taken over, and may still hold its compiled call), and whether
   a batch (published, or stuck after a failed one) is patching it now.
   libstaticcall exports one descriptor for debuggers, struct sc_debug
   of runtime/introspect.c, found in its .dynsym, which survives strip;
   the structures it points to are read with the field offsets it
   gives, as gdb/libstaticcall-gdb.py reads them.  The process goes on
   running, so lists and batches may change under the reads: every
   count is bounded, and a read that fails only loses sites.  */

#define SC_DEBUG_SYMBOL "__static_call_debug"
#define SC_DEBUG_VERSION 1
#define SC_SITE_REFUSED 1	/* enum sc_site_state, runtime/internal.h */

/* The descriptor's offsets, in its order (after two uint32 and four
   pointers).  */
enum
{
  D_BATCH_P, D_BATCH_N, D_PATCH_SIZE, D_PATCH_ADDR, D_PATCH_SITE,
  D_PATCH_FOREIGN, D_UNIT_SITES, D_UNIT_NSITES, D_UNIT_SLOTS, D_UNIT_NEXT,
  D_SITE_SIZE, D_SITE_ADDR, D_SITE_KEY, D_SITE_TRAMP, D_SITE_DEST,
  D_SITE_TEST, D_SITE_KIND, D_SITE_CLS, D_SITE_STATE, D_SITE_LEN,
  D_SITE_CUR, D_SITE_ORIG, D_KEY_VAR, D_KEY_NAME, D_KEY_KIND, D_KEY_SIZE,
  D_KEY_SIGNED, D_KEY_DEREF, D_KEY_OFFSET, D_COUNT
};
#define D_HEAD 40

struct reg_site
{
  uint64_t addr;
  bool keyless;		/* of an undefined weak key: never the runtime's */
  bool refused;
  bool under_patch;
  bool under_foreign;	/* patched beneath another's int3 */
};

/* Whether the registry was read; its sites, sorted by address.  */
static bool registry;
static struct reg_site *rsites;
static size_t nrsites;

static int
reg_site_cmp (const void *a, const void *b)
{
  uint64_t x = ((const struct reg_site *) a)->addr;
  uint64_t y = ((const struct reg_site *) b)->addr;
  return x < y ? -1 : x > y;
}

static struct reg_site *
registered (uint64_t addr)
{
  struct reg_site k = { .addr = addr };
  return registry && nrsites ? bsearch (&k, rsites, nrsites, sizeof *rsites,
					reg_site_cmp)
			     : NULL;
}

/* The value of the defined symbol NAME in IM's .dynsym.  */
static bool
dynsym_value (const struct image *im, const char *name, uint64_t *va)
{
  for (unsigned i = 0; i < im->shnum; i++)
    {
      const Elf64_Shdr *s = &im->sh[i];
      const Elf64_Sym *syms;
      const char *str, *n;
      size_t nsyms, strsz;
      if (s->sh_type != SHT_DYNSYM
	  || !symbols_of (im, s, &syms, &nsyms, &str, &strsz))
	continue;
      for (size_t j = 0; j < nsyms; j++)
	if (syms[j].st_shndx != SHN_UNDEF && syms[j].st_name
	    && (n = string_in (str, strsz, syms[j].st_name))
	    && !strcmp (n, name))
	  {
	    *va = syms[j].st_value;
	    return true;
	  }
    }
  return false;
}

static void
add_reg_site (uint64_t addr, bool keyless, bool refused, size_t *cap)
{
  if (nrsites >= MAX_LIVE_RECORDS)
    return;
  if (nrsites == *cap)
    {
      size_t c = *cap ? 2 * *cap : 256;
      struct reg_site *more = realloc (rsites, c * sizeof *rsites);
      if (!more)
	return;
      rsites = more;
      *cap = c;
    }
  rsites[nrsites++] = (struct reg_site) { .addr = addr, .keyless = keyless,
					  .refused = refused };
}

/* Marks the registered sites that the batch whose pointer is at VAR
   patches.  */
static void
mark_batch (uint64_t var, const uint16_t *o)
{
  uint64_t b = mem_u64 (var);
  if (!b)
    return;
  uint64_t p = mem_u64 (b + o[D_BATCH_P]), n = mem_u64 (b + o[D_BATCH_N]);
  for (uint64_t i = 0; p && i < n && i < (1u << 22); i++)
    {
      uint64_t patch = p + i * o[D_PATCH_SIZE];
      struct reg_site *s = registered (mem_u64 (patch + o[D_PATCH_ADDR]));
      unsigned char foreign = 0;
      if (!s)
	continue;
      s->under_patch = true;
      if (mem_read (patch + o[D_PATCH_FOREIGN], &foreign, 1) && foreign)
	s->under_foreign = true;
    }
}

/* Reads the registry of libstaticcall in the process PID, or says why
   it cannot.  */
static void
read_registry (long pid)
{
  const struct object *lib = NULL;
  for (size_t i = 0; i < nobjs && !lib; i++)
    if (strstr (objs[i].path, "/libstaticcall.so"))
      lib = &objs[i];
  uint64_t va;
  if (!lib || !dynsym_value (&lib->im, SC_DEBUG_SYMBOL, &va))
    {
      printf ("pid %ld: libstaticcall has no " SC_DEBUG_SYMBOL " (an older "
	      "runtime?): site states from their bytes alone\n", pid);
      return;
    }
  uint64_t desc = lib->bias + va;
  uint32_t head[2];
  unsigned char d[D_HEAD + 2 * D_COUNT];
  if (!mem_read (desc, head, sizeof head))
    {
      printf ("pid %ld: " SC_DEBUG_SYMBOL " unreadable: site states from "
	      "their bytes alone\n", pid);
      return;
    }
  if (head[0] != SC_DEBUG_VERSION || head[1] < sizeof d
      || !mem_read (desc, d, sizeof d))
    {
      printf ("pid %ld: libstaticcall's " SC_DEBUG_SYMBOL " is of version "
	      "%u (size %u), this tool reads version %d: site states from "
	      "their bytes alone\n", pid, head[0], head[1], SC_DEBUG_VERSION);
      return;
    }
  uint64_t active, stuck, units;
  uint16_t o[D_COUNT];
  memcpy (&active, d + 8, 8);
  memcpy (&stuck, d + 16, 8);
  memcpy (&units, d + 24, 8);
  memcpy (o, d + D_HEAD, sizeof o);
  if (o[D_SITE_ADDR] + 8 > o[D_SITE_SIZE] || o[D_SITE_KEY] + 8 > o[D_SITE_SIZE]
      || o[D_SITE_STATE] >= o[D_SITE_SIZE])
    {
      printf ("pid %ld: " SC_DEBUG_SYMBOL " gives a site of %u bytes with "
	      "fields beyond it: site states from their bytes alone\n", pid,
	      o[D_SITE_SIZE]);
      return;
    }
  size_t cap = 0;
  unsigned nunits = 0;
  /* Bounded however the list and its counts change under the reads
     (a cycle, a count of garbage): so many units, so many bytes of
     site arrays in one and in all.  */
  uint64_t read_total = 0;
  for (uint64_t u = mem_u64 (units);
       u && nunits < 100000 && nrsites < MAX_LIVE_RECORDS
       && read_total < ((uint64_t) 1 << 28);
       u = mem_u64 (u + o[D_UNIT_NEXT]), nunits++)
    {
      uint64_t sites = mem_u64 (u + o[D_UNIT_SITES]);
      uint64_t n = mem_u64 (u + o[D_UNIT_NSITES]);
      if (!sites || !n || n > (1u << 22)
	  || n * o[D_SITE_SIZE] > ((uint64_t) 1 << 26))
	continue;
      read_total += n * o[D_SITE_SIZE];
      unsigned char *v = malloc (n * o[D_SITE_SIZE]);
      if (!v || !mem_read (sites, v, n * o[D_SITE_SIZE]))
	{
	  free (v);
	  continue;
	}
      for (uint64_t i = 0; i < n; i++)
	{
	  const unsigned char *s = v + i * o[D_SITE_SIZE];
	  uint64_t addr, key;
	  memcpy (&addr, s + o[D_SITE_ADDR], 8);
	  memcpy (&key, s + o[D_SITE_KEY], 8);
	  /* A site of an undefined weak key has none: it keeps its
	     trampoline, as its key's line says.  */
	  add_reg_site (addr, !key, s[o[D_SITE_STATE]] == SC_SITE_REFUSED,
			&cap);
	}
      free (v);
    }
  /* (qsort and bsearch take no NULL, even for no element.)  */
  if (nrsites)
    qsort (rsites, nrsites, sizeof *rsites, reg_site_cmp);
  registry = true;
  mark_batch (active, o);
  mark_batch (stuck, o);
}

/* What a site's bytes are, for print_state.  */
enum bytes_class { BYTES_FORM, BYTES_INT3, BYTES_FOREIGN };

/* Prints the state of the site at SITE of PATH's listing: BYTES, what
   its bytes say (of class CLS), with what the registry adds.  */
static void
print_state (const char *path, uint64_t site, const char *kind,
	     const char *key, const char *bytes, enum bytes_class cls)
{
  const struct reg_site *r = registered (site);
  if (r && r->keyless)
    r = NULL;
  const char *under = r && r->under_patch ? " (under patch)" : "";
  printf ("%s: %#lx %s %s: ", path, (unsigned long) site, kind, key);
  if (!r)
    printf ("%s%s\n", cls == BYTES_INT3
		       ? "int3 (under patch, or a debugger's breakpoint)"
		       : bytes,
	    cls == BYTES_FOREIGN ? " (refused)" : "");
  else if (r->refused)
    printf ("refused, holds %s%s\n", cls == BYTES_INT3 ? "int3" : bytes,
	    under);
  else if (cls == BYTES_INT3)
    printf ("int3 %s\n", r->under_foreign
			 ? "(another's breakpoint, under patch beneath it)"
			 : *under ? "(under patch)"
			 : "(no batch of the runtime's when read: a "
			   "debugger's breakpoint?)");
  else if (cls == BYTES_FOREIGN)
    printf ("%s%s\n", bytes, *under ? under : " (not what the runtime "
					      "wrote)");
  else
    printf ("%s%s\n", bytes, under);
}

/* A key, once per object.  */
struct live_key
{
  uint64_t var;
  uint64_t rec;
};

static const char *
site_kind_name (unsigned kind)
{
  static const char *const names[] = { "call", "jmp", "cond call",
				       "cond jmp" };
  return names[kind & 3];
}

static void
print_key (const char *path, uint64_t rec)
{
  struct sc_key_record kr;
  char name[128], what[256];
  if (!mem_read (rec, &kr, sizeof kr))
    {
      printf ("%s: key record %#lx: unreadable\n", path, (unsigned long) rec);
      return;
    }
  mem_string ((uintptr_t) kr.name, name, sizeof name);
  uint64_t var = (uintptr_t) kr.var;
  if (var < 4096)
    {
      printf ("%s: key %s: undefined weak (its sites keep their "
	      "trampoline)\n", path, name);
      return;
    }
  if (kr.flags & SC_KEY_VALUE_KINDS)
    {
      unsigned size = kr.flags >> SC_KEY_SIZE_SHIFT & SC_KEY_SIZE_MASK;
      uint64_t v = 0;
      if (size != 1 && size != 2 && size != 4 && size != 8)
	{
	  printf ("%s: key %s: variable of %u bytes: not read\n", path, name,
		  size);
	  return;
	}
      if (!mem_read (var, &v, size))
	{
	  printf ("%s: key %s: variable %#lx unreadable\n", path, name,
		  (unsigned long) var);
	  return;
	}
      long long sv = (long long) v;
      if ((kr.flags & SC_KEY_SIGNED) && size < 8)
	{
	  uint64_t sign = (uint64_t) 1 << (8 * size - 1);
	  sv = (long long) ((v ^ sign) - sign);
	}
      if (kr.flags & SC_KEY_BRANCH)
	printf ("%s: key %s (static key) = %lld (%s)\n", path, name, sv,
		v ? "true" : "false");
      else
	printf ("%s: key %s (immediate) = %lld\n", path, name, sv);
      return;
    }
  uint64_t p = mem_u64 (var);
  if ((kr.flags & SC_KEY_DEREF) && !p)
    {
      printf ("%s: key %s: its ops pointer is NULL\n", path, name);
      return;
    }
  if (kr.flags & SC_KEY_DEREF)
    p = mem_u64 (p + (kr.flags >> SC_KEY_OFFSET_SHIFT));
  if (!p)
    snprintf (what, sizeof what, "NULL");
  else
    describe_address (p, what, sizeof what);
  printf ("%s: key %s: %s\n", path, name, what);
}

static bool
is_trampoline_at (uint64_t addr, uint64_t tramp)
{
  if (addr == tramp)
    return true;
  const struct mapping *m = mapping_of (addr);
  uint64_t off;
  const char *sym = m && m->obj >= 0
		    ? symbol_covering (&objs[m->obj].im,
				       addr - objs[m->obj].bias, &off)
		    : NULL;
  return sym && !off
	 && (!strncmp (sym, TRAMP_PREFIX, strlen (TRAMP_PREFIX))
	     || !strncmp (sym, COND_PREFIX, strlen (COND_PREFIX)));
}

/* The state of the call site of record REC, as its bytes say.  */
static void
print_live_site (const char *path, uint64_t rec)
{
  struct sc_site_record r;
  struct sc_key_record kr;
  char name[128] = "?", state[320] = "", to[256];
  unsigned char b[5];
  enum bytes_class cls = BYTES_FORM;
  if (!mem_read (rec, &r, sizeof r))
    return;
  uint64_t site = rec + offsetof (struct sc_site_record, site) + r.site;
  uint64_t key = rec + offsetof (struct sc_site_record, key)
		 + (r.key & ~SC_SITE_KIND_MASK);
  unsigned kind = r.key & SC_SITE_KIND_MASK;
  bool tail = kind & SC_SITE_KIND_TAIL;
  if (mem_read (key, &kr, sizeof kr))
    mem_string ((uintptr_t) kr.name, name, sizeof name);
  else
    memset (&kr, 0, sizeof kr);
  if (!mem_read (site, b, sizeof b))
    snprintf (state, sizeof state, "unreadable");
  else if (b[0] == 0xcc)
    cls = BYTES_INT3;
  else if (sc_x86_is_nop5 (b))
    snprintf (state, sizeof state, "nop");
  else if (sc_x86_is_ret5 (b))
    snprintf (state, sizeof state, "ret");
  else if (sc_x86_is_zero_rax5 (b))
    snprintf (state, sizeof state, "return0");
  else if (tail ? sc_x86_is_jmp_rel32 (b) : sc_x86_is_call_rel32 (b))
    {
      uint64_t dest = sc_x86_rel32_target (site, b);
      unsigned char slot[6];
      if (is_trampoline_at (dest, (uintptr_t) kr.tramp))
	snprintf (state, sizeof state, "trampoline");
      else if (mapped_as (dest, "staticcall-slots")
	       && mem_read (dest, slot, sizeof slot)
	       && sc_x86_is_jmp_rip (slot))
	{
	  describe_address (mem_u64 (sc_x86_jmp_rip_slot (dest, slot)), to,
			    sizeof to);
	  snprintf (state, sizeof state, "near slot %#lx to %s",
		    (unsigned long) dest, to);
	}
      else
	{
	  describe_address (dest, to, sizeof to);
	  snprintf (state, sizeof state, "direct %s", to);
	}
    }
  else
    {
      cls = BYTES_FOREIGN;
      snprintf (state, sizeof state,
		"foreign bytes %02x %02x %02x %02x %02x", b[0], b[1], b[2],
		b[3], b[4]);
    }
  print_state (path, site, site_kind_name (kind), name, state, cls);
}

/* The state of the value site of record REC.  */
static void
print_live_value_site (const char *path, uint64_t rec)
{
  struct sc_value_site_record r;
  struct sc_key_record kr;
  char name[128] = "?", state[320] = "", to[256];
  unsigned char b[SC_IMM_MAX_LEN];
  enum bytes_class cls = BYTES_FORM;
  if (!mem_read (rec, &r, sizeof r))
    return;
  uint64_t site = rec + offsetof (struct sc_value_site_record, site) + r.site;
  uint64_t key = rec + offsetof (struct sc_value_site_record, key)
		 + (r.key & ~SC_SITE_KIND_MASK);
  unsigned kind = r.key & SC_SITE_KIND_MASK;
  if (kind > SC_VSITE_IMM)
    kind = 3;
  if (mem_read (key, &kr, sizeof kr))
    mem_string ((uintptr_t) kr.name, name, sizeof name);
  unsigned len = kind == SC_VSITE_IMM ? SC_IMM_LEN (r.info) : 5;
  if (kind == 3 || len < 5 || len > SC_IMM_MAX_LEN)
    snprintf (state, sizeof state, "unknown record");
  else if (!mem_read (site, b, len))
    snprintf (state, sizeof state, "unreadable");
  else if (b[0] == 0xcc)
    cls = BYTES_INT3;
  else if (kind != SC_VSITE_IMM)
    {
      uint64_t dest = rec + offsetof (struct sc_value_site_record, dest)
		      + r.dest;
      uint64_t test = rec + offsetof (struct sc_value_site_record, info)
		      + r.info;
      uint64_t at = sc_x86_is_jmp_rel32 (b) ? sc_x86_rel32_target (site, b)
					    : 0;
      describe_address (dest, to, sizeof to);
      if (at && at == test && test != dest)
	snprintf (state, sizeof state, "as compiled (jmp to its test)");
      else if (at && at == dest)
	snprintf (state, sizeof state, "jmp (taken) to %s", to);
      else if (sc_x86_is_nop5 (b))
	snprintf (state, sizeof state, "nop (not taken)");
      else
	{
	  cls = BYTES_FOREIGN;
	  snprintf (state, sizeof state, "foreign bytes");
	}
    }
  else
    {
      unsigned reg;
      int wide, rip;
      unsigned long from, v;
      unsigned pre = sc_x86_cs_prefixes (b, len);
      if (sc_x86_decode_load (b, len, site, &reg, &wide, &rip, &from)
	  || (len - pre == 5 && sc_x86_is_jmp_rel32 (b + pre)))
	snprintf (state, sizeof state, "as compiled (loads the variable)");
      else if (sc_x86_decode_mov_imm (b, len, &reg, &wide, &v))
	snprintf (state, sizeof state, "$%#lx, r%u", v, reg);
      else
	{
	  cls = BYTES_FOREIGN;
	  snprintf (state, sizeof state, "foreign bytes");
	}
    }
  print_state (path, site, vsite_kind_names[kind], name, state, cls);
}

/* The keys of an object's records, in the order of their first
   record, once per variable; a hash of the variables finds those seen
   (memory that says millions of keys takes no quadratic time).  */
struct key_set
{
  struct live_key *keys;
  size_t n;
  size_t *slot;		/* index + 1 in KEYS, or 0 */
  size_t mask;
};

/* Room for up to N keys; false when there is no memory.  */
static bool
key_set_init (struct key_set *ks, size_t n)
{
  size_t size = 16;
  while (size < 2 * n)
    size *= 2;
  ks->n = 0;
  ks->mask = size - 1;
  ks->keys = calloc (n ? n : 1, sizeof *ks->keys);
  ks->slot = calloc (size, sizeof *ks->slot);
  if (ks->keys && ks->slot)
    return true;
  free (ks->keys);
  free (ks->slot);
  ks->keys = NULL;
  ks->slot = NULL;
  return false;
}

static void
key_set_free (struct key_set *ks)
{
  free (ks->keys);
  free (ks->slot);
}

/* Adds the key of the site record at REC (its key field at REC + 4),
   once per variable.  At most as many keys as the set was made for:
   one per record.  */
static void
note_key (struct key_set *ks, uint64_t rec)
{
  int32_t k;
  if (!mem_read (rec + 4, &k, 4))
    return;
  uint64_t kr = rec + 4 + (k & ~SC_SITE_KIND_MASK);
  uint64_t var = mem_u64 (kr);
  size_t h = (size_t) ((var * 0x9e3779b97f4a7c15ull) >> 20) & ks->mask;
  for (; ks->slot[h]; h = (h + 1) & ks->mask)
    if (ks->keys[ks->slot[h] - 1].var == var)
      return;
  ks->keys[ks->n].var = var;
  ks->keys[ks->n].rec = kr;
  ks->slot[h] = ++ks->n;
}

struct live_records
{
  uint64_t *calls, *values;	/* record addresses */
  size_t ncalls, nvalues, capc, capv;
};

static void
add_record (uint64_t **v, size_t *n, size_t *cap, uint64_t rec)
{
  if (*n >= MAX_LIVE_RECORDS)
    return;
  if (*n == *cap)
    {
      size_t c = *cap ? 2 * *cap : 64;
      uint64_t *more = realloc (*v, c * sizeof **v);
      if (!more)
	return;
      *v = more;
      *cap = c;
    }
  (*v)[(*n)++] = rec;
}

/* The records of object O's units, read from memory.  */
static void
live_records_of (const struct object *o, struct live_records *lr)
{
  const struct image *im = &o->im;
  const Elf64_Shdr *us = section_named (im, SC_UNITS_SECTION);
  if (!us)
    {
      /* An older plugin's object: its call sites only.  */
      const Elf64_Shdr *tab = section_named (im, ".static_call_sites");
      if (tab && !section_data (im, tab))
	tab = NULL;
      for (uint64_t i = 0; tab && i < tab->sh_size / 8; i++)
	add_record (&lr->calls, &lr->ncalls, &lr->capc,
		    o->bias + tab->sh_addr + 8 * i);
      return;
    }
  /* The section's size bounds the loop only when it is in the file.  */
  for (uint64_t k = 0; section_data (im, us) && k < us->sh_size / 8; k++)
    {
      struct sc_unit u;
      uint64_t unit = mem_u64 (o->bias + us->sh_addr + 8 * k);
      memset (&u, 0, sizeof u);
      if (!unit
	  || !mem_read (unit, &u, offsetof (struct sc_unit, nvalue_sites)))
	continue;
      if (u.version < SC_UNIT_ABI_VERSION_MIN
	  || u.version > SC_UNIT_ABI_VERSION)
	{
	  printf ("%s: unit %#lx of version %u: not read\n", o->path,
		  (unsigned long) unit, u.version);
	  continue;
	}
      if (u.version >= SC_UNIT_ABI_VERSION_VALUES
	  && !mem_read (unit, &u, sizeof u))
	continue;
      /* A table whose last record cannot be read is not walked.  */
      struct sc_value_site_record last;
      if (u.nsites
	  && (u.nsites > MAX_LIVE_RECORDS
	      || !mem_read ((uintptr_t) u.sites + (u.nsites - 1)
			    * sizeof (struct sc_site_record), &last,
			    sizeof (struct sc_site_record))))
	{
	  printf ("%s: unit %#lx: its %u site records are unreadable: not "
		  "read\n", o->path, (unsigned long) unit, u.nsites);
	  u.nsites = 0;
	}
      if (u.nvalue_sites && u.value_sites
	  && (u.nvalue_sites > MAX_LIVE_RECORDS
	      || !mem_read ((uintptr_t) u.value_sites + (u.nvalue_sites - 1)
			    * sizeof last, &last, sizeof last)))
	{
	  printf ("%s: unit %#lx: its %u value site records are unreadable: "
		  "not read\n", o->path, (unsigned long) unit,
		  u.nvalue_sites);
	  u.nvalue_sites = 0;
	}
      for (uint32_t i = 0; i < u.nsites && lr->ncalls < MAX_LIVE_RECORDS; i++)
	add_record (&lr->calls, &lr->ncalls, &lr->capc,
		    (uintptr_t) u.sites + i * sizeof (struct sc_site_record));
      for (uint32_t i = 0; u.value_sites && i < u.nvalue_sites
			   && lr->nvalues < MAX_LIVE_RECORDS; i++)
	add_record (&lr->values, &lr->nvalues, &lr->capv,
		    (uintptr_t) u.value_sites
		    + i * sizeof (struct sc_value_site_record));
    }
}

/* Whether the registry knows a site of the records LR.  */
static bool
registry_knows (const struct live_records *lr)
{
  for (size_t j = 0; j < lr->ncalls; j++)
    {
      struct sc_site_record r;
      if (mem_read (lr->calls[j], &r, sizeof r)
	  && registered (lr->calls[j] + offsetof (struct sc_site_record, site)
			 + r.site))
	return true;
    }
  for (size_t j = 0; j < lr->nvalues; j++)
    {
      struct sc_value_site_record r;
      if (mem_read (lr->values[j], &r, sizeof r)
	  && registered (lr->values[j]
			 + offsetof (struct sc_value_site_record, site)
			 + r.site))
	return true;
    }
  return false;
}

/* What --pid prints of one object's live records LR: its keys (each
   once), then its call sites and its value sites.  */
static void
print_live_records (const char *path, const struct live_records *lr)
{
  struct key_set ks;
  bool have_keys = key_set_init (&ks, lr->ncalls + lr->nvalues);
  for (size_t j = 0; have_keys && j < lr->ncalls; j++)
    note_key (&ks, lr->calls[j]);
  for (size_t j = 0; have_keys && j < lr->nvalues; j++)
    note_key (&ks, lr->values[j]);
  for (size_t j = 0; have_keys && j < ks.n; j++)
    print_key (path, ks.keys[j].rec);
  for (size_t j = 0; j < lr->ncalls; j++)
    print_live_site (path, lr->calls[j]);
  for (size_t j = 0; j < lr->nvalues; j++)
    print_live_value_site (path, lr->values[j]);
  if (have_keys)
    key_set_free (&ks);
}

static int
list_process (const char *arg)
{
  char *end;
  long pid = strtol (arg, &end, 10);
  if (*end || pid <= 0 || pid > INT32_MAX)
    {
      fprintf (stderr, "staticcall-sites: --pid %s: not a process id\n", arg);
      return 2;
    }
  char path[64];
  snprintf (path, sizeof path, "/proc/%ld/mem", pid);
  mem_fd = open (path, O_RDONLY | O_CLOEXEC);
  if (mem_fd < 0 && (errno == EACCES || errno == EPERM))
    {
      /* Yama's setting, when the kernel has Yama; otherwise the usual
	 reasons (ptrace_may_access).  */
      int scope = -1;
      FILE *f = fopen ("/proc/sys/kernel/yama/ptrace_scope", "r");
      if (f)
	{
	  if (fscanf (f, "%d", &scope) != 1)
	    scope = -1;
	  fclose (f);
	}
      if (scope >= 0)
	fprintf (stderr, "staticcall-sites: ptrace access to %ld denied "
		 "(kernel.yama.ptrace_scope=%d?)\n", pid, scope);
      else
	fprintf (stderr, "staticcall-sites: ptrace access to %ld denied "
		 "(another user's process, or one that is not dumpable?)\n",
		 pid);
      return 2;
    }
  if (mem_fd < 0)
    {
      if (errno == ENOENT)
	fprintf (stderr, "staticcall-sites: no process %ld\n", pid);
      else
	fprintf (stderr, "staticcall-sites: %s: %s\n", path, strerror (errno));
      return 2;
    }
  if (!read_maps ((pid_t) pid))
    {
      fprintf (stderr, "staticcall-sites: /proc/%ld/maps: %s\n", pid,
	       strerror (errno));
      return 2;
    }
  snprintf (path, sizeof path, "/proc/%ld/root", pid);
  find_objects (path);

  bool runtime = false;
  for (size_t i = 0; i < nmaps; i++)
    runtime |= strstr (maps[i].path, "/libstaticcall.so") != NULL;
  if (!runtime)
    printf ("pid %ld: libstaticcall is not loaded: every site is as "
	    "compiled\n", pid);
  else
    read_registry (pid);
  size_t total = 0;
  for (size_t i = 0; i < nobjs; i++)
    {
      struct live_records lr;
      memset (&lr, 0, sizeof lr);
      live_records_of (&objs[i], &lr);
      if (!lr.ncalls && !lr.nvalues)
	continue;
      /* Not registered (yet, or its registration failed): only the
	 bytes say what its sites are.  */
      if (registry && !registry_knows (&lr))
	printf ("%s: not in the runtime's registry: site states from their "
		"bytes alone\n", objs[i].path);
      print_live_records (objs[i].path, &lr);
      total += lr.ncalls + lr.nvalues;
      free (lr.calls);
      free (lr.values);
    }
  if (!total)
    printf ("pid %ld: no static call sites\n", pid);
  return 0;
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
      else if (!strcmp (argv[i], "--pid"))
	{
	  if (i + 2 != argc)
	    {
	      fprintf (stderr, "usage: staticcall-sites --pid PID\n");
	      return 2;
	    }
	  return list_process (argv[i + 1]);
	}
      else
	{
	  fprintf (stderr, "staticcall-sites: unknown option '%s'\n"
		   "usage: staticcall-sites [--check] [--quiet] [--summary] "
		   "FILE...\n"
		   "       staticcall-sites --pid PID\n", argv[i]);
	  return 2;
	}
    }
  if (i == argc)
    {
      fprintf (stderr, "usage: staticcall-sites [--check] [--quiet] "
	       "[--summary] FILE...\n"
	       "       staticcall-sites --pid PID\n");
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

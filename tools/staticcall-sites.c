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
   the value the variable has in the file.  */

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
  for (int i = 0; i < im->eh->e_shnum; i++)
    {
      const Elf64_Shdr *s = &im->sh[i];
      if (s->sh_type != SHT_RELA)
	continue;
      const Elf64_Rela *r = (const Elf64_Rela *) (im->data + s->sh_offset);
      for (size_t j = 0; j < s->sh_size / sizeof *r; j++)
	if (r[j].r_offset == va)
	  {
	    if (ELF64_R_TYPE (r[j].r_info) == R_X86_64_RELATIVE)
	      return r[j].r_addend;
	    /* A symbol's address (an extern variable of a shared
	       object): the symbol's value, when the file defines it.  */
	    const Elf64_Shdr *syms = &im->sh[s->sh_link];
	    const Elf64_Sym *sym = (const Elf64_Sym *) (im->data
							+ syms->sh_offset)
				   + ELF64_R_SYM (r[j].r_info);
	    if (ELF64_R_SYM (r[j].r_info) && sym->st_shndx != SHN_UNDEF)
	      return sym->st_value + r[j].r_addend;
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
  for (int i = 0; i < im->eh->e_shnum; i++)
    {
      const Elf64_Shdr *s = &im->sh[i];
      if (s->sh_type == SHT_NOBITS && (s->sh_flags & SHF_ALLOC)
	  && var >= s->sh_addr && var + size <= s->sh_addr + s->sh_size)
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
  const char *name = "?";
  const unsigned char *nb = name_va ? bytes_at (im, name_va, 1) : NULL;
  if (nb)
    name = (const char *) nb;
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
  if (!us)
    return;
  for (uint64_t at = us->sh_addr; at + 8 <= us->sh_addr + us->sh_size;
       at += 8)
    {
      uint64_t unit = pointer_at (im, at);
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
      for (uint32_t i = 0; i < nvalue && recs; i++)
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

/* Returns the number of bad sites, or -1 when the file cannot be read.  */
static int
inspect (const char *path)
{
  struct image im;
  if (load (&im, path))
    return -1;
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
      munmap ((void *) im.data, im.size);
      return (int) vbad;
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
  munmap ((void *) im.data, im.size);
  return (int) (bad + vbad);
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

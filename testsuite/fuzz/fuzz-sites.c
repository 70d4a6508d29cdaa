/* Fuzzing staticcall-sites: its reader of ELF files and site tables,
   and its reader of a process's memory (--pid), on one input.

   The tool's source is included whole, its main renamed.  An input is
   taken as an ELF file and listed and checked as `staticcall-sites
   --check FILE' would; then, as the memory of a process that maps it
   at address 0 (a memfd laid out from the input as the loader would
   stands for /proc/PID/mem),
   its records, keys and the runtime's registry are read as --pid reads
   them, so that the memory is as hostile as the file.

   Built two ways:
     clang -fsanitize=fuzzer,address,undefined   libFuzzer's entry point
						 (`make fuzz');
     cc -DSITES_DRIVER -fsanitize=address,undefined
       a program that runs each file named on its command line, and
       then reads the file as `staticcall-sites --check' does
       (fuzz.exp, on the corpus in `make check').  */

#define _GNU_SOURCE
#define main staticcall_sites_main
#include "../../tools/staticcall-sites.c"
#undef main

#include <sys/mman.h>

static int memory_fd = -1;

static void
fuzz_init (void)
{
  /* The listings are not what is tested: that nothing crashes is.
     The sanitizers report on stderr, which is left alone.  */
  if (!getenv ("FUZZ_SITES_VERBOSE") && !freopen ("/dev/null", "w", stdout))
    abort ();
  memory_fd = memfd_create ("fuzz-sites-memory", MFD_CLOEXEC);
  if (memory_fd < 0)
    abort ();
}

/* Memory above this is left unmapped (a sparse memfd, but a bound).  */
#define MEMORY_SIZE ((uint64_t) 16 << 20)

static void
put_memory (uint64_t addr, const void *p, uint64_t len)
{
  if (addr < MEMORY_SIZE && len <= MEMORY_SIZE - addr)
    (void) !pwrite (memory_fd, p, len, (off_t) addr);
}

/* The memory of a process that maps the file IM at address 0, as the
   loader leaves it: the file at 0 (where nothing else is), each
   PT_LOAD segment's bytes at its address, and the relative
   relocations applied; so that the records of a file that the fuzzer
   has not broken point at what they should, and --pid's readers go
   deep.  */
static void
lay_out_memory (const struct image *im)
{
  const Elf64_Ehdr *eh = im->eh;
  put_memory (0, im->data, im->size);
  if (eh->e_phentsize == sizeof (Elf64_Phdr) && eh->e_phoff % 8 == 0
      && in_file (im, eh->e_phoff,
		  (uint64_t) eh->e_phnum * sizeof (Elf64_Phdr)))
    {
      const Elf64_Phdr *ph = (const Elf64_Phdr *) (im->data + eh->e_phoff);
      for (unsigned i = 0; i < eh->e_phnum; i++)
	if (ph[i].p_type == PT_LOAD
	    && in_file (im, ph[i].p_offset, ph[i].p_filesz))
	  put_memory (ph[i].p_vaddr, im->data + ph[i].p_offset,
		      ph[i].p_filesz);
    }
  for (unsigned i = 0; i < im->shnum; i++)
    {
      size_t n;
      const Elf64_Rela *r = im->sh[i].sh_type == SHT_RELA
			    ? section_table (im, &im->sh[i], sizeof *r, 8, &n)
			    : NULL;
      for (size_t j = 0; r && j < n; j++)
	if (ELF64_R_TYPE (r[j].r_info) == R_X86_64_RELATIVE)
	  put_memory (r[j].r_offset, &r[j].r_addend, 8);
    }
}

/* One input: DATA, SIZE bytes.  */
static void
fuzz_one (const unsigned char *data, size_t size)
{
  /* A copy of its own size, so that the address sanitizer sees a read
     past its end.  */
  unsigned char *copy = malloc (size ? size : 1);
  if (!copy)
    return;
  memcpy (copy, data, size);
  struct image im;
  memset (&im, 0, sizeof im);
  im.path = "input";
  im.data = copy;
  im.size = size;
  check = true;
  load_silently = true;
  if (parse_image (&im))
    {
      free (copy);
      return;
    }
  inspect_image (&im, "input");

  /* The same bytes as the memory of a process: what --pid reads.  */
  memcpy (&im, &(struct image) { 0 }, sizeof im);
  copy = malloc (size ? size : 1);
  if (!copy)
    return;
  memcpy (copy, data, size);
  im.path = "/fuzz/libstaticcall.so";
  im.data = copy;
  im.size = size;
  load_silently = true;
  if (parse_image (&im))
    {
      free (copy);
      return;
    }
  if (ftruncate (memory_fd, 0))
    abort ();
  lay_out_memory (&im);
  mem_fd = memory_fd;
  struct object obj = { .path = (char *) im.path, .im = im };
  uint64_t bias;
  if (load_bias (&im, 0, 0, &bias))
    obj.bias = 0;
  struct mapping map = { .lo = 0, .hi = MEMORY_SIZE, .path = obj.path,
			 .obj = 0 };
  memcpy (map.perms, "r-xp", 5);
  objs = &obj;
  nobjs = 1;
  maps = &map;
  nmaps = 1;
  read_registry (1);
  struct live_records lr;
  memset (&lr, 0, sizeof lr);
  live_records_of (&obj, &lr);
  print_live_records (obj.path, &lr);
  free (lr.calls);
  free (lr.values);
  free (rsites);
  rsites = NULL;
  nrsites = 0;
  registry = false;
  objs = NULL;
  nobjs = 0;
  maps = NULL;
  nmaps = 0;
  mem_fd = -1;
  unload (&im);
}

#ifdef SITES_DRIVER
int
main (int argc, char **argv)
{
  fuzz_init ();
  int status = 0;
  for (int i = 1; i < argc; i++)
    {
      int fd = open (argv[i], O_RDONLY | O_CLOEXEC);
      struct stat st;
      unsigned char *d = NULL;
      if (fd < 0 || fstat (fd, &st) || !S_ISREG (st.st_mode)
	  || !(d = malloc (st.st_size ? st.st_size : 1))
	  || read (fd, d, st.st_size) != st.st_size)
	{
	  fprintf (stderr, "fuzz-sites: %s: cannot read it\n", argv[i]);
	  status = 2;
	  free (d);
	  if (fd >= 0)
	    close (fd);
	  continue;
	}
      close (fd);
      fuzz_one (d, st.st_size);
      free (d);
      /* And as the command line reads it (load).  */
      inspect (argv[i]);
    }
  return status;
}
#else
int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  (void) argc;
  (void) argv;
  fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  fuzz_one (data, size);
  return 0;
}
#endif

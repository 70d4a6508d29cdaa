/* The corrupted-record tests (bad-*.c): each program hand-writes, in
   assembler, units of runtime/unit-abi.h with one kind of bad record
   next to a good unit, registers them as its object's units, and checks
   that the runtime warned once, naming the object, left every bad
   site's bytes as they were, and patched the good site (read back from
   memory and through static_call_for_each_site).

   Common to all: the key br_ptr (pointing to br_target), its
   trampoline, and the good unit's call site br_site_good, in
   BR_GOOD_ASM; BR_GOOD_UNIT_PTR puts the good unit in the object's
   list.  A test defines its bad units and their list entries in its
   own assembler.  */

#ifndef BAD_RECORDS_H
#define BAD_RECORDS_H

#include "sc-test.h"
#include "../../runtime/unit-abi.h"

#define HIDDEN __attribute__ ((visibility ("hidden")))

HIDDEN int
br_target (void)
{
  return 7;
}

HIDDEN int br_other (void);
/* The key's pointer, in writable data.  */
HIDDEN int (*br_ptr) (void) = br_target;

HIDDEN int br_call_good (void);
HIDDEN extern unsigned char br_site_good[], br_tramp[];
HIDDEN extern const struct sc_unit *const __start___static_call_units[];
HIDDEN extern const struct sc_unit *const __stop___static_call_units[];

void __static_call_register_object (const struct sc_unit *const *,
				    const struct sc_unit *const *,
				    const struct sc_unit *const *);

/* A call site of br_ptr: SITE's function calls through the trampoline
   (`call' as the plugin emits it), then returns.  */
#define BR_CALL_FN(fn, site)			\
  "	.text\n"				\
  "	.p2align 4\n"				\
  "	.globl " #fn ", " #site "\n"		\
  "	.hidden " #fn ", " #site "\n"		\
  #fn ":\n"					\
  "	subq $8, %rsp\n"			\
  #site ":\n"					\
  "	.byte 0xe8\n"				\
  "	.long br_tramp - (" #site " + 5)\n"	\
  "	addq $8, %rsp\n"			\
  "	ret\n"

#define BR_GOOD_ASM					\
  "	.text\n"					\
  "	.p2align 4\n"					\
  "	.globl br_tramp\n"				\
  "	.hidden br_tramp\n"				\
  "br_tramp:\n"						\
  "	jmp *br_ptr(%rip)\n"				\
  BR_CALL_FN (br_call_good, br_site_good)		\
  "	.section .rodata\n"				\
  "br_name: .string \"br_ptr\"\n"			\
  "	.data\n"					\
  "	.p2align 3\n"					\
  /* var, name, tramp, flags (an external pointer) */	\
  "br_key_good: .quad br_ptr, br_name, br_tramp, 0\n"	\
  "br_unit_good:\n"					\
  "	.long 2, 1, 1, 0\n"				\
  "	.quad br_sites_good, br_key_good\n"		\
  "	.section .static_call_sites,\"a\"\n"		\
  "	.p2align 2\n"					\
  "br_sites_good: .long br_site_good - ., br_key_good - .\n"

#define BR_GOOD_UNIT_PTR				\
  "	.section " SC_UNITS_SECTION ",\"aw\"\n"		\
  "	.p2align 3\n"					\
  "	.quad br_unit_good\n"

/* ---- Capturing the warnings ------------------------------------------ */

static char br_log[8192];

/* Register the object's units (the list the linker gathered), with
   standard error captured into br_log (and copied to the real one).  */
static void
br_register (void)
{
  FILE *tmp = tmpfile ();
  CHECK (tmp);
  fflush (stderr);
  int saved = dup (2);
  CHECK (saved >= 0 && dup2 (fileno (tmp), 2) == 2);
  __static_call_register_object (__start___static_call_units,
				 __stop___static_call_units,
				 __start___static_call_units);
  CHECK (dup2 (saved, 2) == 2);
  close (saved);
  rewind (tmp);
  size_t n = fread (br_log, 1, sizeof br_log - 1, tmp);
  br_log[n] = 0;
  fclose (tmp);
  fputs (br_log, stderr);
}

/* How many lines of br_log hold NEEDLE.  */
static int
br_lines_with (const char *needle)
{
  int n = 0;
  for (const char *l = br_log; *l;)
    {
      const char *end = strchr (l, '\n');
      size_t len = end ? (size_t) (end - l) : strlen (l);
      char line[1024];
      snprintf (line, sizeof line, "%.*s", (int) len, l);
      if (strstr (line, needle))
	n++;
      l += len + (end != NULL);
    }
  return n;
}

/* The warnings must name the object: the program's file, as the
   dynamic linker has it.  */
static const char *
br_object_name (void)
{
  static char name[4096];
  ssize_t n = readlink ("/proc/self/exe", name, sizeof name - 1);
  CHECK (n > 0);
  name[n] = 0;
  const char *base = strrchr (name, '/');
  return base ? base + 1 : name;
}

/* Exactly one warning holding NEEDLE, and it names the object; a
   warning of every line.  */
static void
br_expect_warning (const char *needle)
{
  int n = br_lines_with (needle);
  if (n != 1)
    fprintf (stderr, "%d warnings with \"%s\", want 1\n", n, needle);
  CHECK (n == 1);
  char both[1024];
  /* The object's name is on the same line.  */
  int named = 0;
  for (const char *l = br_log; *l;)
    {
      const char *end = strchr (l, '\n');
      size_t len = end ? (size_t) (end - l) : strlen (l);
      snprintf (both, sizeof both, "%.*s", (int) len, l);
      if (strstr (both, needle) && strstr (both, br_object_name ()))
	named = 1;
      l += len + (end != NULL);
    }
  if (!named)
    fprintf (stderr, "the warning \"%s\" does not name %s\n", needle,
	     br_object_name ());
  CHECK (named);
}

/* ---- The sites ------------------------------------------------------- */

struct br_find
{
  const void *addr;
  int found, refused;
  struct static_call_site_info info;
};

static int
br_find_site (const struct static_call_site_info *s, void *arg)
{
  struct br_find *f = arg;
  if (s->addr != f->addr)
    return 0;
  f->found++;
  f->refused += s->state == STATIC_CALL_SITE_REFUSED;
  f->info = *s;
  return 0;
}

/* The good site calls br_target directly, by its bytes and by the
   listing, and its function runs.  */
static void
br_check_good (void)
{
  CHECK (sc_x86_rel32_dest (br_site_good, NULL) == (const void *) br_target);
  struct br_find f = { br_site_good, 0 };
  static_call_for_each_site (br_find_site, &f);
  CHECK (f.found == 1 && f.info.state == STATIC_CALL_SITE_DIRECT);
  CHECK (br_call_good () == 7);
}

/* A bad site: its bytes as they were (SAVED), and either not listed or
   listed as refused (each of its records).  */
static void
br_check_untouched (const void *site, const unsigned char *saved,
		    size_t len)
{
  CHECK (!memcmp (site, saved, len));
  struct br_find f = { site, 0 };
  static_call_for_each_site (br_find_site, &f);
  CHECK (f.refused == f.found);
}

#endif /* BAD_RECORDS_H */

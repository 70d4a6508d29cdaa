/* Value sites (static keys and immediate values) of a unit written by
   hand in assembler, as the plugin emits them (runtime/unit-abi.h,
   version 4): two branch sites of one static key (one inverted, the
   layout of `__builtin_expect (v, 1)') and five immediate sites of
   1-, 2-, 4- and 8-byte variables, one of them too short for a movabsq
   and one a jmp to an out-of-line load (the form for another object's
   variable); a module (value-sites-mod.c) has a site of the same key.

   Checks, reading the bytes back: each site reads its variable before
   registration; registration patches all of them in one batch of 3
   syncs; __static_call_update_value and the atomic entry points flip
   and rewrite them with 3 syncs a store; a value that needs movabsq
   leaves the short site on its load; static_call_for_each_site reports
   them.  Then a race: reader threads test the key and read the values
   in loops while the main thread stores new ones (and, under the slow
   path, its own timer's handler reads them mid-batch: a self-hit).  A
   reader must see only stored values, and after an update has returned
   never an older one.  Under the forced slow path the breakpoint
   handler must have completed branches and reads.  The module's site,
   once dlopen'ed, is patched with the executable's in one batch; after
   dlclose the key still patches the executable's sites.  Last, foreign
   bytes on sites.  */
/* { sc-options "-pthread -rdynamic" } */
/* { sc-module "value-sites-mod.c" } */
/* { sc-valgrind } */
/* { sc-run "" } */
/* { sc-run "STATICCALL_SLOWPATH_US=300" } */
/* { sc-run "STATICCALL_SLOWPATH_US=300 STATICCALL_BP=trampoline" } */
/* { sc-run "STATICCALL_SLOWPATH_US=300 STATICCALL_WRITER=mprotect" } */
#include <dlfcn.h>
#include <errno.h>

#include "sc-test.h"
#include "../../runtime/unit-abi.h"

#define HIDDEN __attribute__ ((visibility ("hidden")))

HIDDEN _Bool vt_flag;
/* Also the module's: exported (-rdynamic).  */
uint32_t vt_val32 = 0x15a;
HIDDEN int64_t vt_val64 = -3;
HIDDEN int8_t vt_val8 = -2;
HIDDEN uint16_t vt_val16 = 0x1234;

HIDDEN int vt_branch (void);	/* 1 while vt_flag */
HIDDEN int vt_branch_inv (void);	/* 1 while !vt_flag */
HIDDEN uint32_t vt_read32 (void);
HIDDEN uint32_t vt_read32o (void);	/* out of line */
HIDDEN int64_t vt_read64 (void);	/* 10-byte site */
HIDDEN int64_t vt_read64s (void);	/* 7-byte site */
HIDDEN int vt_read8 (void);
HIDDEN unsigned vt_read16 (void);
HIDDEN extern unsigned char vt_site_b[], vt_site_bi[], vt_dest_b[],
  vt_dest_bi[], vt_test_b[], vt_test_bi[], vt_site_32[], vt_site_32o[],
  vt_ool_32[], vt_site_64[],
  vt_site_64s[], vt_site_8[], vt_site_16[];
HIDDEN extern const struct sc_unit vt_unit;
HIDDEN extern const struct sc_unit *const vt_unit_ptr[];
HIDDEN extern const struct sc_unit *const __start___static_call_units[];
HIDDEN extern const struct sc_unit *const __stop___static_call_units[];

/* Each function's site first; GCC's test of the flag out of line.  */
__asm__ (
"	.text\n"
"	.p2align 6\n"
"	.globl vt_branch, vt_site_b, vt_dest_b, vt_test_b\n"
"	.hidden vt_branch, vt_site_b, vt_dest_b, vt_test_b\n"
"vt_branch:\n"
"vt_site_b:\n"
"	.byte 0xe9\n"
"	.long vt_test_b - (vt_site_b + 5)\n"
"	xorl %eax, %eax\n"
"	ret\n"
"vt_dest_b:\n"
"	movl $1, %eax\n"
"	ret\n"
"vt_test_b:\n"
"	cmpb $0, vt_flag(%rip)\n"
"	jne vt_dest_b\n"
"	jmp vt_site_b + 5\n"
"	.p2align 6\n"
"	.globl vt_branch_inv, vt_site_bi, vt_dest_bi, vt_test_bi\n"
"	.hidden vt_branch_inv, vt_site_bi, vt_dest_bi, vt_test_bi\n"
"vt_branch_inv:\n"
"vt_site_bi:\n"
"	.byte 0xe9\n"
"	.long vt_test_bi - (vt_site_bi + 5)\n"
"	xorl %eax, %eax\n"
"	ret\n"
"vt_dest_bi:\n"
"	movl $1, %eax\n"
"	ret\n"
"vt_test_bi:\n"
"	cmpb $0, vt_flag(%rip)\n"
"	je vt_dest_bi\n"
"	jmp vt_site_bi + 5\n"
"	.p2align 4\n"
"	.globl vt_read32, vt_site_32\n"
"	.hidden vt_read32, vt_site_32\n"
"vt_read32:\n"
"vt_site_32:\n"
"	movl vt_val32(%rip), %r10d\n"
"	movl %r10d, %eax\n"
"	ret\n"
"	.p2align 4\n"
"	.globl vt_read32o, vt_site_32o, vt_ool_32\n"
"	.hidden vt_read32o, vt_site_32o, vt_ool_32\n"
"vt_read32o:\n"
"vt_site_32o:\n"
"	.byte 0x2e, 0x2e, 0xe9\n"
"	.long vt_ool_32 - (vt_site_32o + 7)\n"
"vt_back_32:\n"
"	movl %r10d, %eax\n"
"	ret\n"
"vt_ool_32:\n"
"	movl vt_val32(%rip), %r10d\n"
"	jmp vt_back_32\n"
"	.p2align 4\n"
"	.globl vt_read64, vt_site_64\n"
"	.hidden vt_read64, vt_site_64\n"
"vt_read64:\n"
"vt_site_64:\n"
"	.byte 0x2e, 0x2e, 0x2e\n"
"	movq vt_val64(%rip), %rax\n"
"	ret\n"
"	.p2align 4\n"
"	.globl vt_read64s, vt_site_64s\n"
"	.hidden vt_read64s, vt_site_64s\n"
"vt_read64s:\n"
"vt_site_64s:\n"
"	movq vt_val64(%rip), %r11\n"
"	movq %r11, %rax\n"
"	ret\n"
"	.p2align 4\n"
"	.globl vt_read8, vt_site_8\n"
"	.hidden vt_read8, vt_site_8\n"
"vt_read8:\n"
"vt_site_8:\n"
"	movzbl vt_val8(%rip), %ecx\n"
"	movsbl %cl, %eax\n"
"	ret\n"
"	.p2align 4\n"
"	.globl vt_read16, vt_site_16\n"
"	.hidden vt_read16, vt_site_16\n"
"vt_read16:\n"
"vt_site_16:\n"
"	movzwl vt_val16(%rip), %edx\n"
"	movzwl %dx, %eax\n"
"	ret\n"
"\n"
"	.section .rodata\n"
"vt_name_flag: .string \"vt_flag\"\n"
"vt_name_32: .string \"vt_val32\"\n"
"vt_name_64: .string \"vt_val64\"\n"
"vt_name_8: .string \"vt_val8\"\n"
"vt_name_16: .string \"vt_val16\"\n"
"	.data\n"
"	.p2align 3\n"
/* var, name, tramp 0, flags: kind | signed | size << 8.  */
"vt_keys:\n"
"vt_key_flag: .quad vt_flag, vt_name_flag, 0, 4 | (1 << 8)\n"
"vt_key_32: .quad vt_val32, vt_name_32, 0, 8 | (4 << 8)\n"
"vt_key_64: .quad vt_val64, vt_name_64, 0, 8 | 16 | (8 << 8)\n"
"vt_key_8: .quad vt_val8, vt_name_8, 0, 8 | 16 | (1 << 8)\n"
"vt_key_16: .quad vt_val16, vt_name_16, 0, 8 | (2 << 8)\n"
/* site, key | kind, dest, info (each relative to itself).  */
"vt_vsites:\n"
"	.long vt_site_b - ., vt_key_flag - ., vt_dest_b - ., vt_test_b - .\n"
"	.long vt_site_bi - ., vt_key_flag - . + 1, vt_dest_bi - .,"
" vt_test_bi - .\n"
"	.long vt_site_32 - ., vt_key_32 - . + 2, 0, 7 | (10 << 8)\n"
"	.long vt_site_32o - ., vt_key_32 - . + 2, 0, 7 | (10 << 8)\n"
"	.long vt_site_64 - ., vt_key_64 - . + 2, 0, 10 | (1 << 12)\n"
"	.long vt_site_64s - ., vt_key_64 - . + 2, 0, 7 | (11 << 8) | (1 << 12)\n"
"	.long vt_site_8 - ., vt_key_8 - . + 2, 0, 7 | (1 << 8)\n"
"	.long vt_site_16 - ., vt_key_16 - . + 2, 0, 7 | (2 << 8)\n"
"	.globl vt_unit\n"
"	.hidden vt_unit\n"
"	.p2align 3\n"
"vt_unit:\n"
"	.long 4, 0, 5, 0\n"
"	.quad 0, vt_keys\n"
"	.long 8, 0\n"
"	.quad vt_vsites\n"
/* The unit's pointer, where the linker bounds the object's units.  */
"	.section " SC_UNITS_SECTION ",\"aw\"\n"
"	.p2align 3\n"
"	.globl vt_unit_ptr\n"
"	.hidden vt_unit_ptr\n"
"vt_unit_ptr:\n"
"	.quad vt_unit\n"
"	.text\n");

void __static_call_register_object (const struct sc_unit *const *,
				    const struct sc_unit *const *,
				    const struct sc_unit *const *);
void __static_call_update_value (void *, uint64_t, unsigned);
uint8_t __static_call_atomic_exchange_1 (volatile void *, uint8_t, int);
void __static_call_atomic_store_2 (volatile void *, uint16_t, int);
_Bool __static_call_atomic_compare_exchange_4 (volatile void *, void *,
					      uint32_t, _Bool, int, int);
void __static_call_atomic_store_8 (volatile void *, uint64_t, int);

/* Whether SITE holds `mov $V, %REG' of LEN bytes (V as the register
   gets it).  */
static int
holds_imm (const unsigned char *site, unsigned len, unsigned reg, int wide,
	   unsigned long v)
{
  unsigned r;
  int w;
  unsigned long got;
  return sc_x86_decode_mov_imm (site, len, &r, &w, &got) && r == reg
	 && w == wide && got == v;
}

static int
holds_load (const unsigned char *site, unsigned len, const void *var)
{
  unsigned r;
  int w;
  unsigned long from;
  return sc_x86_decode_rip_load (site, len, (unsigned long) site, &r, &w,
				 &from)
	 && from == (unsigned long) var;
}

static int
jumps_to (const unsigned char *site, const void *to)
{
  return sc_x86_rel32_dest (site, NULL) == to;
}

/* The bytes every site must hold while the variables hold what they
   do, all patched (except the short 8-byte site when its value needs
   movabsq).  */
static void
check_bytes (void)
{
  CHECK (vt_flag ? jumps_to (vt_site_b, vt_dest_b)
		 : sc_x86_is_nop5 (vt_site_b));
  CHECK (!vt_flag ? jumps_to (vt_site_bi, vt_dest_bi)
		  : sc_x86_is_nop5 (vt_site_bi));
  CHECK (holds_imm (vt_site_32, 7, 10, 0, vt_val32));
  CHECK (holds_imm (vt_site_32o, 7, 10, 0, vt_val32));
  CHECK (holds_imm (vt_site_64, 10, 0, 1, (unsigned long) vt_val64));
  if (vt_val64 == (int32_t) vt_val64)
    CHECK (holds_imm (vt_site_64s, 7, 11, 1, (unsigned long) vt_val64));
  else
    CHECK (holds_load (vt_site_64s, 7, &vt_val64));
  CHECK (holds_imm (vt_site_8, 7, 1, 0, (uint8_t) vt_val8));
  CHECK (holds_imm (vt_site_16, 7, 2, 0, vt_val16));
}

static void
check_reads (void)
{
  CHECK (vt_branch () == vt_flag);
  CHECK (vt_branch_inv () == !vt_flag);
  CHECK (vt_read32 () == vt_val32);
  CHECK (vt_read32o () == vt_val32);
  CHECK (vt_read64 () == vt_val64);
  CHECK (vt_read64s () == vt_val64);
  CHECK (vt_read8 () == vt_val8);
  CHECK (vt_read16 () == vt_val16);
}

struct census
{
  int n[4];
  int bad;
};

static int
count_site (const struct static_call_site_info *s, void *arg)
{
  struct census *c = arg;
  if (s->kind == STATIC_CALL_KIND_BRANCH)
    {
      c->n[0]++;
      int taken = s->inverted ? !vt_flag : vt_flag;
      if (s->var != &vt_flag || s->length != 5
	  || s->state != (taken ? STATIC_CALL_SITE_JUMP
			  : STATIC_CALL_SITE_FALLTHROUGH)
	  || s->value != taken
	  || s->target != (s->inverted ? vt_dest_bi : vt_dest_b))
	c->bad++;
    }
  else if (s->kind == STATIC_CALL_KIND_IMMEDIATE)
    {
      c->n[1]++;
      if (s->addr == vt_site_64s && vt_val64 != (int32_t) vt_val64)
	{
	  c->n[2]++;
	  if (s->state != STATIC_CALL_SITE_UNPATCHED
	      || s->value != vt_val64)
	    c->bad++;
	}
      else if (s->state != STATIC_CALL_SITE_IMMEDIATE)
	c->bad++;
      if (s->addr == vt_site_8 && s->value != vt_val8)
	c->bad++;
      if (s->addr == vt_site_64 && (s->value != vt_val64 || s->length != 10))
	c->bad++;
    }
  else
    c->n[3]++;
  return 0;
}

static void
check_census (int short_unpatched)
{
  struct census c = { { 0 }, 0 };
  static_call_for_each_site (count_site, &c);
  CHECK (c.n[0] == 2 && c.n[1] == 6 && c.n[2] == short_unpatched
	 && c.n[3] == 0 && c.bad == 0);
}

/* One store through the entry point: one batch, 3 syncs.  */
static void
store (void *var, uint64_t v, unsigned size)
{
  struct static_call_stats a, b;
  static_call_get_stats (&a);
  __static_call_update_value (var, v, size);
  static_call_get_stats (&b);
  CHECK (__static_call_last_status () == 0);
  CHECK (b.value_updates == a.value_updates + 1);
  CHECK (b.syncs - a.syncs == 3 * (b.batches - a.batches));
  CHECK (b.batches - a.batches <= 1);
}

/* ---- A key shared with a module ------------------------------------- */

static void
shared_key (void)
{
  const char *path = getenv ("SC_MODULE");
  CHECK (path);
  struct static_call_stats a, b;
  static_call_get_stats (&a);
  void *h = dlopen (path, RTLD_NOW);
  CHECK (h);
  static_call_get_stats (&b);
  /* Its site, patched when it registered: one batch.  */
  CHECK (b.batches == a.batches + 1 && b.syncs == a.syncs + 3
	 && b.imm_sites_patched == a.imm_sites_patched + 1);
  uint32_t (*rd) (void) = (uint32_t (*) (void)) dlsym (h, "vm_read32");
  const unsigned char *(*site) (void)
    = (const unsigned char *(*) (void)) dlsym (h, "vm_site_addr");
  CHECK (rd && site);
  CHECK (holds_imm (site (), 7, 10, 0, vt_val32) && rd () == vt_val32);

  /* One key: the module's site and the executable's two in one
     batch.  */
  static_call_get_stats (&a);
  __static_call_update_value (&vt_val32, 0x77, 4);
  static_call_get_stats (&b);
  CHECK (b.batches == a.batches + 1 && b.syncs == a.syncs + 3
	 && b.imm_sites_patched == a.imm_sites_patched + 3);
  CHECK (holds_imm (site (), 7, 10, 0, 0x77) && rd () == 0x77);
  check_bytes ();
  check_reads ();

  CHECK (dlclose (h) == 0);
  static_call_get_stats (&a);
  __static_call_update_value (&vt_val32, 0x78, 4);
  CHECK (__static_call_last_status () == 0);
  static_call_get_stats (&b);
  CHECK (b.imm_sites_patched == a.imm_sites_patched + 2);
  check_bytes ();
  check_reads ();
}

/* A child of fork patches its own copy of the code; the parent's
   stays.  */
static void
in_child (void)
{
  uint32_t before = vt_val32;
  pid_t pid = fork ();
  CHECK (pid >= 0);
  if (pid == 0)
    {
      __static_call_update_value (&vt_val32, 0x99, 4);
      _exit (__static_call_last_status () == 0
	     && holds_imm (vt_site_32, 7, 10, 0, 0x99)
	     && vt_read32 () == 0x99 && vt_read32o () == 0x99 ? 0 : 1);
    }
  int status;
  CHECK (waitpid (pid, &status, 0) == pid);
  CHECK (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  CHECK (vt_val32 == before && vt_read32 () == before);
  check_bytes ();
}

/* ---- Foreign bytes ---------------------------------------------------- */

static int
refused (const struct static_call_site_info *s, void *arg)
{
  return s->addr == arg && s->state == STATIC_CALL_SITE_REFUSED;
}

/* As for calls: an immediate rewritten under another's breakpoint
   (byte 0 stays); a branch whose byte 0 would change left for a later
   update; other bytes not the runtime's refused for good.  */
static void
conflicts (void)
{
  struct static_call_stats a, b;
  unsigned char int3 = 0xcc, byte0 = vt_site_16[0];
  static_call_get_stats (&a);
  sc_test_poke (vt_site_16, &int3, 1);
  vt_val16 = 0;		/* not through the runtime: for the check */
  __static_call_update_value (&vt_val16, 4242, 2);
  CHECK (__static_call_last_status () == 0);
  static_call_get_stats (&b);
  CHECK (b.foreign_int3 == a.foreign_int3 + 1);
  CHECK (vt_site_16[0] == 0xcc);
  sc_test_poke (vt_site_16, &byte0, 1);
  CHECK (holds_imm (vt_site_16, 7, 2, 0, 4242) && vt_read16 () == 4242);

  byte0 = vt_site_b[0];
  static_call_get_stats (&a);
  sc_test_poke (vt_site_b, &int3, 1);
  __static_call_update_value (&vt_flag, !vt_flag, 1);
  CHECK (__static_call_last_status () == -EBUSY);
  static_call_get_stats (&b);
  CHECK (b.conflicts == a.conflicts + 1);
  CHECK (vt_site_b[0] == 0xcc);
  /* The breakpoint's owner puts the old byte back: the site is ours
     again, and the next update patches it.  */
  sc_test_poke (vt_site_b, &byte0, 1);
  __static_call_update_value (&vt_flag, !vt_flag, 1);
  __static_call_update_value (&vt_flag, !vt_flag, 1);
  CHECK (__static_call_last_status () == 0);
  check_reads ();

  /* Someone else's immediate: never touched again.  */
  unsigned char other[7];
  CHECK (sc_x86_encode_mov_imm (other, 7, 1, 0, 99));
  sc_test_poke (vt_site_8, other, 7);
  static_call_get_stats (&a);
  __static_call_update_value (&vt_val8, 5, 1);
  CHECK (__static_call_last_status () == -EBUSY);
  __static_call_update_value (&vt_val8, 6, 1);
  static_call_get_stats (&b);
  CHECK (b.conflicts == a.conflicts + 1);
  CHECK (!memcmp (vt_site_8, other, 7));
  CHECK (static_call_for_each_site (refused, vt_site_8));
}

/* ---- Mid-batch hits ------------------------------------------------- */

/* Under the slow path: a thread that sees the breakpoint on a site
   runs it; the variable was stored before the breakpoint was written
   and nothing stores it again until the thread is done, so what the
   handler (or the finished site) gives must be the new value's.  */
struct hit
{
  int b, bi;
  uint32_t v32;
  int seen_b, seen_32;
  atomic_int spinning;		/* set once it watches the sites */
};

static int
wait_int3 (volatile const unsigned char *site)
{
  double end = sc_test_now () + 2.0;
  while (*site != 0xcc)
    if (sc_test_now () > end)
      return 0;
  return 1;
}

static void *
hitter (void *arg)
{
  struct hit *h = arg;
  atomic_store (&h->spinning, 1);
  if ((h->seen_b = wait_int3 (vt_site_bi)))
    {
      h->bi = vt_branch_inv ();
      h->b = vt_branch ();
    }
  if ((h->seen_32 = wait_int3 (vt_site_32)))
    h->v32 = vt_read32 ();
  return NULL;
}

/* Rounds until a thread has run a site under its breakpoint and the
   handler completed one, for at least 10 rounds and at most 20 s (on a
   loaded machine the watching thread may not run while a breakpoint
   is up).  */
static void
hit_mid_batch (void)
{
  struct static_call_stats a, b;
  static_call_get_stats (&a);
  int seen = 0, rounds = 0;
  double end = sc_test_now () + 20;
  do
    {
      struct hit h = { -1, -1, 0, 0, 0, 0 };
      pthread_t t;
      CHECK (pthread_create (&t, NULL, hitter, &h) == 0);
      CHECK (SC_TEST_WAIT (atomic_load (&h.spinning), 5));
      /* Let it spin first.  */
      sc_test_sleep_ns (2000000);
      int flag = !vt_flag;
      uint32_t v = vt_val32 + 0x100;
      __static_call_update_value (&vt_flag, flag, 1);
      __static_call_update_value (&vt_val32, v, 4);
      pthread_join (t, NULL);
      if (h.seen_b)
	CHECK (h.b == flag && h.bi == !flag);
      if (h.seen_32)
	CHECK (h.v32 == v);
      seen += h.seen_b + h.seen_32;
      rounds++;
      static_call_get_stats (&b);
    }
  while ((rounds < 10 || !seen || b.bp_value == a.bp_value)
	 && sc_test_now () < end);
  printf ("%d rounds: %d sites run under their breakpoint, %lu by the "
	  "handler\n", rounds, seen, b.bp_value - a.bp_value);
  CHECK (b.bp_value > a.bp_value);
}

/* ---- The race ------------------------------------------------------- */

/* Values stored into vt_val32 and vt_val64: the Nth is N << 8 | 0x5a
   and N * 0x100000001 (movabsq at the long site, a load at the short
   one, for N > 0).  The updater announces N before it stores it and
   says it done once the update has returned; a reader that saw DONE
   before reading must read at least that, and never more than what was
   announced after.  The flag is N & 1.  */
static _Atomic uint64_t announced, done;
static atomic_int stop, wrong;
static atomic_ulong reads;

static void
check_one (uint64_t d, uint64_t n, uint64_t a, const char *what)
{
  if (n < d || n > a)
    {
      if (atomic_fetch_add (&wrong, 1) < 5)
	fprintf (stderr, "%s read %llu, done %llu, announced %llu\n", what,
		 (unsigned long long) n, (unsigned long long) d,
		 (unsigned long long) a);
    }
}

static void
read_all (void)
{
  uint64_t d = atomic_load (&done);
  uint32_t v32 = vt_read32 (), v32o = vt_read32o ();
  int64_t v64 = vt_read64 ();
  int64_t v64s = vt_read64s ();
  int b = vt_branch (), bi = vt_branch_inv ();
  uint64_t a = atomic_load (&announced);
  if ((v32 & 0xff) != 0x5a || (v32o & 0xff) != 0x5a
      || (uint64_t) v64 % 0x100000001ull
      || (uint64_t) v64s % 0x100000001ull)
    {
      if (atomic_fetch_add (&wrong, 1) < 5)
	fprintf (stderr, "never stored: %#x %#llx %#llx\n", v32,
		 (unsigned long long) v64, (unsigned long long) v64s);
      return;
    }
  check_one (d, v32 >> 8, a, "vt_read32");
  check_one (d, v32o >> 8, a, "vt_read32o");
  check_one (d, (uint64_t) v64 / 0x100000001ull, a, "vt_read64");
  check_one (d, (uint64_t) v64s / 0x100000001ull, a, "vt_read64s");
  /* No update started or finished meanwhile: the flag is D's.  */
  if (d == a && a == atomic_load (&announced) && a == atomic_load (&done)
      && (b != (int) (d & 1) || bi != !(d & 1)))
    {
      if (atomic_fetch_add (&wrong, 1) < 5)
	fprintf (stderr, "branch %d, inverted %d, with the flag %d\n", b, bi,
		 (int) (d & 1));
    }
}

static void *
reader (void *arg)
{
  while (!atomic_load (&stop))
    {
      read_all ();
      atomic_fetch_add_explicit (&reads, 1, memory_order_relaxed);
    }
  return NULL;
}

static atomic_int in_handler;

static void
on_timer (int sig)
{
  read_all ();
  atomic_fetch_add (&in_handler, 1);
}

static void
race (int slow)
{
  __static_call_update_value (&vt_val32, 0x5a, 4);
  __static_call_update_value (&vt_val64, 0, 8);
  __static_call_update_value (&vt_flag, 0, 1);
  pthread_t t[2];
  for (int i = 0; i < 2; i++)
    CHECK (pthread_create (&t[i], NULL, reader, NULL) == 0);
  timer_t timer = 0;
  if (slow)
    {
      struct sigaction sa;
      memset (&sa, 0, sizeof sa);
      sa.sa_handler = on_timer;
      sigaction (SIGALRM, &sa, NULL);
      timer = sc_test_thread_timer (SIGALRM, 1000000L);
    }
  const char *ms_env = getenv ("SC_STRESS_MS");
  double ms = ms_env ? atof (ms_env) : 300;
  double end = sc_test_now () + ms / 1000;
  struct static_call_stats before, after;
  static_call_get_stats (&before);
  uint64_t n = 0;
  while (sc_test_now () < end && n < 1000000)
    {
      n++;
      atomic_store (&announced, n);
      /* One key a batch, in turn: the reads always see a mix.  */
      if (n % 3 == 0)
	__static_call_update_value (&vt_flag, n & 1, 1);
      else if (n % 3 == 1)
	__static_call_update_value (&vt_val32, n << 8 | 0x5a, 4);
      else
	__static_call_atomic_store_8 (&vt_val64, n * 0x100000001ull, 5);
      /* The others take the new N too, before it is said done.  */
      if (n % 3 != 0 && (n & 1) != vt_flag)
	__static_call_update_value (&vt_flag, n & 1, 1);
      if (n % 3 != 1)
	__static_call_update_value (&vt_val32, n << 8 | 0x5a, 4);
      if (n % 3 != 2)
	__static_call_update_value (&vt_val64, n * 0x100000001ull, 8);
      atomic_store (&done, n);
    }
  if (slow)
    timer_delete (timer);
  atomic_store (&stop, 1);
  for (int i = 0; i < 2; i++)
    pthread_join (t[i], NULL);
  static_call_get_stats (&after);
  printf ("%llu rounds, %lu reads, %d in the updater's handler: "
	  "%lu branches and reads by the handler, %lu self-hits, "
	  "%d wrong\n",
	  (unsigned long long) n, atomic_load (&reads),
	  atomic_load (&in_handler), after.bp_value - before.bp_value,
	  after.bp_self - before.bp_self, atomic_load (&wrong));
  CHECK (atomic_load (&wrong) == 0);
  CHECK (after.syncs - before.syncs == 3 * (after.batches - before.batches));
  if (slow)
    {
      /* Every batch holds its breakpoints 300 us: the readers hit them,
	 and so does the updater's own handler now and then.  */
      CHECK (after.bp_value > before.bp_value);
      CHECK (after.bp_self > before.bp_self || atomic_load (&in_handler)
	     < 20);
    }
  check_bytes ();
  check_reads ();
}

int
main (void)
{
  const char *slow = getenv ("STATICCALL_SLOWPATH_US");

  /* Unregistered: the compiled forms, which read memory.  */
  CHECK (jumps_to (vt_site_b, vt_test_b) && jumps_to (vt_site_bi, vt_test_bi));
  CHECK (sc_x86_is_jmp_rel32 (vt_site_32o + 2)
	 && sc_x86_rel32_dest (vt_site_32o + 2, NULL) == vt_ool_32);
  CHECK (holds_load (vt_site_32, 7, &vt_val32)
	 && holds_load (vt_site_64, 10, &vt_val64)
	 && holds_load (vt_site_64s, 7, &vt_val64)
	 && holds_load (vt_site_8, 7, &vt_val8)
	 && holds_load (vt_site_16, 7, &vt_val16));
  check_reads ();
  vt_flag = 1;
  check_reads ();
  vt_flag = 0;

  struct static_call_stats a, b;
  static_call_get_stats (&a);
  CHECK (vt_unit_ptr[0] == &vt_unit);
  __static_call_register_object (__start___static_call_units,
				 __stop___static_call_units, vt_unit_ptr);
  static_call_get_stats (&b);
  /* All eight in one batch.  */
  CHECK (b.batches == a.batches + 1 && b.syncs == a.syncs + 3);
  CHECK (b.branch_sites_patched - a.branch_sites_patched == 2);
  CHECK (b.imm_sites_patched - a.imm_sites_patched == 6);
  CHECK (b.conflicts == a.conflicts);
  check_bytes ();
  check_reads ();
  check_census (0);

  store (&vt_flag, 1, 1);
  check_bytes ();
  check_reads ();
  store (&vt_val32, 0xdeadbeef, 4);
  store (&vt_val8, (uint8_t) -100, 1);
  store (&vt_val16, 0xfffe, 2);
  check_bytes ();
  check_reads ();
  /* movabsq at the long site; the short one goes back to its load.  */
  static_call_get_stats (&a);
  store (&vt_val64, 0x123456789abcdefull, 8);
  static_call_get_stats (&b);
  CHECK (b.unreachable == a.unreachable + 1);
  check_bytes ();
  check_reads ();
  check_census (1);
  store (&vt_val64, (uint64_t) -7, 8);
  check_bytes ();
  check_reads ();
  check_census (0);

  /* The atomic builtins' entry points.  */
  CHECK (__static_call_atomic_exchange_1 (&vt_flag, 0, 5) == 1);
  check_bytes ();
  check_reads ();
  uint32_t want = 1;
  CHECK (!__static_call_atomic_compare_exchange_4 (&vt_val32, &want, 5, 0,
						    5, 5));
  CHECK (want == 0xdeadbeef);
  CHECK (__static_call_atomic_compare_exchange_4 (&vt_val32, &want, 5, 0,
						   5, 5));
  __static_call_atomic_store_2 (&vt_val16, 77, 5);
  check_bytes ();
  check_reads ();

  if (slow && atoi (slow) > 0)
    hit_mid_batch ();
  race (slow && atoi (slow) > 0);
  shared_key ();
  in_child ();
  conflicts ();

  /* The first release's symbol fills the first release's counters.  */
  struct static_call_stats old;
  memset (&old, 0xa5, sizeof old);
  (static_call_get_stats) (&old);
  CHECK (old.updates != ~0ul / 0xff * 0xa5 && old.batches > 0);
  CHECK (old.value_updates == ~0ul / 0xff * 0xa5
	 && old.bp_value == ~0ul / 0xff * 0xa5);
  return 0;
}

/* staticcall runtime: one batch of the breakpoint-protected protocol.

   For every site of the batch (seeds 000, 002, 003; text_poke_bp in the
   kernel), a site being LEN bytes (5, or an immediate value's 5 to 15):
     0. check the bytes are what the runtime last wrote (else refuse the
	site, or patch only bytes 1..LEN-1 when byte 0 is someone else's
	breakpoint);
     1. int3 over byte 0 of every site;            sync all cores
	(a core that now runs a site traps: the handler completes the call,
	the branch or the read)
     2. the new bytes 1..LEN-1 (a displacement, an immediate); sync
     3. the new byte 0 (e8 call / e9 jmp, or the first byte of a NOP, of
	the instruction clearing %rax, of a move or a load, site_insn.c);
	sync
   Three syncs per batch whatever the number and the mix of sites: call
   sites, static keys' branch sites and immediate values' sites go in
   one batch.  The bytes after the first are written under the
   breakpoint, so no core can execute a mix of old and new bytes; the
   plugin also keeps each site inside one 64-byte line.

   Writes are coalesced: neighbouring sites of one object are written
   with one call, the bytes between them rewritten with their own
   values (which is harmless to a core running them).  Called with the
   registry lock held.

   Every batch is allocated and freed here; the trap handler only looks
   at the published one (sc_trap_publish, sc_trap_retire) and at the
   stuck one (sc_trap_keep).  */

#include "config.h"

#include "internal.h"

/* Coalescing limits: sites at most GAP bytes apart, at most MAX bytes
   per write.  */
#define CHUNK_GAP 512
#define CHUNK_MAX 65536

static unsigned char chunk_buf[CHUNK_MAX];

/* The batch whose code writes failed, if any, with its sites: the trap
   handler knows it too (sc_trap_keep), and the next batch takes its
   sites in again.  Allocated and freed here only.  */
static struct sc_batch *stuck;

/* Make B (heap-allocated, or NULL) the stuck batch; free the one it
   replaces once no handler can be looking at it.  */
static void
keep_stuck (struct sc_batch *b)
{
  struct sc_batch *old = stuck;
  stuck = b;
  sc_trap_keep (b);
  if (old)
    {
      sc_free (old->p);
      sc_free (old);
    }
}

static int
compare_patches (const void *a, const void *b)
{
  const struct sc_patch *x = a, *y = b;
  return (x->addr > y->addr) - (x->addr < y->addr);
}

/* The patch of value site S for its key's current value, into P (whose
   insn receives the bytes).  Returns the form.  */
static enum sc_value_form
plan_value (struct sc_site *s, struct sc_patch *p)
{
  uint64_t value = sc_key_raw_value (s->key);
  enum sc_value_form form = sc_value_site_insn (s, value, p->insn);
  p->var = s->key->var;
  p->size = s->key->size;
  p->reg = s->reg;
  p->wide = s->wide;
  p->inverted = s->cls == SC_CLASS_BRANCH_INV;
  p->dest = s->dest;
  p->op = s->cls == SC_CLASS_IMM ? SC_PATCH_SET : SC_PATCH_BRANCH;
  return form;
}

/* Step 0 for one site.  Adds a patch to B when the site needs one.
   Returns 0 or -EBUSY for a site that had to be refused.  A value site
   is parked on its compiled form, which reads the variable: its object
   is being unregistered, and no later store would rewrite it.  */
static int
plan_site (struct sc_site *s, bool park, struct sc_batch *b)
{
  if (s->state != SC_SITE_MANAGED)
    return -SC_EBUSY;

  struct sc_patch *p = &b->p[b->n];
  unsigned char *want = p->insn;
  unsigned len = s->len;
  void *target = NULL;
  enum sc_route route = SC_ROUTE_DIRECT;
  enum sc_value_form form = SC_FORM_UNPATCHED;
  if (sc_site_is_value (s))
    {
      form = plan_value (s, p);
      if (park)
	{
	  memcpy (want, s->orig, len);
	  form = SC_FORM_UNPATCHED;
	}
    }
  else if (park)
    {
      sc_site_insn (s, s->tramp, want);
      route = SC_ROUTE_TRAMPOLINE;
    }
  else
    {
      target = sc_key_target (s->key);
      route = sc_site_insn_alloc_slot (s, target, want);
    }

  unsigned char now[SC_SITE_MAX_LEN];
  memcpy (now, s->addr, len);
  bool foreign_int3 = false;
  if (memcmp (now, s->cur, len))
    {
      const char *why = "not what the runtime wrote";
      if (now[0] == SC_OP_INT3 && !memcmp (now + 1, s->cur + 1, len - 1))
	{
	  /* A debugger's (or another patcher's) breakpoint: it keeps
	     every core off the site already, and whoever removes it
	     restores our opcode.  The displacement can be written under
	     it, as long as the opcode stays: not when a conditional site
	     goes between its NOP and a call, nor a site between a call
	     and the clearing of %rax, nor a branch site between its jmp
	     and its NOP, nor an immediate site between its load and a
	     move (the restored byte would start another instruction).
	     An immediate written over another of the same form keeps
	     byte 0.  */
	  foreign_int3 = true;
	  if (want[0] != s->cur[0])
	    why = "under another's breakpoint, and its instruction would "
		  "change (a later update tries again)";
	}
      if (!foreign_int3 || want[0] != s->cur[0])
	{
	  /* Bytes that are not ours: refused for good.  Our own under a
	     breakpoint whose remover would restore the old first byte:
	     left as they are now, and a later batch tries again (once
	     the breakpoint is gone they are ours again).  */
	  if (!foreign_int3)
	    s->state = SC_SITE_REFUSED;
	  SC_COUNT (conflicts);
	  sc_warn ("site %p of key '%s' holds %02x %02x %02x %02x %02x%s, "
		   "%s; leaving it alone",
		   (void *) s->addr, s->key->name, now[0], now[1], now[2],
		   now[3], now[4], len > SC_INSN_LEN ? " ..." : "", why);
	  return -SC_EBUSY;
	}
    }
  /* An immediate site that cannot hold its value keeps (or gets back)
     its load, which stays right: counted as a call site whose target
     is out of reach is.  */
  if (form == SC_FORM_UNPATCHED && s->cls == SC_CLASS_IMM && !park
      && memcmp (s->cur, want, len))
    SC_COUNT (unreachable);
  if (!memcmp (want, s->cur, len))
    return 0;
  if (route == SC_ROUTE_SLOT)
    SC_COUNT (far_slot);
  else if (route == SC_ROUTE_TRAMPOLINE && target)
    SC_COUNT (unreachable);

  b->n++;
  p->addr = s->addr;
  p->site = s;
  p->kind = s->kind;
  p->len = len;
  p->under_foreign_int3 = foreign_int3;
  if (!sc_site_is_value (s))
    {
      p->op = route == SC_ROUTE_NOP ? SC_PATCH_SKIP
	      : route == SC_ROUTE_RETURN0 ? SC_PATCH_ZERO : SC_PATCH_GO;
      p->dest = NULL;
      p->var = NULL;
      if (p->op == SC_PATCH_GO)
	{
	  int32_t rel;
	  memcpy (&rel, want + 1, 4);
	  p->dest = s->addr + SC_INSN_LEN + rel;
	}
    }
  if (foreign_int3)
    SC_COUNT (foreign_int3);
  return 0;
}

/* The bytes of patch P in PHASE (1: int3, 2: displacement, 3: opcode),
   laid over the current code at DST.  */
static void
overlay (unsigned char *dst, const struct sc_patch *p, int phase)
{
  switch (phase)
    {
    case 1:
      if (!p->under_foreign_int3)
	dst[0] = SC_TRAP_BYTE;
      break;
    case 2:
      memcpy (dst + 1, p->insn + 1, p->len - 1);
      break;
    case 3:
      memcpy (dst + 1, p->insn + 1, p->len - 1);
      if (!p->under_foreign_int3)
	dst[0] = p->insn[0];
      break;
    }
}

static int
write_phase (const struct sc_batch *b, int phase)
{
  size_t i = 0;
  while (i < b->n)
    {
      const struct sc_patch *first = &b->p[i];
      unsigned char *start = first->addr;
      unsigned char *end = start + first->len;
      size_t j = i + 1;
      while (j < b->n && b->p[j].site->unit == first->site->unit
	     && b->p[j].addr - end <= CHUNK_GAP
	     && b->p[j].addr + b->p[j].len - start <= CHUNK_MAX)
	{
	  end = b->p[j].addr + b->p[j].len;
	  j++;
	}

      size_t len = end - start;
      memcpy (chunk_buf, start, len);
      for (size_t k = i; k < j; k++)
	overlay (chunk_buf + (b->p[k].addr - start), &b->p[k], phase);
      /* A lone site: write only the bytes that change.  */
      unsigned char *from = start;
      if (j == i + 1)
	{
	  if (phase == 2)
	    from += 1, len = first->len - 1;
	  else
	    len = 1;
	  if (phase != 2 && first->under_foreign_int3)
	    len = 0;
	}
      if (len)
	{
	  int r = sc_text_write (from, chunk_buf + (from - start), len);
	  if (r)
	    return r;
	}
      i = j;
    }
  return 0;
}

static void
hold_slow_path (void)
{
  if (sc_config->slowpath_us)
    sc_delay_us (sc_config->slowpath_us);
}

/* Retarget SITES[0..N) to their keys' current values, or with PARK to
   their trampolines.  Returns 0, or -EBUSY when a site had to be
   refused, or another -errno when code could not be written.  */
static int
patch_sites (struct sc_site **sites, size_t n, bool park)
{
  /* Sites a failed batch left with its int3 are taken in again.  */
  const struct sc_batch *left = stuck;
  size_t n_left = left ? left->n : 0;
  struct sc_batch b = { .p = sc_alloc ((n + n_left) * sizeof *b.p), .n = 0 };
  if (!b.p && n + n_left)
    return -SC_ENOMEM;
  int status = 0;
  for (size_t i = 0; i < n + n_left; i++)
    {
      /* Parking plans the stuck sites the same way: one of them may also
	 be among SITES, and the copy kept below must be the parked one
	 (a site of another object on its trampoline is only slower, until
	 its key's next update).  */
      int r = plan_site (i < n ? sites[i] : left->p[i - n].site, park, &b);
      if (r && i < n)
	status = r;
    }
  if (b.n == 0)
    {
      sc_free (b.p);
      keep_stuck (NULL);
      return status;
    }
  /* One key's sites are kept sorted (registry.c), so a batch usually
     is: sort only when not, since sorting a large batch costs more
     than the rest of the update (10000 sites: 1.6 ms against 0.15).  */
  bool sorted = true;
  for (size_t i = 1; i < b.n && sorted; i++)
    sorted = b.p[i - 1].addr <= b.p[i].addr;
  if (!sorted)
    sc_sort (b.p, b.n, sizeof *b.p, compare_patches);
  /* A stuck site may also be one of SITES: plan it once.  */
  size_t kept = 1;
  for (size_t i = 1; i < b.n; i++)
    if (b.p[i].addr != b.p[kept - 1].addr)
      b.p[kept++] = b.p[i];
  b.n = kept;
  sc_batch_owner (&b);

  int r = sc_writer_begin (&b);
  if (r)
    {
      sc_free (b.p);
      return r;
    }
  sc_trap_install ();
  sc_trap_publish (&b);
  r = write_phase (&b, 1);
  sc_sync_cores ();
  hold_slow_path ();
  if (r == 0)
    r = write_phase (&b, 2);
  sc_sync_cores ();
  if (r == 0)
    r = write_phase (&b, 3);
  sc_sync_cores ();

  if (r)
    {
      /* Some sites may hold our int3 now, some a new displacement.  What
	 is there becomes what the runtime wrote (so the next batch takes
	 them as its own, not as a debugger's), and the batch stays known
	 to the handler, which completes the calls of its sites, until a
	 later batch rewrites them.  */
      struct sc_batch *keep = sc_alloc (sizeof *keep);
      for (size_t i = 0; i < b.n; i++)
	memcpy (b.p[i].site->cur, b.p[i].addr, b.p[i].len);
      sc_warn ("writing code failed (%s) while retargeting %zu sites; "
	       "calls through them go through the breakpoint handler until "
	       "an update can write them", sc_strerror (-r), b.n);
      if (keep)
	{
	  *keep = b;
	  keep_stuck (keep);
	}
      sc_trap_retire ();
      sc_writer_end (&b);
      if (!keep)
	sc_free (b.p);
      return r;
    }
  sc_trap_retire ();
  sc_writer_end (&b);
  keep_stuck (NULL);

  size_t nbranch = 0, nimm = 0;
  for (size_t i = 0; i < b.n; i++)
    {
      struct sc_patch *p = &b.p[i];
      memcpy (p->site->cur, p->insn, p->len);
      nbranch += p->op == SC_PATCH_BRANCH;
      nimm += p->op == SC_PATCH_SET;
    }
  SC_COUNT (batches);
  /* Every site rewritten, of any kind; the value sites also apart.  */
  SC_COUNT_N (sites_patched, b.n);
  if (nbranch)
    SC_COUNT_N (branch_sites_patched, nbranch);
  if (nimm)
    SC_COUNT_N (imm_sites_patched, nimm);
  sc_free (b.p);
  return status;
}

int
sc_patch_sites (struct sc_site **sites, size_t n)
{
  return patch_sites (sites, n, false);
}

/* Put SITES[0..N) back on their trampolines, which read the pointer:
   for an object that is being unregistered while its code may still
   run (at exit, a library's atexit handler or a later destructor may
   call it), so that its calls stay right without the registry, and
   none goes through a near slot that is about to be unmapped.  */
int
sc_park_sites (struct sc_site **sites, size_t n)
{
  return patch_sites (sites, n, true);
}

/* Retarget every site of KEYS[0..N) in one batch.  */
int
sc_patch_keys (struct sc_key **keys, size_t n)
{
  if (n == 1)
    return sc_patch_sites (keys[0]->sites, keys[0]->nsites);
  size_t total = 0;
  for (size_t i = 0; i < n; i++)
    total += keys[i]->nsites;
  struct sc_site **all = sc_alloc (total * sizeof *all);
  if (!all && total)
    {
      sc_warn ("out of memory retargeting %zu call sites", total);
      return -SC_ENOMEM;
    }
  size_t at = 0;
  for (size_t i = 0; i < n; i++)
    {
      memcpy (all + at, keys[i]->sites, keys[i]->nsites * sizeof *all);
      at += keys[i]->nsites;
    }
  int r = sc_patch_sites (all, total);
  sc_free (all);
  return r;
}

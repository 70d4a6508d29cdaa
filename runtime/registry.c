/* staticcall runtime: the registry of keys, units and sites, and the
   entry points the plugin's generated code calls.

   A key is identified by the address of its annotated pointer: every
   object reaches that one variable (through the GOT when it lives in
   another object), so a key is one key across the whole process.  Its
   name is only for messages.

   One global lock serialises registration, updates and patching; fork
   takes it first (pthread_atfork), so a child never starts mid-batch.  */

#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"

struct static_call_stats sc_stats;
extern unsigned long __static_call_rseq_abort_count sc_hidden;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static bool initialized;
static bool can_patch;
static bool cannot_patch_in_child;
static bool exiting;
static struct sc_unit_state *units;

#define KEY_BUCKETS 256
static struct sc_key *key_table[KEY_BUCKETS];

static __thread int last_status;

/* The thread's id, cached: the trap handler needs it on every hit, and
   the system call was an eighth of a hit's cost.  Initial-exec TLS, so
   reading it from a signal handler never allocates.  */
static __thread pid_t cached_tid __attribute__ ((tls_model ("initial-exec")));

pid_t
sc_gettid (void)
{
  if (!cached_tid)
    cached_tid = (pid_t) syscall (SYS_gettid);
  return cached_tid;
}

static void
fork_prepare (void)
{
  pthread_mutex_lock (&lock);
}

static void
fork_parent (void)
{
  pthread_mutex_unlock (&lock);
}

static pid_t owner_pid;
static void after_fork_locked (void);

static void
fork_child (void)
{
  after_fork_locked ();
  pthread_mutex_unlock (&lock);
}

/* A new process (fork, also _Fork or clone without the fork handlers):
   the /proc/self/mem descriptor, the membarrier registration, the stub
   and slot areas (shared memory) and the cached thread id all belong to
   the parent.  Called with the lock held, or in the child of fork.  */
static void
after_fork_locked (void)
{
  owner_pid = getpid ();
  cached_tid = 0;
  sc_trap_after_fork ();
  bool can_write = sc_writer_after_fork () == 0;
  sc_sync_after_fork ();
  sc_stubs_after_fork ();
  /* Sites already direct stay correct until an update, which then
     cannot patch them: tell that update (and the user) rather than
     pretend.  */
  if (can_patch && (!can_write || sc_sync_init ()))
    {
      can_patch = false;
      cannot_patch_in_child = true;
    }
}

/* Before anything that writes code or uses per-process state.  */
static void
check_process_locked (void)
{
  if (getpid () != owner_pid)
    after_fork_locked ();
}

/* At exit, units stay registered: other threads may still run their
   code, and an update must still reach their sites.  */
static void
note_exit (void)
{
  pthread_mutex_lock (&lock);
  exiting = true;
  pthread_mutex_unlock (&lock);
}

static void
init_locked (void)
{
  if (initialized)
    return;
  initialized = true;
  owner_pid = getpid ();
  sc_config_load ();
  pthread_atfork (fork_prepare, fork_parent, fork_child);
  atexit (note_exit);
  can_patch = sc_writer_init () == 0 && sc_sync_init () == 0
	      && sc_trap_install () == 0;
  if (can_patch && sc_config.bp == SC_BP_TRAMPOLINE && !sc_stubs_init ())
    sc_config.bp = SC_BP_EMULATE;
  if (can_patch)
    sc_warn_if_guard_bypassed ();
}

static size_t
key_bucket (void **var)
{
  uintptr_t h = (uintptr_t) var;
  return (h >> 3 ^ h >> 11) % KEY_BUCKETS;
}

static struct sc_key *
find_key (void **var)
{
  for (struct sc_key *k = key_table[key_bucket (var)]; k; k = k->next)
    if (k->var == var)
      return k;
  return NULL;
}

/* A key names one pointer program-wide, except static pointers, which
   are each unit's own (a header may well define one).  */
static void
check_new_key (const struct sc_key *k)
{
  if (k->internal)
    return;
  for (size_t b = 0; b < KEY_BUCKETS; b++)
    for (struct sc_key *o = key_table[b]; o; o = o->next)
      if (o != k && !o->internal && !strcmp (o->name, k->name))
	sc_warn ("static call key '%s' names two pointers, %p and %p",
		 k->name, (void *) o->var, (void *) k->var);
}

static struct sc_key *
get_key (const struct sc_key_record *rec)
{
  struct sc_key *k = find_key (rec->var);
  if (k)
    {
      if (strcmp (k->name, rec->name))
	sc_warn ("pointer %p is static call key '%s' in one object and "
		 "'%s' in another", (void *) k->var, k->name, rec->name);
      return k;
    }
  k = calloc (1, sizeof *k);
  /* A copy: the object that named the key may be unloaded first.  */
  char *name = k ? strdup (rec->name) : NULL;
  if (!name)
    {
      free (k);
      return NULL;
    }
  k->var = rec->var;
  k->name = name;
  k->internal = rec->flags & SC_KEY_INTERNAL;
  check_new_key (k);
  size_t b = key_bucket (rec->var);
  k->next = key_table[b];
  key_table[b] = k;
  return k;
}

static void
drop_key (struct sc_key *k)
{
  struct sc_key **pp = &key_table[key_bucket (k->var)];
  while (*pp != k)
    pp = &(*pp)->next;
  *pp = k->next;
  free (k->sites);
  free ((char *) k->name);
  free (k);
}

static int
add_site_to_key (struct sc_key *k, struct sc_site *s)
{
  if (k->nsites == k->cap)
    {
      size_t cap = k->cap ? 2 * k->cap : 8;
      struct sc_site **v = realloc (k->sites, cap * sizeof *v);
      if (!v)
	return -ENOMEM;
      k->sites = v;
      k->cap = cap;
    }
  k->sites[k->nsites++] = s;
  return 0;
}

static int
compare_site_addr (const void *a, const void *b)
{
  const struct sc_site *x = *(struct sc_site *const *) a;
  const struct sc_site *y = *(struct sc_site *const *) b;
  return (x->addr > y->addr) - (x->addr < y->addr);
}

/* A site must start as the plugin emitted it: call/jmp to its
   trampoline.  Anything else is not ours to touch.  */
static void
check_initial_bytes (struct sc_site *s)
{
  memcpy (s->cur, s->addr, SC_INSN_LEN);
  unsigned char want[SC_INSN_LEN];
  sc_site_bytes_for (s, NULL, false, want);
  /* A debugger's breakpoint already on byte 0 (set before the program
     ran): the rest is ours, and patch.c works under it.  */
  if (s->cur[0] == SC_OP_INT3 && !memcmp (s->cur + 1, want + 1, 4))
    memcpy (s->cur, want, SC_INSN_LEN);
  if (memcmp (s->cur, want, SC_INSN_LEN))
    {
      s->state = SC_SITE_REFUSED;
      SC_COUNT (conflicts);
      sc_warn ("site %p of key '%s' does not hold the call the compiler "
	       "emitted; leaving it alone", (void *) s->addr, s->key->name);
    }
}

static int
register_locked (const struct sc_unit *desc)
{
  if (desc->version != SC_UNIT_ABI_VERSION)
    {
      sc_warn ("object built for site table version %u, runtime knows %u; "
	       "its static calls stay on their trampolines",
	       desc->version, SC_UNIT_ABI_VERSION);
      return -EINVAL;
    }
  struct sc_unit_state *u = calloc (1, sizeof *u);
  struct sc_site *sites = calloc (desc->nsites, sizeof *sites);
  struct sc_site **batch = malloc (desc->nsites * sizeof *batch);
  if (!u || (desc->nsites && (!sites || !batch)))
    {
      free (u);
      free (sites);
      free (batch);
      sc_warn ("out of memory registering %u call sites; they stay on "
	       "their trampolines", desc->nsites);
      return -ENOMEM;
    }
  u->desc = desc;
  u->sites = sites;

  size_t n = 0;
  for (uint32_t i = 0; i < desc->nsites; i++)
    {
      const struct sc_site_record *r = &desc->sites[i];
      const struct sc_key_record *kr = sc_site_key (r);
      struct sc_site *s = &sites[i];
      s->addr = sc_site_address (r);
      s->kind = sc_site_kind (r);
      s->tramp = kr->tramp;
      s->unit = u;
      /* A weak pointer that no object defines has address 0: its
	 sites keep calling the trampoline, which faults as the plain
	 call through it would.  */
      s->key = kr->var ? get_key (kr) : NULL;
      if (!s->key || add_site_to_key (s->key, s))
	{
	  /* Never patched: it keeps calling its trampoline.  */
	  s->state = SC_SITE_REFUSED;
	  continue;
	}
      check_initial_bytes (s);
      if (s->state == SC_SITE_MANAGED)
	batch[n++] = s;
    }
  /* Keep each key's sites sorted, so a batch of one key needs no sort.  */
  for (uint32_t i = 0; i < desc->nkeys; i++)
    {
      struct sc_key *k = find_key (desc->keys[i].var);
      if (k)
	qsort (k->sites, k->nsites, sizeof *k->sites, compare_site_addr);
    }
  u->next = units;
  units = u;

  check_process_locked ();
  int r = can_patch ? sc_patch_sites (batch, n) : 0;
  free (batch);
  return r;
}

void
__static_call_register_unit (const struct sc_unit *desc)
{
  pthread_mutex_lock (&lock);
  init_locked ();
  register_locked (desc);
  pthread_mutex_unlock (&lock);
}

static void
unregister_locked (const struct sc_unit *desc)
{
  struct sc_unit_state **pp = &units;
  while (*pp && (*pp)->desc != desc)
    pp = &(*pp)->next;
  struct sc_unit_state *u = *pp;
  if (!u)
    return;
  *pp = u->next;

  /* Once per key of the unit: a key may be freed here.  */
  for (uint32_t i = 0; i < desc->nkeys; i++)
    {
      struct sc_key *k = find_key (desc->keys[i].var);
      if (!k)
	continue;
      size_t keep = 0;
      for (size_t j = 0; j < k->nsites; j++)
	if (k->sites[j]->unit != u)
	  k->sites[keep++] = k->sites[j];
      k->nsites = keep;
      if (keep == 0)
	drop_key (k);
    }
  sc_slots_release (u);
  free (u->sites);
  free (u);
}

/* Runs from the object's destructor: on dlclose, before its text is
   unmapped, so no later batch writes into it.  */
void
__static_call_unregister_unit (const struct sc_unit *desc)
{
  pthread_mutex_lock (&lock);
  if (!exiting)
    unregister_locked (desc);
  pthread_mutex_unlock (&lock);
}

/* `var = fn' in code built with the plugin.  */
void
__static_call_update (void *var, void *fn)
{
  void **p = var;
  int status = 0;
  pthread_mutex_lock (&lock);
  init_locked ();
  SC_COUNT (updates);
  /* First the pointer: trampolines and racing calls that trap see the
     new target from here on; then the sites.  */
  __atomic_store_n (p, fn, __ATOMIC_RELEASE);
  struct sc_key *k = find_key (p);
  if (k)
    check_process_locked ();
  if (k && can_patch)
    status = sc_patch_sites (k->sites, k->nsites);
  else if (k && cannot_patch_in_child)
    {
      status = -EPERM;
      sc_warn ("in this child of fork the runtime cannot write code: "
	       "sites of key '%s' may still call the old target", k->name);
    }
  pthread_mutex_unlock (&lock);
  last_status = status;
}

int
__static_call_last_status (void)
{
  return last_status;
}

void
__static_call_clear_status (void)
{
  last_status = 0;
}

void
static_call_get_stats (struct static_call_stats *out)
{
  /* Without the lock, so that it can watch a batch in progress.  */
  const unsigned long *from = (const unsigned long *) &sc_stats;
  unsigned long *to = (unsigned long *) out;
  for (size_t i = 0; i < sizeof sc_stats / sizeof *from; i++)
    to[i] = __atomic_load_n (&from[i], __ATOMIC_RELAXED);
  out->rseq_aborts = __atomic_load_n (&__static_call_rseq_abort_count,
				      __ATOMIC_RELAXED);
}

static void
describe_site (const struct sc_site *s, struct static_call_site_info *info)
{
  int32_t rel;
  memcpy (&rel, s->cur + 1, 4);
  const unsigned char *dest = s->addr + SC_INSN_LEN + rel;
  info->addr = s->addr;
  info->key = s->key->name;
  info->var = s->key->var;
  info->trampoline = s->tramp;
  info->calls = dest;
  info->tail = s->kind == SC_SITE_TAIL;
  info->target = dest;
  if (s->state == SC_SITE_REFUSED)
    info->state = STATIC_CALL_SITE_REFUSED;
  else if (dest == s->tramp)
    {
      info->state = STATIC_CALL_SITE_TRAMPOLINE;
      info->target = __atomic_load_n (s->key->var, __ATOMIC_ACQUIRE);
    }
  else if (sc_is_slot (s->unit, dest))
    {
      info->state = STATIC_CALL_SITE_SLOT;
      info->target = sc_slot_target (s->unit, dest);
    }
  else
    info->state = STATIC_CALL_SITE_DIRECT;
}

int
static_call_for_each_site (int (*fn) (const struct static_call_site_info *,
				       void *),
			   void *arg)
{
  int r = 0;
  pthread_mutex_lock (&lock);
  for (struct sc_unit_state *u = units; u && !r; u = u->next)
    for (uint32_t i = 0; i < u->desc->nsites && !r; i++)
      {
	const struct sc_site *s = &u->sites[i];
	if (!s->key)
	  continue;
	struct static_call_site_info info;
	describe_site (s, &info);
	r = fn (&info, arg);
      }
  pthread_mutex_unlock (&lock);
  return r;
}

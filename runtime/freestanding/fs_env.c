/* staticcall freestanding runtime: env.h over the kernel's port
   (<static_call_port.h>): memory, warnings, the lock, writing code,
   who patches (the CPUs' sync is fs_stub.c's, which counts them).  No
   near slots: a kernel's targets are within rel32 reach of its sites
   (-mcmodel=kernel: all its text is in the top 2 GiB), and a site
   whose target is not stays on its trampoline.  */

#include "config.h"

#include "fs.h"

static struct sc_config config;
const struct sc_config *const sc_config = &config;
uint8_t sc_trap_byte = SC_OP_INT3;
unsigned sc_fs_ncpus;
bool sc_fs_ready;

void
sc_fs_configure (const struct static_call_config *c)
{
  config.bp = c->path == STATIC_CALL_PATH_STI_STUB ? SC_BP_TRAMPOLINE
						   : SC_BP_EMULATE;
  config.slowpath_us = c->slowpath_us;
  sc_trap_byte = c->trap_byte ? c->trap_byte : SC_OP_INT3;
  sc_fs_ncpus = c->ncpus;
}

void *
sc_alloc (size_t size)
{
  return static_call_port_alloc (size ? size : 1);
}

void *
sc_zalloc (size_t size)
{
  void *p = sc_alloc (size);
  if (p)
    memset (p, 0, size);
  return p;
}

void *
sc_realloc (void *p, size_t old_size, size_t new_size)
{
  void *n = sc_alloc (new_size);
  if (!n)
    return NULL;
  if (p)
    {
      memcpy (n, p, old_size < new_size ? old_size : new_size);
      static_call_port_free (p);
    }
  return n;
}

void
sc_free (void *p)
{
  if (p)
    static_call_port_free (p);
}

void
sc_warn (const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  static_call_port_vwarn (fmt, ap);
  va_end (ap);
}

const char *
sc_strerror (int errnum)
{
  switch (errnum)
    {
    case SC_EPERM:
      return "operation not permitted";
    case SC_ENOMEM:
      return "out of memory";
    case SC_EBUSY:
      return "busy";
    case SC_EINVAL:
      return "invalid argument";
    case 5:
      return "input/output error";
    case 14:
      return "bad address";
    default:
      return "error";
    }
}

void
sc_lock (void)
{
  static_call_port_lock ();
}

void
sc_unlock (void)
{
  static_call_port_unlock ();
}

/* static_call_init did it all, if it ran: a registration or an update
   before it (the constructors run too early) patches nothing, and says
   so once.  */
void
sc_init_locked (void)
{
  static bool told;
  if (!sc_fs_ready && !told)
    {
      told = true;
      sc_warn ("a registration or an update before static_call_init: its "
	       "sites stay on their trampolines until their key is updated "
	       "after it");
    }
}

enum sc_patching
sc_patching_locked (void)
{
  return sc_fs_ready ? SC_PATCH_YES : SC_PATCH_NO;
}

/* A kernel does not exit: its destructors, if it runs any, unregister.  */
bool
sc_exiting_locked (void)
{
  return false;
}

/* One for the kernel: updates are serialised by the lock, and a
   status read after the lock is dropped may be another CPU's
   update's.  */
static int last_status;

int *
sc_status_slot (void)
{
  return &last_status;
}

/* The port writes through an alias or with CR0.WP clear: nothing to
   open or close around a batch.  */
int
sc_writer_begin (const struct sc_batch *b)
{
  return 0;
}

void
sc_writer_end (const struct sc_batch *b)
{
}

int
sc_text_write (void *addr, const void *src, size_t len)
{
  return static_call_port_text_write (addr, src, len);
}

/* The kernel's #BP entry calls static_call_trap: always installed.  */
int
sc_trap_install (void)
{
  return 0;
}

void
sc_delay_us (unsigned us)
{
  static_call_port_delay_us (us);
}

void
sc_relax (void)
{
  __builtin_ia32_pause ();
}

/* The patcher is a CPU: the one that holds the lock while the batch
   runs (the port's lock keeps its holder on its CPU).  A trap on that
   CPU during the batch (an interrupt handler that called a site) is a
   self-hit.  */
void
sc_batch_owner (struct sc_batch *b)
{
  b->patcher = (int32_t) static_call_port_cpu ();
  b->pid = 0;
}

bool
sc_is_patcher (const struct sc_batch *b)
{
  return (int32_t) static_call_port_cpu () == b->patcher;
}

/* The stubs are reused by sync generation (fs_stub.c), not per batch.  */
void
sc_stubs_reset (void)
{
}

void
sc_stubs_retire (void)
{
}

unsigned long
sc_stub_aborts (void)
{
  return 0;
}

void *
sc_slot_for (struct sc_site *s, void *target)
{
  return NULL;
}

bool
sc_is_slot (const struct sc_unit_state *u, const void *addr)
{
  return false;
}

const void *
sc_slot_target (const struct sc_unit_state *u, const void *addr)
{
  return NULL;
}

void
sc_slots_release (struct sc_unit_state *u)
{
}

/* No slot areas: a debugger finds none (their list is empty).  */
const uint16_t sc_slot_area_layout[3];

/* The port says nothing of the kernel's layout (its text and data, its
   modules'): the records' checks that need segments are not made (the
   records are the kernel's own, linked with it; a module loader checks
   what it loads), those of forms, versions and overlaps are.  */
void
sc_object_map_get (const void *addr, struct sc_object_map *m)
{
  memset (m, 0, sizeof *m);
}

void
sc_object_map_release (struct sc_object_map *m)
{
}

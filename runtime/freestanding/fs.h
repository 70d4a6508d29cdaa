/* staticcall freestanding runtime: what its own files share.  */

#ifndef SC_FS_H
#define SC_FS_H

#include "static_call_port.h"
#include "internal.h"

/* fs_env.c */
/* Take the kernel's settings (static_call_init).  */
sc_hidden void sc_fs_configure (const struct static_call_config *);
/* The number of CPUs that may run sites.  */
sc_hidden extern unsigned sc_fs_ncpus;
/* static_call_init has run: patching may start.  */
sc_hidden extern bool sc_fs_ready;

/* fs_stub.c */
/* How many all-CPU syncs have returned so far: a stub handed out when
   it said G is left by every CPU once it says G + 2 (the sync that
   was running at the hand-out may have been answered before it).  */
sc_hidden extern unsigned long _Atomic sc_fs_syncs_done;
sc_hidden bool sc_fs_stubs_init (unsigned ncpus);

#endif /* SC_FS_H */

/* Keys shared by the objects of the staticcall.shared tests: lib_key
   is defined in the shared library, exe_key in the executable; every
   object declares both.  */
#include <static_call.h>

extern int (*lib_key) (int) STATIC_CALL (lib_key);
extern int (*exe_key) (int) STATIC_CALL (exe_key);

/* In the library.  */
int lib_t1 (int);
int lib_t2 (int);
int lib_calls_lib_key (int);
int lib_calls_exe_key (int);
int lib_tail_exe_key (int);
void lib_sets_exe_key (int (*) (int));
void lib_sets_lib_key (int (*) (int));

/* An ops table of the library, called and stored from every object.  */
struct shared_ops
{
  int (*a) (int);
  long data;
  struct { int (*b) (int); } sub;
};
extern struct shared_ops lib_ops STATIC_CALL (lib_ops);
int lib_calls_ops (int);
void lib_sets_ops (const struct shared_ops *);
/* An ops pointer of the library, to const tables of the objects.  */
extern const struct shared_ops *lib_impl STATIC_CALL (lib_impl);
int lib_calls_impl (int);
void lib_sets_impl (const struct shared_ops *);

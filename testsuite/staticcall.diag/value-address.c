/* Taking the address of a static key or an immediate value is an
   error (a store through it would bypass the runtime), except as the
   first argument of the atomic builtins the plugin lowers or reads.  */
/* { dg-do compile } */
_Bool flag __attribute__ ((static_key (flag_key)));
int level __attribute__ ((immediate (level_key)));

_Bool *flag_p = &flag; /* { dg-error "taking the address of static key 'flag'; a store through it would bypass the runtime" } */

int *
leak (void)
{
  return &level; /* { dg-error "taking the address of immediate value 'level'; a store through it would bypass the runtime" } */
}

void *
leak_member (void)
{
  void *p = (char *) &flag + 0; /* { dg-error "taking the address of static key 'flag'" } */
  return p;
}

int
allowed (int v)
{
  int old = v;
  __atomic_store_n (&flag, 1, __ATOMIC_SEQ_CST);
  v = __atomic_exchange_n (&level, v, __ATOMIC_SEQ_CST);
  __atomic_compare_exchange_n (&level, &old, 3, 0, __ATOMIC_SEQ_CST,
			       __ATOMIC_SEQ_CST);
  return v + __atomic_load_n (&level, __ATOMIC_ACQUIRE);
}
/* Each error has a note listing the allowed uses.  */
/* { dg-message "its address may only be the first argument of '__atomic_store_n'" "" { target *-*-* } 0 } */

/* Block-scope statics are separate variables even when they share a
   name: one key cannot name two of them, or one of them and a
   file-scope pointer of the same name.  */
/* { dg-do compile } */
static int one (void) { return 1; }
static int (*p) (void) __attribute__ ((static_call (outer))) = one; /* { dg-message "'p' given key 'outer' here" } */

int
a (void)
{
  static int (*p) (void) __attribute__ ((static_call (k))) = one; /* { dg-message "'p' given key 'k' here" } */
  return p ();
}

int
b (void)
{
  static int (*p) (void) __attribute__ ((static_call (k))) = one; /* { dg-error "static call key 'k' given to 'p', but it already names another variable of that name" } */
  return p ();
}

int
c (void)
{
  static int (*p) (void) __attribute__ ((static_call (outer))) = one; /* { dg-error "static call key 'outer' given to 'p', but it already names another variable of that name" } */
  return p ();
}

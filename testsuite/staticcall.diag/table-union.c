/* A union anywhere in an annotated struct is refused: a store to
   another member of it would change a key behind the runtime.  */
/* { dg-do compile } */
typedef int fn_t (int);
struct direct { fn_t *a; union { fn_t *f; long l; } u; };
struct direct d __attribute__ ((static_call (d))); /* { dg-error "'static_call' attribute on 'd', whose type has a union" } */
struct inner { union { fn_t *f; void *p; } u; };
struct nested { fn_t *a; struct { struct inner in; } s; };
struct nested n __attribute__ ((static_call (n))); /* { dg-error "'static_call' attribute on 'n', whose type has a union" } */
union u2 { fn_t *f; int i; };
struct arr { fn_t *a; union u2 many[4]; };
struct arr ar __attribute__ ((static_call (ar))); /* { dg-error "'static_call' attribute on 'ar', whose type has a union 'union u2'" } */
union u2 whole __attribute__ ((static_call (whole))); /* { dg-error "'static_call' attribute applies only to pointers to functions and to structs; 'whole' has type 'union u2'" } */

/* Each store form into an annotated table calls its runtime entry: a
   member's assignment __static_call_update, a whole-table or nested
   struct's assignment (from an lvalue or a call), memcpy and a compound
   literal that leaves members out (the gimplifier clears the table
   first) __static_call_update_range, memset
   __static_call_update_fill, a compound literal giving every member
   (the gimplifier stores them one by one)
   __static_call_update_members, and the atomic
   builtins their own entries.  A store to a data member, a memset of
   data only, and __atomic_load_n stay what they are.  */
/* { dg-do compile } */
#include <string.h>
#include <static_call.h>

typedef int fn_t (int);
struct sub { fn_t *x; long d; };
struct ops { fn_t *a; fn_t *b; struct sub s; int data; char buf[16]; };

struct ops t STATIC_CALL (tk);
fn_t *p STATIC_CALL (pk);
extern const struct ops kt[2];
struct ops make (void);

void member (fn_t *f) { t.s.x = f; }
void whole (int i) { t = kt[i]; }
void nested (const struct ops *q) { t.s = q->s; }
void from_call (void) { t = make (); }
void copy (const struct ops *q) { memcpy (&t, q, sizeof t); }
void clear (void) { memset (&t, 0, sizeof t); }
void literal (fn_t *f, fn_t *g) { t = (struct ops) { .a = f, .b = g }; }
struct pair { fn_t *f, *g; } pair STATIC_CALL (pair);
void pair_literal (fn_t *f, fn_t *g) { pair = (struct pair) { f, g }; }
void store_n (fn_t *f) { __atomic_store_n (&t.a, f, __ATOMIC_SEQ_CST); }
fn_t *exchange_n (fn_t *f)
{
  return __atomic_exchange_n (&p, f, __ATOMIC_SEQ_CST);
}
int cas (fn_t **old, fn_t *f)
{
  return __atomic_compare_exchange (&t.b, old, &f, 0, __ATOMIC_SEQ_CST,
				    __ATOMIC_SEQ_CST);
}
fn_t *load (void) { return __atomic_load_n (&t.a, __ATOMIC_ACQUIRE); }
void data (int v) { t.data = v; memset (t.buf, 0, sizeof t.buf); }

/* { dg-final { scan-assembler-times "(?:call|jmp)\t__static_call_update(?:@PLT)?\n" 1 } } */
/* { dg-final { scan-assembler-times "(?:call|jmp)\t__static_call_update_range(?:@PLT)?\n" 5 } } */
/* { dg-final { scan-assembler-times "(?:call|jmp)\t__static_call_update_fill(?:@PLT)?\n" 1 } } */
/* { dg-final { scan-assembler-times "(?:call|jmp)\t__static_call_update_members(?:@PLT)?\n" 1 } } */
/* { dg-final { scan-assembler-times "(?:call|jmp)\t__static_call_atomic_store_8(?:@PLT)?\n" 1 } } */
/* { dg-final { scan-assembler-times "(?:call|jmp)\t__static_call_atomic_exchange_8(?:@PLT)?\n" 1 } } */
/* { dg-final { scan-assembler-times "(?:call|jmp)\t__static_call_atomic_compare_exchange_8(?:@PLT)?\n" 1 } } */
/* { dg-final { scan-assembler-not "__atomic_load_8|__static_call_atomic_load" } } */

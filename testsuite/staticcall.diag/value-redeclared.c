/* A redeclaration may not give a static key or an immediate value a
   second key, nor the other attribute: the manual refuses "a variable
   given both attributes ... two keys for one variable", across
   declarations too (once, only a second attribute in the same
   declaration was refused: the last key won, and an immediate
   attribute after a static key was dropped).  */
/* { dg-do compile } */
extern int flag __attribute__ ((static_key (alpha)));
int flag __attribute__ ((static_key (beta))); /* { dg-error "'flag' declared with .*'beta', but it already has key 'alpha'" } */

extern unsigned tunable __attribute__ ((immediate (alpha2)));
unsigned tunable __attribute__ ((immediate (beta2))); /* { dg-error "'tunable' declared with .*'beta2', but it already has key 'alpha2'" } */

extern unsigned both __attribute__ ((static_key (both)));
unsigned both __attribute__ ((immediate (both))); /* { dg-error "'both' cannot be both a static key and an immediate value" } */

extern unsigned both2 __attribute__ ((immediate (both2)));
unsigned both2 __attribute__ ((static_key (both2))); /* { dg-error "'both2' cannot be both a static key and an immediate value" } */

int
use (void)
{
  if (flag)
    return (int) (tunable + both + both2);
  flag = 1;
  return 0;
}
/* Notes pointing at the first declaration are welcome, not required.  */
/* { dg-prune-output "note:" } */

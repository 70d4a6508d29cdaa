/* An unknown plugin option is an error.  */
/* { dg-do compile } */
/* { dg-options "-fplugin-arg-staticcall-bogus" } */
/* { dg-error "unknown option '-fplugin-arg-staticcall-bogus'" "" { target *-*-* } 0 } */
/* { dg-prune-output "failed to initialize plugin|compilation terminated" } */
int x;

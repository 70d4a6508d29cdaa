/* An alias of a static key is refused with an error that names a
   static key (it once said "static call pointer 'flag'"), and a note
   at the key's declaration.  (A second error in this file would hide
   this one, which comes at the end of the unit.)  */
/* { dg-do compile } */
int flag __attribute__ ((static_key (flag))); /* { dg-message "'flag' declared here" } */
extern int flag2 __attribute__ ((alias ("flag"))); /* { dg-error "'flag2' names the same object as static key 'flag'" } */

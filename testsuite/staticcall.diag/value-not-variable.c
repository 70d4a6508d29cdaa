/* { dg-do compile } */
void f (void) __attribute__ ((static_key (kf))); /* { dg-error "'static_key' attribute only applies to variables" } */
typedef int flag_t __attribute__ ((immediate (kt))); /* { dg-error "'immediate' attribute only applies to variables" } */

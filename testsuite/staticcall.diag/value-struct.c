/* { dg-do compile } */
struct flags { int on; };
struct flags s __attribute__ ((static_key (ks))); /* { dg-error "'static_key' attribute applies only to integer variables; 's' has type 'struct flags'" } */
union word { int i; char c; } u __attribute__ ((immediate (ku))); /* { dg-error "'immediate' attribute applies only to integer variables; 'u' has type 'union word'" } */
int a[2] __attribute__ ((immediate (ka))); /* { dg-error "'immediate' attribute applies only to integer variables; 'a' has type 'int\\\[2\\\]'" } */

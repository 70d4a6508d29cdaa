/* { dg-do compile } */
float f __attribute__ ((static_key (kf))); /* { dg-error "'static_key' attribute applies only to integer variables; 'f' has type 'float'" } */
double d __attribute__ ((immediate (kd))); /* { dg-error "'immediate' attribute applies only to integer variables; 'd' has type 'double'" } */

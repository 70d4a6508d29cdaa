/* An immediate is at most 64 bits.  */
/* { dg-do compile } */
__int128 big __attribute__ ((immediate (kbig))); /* { dg-error "'immediate' attribute applies to integers of 8 to 64 bits; 'big' has type '__int128'" } */
unsigned __int128 ubig __attribute__ ((static_key (kubig))); /* { dg-error "'static_key' attribute applies to integers of 8 to 64 bits; 'ubig' has type '__int128 unsigned'" } */

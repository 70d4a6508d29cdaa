/* A unit descriptor of another ABI version (9, and 1 below the oldest)
   next to a good unit (bad-records.h): each bad one refused with one
   warning naming the program, its site left on its trampoline (and its
   call still right through it); the good unit's site patched.  */
#include "bad-records.h"

HIDDEN int br_call_v9 (void);
HIDDEN int br_call_v1 (void);
HIDDEN extern unsigned char br_site_v9[], br_site_v1[];

__asm__ (
BR_GOOD_ASM
BR_CALL_FN (br_call_v9, br_site_v9)
BR_CALL_FN (br_call_v1, br_site_v1)
"	.data\n"
"	.p2align 3\n"
"br_key_v9: .quad br_ptr, br_name, br_tramp, 0\n"
"br_unit_v9:\n"
"	.long 9, 1, 1, 0\n"
"	.quad br_sites_v9, br_key_v9\n"
"	.long 0, 0\n"
"	.quad 0\n"
"br_key_v1: .quad br_ptr, br_name, br_tramp, 0\n"
"br_unit_v1:\n"
"	.long 1, 1, 1, 0\n"
"	.quad br_sites_v1, br_key_v1\n"
"	.section .static_call_sites,\"a\"\n"
"	.p2align 2\n"
"br_sites_v9: .long br_site_v9 - ., br_key_v9 - .\n"
"br_sites_v1: .long br_site_v1 - ., br_key_v1 - .\n"
BR_GOOD_UNIT_PTR
"	.quad br_unit_v9, br_unit_v1\n"
"	.text\n");

int
main (void)
{
  unsigned char v9[5], v1[5];
  memcpy (v9, br_site_v9, 5);
  memcpy (v1, br_site_v1, 5);
  br_register ();
  br_expect_warning ("is built for site table version 9, runtime knows");
  br_expect_warning ("is built for site table version 1, runtime knows");
  br_check_good ();
  br_check_untouched (br_site_v9, v9, 5);
  br_check_untouched (br_site_v1, v1, 5);
  CHECK (br_call_v9 () == 7 && br_call_v1 () == 7);
  return 0;
}

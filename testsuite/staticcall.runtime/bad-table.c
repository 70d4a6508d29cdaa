/* Truncated and overlapping records next to a good unit
   (bad-records.h): a unit whose site count cannot be right (2^28
   records, running far past the object), a unit whose key table is
   cut by the end of the object's last segment (it starts 16 bytes
   before _end), and a unit with two records of one site (their bytes
   overlap).  Each is refused with one warning naming the program, the
   bad units' sites stay on their trampolines (their calls still
   right), and the good site is patched.  */
#include "bad-records.h"

HIDDEN int br_call_cnt (void);
HIDDEN int br_call_cut (void);
HIDDEN int br_call_ov (void);
HIDDEN extern unsigned char br_site_cnt[], br_site_cut[], br_site_ov[];

__asm__ (
BR_GOOD_ASM
BR_CALL_FN (br_call_cnt, br_site_cnt)
BR_CALL_FN (br_call_cut, br_site_cut)
BR_CALL_FN (br_call_ov, br_site_ov)
"	.data\n"
"	.p2align 3\n"
"br_key_cnt: .quad br_ptr, br_name, br_tramp, 0\n"
"br_unit_cnt:\n"
"	.long 2, 0x10000000, 1, 0\n"
"	.quad br_sites_cnt, br_key_cnt\n"
"br_unit_cut:\n"
"	.long 2, 1, 1, 0\n"
"	.quad br_sites_cut, _end - 16\n"
"br_key_ov: .quad br_ptr, br_name, br_tramp, 0\n"
"br_unit_ov:\n"
"	.long 2, 2, 1, 0\n"
"	.quad br_sites_ov, br_key_ov\n"
"	.section .static_call_sites,\"a\"\n"
"	.p2align 2\n"
"br_sites_cnt: .long br_site_cnt - ., br_key_cnt - .\n"
"br_sites_cut: .long br_site_cut - ., br_key_good - .\n"
"br_sites_ov: .long br_site_ov - ., br_key_ov - .\n"
"	.long br_site_ov - ., br_key_ov - .\n"
BR_GOOD_UNIT_PTR
"	.quad br_unit_cnt, br_unit_cut, br_unit_ov\n"
"	.text\n");

int
main (void)
{
  unsigned char cnt[5], cut[5], ov[5];
  memcpy (cnt, br_site_cnt, 5);
  memcpy (cut, br_site_cut, 5);
  memcpy (ov, br_site_ov, 5);
  br_register ();
  br_expect_warning ("its site table (268435456 records at");
  br_expect_warning ("its key table (1 records at");
  char both[128];
  snprintf (both, sizeof both, "sites %p and %p of", (void *) br_site_ov,
	    (void *) br_site_ov);
  br_expect_warning (both);
  br_check_good ();
  br_check_untouched (br_site_cnt, cnt, 5);
  br_check_untouched (br_site_cut, cut, 5);
  br_check_untouched (br_site_ov, ov, 5);
  CHECK (br_call_cnt () == 7 && br_call_cut () == 7 && br_call_ov () == 7);
  return 0;
}

/* A site address outside the registering object's executable segments
   next to a good unit (bad-records.h): records whose sites are in the
   program's writable data and in its read-only data, the bytes there a
   valid call of the trampoline (so that only the check of where they
   lie refuses them).  Each is refused with one warning naming the
   program and its bytes are untouched; the good site is patched.  */
#include "bad-records.h"

HIDDEN extern unsigned char br_data_site[], br_ro_site[];

__asm__ (
BR_GOOD_ASM
"	.data\n"
"	.p2align 4\n"
"	.globl br_data_site\n"
"	.hidden br_data_site\n"
"br_data_site:\n"
"	.byte 0xe8\n"
"	.long br_tramp - (br_data_site + 5)\n"
"	.p2align 3\n"
"br_key_data: .quad br_ptr, br_name, br_tramp, 0\n"
"br_unit_data:\n"
"	.long 2, 2, 1, 0\n"
"	.quad br_sites_data, br_key_data\n"
"	.section .rodata\n"
"	.p2align 4\n"
"	.globl br_ro_site\n"
"	.hidden br_ro_site\n"
"br_ro_site:\n"
"	.byte 0xe8\n"
"	.long br_tramp - (br_ro_site + 5)\n"
"	.section .static_call_sites,\"a\"\n"
"	.p2align 2\n"
"br_sites_data: .long br_data_site - ., br_key_data - .\n"
"	.long br_ro_site - ., br_key_data - .\n"
BR_GOOD_UNIT_PTR
"	.quad br_unit_data\n"
"	.text\n");

int
main (void)
{
  unsigned char data[5], ro[5];
  memcpy (data, br_data_site, 5);
  memcpy (ro, br_ro_site, 5);
  br_register ();
  char what[128];
  snprintf (what, sizeof what, "site %p of key 'br_ptr' is outside the "
	    "executable segments", (void *) br_data_site);
  br_expect_warning (what);
  snprintf (what, sizeof what, "site %p of key 'br_ptr' is outside the "
	    "executable segments", (void *) br_ro_site);
  br_expect_warning (what);
  br_check_good ();
  br_check_untouched (br_data_site, data, 5);
  br_check_untouched (br_ro_site, ro, 5);
  return 0;
}

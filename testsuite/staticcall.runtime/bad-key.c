/* Key records whose pointer is not writable data, next to a good unit
   (bad-records.h): a pointer in read-only data (it holds br_target, so
   that only the check of where it lies refuses it), a "pointer" that
   is a function's code, and a static key in read-only data (true, so
   its branch site would be patched to its jump).  Each refused with one
   warning naming the program, their sites untouched and still right.
   A key record of an undefined weak pointer's member (its address
   below a page) stays the legitimate case: no warning, its site left
   on its trampoline.  The good site is patched.  Not a PIE: the
   read-only pointer's value is then fixed at link time (a PIE would
   need a relocation of read-only data).  */
/* { sc-options "-fno-pie -no-pie" } */
#include "bad-records.h"

HIDDEN extern unsigned char br_site_ro[], br_site_text[], br_site_rof[],
  br_site_weak[];
HIDDEN int br_call_ro (void), br_call_text (void), br_call_weak (void);
HIDDEN int br_rof_branch (void);

__asm__ (
BR_GOOD_ASM
"	.section .rodata\n"
"	.p2align 3\n"
"br_ro_ptr: .quad br_target\n"
"br_ro_flag: .byte 1\n"
"br_name_ro: .string \"br_ro_ptr\"\n"
"br_name_text: .string \"br_text_ptr\"\n"
"br_name_rof: .string \"br_ro_flag\"\n"
"br_name_weak: .string \"br_weak_member\"\n"
"	.text\n"
"	.p2align 4\n"
"br_ro_tramp:\n"
"	jmp *br_ro_ptr(%rip)\n"
"	.p2align 4\n"
"	.globl br_call_ro, br_site_ro\n"
"	.hidden br_call_ro, br_site_ro\n"
"br_call_ro:\n"
"	subq $8, %rsp\n"
"br_site_ro: .byte 0xe8\n"
"	.long br_ro_tramp - (br_site_ro + 5)\n"
"	addq $8, %rsp\n"
"	ret\n"
BR_CALL_FN (br_call_text, br_site_text)
BR_CALL_FN (br_call_weak, br_site_weak)
"	.p2align 4\n"
"	.globl br_rof_branch, br_site_rof\n"
"	.hidden br_rof_branch, br_site_rof\n"
"br_rof_branch:\n"
"br_site_rof: .byte 0xe9\n"
"	.long br_rof_test - (br_site_rof + 5)\n"
"	xorl %eax, %eax\n"
"	ret\n"
"br_rof_dest:\n"
"	movl $1, %eax\n"
"	ret\n"
"br_rof_test:\n"
"	cmpb $0, br_ro_flag(%rip)\n"
"	jne br_rof_dest\n"
"	jmp br_site_rof + 5\n"
"	.data\n"
"	.p2align 3\n"
"br_keys_bad:\n"
"br_key_ro: .quad br_ro_ptr, br_name_ro, br_ro_tramp, 0\n"
"br_key_text: .quad br_target, br_name_text, br_tramp, 0\n"
"br_key_weak: .quad 8, br_name_weak, br_tramp, 0\n"
"br_key_rof: .quad br_ro_flag, br_name_rof, 0, 4 | (1 << 8)\n"
"br_unit_bad:\n"
"	.long 4, 3, 4, 0\n"
"	.quad br_sites_bad, br_keys_bad\n"
"	.long 1, 0\n"
"	.quad br_vsites_bad\n"
"	.section .static_call_sites,\"a\"\n"
"	.p2align 2\n"
"br_sites_bad:\n"
"	.long br_site_ro - ., br_key_ro - .\n"
"	.long br_site_text - ., br_key_text - .\n"
"	.long br_site_weak - ., br_key_weak - .\n"
"	.section .static_call_value_sites,\"a\"\n"
"	.p2align 2\n"
"br_vsites_bad:\n"
"	.long br_site_rof - ., br_key_rof - ., br_rof_dest - ., br_rof_test - .\n"
BR_GOOD_UNIT_PTR
"	.quad br_unit_bad\n"
"	.text\n");

int
main (void)
{
  unsigned char *site[4] = { br_site_ro, br_site_text, br_site_rof,
			     br_site_weak };
  unsigned char saved[4][5];
  for (int i = 0; i < 4; i++)
    memcpy (saved[i], site[i], 5);
  br_register ();
  br_expect_warning ("key 'br_ro_ptr' of ");
  br_expect_warning ("key 'br_text_ptr' of ");
  br_expect_warning ("key 'br_ro_flag' of ");
  CHECK (br_lines_with ("is not in writable data of any loaded object")
	 == 3);
  CHECK (br_lines_with ("br_weak_member") == 0);
  for (int i = 0; i < 4; i++)
    br_check_untouched (site[i], saved[i], 5);
  br_check_good ();
  CHECK (br_call_ro () == 7 && br_call_text () == 7 && br_rof_branch () == 1);
  return 0;
}

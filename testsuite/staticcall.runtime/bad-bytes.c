/* Sites whose bytes are not the form the compiler emits for their kind,
   next to good call and branch sites (bad-records.h): of every call
   kind, a call site on a jmp, a sibling one on a call, a conditional
   one on a jmp and a conditional sibling one on a call, a call site
   calling its target directly (not its trampoline) and one holding a
   5-byte NOP; of every value kind, a branch site and an inverted one
   whose jmp is not to their tests, an immediate site that moves a
   constant instead of loading its variable and one that loads another
   register than its record says.  Each refused with one warning naming
   the program, its bytes untouched, and its code still right (the
   value sites read the variables); the good sites patched.  */
#include "bad-records.h"

void __static_call_update_value (void *, uint64_t, unsigned);

HIDDEN _Bool br_flag;
HIDDEN uint32_t br_val32 = 0x15a;

#define NCALL 6
HIDDEN extern unsigned char br_site_k0[], br_site_k1[], br_site_k2[],
  br_site_k3[], br_site_direct[], br_site_nop[];
HIDDEN extern unsigned char br_site_gb[], br_site_vb[], br_site_vbi[],
  br_site_vi[], br_site_vr[];
HIDDEN int br_gbranch (void), br_vbranch (void), br_vbranch_inv (void);
HIDDEN uint32_t br_vimm (void), br_vreg (void);

__asm__ (
BR_GOOD_ASM
"	.text\n"
"	.p2align 4\n"
"br_site_k0: .byte 0xe9\n"
"	.long br_tramp - (br_site_k0 + 5)\n"
"br_site_k1: .byte 0xe8\n"
"	.long br_tramp - (br_site_k1 + 5)\n"
"br_site_k2: .byte 0xe9\n"
"	.long br_tramp - (br_site_k2 + 5)\n"
"br_site_k3: .byte 0xe8\n"
"	.long br_tramp - (br_site_k3 + 5)\n"
"br_site_direct: .byte 0xe8\n"
"	.long br_target - (br_site_direct + 5)\n"
"br_site_nop: .byte 0x0f, 0x1f, 0x44, 0x00, 0x00\n"
"	.globl br_site_k0, br_site_k1, br_site_k2, br_site_k3\n"
"	.hidden br_site_k0, br_site_k1, br_site_k2, br_site_k3\n"
"	.globl br_site_direct, br_site_nop\n"
"	.hidden br_site_direct, br_site_nop\n"
/* Value sites: a good branch, two wrong ones, two wrong immediates.  */
"	.p2align 4\n"
"	.globl br_gbranch, br_site_gb, br_vbranch, br_site_vb\n"
"	.hidden br_gbranch, br_site_gb, br_vbranch, br_site_vb\n"
"	.globl br_vbranch_inv, br_site_vbi, br_vimm, br_site_vi\n"
"	.hidden br_vbranch_inv, br_site_vbi, br_vimm, br_site_vi\n"
"	.globl br_vreg, br_site_vr\n"
"	.hidden br_vreg, br_site_vr\n"
"br_gbranch:\n"
"br_site_gb: .byte 0xe9\n"
"	.long br_gb_test - (br_site_gb + 5)\n"
"	xorl %eax, %eax\n"
"	ret\n"
"br_gb_dest:\n"
"	movl $1, %eax\n"
"	ret\n"
"br_gb_test:\n"
"	cmpb $0, br_flag(%rip)\n"
"	jne br_gb_dest\n"
"	jmp br_site_gb + 5\n"
"	.p2align 4\n"
"br_vbranch:\n"
"br_site_vb: .byte 0xe9\n"
"	.long br_vb_wrong - (br_site_vb + 5)\n"
"	xorl %eax, %eax\n"
"	ret\n"
"br_vb_dest:\n"
"	movl $1, %eax\n"
"	ret\n"
"br_vb_test:\n"
"	cmpb $0, br_flag(%rip)\n"
"	jne br_vb_dest\n"
"	jmp br_site_vb + 5\n"
"br_vb_wrong:\n"
"	jmp br_vb_test\n"
"	.p2align 4\n"
"br_vbranch_inv:\n"
"br_site_vbi: .byte 0xe9\n"
"	.long br_vbi_wrong - (br_site_vbi + 5)\n"
"	xorl %eax, %eax\n"
"	ret\n"
"br_vbi_dest:\n"
"	movl $1, %eax\n"
"	ret\n"
"br_vbi_test:\n"
"	cmpb $0, br_flag(%rip)\n"
"	je br_vbi_dest\n"
"	jmp br_site_vbi + 5\n"
"br_vbi_wrong:\n"
"	jmp br_vbi_test\n"
"	.p2align 4\n"
"br_vimm:\n"
"br_site_vi:\n"
"	.byte 0x2e\n"
"	movl $0x15a, %r10d\n"
"	movl %r10d, %eax\n"
"	ret\n"
"	.p2align 4\n"
"br_vreg:\n"
"br_site_vr:\n"
"	movl br_val32(%rip), %r11d\n"
"	movl %r11d, %eax\n"
"	ret\n"
"	.section .rodata\n"
"br_name_flag: .string \"br_flag\"\n"
"br_name_32: .string \"br_val32\"\n"
"	.data\n"
"	.p2align 3\n"
"br_keys_bad: .quad br_ptr, br_name, br_tramp, 0\n"
"br_key_flag: .quad br_flag, br_name_flag, 0, 4 | (1 << 8)\n"
"br_key_32: .quad br_val32, br_name_32, 0, 8 | (4 << 8)\n"
"br_unit_bad:\n"
"	.long 4, 6, 3, 0\n"
"	.quad br_sites_bad, br_keys_bad\n"
"	.long 5, 0\n"
"	.quad br_vsites_bad\n"
"	.section .static_call_sites,\"a\"\n"
"	.p2align 2\n"
"br_sites_bad:\n"
"	.long br_site_k0 - ., br_keys_bad - . + 0\n"
"	.long br_site_k1 - ., br_keys_bad - . + 1\n"
"	.long br_site_k2 - ., br_keys_bad - . + 2\n"
"	.long br_site_k3 - ., br_keys_bad - . + 3\n"
"	.long br_site_direct - ., br_keys_bad - .\n"
"	.long br_site_nop - ., br_keys_bad - .\n"
"	.section .static_call_value_sites,\"a\"\n"
"	.p2align 2\n"
"br_vsites_bad:\n"
"	.long br_site_gb - ., br_key_flag - ., br_gb_dest - ., br_gb_test - .\n"
"	.long br_site_vb - ., br_key_flag - ., br_vb_dest - ., br_vb_test - .\n"
"	.long br_site_vbi - ., br_key_flag - . + 1, br_vbi_dest - .,"
" br_vbi_test - .\n"
"	.long br_site_vi - ., br_key_32 - . + 2, 0, 7 | (10 << 8)\n"
"	.long br_site_vr - ., br_key_32 - . + 2, 0, 7 | (10 << 8)\n"
BR_GOOD_UNIT_PTR
"	.quad br_unit_bad\n"
"	.text\n");

int
main (void)
{
  unsigned char *call[NCALL] = { br_site_k0, br_site_k1, br_site_k2,
				 br_site_k3, br_site_direct, br_site_nop };
  unsigned char *value[4] = { br_site_vb, br_site_vbi, br_site_vi,
			      br_site_vr };
  unsigned vlen[4] = { 5, 5, 7, 7 };
  unsigned char saved_call[NCALL][5], saved_value[4][7];
  for (int i = 0; i < NCALL; i++)
    memcpy (saved_call[i], call[i], 5);
  for (int i = 0; i < 4; i++)
    memcpy (saved_value[i], value[i], vlen[i]);
  CHECK (br_gbranch () == 0 && br_vbranch () == 0 && br_vbranch_inv () == 1
	 && br_vimm () == 0x15a && br_vreg () == 0x15a);

  br_register ();
  char what[160];
  for (int i = 0; i < NCALL; i++)
    {
      snprintf (what, sizeof what, "site %p of key 'br_ptr' in ",
		(void *) call[i]);
      br_expect_warning (what);
      br_check_untouched (call[i], saved_call[i], 5);
    }
  const char *key[4] = { "br_flag", "br_flag", "br_val32", "br_val32" };
  for (int i = 0; i < 4; i++)
    {
      snprintf (what, sizeof what, "site %p of key '%s' in ",
		(void *) value[i], key[i]);
      br_expect_warning (what);
      br_check_untouched (value[i], saved_value[i], vlen[i]);
    }
  CHECK (br_lines_with ("does not hold the call the compiler emitted")
	 == NCALL);
  CHECK (br_lines_with ("is not the jmp to its test") == 2);
  CHECK (br_lines_with ("is not one load of its register from its "
			"variable") == 2);
  br_check_good ();
  /* The good branch site: its NOP while the flag is clear.  */
  CHECK (sc_x86_is_nop5 (br_site_gb));
  /* The value sites still read the variables.  */
  __static_call_update_value (&br_flag, 1, 1);
  __static_call_update_value (&br_val32, 99, 4);
  CHECK (sc_x86_rel32_dest (br_site_gb, NULL) != NULL);
  CHECK (br_gbranch () == 1 && br_vbranch () == 1 && br_vbranch_inv () == 0
	 && br_vreg () == 99 && br_vimm () == 0x15a);
  for (int i = 0; i < 4; i++)
    br_check_untouched (value[i], saved_value[i], vlen[i]);
  return 0;
}

/* The module of value-sites.c: a unit written by hand, as the plugin
   emits one for a shared object, whose immediate site reads the
   executable's vt_val32 (the same key as the executable's own sites).
   The variable is another object's, so the site's compiled form is a
   jmp to an out-of-line load through the GOT, which jumps back.  It
   registers and unregisters its object as a plugin unit's constructor
   and destructor do.  */
#include <stdint.h>

#include "../../runtime/unit-abi.h"

#define HIDDEN __attribute__ ((visibility ("hidden")))

__asm__ (
"	.text\n"
"	.p2align 4\n"
"	.globl vm_read32\n"
"	.type vm_read32, @function\n"
"vm_read32:\n"
"vm_site:\n"
"	.byte 0x2e, 0x2e, 0xe9\n"
"	.long vm_ool - (vm_site + 7)\n"
"vm_back:\n"
"	movl %r10d, %eax\n"
"	ret\n"
"vm_ool:\n"
"	movq vt_val32@GOTPCREL(%rip), %r10\n"
"	movl (%r10), %r10d\n"
"	jmp vm_back\n"
"	.globl vm_site_start\n"
"	.hidden vm_site_start\n"
"	.set vm_site_start, vm_site\n"
"	.section .rodata\n"
"vm_name: .string \"vt_val32\"\n"
"	.data\n"
"	.p2align 3\n"
"vm_key: .quad vt_val32, vm_name, 0, 8 | (4 << 8)\n"
"vm_vsites: .long vm_site - ., vm_key - . + 2, 0, 7 | (10 << 8)\n"
"	.p2align 3\n"
"vm_unit:\n"
"	.long 4, 0, 1, 0\n"
"	.quad 0, vm_key\n"
"	.long 1, 0\n"
"	.quad vm_vsites\n"
"	.section " SC_UNITS_SECTION ",\"aw\"\n"
"	.p2align 3\n"
"	.globl vm_unit_ptr\n"
"	.hidden vm_unit_ptr\n"
"vm_unit_ptr:\n"
"	.quad vm_unit\n"
"	.text\n");

HIDDEN extern unsigned char vm_site_start[];
HIDDEN extern const struct sc_unit *const vm_unit_ptr[];
HIDDEN extern const struct sc_unit *const __start___static_call_units[];
HIDDEN extern const struct sc_unit *const __stop___static_call_units[];

void __static_call_register_object (const struct sc_unit *const *,
				    const struct sc_unit *const *,
				    const struct sc_unit *const *);
void __static_call_unregister_object (const struct sc_unit *const *,
				      const struct sc_unit *const *,
				      const struct sc_unit *const *);

const unsigned char *
vm_site_addr (void)
{
  return vm_site_start;
}

__attribute__ ((constructor)) static void
vm_register (void)
{
  __static_call_register_object (__start___static_call_units,
				 __stop___static_call_units, vm_unit_ptr);
}

__attribute__ ((destructor)) static void
vm_unregister (void)
{
  __static_call_unregister_object (__start___static_call_units,
				   __stop___static_call_units, vm_unit_ptr);
}

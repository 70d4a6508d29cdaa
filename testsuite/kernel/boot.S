/* boot.S: from multiboot to 64-bit C, for the bootstrap processor and
   the application processors; the interrupt entry stubs; the
   breakpoint site of the workload.

   QEMU's -kernel loads a multiboot (v1) image in 32-bit protected mode
   with paging off.  Its ELF loader refuses 64-bit files, so the header
   gives the load addresses itself (the "a.out kludge", flag bit 16)
   and the image is a flat binary.  */

#include "layout.h"

#define MB_MAGIC 0x1badb002
#define MB_FLAGS 0x00010000	/* the address fields below are valid */

/* Turn on long mode: PAE, the page tables at CR3VAL (a 32-bit operand),
   EFER.LME, then paging.  The CPU is then in compatibility mode until a
   far jump loads a 64-bit code segment.  Clobbers eax, ecx, edx.  */
.macro ENABLE_LONG_MODE cr3val
	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	\cr3val, %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$EFER_LME, %eax
	wrmsr
	movl	%cr0, %eax
	orl	$(CR0_PG | CR0_PE), %eax
	movl	%eax, %cr0
.endm

/* The GDT's descriptors, for the kernel's table and the trampoline's.  */
.macro GDT_ENTRIES
	.quad	0			/* null */
	.quad	0x00af9a000000ffff	/* KERNEL_CS: 64-bit code */
	.quad	0x00cf92000000ffff	/* KERNEL_DS: flat data */
	.quad	0x00cf9a000000ffff	/* KERNEL_CS32: 32-bit code */
.endm

/* ---- the bootstrap processor ------------------------------------- */

	.section .multiboot, "a"
	.balign	4
mb_header:
	.long	MB_MAGIC
	.long	MB_FLAGS
	.long	-(MB_MAGIC + MB_FLAGS)
	.long	mb_header		/* header_addr (linked where loaded) */
	.long	__load_start		/* load_addr */
	.long	__load_end_phys		/* load_end_addr */
	.long	__bss_end_phys		/* bss_end_addr: QEMU zeroes the bss */
	.long	mb_entry		/* entry_addr */

	.section .boot, "ax"
	.code32
	.globl	mb_entry
mb_entry:
	cli
	/* kmain (mbi, magic): kept in edi and esi, which nothing below
	   writes, then zero-extended in 64-bit mode.  */
	movl	%ebx, %edi
	movl	%eax, %esi
	lgdt	PHYS(gdtr32)
	movw	$KERNEL_DS, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	ENABLE_LONG_MODE $PHYS(boot_pml4)
	ljmp	$KERNEL_CS, $1f
	.code64
	/* Still running at the physical address: go up to -2 GiB.  */
1:	movabsq	$bsp_entry64, %rax
	jmp	*%rax

	.text
bsp_entry64:
	lgdt	gdtr64(%rip)
	movw	$KERNEL_DS, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	xorl	%eax, %eax
	movw	%ax, %fs
	movw	%ax, %gs
	leaq	kern_stacks + STACK_SIZE(%rip), %rsp
	xorl	%ebp, %ebp
	movl	%edi, %edi
	movl	%esi, %esi
	call	kmain
2:	cli
	hlt
	jmp	2b

/* ---- the application processors ---------------------------------- */

/* The trampoline: copied to TRAMP_BASE, where each AP starts in real
   mode after the SIPI (CS = TRAMP_BASE >> 4, IP = 0).  It only reads
   memory, so every AP can run it at once.  TRAMP(x) is the address of
   its label x once copied.  */
#define TRAMP(x) (TRAMP_BASE + (x) - ap_tramp_start)

	.section .rodata, "a"
	.balign	16
	.globl	ap_tramp_start, ap_tramp_end
	.code16
ap_tramp_start:
	cli
	cld
	movw	%cs, %ax
	movw	%ax, %ds
	lgdtl	tramp_gdtr - ap_tramp_start
	movl	%cr0, %eax
	orl	$CR0_PE, %eax
	movl	%eax, %cr0
	ljmpl	$KERNEL_CS32, $TRAMP(tramp32)
	.code32
tramp32:
	movw	$KERNEL_DS, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	ENABLE_LONG_MODE TRAMP(tramp_cr3)
	ljmp	$KERNEL_CS, $TRAMP(tramp64)
	.code64
tramp64:
	movq	TRAMP(tramp_target), %rax
	jmp	*%rax

	.balign	8
tramp_gdt:
	GDT_ENTRIES
tramp_gdt_end:
tramp_gdtr:
	.word	tramp_gdt_end - tramp_gdt - 1
	.long	TRAMP(tramp_gdt)
	.balign	8
tramp_cr3:
	.long	PHYS(boot_pml4)
	.long	0
tramp_target:
	.quad	ap_entry64
ap_tramp_end:

	.text
/* Each AP takes the next CPU index, and that CPU's stack, then calls
   ap_main (index).  */
ap_entry64:
	lgdt	gdtr64(%rip)
	movw	$KERNEL_DS, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	xorl	%eax, %eax
	movw	%ax, %fs
	movw	%ax, %gs
	movl	$1, %eax
	lock xaddl %eax, kern_next_cpu(%rip)
	cmpl	$MAX_CPUS, %eax
	jae	3f			/* more CPUs than stacks: this one stays off */
	movl	%eax, %edi
	leal	1(%rax), %ecx
	shlq	$STACK_SHIFT, %rcx
	leaq	kern_stacks(%rip), %rsp
	addq	%rcx, %rsp
	xorl	%ebp, %ebp
	call	ap_main
3:	cli
	hlt
	jmp	3b

/* ---- interrupts ---------------------------------------------------- */

/* One 16-byte stub per vector, at isr_stubs + 16 * vector: push a zero
   where the CPU pushes no error code, push the vector, and go to
   isr_common.  #BP and #UD, the traps of the static call runtime, go
   to their own entries instead.  */
	.text
	.balign	16
	.globl	isr_stubs
isr_stubs:
	.set	vec, 0
	.rept	256
	.balign	16
	.if	vec == VEC_BP
	jmp	isr_bp
	.elseif	vec == VEC_UD
	jmp	isr_ud
	.else
	.if	!(vec == 8 || (vec >= 10 && vec <= 14) || vec == 17 || vec == 21 || vec == 29 || vec == 30)
	pushq	$0
	.endif
	pushq	$vec
	jmp	isr_common
	.endif
	.set	vec, vec + 1
	.endr

/* #BP and #UD (neither has an error code): push a zero one, then move
   the six-word frame TRAP_GAP bytes down, so that the handler finds at
   least TRAP_GAP free bytes below the interrupted stack pointer (the
   CPU's frame starts right below it, or 8 bytes lower when it aligned
   the stack).  The runtime's emulate path pushes a return address
   there.  The words are copied from the lowest up, as the copy
   overlaps the original; iretq takes the stack pointer from the frame,
   so nothing undoes the move.  */
#if TRAP_GAP % 16 != 0 || TRAP_GAP < 16
# error "TRAP_GAP must keep the frame's 16-byte alignment"
#endif
.macro TRAP_GAP_ENTRY vector
	pushq	$0
	subq	$TRAP_GAP, %rsp
	pushq	%rax
	.set	w, 0
	.rept	6
	movq	8+TRAP_GAP+8*w(%rsp), %rax
	movq	%rax, 8+8*w(%rsp)
	.set	w, w + 1
	.endr
	popq	%rax
	pushq	$\vector
	jmp	isr_common
.endm

isr_bp:
	TRAP_GAP_ENTRY VEC_BP
isr_ud:
	TRAP_GAP_ENTRY VEC_UD

/* Saves the general registers in the order of struct static_call_regs
   (Linux's pt_regs, <static_call_port.h>): the vector's word becomes
   the rdi slot, and the error code's is orig_rax.  Calls
   kern_interrupt (regs, vector); the C code may change any field of
   the frame.  No FPU or vector state: the kernel is built
   -mgeneral-regs-only.  */
isr_common:
	xchgq	%rdi, (%rsp)		/* rdi: the vector */
	pushq	%rsi
	pushq	%rdx
	pushq	%rcx
	pushq	%rax
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	cld
	movq	%rdi, %rsi
	movq	%rsp, %rdi
	call	kern_interrupt
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rax
	popq	%rcx
	popq	%rdx
	popq	%rsi
	popq	%rdi
	addq	$8, %rsp		/* the error code */
	iretq

/* ---- the workload's breakpoint site ------------------------------- */

/* unsigned long kern_bp_site (unsigned long x): five bytes where a
   call rel32 would be, the first an int3.  The #BP handler emulates
   the call (to the current target of the workload's pointer): it
   pushes the address after the five bytes and resumes at the target,
   which returns to the ret below.  */
	.text
	.globl	kern_bp_site, kern_bp_site_end
kern_bp_site:
	int3
	.byte	0x0f, 0x1f, 0x40, 0x00	/* 4-byte NOP */
kern_bp_site_end:
	ret

/* ---- data ---------------------------------------------------------- */

	.data
	.balign	8
gdt:
	GDT_ENTRIES
gdt_end:
	/* lgdt in 32-bit mode reads a 32-bit base: the physical one.  */
gdtr32:
	.word	gdt_end - gdt - 1
	.long	PHYS(gdt)
	.balign	8
	.word	0, 0, 0
gdtr64:
	.word	gdt_end - gdt - 1
	.quad	gdt

/* The page tables, static: the first 4 GiB one to one (PML4 slot 0),
   and -2 GiB onto physical 0 (slot 511, PDPT slots 510 and 511), all
   with 2 MiB pages; the last GiB, where the local APIC and other
   devices are, uncached.  */
	.balign	4096
boot_pml4:
	.quad	PHYS(boot_pdpt) + 0x3
	.fill	510, 8, 0
	.quad	PHYS(boot_pdpt_high) + 0x3
boot_pdpt:
	.quad	PHYS(boot_pd) + 0x3
	.quad	PHYS(boot_pd) + 0x1000 + 0x3
	.quad	PHYS(boot_pd) + 0x2000 + 0x3
	.quad	PHYS(boot_pd) + 0x3000 + 0x3
	.fill	508, 8, 0
boot_pdpt_high:
	.fill	510, 8, 0
	.quad	PHYS(boot_pd) + 0x3
	.quad	PHYS(boot_pd) + 0x1000 + 0x3
boot_pd:
	.set	pde, 0
	.rept	2048
	.if	pde < 1536
	.quad	(pde << 21) | 0x83	/* present, writable, 2 MiB */
	.else
	.quad	(pde << 21) | 0x9b	/* the same, cache disabled */
	.endif
	.set	pde, pde + 1
	.endr

	.globl	kern_next_cpu
kern_next_cpu:
	.long	1			/* the BSP is CPU 0 */

	.bss
	.balign	4096
	.globl	kern_stacks
kern_stacks:
	.skip	MAX_CPUS * STACK_SIZE

	.section .note.GNU-stack, "", @progbits

/* layout.h: the test kernel's constants, shared by boot.S and the C
   files (so: #defines only).  */

#ifndef KERN_LAYOUT_H
#define KERN_LAYOUT_H

/* The kernel runs at -2 GiB (what -mcmodel=kernel needs), mapped onto
   physical 0; it is loaded at 1 MiB.  The first 4 GiB are also mapped
   one to one: the boot code, the AP trampoline, the multiboot data and
   the local APIC are used there.  */
#ifdef __ASSEMBLER__
# define KERNEL_VBASE 0xffffffff80000000
#else
# define KERNEL_VBASE 0xffffffff80000000UL
#endif
#define KERNEL_PHYS 0x100000
#define PHYS(x) ((x) - KERNEL_VBASE)

/* The GDT: the same layout in the kernel's table and the trampoline's.  */
#define KERNEL_CS 0x08		/* 64-bit code */
#define KERNEL_DS 0x10		/* flat data */
#define KERNEL_CS32 0x18	/* 32-bit code, for the way up */

/* Application processors start in real mode at TRAMP_BASE (a page
   below 1 MiB; SIPI's vector is its page number).  */
#define TRAMP_BASE 0x8000

#define MAX_CPUS 16
#define STACK_SHIFT 14		/* 16 KiB per CPU */
#define STACK_SIZE (1 << STACK_SHIFT)

/* The #BP and #UD entries move the interrupt frame this many bytes
   down, so that a handler can push a return address on the
   interrupted stack (call emulation): in ring 0 the CPU pushes the
   frame right below the interrupted stack pointer.  A multiple of 16,
   as the frame's alignment must stay; STATIC_CALL_TRAP_GAP of
   <static_call_port.h> (port.c checks they agree).  */
#define TRAP_GAP 32

/* Interrupt vectors.  */
#define VEC_BP 3
#define VEC_UD 6
#define VEC_TIMER 0x20
#define VEC_PIC 0x30		/* the legacy PICs' 16, masked */
#define VEC_SYNC 0xf0
#define VEC_SPURIOUS 0xff

/* Control registers and MSRs the boot code sets.  */
#define CR0_PE 0x00000001
#define CR0_PG 0x80000000
#define CR4_PAE 0x00000020
#define MSR_EFER 0xc0000080
#define EFER_LME 0x00000100

#endif

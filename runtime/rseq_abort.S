/* staticcall runtime: the abort handler of the stub area's rseq critical
   section (stub_area.c).  Fixed code, never rewritten.

   The kernel jumps here when a thread inside a stub is preempted,
   migrated or signalled, or is fenced by membarrier RSEQ.  The trap
   handler left the interrupted %rsp in %r10 and the site in %r11: put
   the stack back as it was at the site (undoing the stub's push) and
   execute the site again.  The kernel checks that the four bytes
   before the abort handler are glibc's rseq signature.  */

	.text
	.p2align 4
	.long	0x53053053		/* RSEQ_SIG on x86 */
	.globl	__static_call_rseq_abort
	.hidden	__static_call_rseq_abort
	.type	__static_call_rseq_abort, @function
__static_call_rseq_abort:
	lock incq __static_call_rseq_abort_count(%rip)
	movq	%r10, %rsp
	jmp	*%r11
	.size	__static_call_rseq_abort, .-__static_call_rseq_abort

	/* The count of aborts, the handler's own: static_call_get_stats
	   reports it as rseq_aborts.  */
	.bss
	.p2align 3
	.globl	__static_call_rseq_abort_count
	.hidden	__static_call_rseq_abort_count
	.type	__static_call_rseq_abort_count, @object
	.size	__static_call_rseq_abort_count, 8
__static_call_rseq_abort_count:
	.zero	8

	.section .note.GNU-stack,"",@progbits

/* The few x86-64 instructions a static call site is made of, decoded
   and encoded once for everything that reads sites back on its own:
   staticcall-sites (from a file), the tests and the benchmarks (from
   memory), each checking the bytes independently of the runtime's
   bookkeeping.

   It includes nothing, so that any of them can include it first or
   last: addresses are unsigned long (x86-64 is LP64), and the 32-bit
   fields are read byte by byte, little-endian, as the processor reads
   them.  */

#ifndef SC_X86_INSN_H
#define SC_X86_INSN_H

/* call rel32 and jmp rel32: the opcode, then the target's distance
   from the end of the 5-byte instruction.  */
#define SC_X86_CALL_REL32 0xe8
#define SC_X86_JMP_REL32 0xe9
#define SC_X86_REL32_LEN 5

/* jmp *disp32(%rip): ff 25, then the distance of the 8-byte word that
   holds the target from the end of the 6-byte instruction (a near
   slot's code).  */
#define SC_X86_JMP_RIP_LEN 6

/* The signed little-endian 32-bit field at P.  */
static inline long
sc_x86_s32 (const unsigned char *p)
{
  unsigned long u = (unsigned long) p[0] | (unsigned long) p[1] << 8
		    | (unsigned long) p[2] << 16 | (unsigned long) p[3] << 24;
  return (long) (u ^ 0x80000000ul) - 0x80000000l;
}

/* Whether INSN starts a call rel32, a jmp rel32, either of them.  */
static inline int
sc_x86_is_call_rel32 (const unsigned char *insn)
{
  return insn[0] == SC_X86_CALL_REL32;
}

static inline int
sc_x86_is_jmp_rel32 (const unsigned char *insn)
{
  return insn[0] == SC_X86_JMP_REL32;
}

static inline int
sc_x86_is_rel32 (const unsigned char *insn)
{
  return sc_x86_is_call_rel32 (insn) || sc_x86_is_jmp_rel32 (insn);
}

/* Where the call or jmp rel32 whose bytes are INSN goes when it sits
   at address ADDR (in a file image the two differ).  */
static inline unsigned long
sc_x86_rel32_target (unsigned long addr, const unsigned char *insn)
{
  return addr + SC_X86_REL32_LEN + sc_x86_s32 (insn + 1);
}

/* Where the call or jmp rel32 at INSN in memory goes, or 0 when INSN
   is neither; *TAIL, unless TAIL is 0, says whether it is a jmp.  */
static inline const void *
sc_x86_rel32_dest (const void *insn, int *tail)
{
  const unsigned char *p = insn;
  if (!sc_x86_is_rel32 (p))
    return 0;
  if (tail)
    *tail = sc_x86_is_jmp_rel32 (p);
  return (const void *) sc_x86_rel32_target ((unsigned long) p, p);
}

/* Whether a 5-byte call or jmp rel32 at address SITE reaches
   TARGET.  */
static inline int
sc_x86_rel32_reaches (unsigned long site, unsigned long target)
{
  long d = (long) (target - (site + SC_X86_REL32_LEN));
  return d >= -0x80000000l && d <= 0x7fffffffl;
}

/* Write into BUF the 5 bytes of the call or jmp rel32 OPCODE that, at
   address ADDR, goes to TARGET (which it must reach).  */
static inline void
sc_x86_rel32_encode (unsigned char *buf, unsigned char opcode,
		     unsigned long addr, unsigned long target)
{
  unsigned long rel = target - (addr + SC_X86_REL32_LEN);
  buf[0] = opcode;
  for (int i = 0; i < 4; i++)
    buf[1 + i] = (unsigned char) (rel >> 8 * i);
}

/* Whether INSN starts a jmp *disp32(%rip), and the address of the word
   it jumps through when it sits at ADDR.  */
static inline int
sc_x86_is_jmp_rip (const unsigned char *insn)
{
  return insn[0] == 0xff && insn[1] == 0x25;
}

static inline unsigned long
sc_x86_jmp_rip_slot (unsigned long addr, const unsigned char *insn)
{
  return addr + SC_X86_JMP_RIP_LEN + sc_x86_s32 (insn + 2);
}

/* The other 5 bytes a site may hold: a conditional site of a NULL
   pointer, nopl 0(%rax,%rax,1) (0f 1f 44 00 00), or for a guarded
   sibling call ret (c3, then int3s); a call of static_call_return0,
   cs cs cs xor %eax, %eax (2e 2e 2e 31 c0), which clears %rax.  */
static inline int
sc_x86_is_nop5 (const unsigned char *insn)
{
  return insn[0] == 0x0f && insn[1] == 0x1f && insn[2] == 0x44
	 && insn[3] == 0 && insn[4] == 0;
}

static inline int
sc_x86_is_ret5 (const unsigned char *insn)
{
  return insn[0] == 0xc3 && insn[1] == 0xcc && insn[2] == 0xcc
	 && insn[3] == 0xcc && insn[4] == 0xcc;
}

static inline int
sc_x86_is_zero_rax5 (const unsigned char *insn)
{
  return insn[0] == 0x2e && insn[1] == 0x2e && insn[2] == 0x2e
	 && insn[3] == 0x31 && insn[4] == 0xc0;
}

#endif

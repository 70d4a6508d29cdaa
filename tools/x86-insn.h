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

/* Value sites (static keys and immediate values, runtime/unit-abi.h).
   A branch site is a jmp rel32 or the 5-byte NOP above.  An immediate
   site is one instruction of a fixed length (at most 15 bytes) that
   sets a register, padded in front with 0x2e (CS) prefixes, which the
   processor ignores there: as compiled, a load of the variable,
   [2e...] [REX] 8b /r (movl, movq), [REX] 0f b6 /r (movzbl) or
   [REX] 0f b7 /r (movzwl) from disp32(%rip); patched, a move of an
   immediate, [41] b8+r imm32 (movl), 48|49 c7 c0+r simm32 (movq) or
   48|49 b8+r imm64 (movabsq).  */
#define SC_X86_PREFIX_CS 0x2e
#define SC_X86_MAX_INSN 15

/* The bytes of INSN[0..LEN) after its 0x2e prefixes.  */
static inline unsigned
sc_x86_cs_prefixes (const unsigned char *insn, unsigned len)
{
  unsigned i = 0;
  while (i < len && insn[i] == SC_X86_PREFIX_CS)
    i++;
  return i;
}

/* Whether INSN[0..LEN) is exactly one load of a register, as above,
   from any memory operand with a 4-byte displacement or none needed:
   disp32(%rip); disp32(base[,index,scale]) (the plugin forces disp32
   with {disp32}); (base) for a base other than %rbp/%r13, or disp32
   alone through a SIB byte.  Sets *REG to the register's number and
   *WIDE to whether it is a 64-bit load; *RIP to whether the operand
   is rip-relative, and then *TARGET to the address loaded from when
   the instruction sits at ADDR.  */
static inline int
sc_x86_decode_load (const unsigned char *insn, unsigned len,
		    unsigned long addr, unsigned *reg, int *wide, int *rip,
		    unsigned long *target)
{
  unsigned i = sc_x86_cs_prefixes (insn, len);
  unsigned rex = 0;
  if (i < len && (insn[i] & 0xf0) == 0x40)
    rex = insn[i++];
  if (i < len && insn[i] == 0x8b)
    i++;
  else if (i + 1 < len && insn[i] == 0x0f
	   && (insn[i + 1] == 0xb6 || insn[i + 1] == 0xb7) && !(rex & 8))
    i += 2;
  else
    return 0;
  if (i >= len)
    return 0;
  unsigned modrm = insn[i++];
  unsigned mod = modrm >> 6, rm = modrm & 7;
  unsigned disp = 0;
  *rip = 0;
  if (mod == 3)
    return 0;
  if (rm == 4)
    {
      /* SIB: with mod 00 and base 101, disp32 and no base.  */
      if (i >= len)
	return 0;
      unsigned sib = insn[i++];
      if (mod == 0 && (sib & 7) == 5)
	disp = 4;
    }
  else if (mod == 0 && rm == 5)
    {
      /* No REX.X or REX.B: rip-relative addressing has no index or
	 base.  */
      if (rex & 3)
	return 0;
      *rip = 1;
      disp = 4;
    }
  if (mod == 1)
    disp = 1;
  else if (mod == 2)
    disp = 4;
  if (i + disp != len)
    return 0;
  *reg = ((modrm >> 3) & 7) | (rex & 4 ? 8 : 0);
  *wide = (rex & 8) != 0;
  if (*rip)
    *target = addr + len + sc_x86_s32 (insn + i);
  return 1;
}

/* Whether INSN[0..LEN) is exactly one load of a register from
   disp32(%rip), as above; *TARGET is the address it loads from.  */
static inline int
sc_x86_decode_rip_load (const unsigned char *insn, unsigned len,
			unsigned long addr, unsigned *reg, int *wide,
			unsigned long *target)
{
  int rip;
  return sc_x86_decode_load (insn, len, addr, reg, wide, &rip, target)
	 && rip;
}

/* Write into BUF[0..LEN) the move of VALUE into register REG (all 64
   bits when WIDE, else the low 32, zero-extended), padded in front
   with 0x2e prefixes.  Returns 0 when the shortest form does not fit
   in LEN bytes.  */
static inline int
sc_x86_encode_mov_imm (unsigned char *buf, unsigned len, unsigned reg,
		       int wide, unsigned long value)
{
  unsigned char insn[10];
  unsigned n = 0, imm = 4;
  if (!wide)
    {
      if (reg & 8)
	insn[n++] = 0x41;
      insn[n++] = (unsigned char) (0xb8 + (reg & 7));
      value &= 0xffffffffu;
    }
  else
    {
      insn[n++] = (unsigned char) (0x48 | (reg & 8 ? 1 : 0));
      if ((long) value == (long) (int) (unsigned) value)
	{
	  insn[n++] = 0xc7;
	  insn[n++] = (unsigned char) (0xc0 + (reg & 7));
	}
      else
	{
	  insn[n++] = (unsigned char) (0xb8 + (reg & 7));
	  imm = 8;
	}
    }
  for (unsigned i = 0; i < imm; i++)
    insn[n++] = (unsigned char) (value >> 8 * i);
  if (n > len || len > SC_X86_MAX_INSN)
    return 0;
  for (unsigned i = 0; i < len - n; i++)
    buf[i] = SC_X86_PREFIX_CS;
  for (unsigned i = 0; i < n; i++)
    buf[len - n + i] = insn[i];
  return 1;
}

/* Whether INSN[0..LEN) is a move of an immediate into a register, one
   of the forms sc_x86_encode_mov_imm writes: sets *REG, *WIDE and
   *VALUE (what the register holds after it).  */
static inline int
sc_x86_decode_mov_imm (const unsigned char *insn, unsigned len,
		       unsigned *reg, int *wide, unsigned long *value)
{
  unsigned i = sc_x86_cs_prefixes (insn, len);
  unsigned rex = 0;
  if (i < len && (insn[i] & 0xf0) == 0x40)
    rex = insn[i++];
  if (rex & 6)
    return 0;
  unsigned imm;
  if (i < len && (insn[i] & 0xf8) == 0xb8)
    {
      *reg = (insn[i++] & 7) | (rex & 1 ? 8 : 0);
      imm = rex & 8 ? 8 : 4;
    }
  else if (i + 1 < len && (rex & 8) && insn[i] == 0xc7
	   && (insn[i + 1] & 0xf8) == 0xc0)
    {
      *reg = (insn[i + 1] & 7) | (rex & 1 ? 8 : 0);
      i += 2;
      imm = 4;
    }
  else
    return 0;
  if (i + imm != len)
    return 0;
  unsigned long v = 0;
  for (unsigned k = 0; k < imm; k++)
    v |= (unsigned long) insn[i + k] << 8 * k;
  if (imm == 4 && (rex & 8))
    v = (unsigned long) sc_x86_s32 (insn + i);
  *wide = (rex & 8) != 0;
  *value = v;
  return 1;
}

#endif

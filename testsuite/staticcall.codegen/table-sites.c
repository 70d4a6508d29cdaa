/* Calls through the function-pointer members of an annotated struct,
   nested ones too, are direct calls of one trampoline per member, named
   after KEY.member and the table, which jumps through the member at
   the table's address plus its offset.  A call through an array of
   function pointers in the table stays an indirect call, in a function
   of its own here.  The key records name the member's address.  */
/* { dg-do link } */
#include <static_call.h>

static int one (int x) { return x + 1; }

struct alloc
{
  int (*xMalloc) (int);
  long hint;
  int (*xFree) (int);
};

struct ops
{
  int version;
  int (*crc) (int);
  struct alloc m;
  int (*arr[2]) (int);
};

struct ops table STATIC_CALL (tk) = { 1, one, { one, 0, one }, { one, one } };

int __attribute__ ((noinline))
through_array (int i)
{
  return table.arr[i & 1] (i);
}

int
main (void)
{
  int r = table.crc (1) + table.m.xMalloc (2) + table.m.xFree (3);
  r += table.crc (4);
  return r + through_array (0) == 14 + 1 ? 0 : 1;
}

/* { dg-final { sites-ok 4 } } */
/* { dg-final { scan-assembler-times "call\t__static_call_tramp_tk\\.crc\\.table\n" 2 } } */
/* { dg-final { scan-assembler "call\t__static_call_tramp_tk\\.m\\.xMalloc\\.table\n" } } */
/* { dg-final { scan-assembler "call\t__static_call_tramp_tk\\.m\\.xFree\\.table\n" } } */
/* { dg-final { scan-assembler "__static_call_tramp_tk\\.crc\\.table:\n(\t\\.cfi_startproc\n)?\t(jmp\t\\*table\\+8\\(%rip\\)|movq\ttable@GOTPCREL\\(%rip\\), %r11\n\tjmp\t\\*8\\(%r11\\))" } } */
/* { dg-final { scan-assembler "__static_call_tramp_tk\\.m\\.xFree\\.table:\n(\t\\.cfi_startproc\n)?\t(jmp\t\\*table\\+32\\(%rip\\)|movq\ttable@GOTPCREL\\(%rip\\), %r11\n\tjmp\t\\*32\\(%r11\\))" } } */
/* { dg-final { scan-assembler "\t\\.quad\ttable\\+16\n\t\\.quad\t\\.LSCN" } } */
/* { dg-final { scan-assembler "\t\\.string\t\"tk\\.m\\.xMalloc\"" } } */
/* { dg-final { scan-disasm-not main "call +\\*" } } */
/* { dg-final { scan-disasm through_array "(call|jmp) +\\*" } } */
/* { dg-final { scan-assembler "\\.LSC_unit:\n\t\\.long\t2, " } } */

/* staticcall freestanding runtime: what the kernel calls,
   static_call_init from its start-up and static_call_trap from its
   #BP (or #UD) handler (<static_call_port.h>).  */

#include "config.h"

#include "fs.h"

#define REG(name) (offsetof (struct static_call_regs, name) / 8)

/* The view of a struct static_call_regs (Linux's pt_regs layout).  */
static const uint8_t regs_index[SC_REG_COUNT] = {
  REG (rax), REG (rcx), REG (rdx), REG (rbx), REG (rsp), REG (rbp),
  REG (rsi), REG (rdi), REG (r8), REG (r9), REG (r10), REG (r11),
  REG (r12), REG (r13), REG (r14), REG (r15),
  [SC_REG_RIP] = REG (rip), [SC_REG_FLAGS] = REG (rflags)
};

int
static_call_init (const struct static_call_config *c)
{
  if (!c || c->ncpus == 0)
    {
      sc_warn ("static_call_init: no configuration, or no CPU");
      return -SC_EINVAL;
    }
  sc_fs_configure (c);
  if (c->path == STATIC_CALL_PATH_STI_STUB && sc_fs_stubs_init (c->ncpus))
    sc_trap_set_path (SC_BP_TRAMPOLINE);
  sc_fs_ready = true;
  return 0;
}

int
static_call_trap (struct static_call_regs *regs, uintptr_t addr)
{
  struct sc_regs view = { .r = (uint64_t *) regs, .index = regs_index,
			  .ctx = regs };
  return sc_trap_hit (&view, (unsigned char *) addr);
}

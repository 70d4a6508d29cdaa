# libstaticcall-gdb.py: GDB support for the staticcall runtime.
#
# Installed as $(datadir)/gdb/auto-load$(libdir)/libstaticcall.so.V-gdb.py
# (V: the library's full version), where GDB loads it by itself when
# the program loads libstaticcall.  By hand:
#   (gdb) source /path/to/libstaticcall-gdb.py
#
# 1. The runtime's own breakpoints are invisible.  While an update
#    patches sites, each holds an int3 for a few microseconds; a thread
#    that runs one gets SIGTRAP, and the runtime's handler completes its
#    call.  GDB would stop there ("received signal SIGTRAP").  This
#    script adds a catchpoint for SIGTRAP whose condition lets GDB's
#    own traps through, and whose commands tell the runtime's traps
#    from others by reading the runtime's state (__static_call_debug,
#    runtime/introspect.c) once every thread is stopped: a trap at a
#    site of the published or the stuck batch is resumed at once with
#    the signal delivered, one at a registered site whose int3 is gone
#    already is resumed at the site, both silently.  GDB's own
#    breakpoints, single steps and any other SIGTRAP stop as usual.
# 2. `info static-calls [KEY]' lists the keys, their current targets
#    and every site with its state, read from the live process.
#
# The process is read, never written, but for the program counter of
# a thread resumed through the runtime's handler (see after_trap).

import gdb

if __name__ == "__main__":
    # GDB runs a script in its __main__, where the user's own Python
    # lives too: what this one defines there is undone at the end, and
    # it runs again as a module of its own, once per session.
    _staticcall_main = dict(globals())

SIGTRAP = 5
SI_KERNEL = 0x80
INT3 = 0xCC

DEBUG_SYMBOL = "__static_call_debug"
DEBUG_VERSION = 1

# struct sc_debug (runtime/introspect.c), version 1: two uint32, four
# pointers, then uint16 offsets in this order.
OFFSET_FIELDS = (
    "batch_p batch_n patch_size patch_addr patch_site patch_foreign "
    "unit_sites unit_nsites unit_slots unit_next "
    "site_size site_addr site_key site_tramp site_dest site_test site_kind "
    "site_cls site_state site_len site_cur site_orig "
    "key_var key_name key_kind key_size key_signed key_deref key_offset "
    "batch_patcher"
).split()

# Values of the runtime's enums (runtime/internal.h, unit-abi.h).
SITE_REFUSED = 1
CLASS_CALL, CLASS_BRANCH, CLASS_BRANCH_INV, CLASS_IMM = range(4)
KEY_POINTER, KEY_BRANCH, KEY_IMM = range(3)
SITE_KIND_TAIL = 1
SITE_KIND_COND = 2
SITE_MAX_LEN = 15
NOP5 = bytes((0x0F, 0x1F, 0x44, 0x00, 0x00))
RET5 = bytes((0xC3, 0xCC, 0xCC, 0xCC, 0xCC))
ZERO5 = bytes((0x2E, 0x2E, 0x2E, 0x31, 0xC0))


def _u(data, off, size):
    return int.from_bytes(bytes(data[off:off + size]), "little")


def _s32(data, off):
    return int.from_bytes(bytes(data[off:off + 4]), "little", signed=True)


class Process(object):
    """The runtime's state in the selected inferior, read through
    __static_call_debug."""

    def __init__(self, inferior, desc_addr):
        self.inf = inferior
        head = self.read(desc_addr, 48)
        self.version = _u(head, 0, 4)
        if self.version != DEBUG_VERSION:
            raise gdb.GdbError(
                "libstaticcall: %s version %d, this script knows %d"
                % (DEBUG_SYMBOL, self.version, DEBUG_VERSION))
        size = _u(head, 4, 4)
        data = self.read(desc_addr, size)
        self.active = _u(data, 8, 8)
        self.stuck = _u(data, 16, 8)
        self.units = _u(data, 24, 8)
        slot_area = _u(data, 32, 8)
        self.off = {}
        for i, name in enumerate(OFFSET_FIELDS):
            # A field the library's descriptor does not have yet.
            if 40 + 2 * i + 2 <= size:
                self.off[name] = _u(data, 40 + 2 * i, 2)
        sa = self.read(slot_area, 6)
        self.slot_rx, self.slot_page, self.slot_used = (
            _u(sa, 0, 2), _u(sa, 2, 2), _u(sa, 4, 2))

    def read(self, addr, n):
        return bytes(self.inf.read_memory(addr, n))

    def ptr(self, addr):
        return _u(self.read(addr, 8), 0, 8)

    def string(self, addr, limit=256):
        if not addr:
            return "?"
        out = b""
        while len(out) < limit:
            chunk = self.read(addr + len(out), 32)
            i = chunk.find(b"\0")
            if i >= 0:
                return (out + chunk[:i]).decode("utf-8", "replace")
            out += chunk
        return out.decode("utf-8", "replace")

    # The handler's view: is there a patch of batch B for SITE that the
    # runtime's own int3 guards?  (runtime/trap.c, our_patch.)
    def batch_has(self, batch_var, site):
        b = self.ptr(batch_var)
        if not b:
            return False
        o = self.off
        bd = self.read(b, max(o["batch_p"], o["batch_n"]) + 8)
        p, n = _u(bd, o["batch_p"], 8), _u(bd, o["batch_n"], 8)
        lo, hi = 0, n
        while lo < hi:
            mid = (lo + hi) // 2
            rec = p + mid * o["patch_size"]
            addr = self.ptr(rec + o["patch_addr"])
            if addr < site:
                lo = mid + 1
            elif addr > site:
                hi = mid
            else:
                return self.read(rec + o["patch_foreign"], 1)[0] == 0
        return False

    def patcher(self):
        """Thread id of the published batch's patching thread, 0 when
        there is none (or the library does not say)."""
        b = self.ptr(self.active)
        if not b or "batch_patcher" not in self.off:
            return 0
        return _u(self.read(b + self.off["batch_patcher"], 4), 0, 4)

    def in_stuck(self, site):
        return self.batch_has(self.stuck, site)

    def in_batch(self, site):
        return self.batch_has(self.active, site) or self.batch_has(
            self.stuck, site)

    def unit_list(self):
        u = self.ptr(self.units)
        seen = 0
        while u and seen < 1000000:
            yield u
            u = self.ptr(u + self.off["unit_next"])
            seen += 1

    def unit_sites(self, u):
        o = self.off
        sites = self.ptr(u + o["unit_sites"])
        n = self.ptr(u + o["unit_nsites"])
        if not sites or not n:
            return
        data = self.read(sites, n * o["site_size"])
        for i in range(n):
            yield sites + i * o["site_size"], data[
                i * o["site_size"]:(i + 1) * o["site_size"]]

    def is_site(self, addr):
        """Whether ADDR is a registered site.  The set is read again
        when the list of units, or the size of one, has changed."""
        o = self.off
        shape = tuple((u, self.ptr(u + o["unit_sites"]),
                       self.ptr(u + o["unit_nsites"]))
                      for u in self.unit_list())
        cached = _site_sets.get(self.inf.pid)
        if cached is None or cached[0] != shape:
            sites = set()
            for u in self.unit_list():
                for _, st in self.unit_sites(u):
                    if _u(st, o["site_key"], 8):
                        sites.add(_u(st, o["site_addr"], 8))
            cached = _site_sets[self.inf.pid] = (shape, sites)
        return addr in cached[1]


_site_sets = {}


def process():
    """The runtime of the selected inferior, or None when it has not
    loaded libstaticcall."""
    inf = gdb.selected_inferior()
    if inf is None or inf.pid == 0:
        return None
    try:
        addr = int(gdb.parse_and_eval("(char *) &'%s'" % DEBUG_SYMBOL))
    except gdb.error:
        return None
    return Process(inf, addr)


def raw_byte(pid, addr):
    """The byte at ADDR as it is in the process, with any breakpoint
    GDB inserted (GDB's own reads show what its breakpoints hide)."""
    try:
        with open("/proc/%d/mem" % pid, "rb", buffering=0) as f:
            f.seek(addr)
            b = f.read(1)
            return b[0] if b else None
    except (OSError, ValueError, OverflowError):
        return None


def gdb_breakpoint_at(addr):
    for bp in gdb.breakpoints():
        if not bp.enabled:
            continue
        for loc in getattr(bp, "locations", ()):
            if loc.enabled and loc.address == addr:
                return True
    return False


def classify():
    """What the SIGTRAP the selected thread stopped with is, with every
    thread stopped: ("runtime", SITE) for an int3 of the runtime's
    batch at SITE, ("rerun", SITE) for a registered site to run again,
    ("foreign", ADDR) for someone else's, (None, 0) for GDB's own."""
    try:
        si = gdb.parse_and_eval("$_siginfo")
        signo, code = int(si["si_signo"]), int(si["si_code"])
    except gdb.error:
        return None, 0
    if signo != SIGTRAP:
        return None, 0
    if code != SI_KERNEL:
        # Sent by a process (kill, tgkill, sigqueue): nobody's
        # breakpoint.  A single step or a hardware breakpoint is GDB's.
        return ("foreign" if code <= 0 else None), 0
    pc = int(gdb.parse_and_eval("$pc"))
    proc = process()
    inf = gdb.selected_inferior()
    # What GDB read of the code while other threads still ran (the
    # condition, its own checks) may be stale: the patcher may have
    # written since.
    try:
        gdb.execute("maintenance flush dcache", to_string=True)
    except gdb.error:
        pass
    # GDB backs the program counter up to the int3 when a catchpoint
    # explains the trap; without one it is past the int3.
    for site in (pc, pc - 1):
        if proc is not None and proc.in_batch(site):
            if gdb_breakpoint_at(site):
                return None, 0
            return "runtime", site
    for site in (pc, pc - 1):
        if bytes(inf.read_memory(site, 1))[0] == INT3 and (
                proc is None or not proc.is_site(site)):
            if site != pc and gdb_breakpoint_at(pc):
                return None, 0
            return "foreign", site
    if proc is None or gdb_breakpoint_at(pc):
        return None, 0
    # A trap at a registered site that no batch knows now: the batch
    # that wrote its int3 is over (the handler calls this "stale"), or
    # its int3 is one of a batch being written.  Either way the thread
    # only has to run the site again (a new int3 traps again, and is
    # then in the published batch).  Not GDB's: its own breakpoint
    # there would be an int3 in the process that GDB's reads hide.
    for site in (pc, pc - 1):
        raw = raw_byte(inf.pid, site)
        if raw is None or not proc.is_site(site):
            continue
        if raw == INT3 and bytes(inf.read_memory(site, 1))[0] != INT3:
            return None, 0
        return "rerun", site
    return None, 0


_restarts = getattr(gdb, "_staticcall_restarts", {})
gdb._staticcall_restarts = _restarts
RESTART_LIMIT = 100000


def restart_at_site(pc):
    """Whether a thread that trapped at PC is to run the site again, with
    no stop and no output.  GDB has put its program counter back on the
    int3, at the site, as it does for any breakpoint trap; a false
    condition resumes it there, where it traps again until the batch
    has written the site's last byte, and then runs the new instruction
    (what the runtime's handler would have done in its place; the other
    threads, the patching one among them, keep running meanwhile).  Not
    for the patching thread itself (it must finish its own batch: the
    handler's self-hit path), nor at a site of the stuck batch, whose
    int3 stays (the handler emulates it): those get the signal, through
    after_trap.  Bounded: a thread that keeps trapping at one site gets
    the signal too."""
    proc = process()
    if proc is None or not proc.is_site(pc) or proc.in_stuck(pc):
        return False
    thread = gdb.selected_thread()
    if thread is None or proc.patcher() == thread.ptid[1]:
        return False
    # Restarts under one batch (the published batch's address tells
    # them apart).
    key = (thread.ptid, pc)
    batch = proc.ptr(proc.active)
    last, n = _restarts.get(key, (None, 0))
    n = n + 1 if last == batch else 1
    if n > RESTART_LIMIT:
        _restarts.pop(key, None)
        return False
    _restarts[key] = (batch, n)
    total = gdb.convenience_variable("_staticcall_restarts") or 0
    gdb.set_convenience_variable("_staticcall_restarts", int(total) + 1)
    return True


def may_be_ours_or_foreign():
    """The catchpoint's condition: whether the SIGTRAP the selected
    thread stopped with may be the runtime's or someone else's, not
    GDB's own (a single step, a breakpoint).  GDB evaluates it while
    the other threads still run (a false condition resumes the thread
    alone), so what it reads of the runtime may be changing: it only
    filters, and after_trap decides once every thread is stopped."""
    try:
        si = gdb.parse_and_eval("$_siginfo")
        signo, code = int(si["si_signo"]), int(si["si_code"])
        if signo != SIGTRAP:
            return False
        if code != SI_KERNEL:
            return code <= 0
        pc = int(gdb.parse_and_eval("$pc"))
        gdb.execute("maintenance flush dcache", to_string=True)
        inf = gdb.selected_inferior()
        if restart_at_site(pc):
            return False
        for site in (pc, pc - 1):
            if bytes(inf.read_memory(site, 1))[0] == INT3:
                return True
        # An int3 in the process that GDB's reads hide is a breakpoint
        # of GDB's at the program counter: one of the user's, or one of
        # its own (`next' and `finish' set one at a return address, which
        # may be a site).
        if raw_byte(inf.pid, pc) == INT3:
            return False
        proc = process()
        return proc is not None and (proc.is_site(pc)
                                     or proc.is_site(pc - 1))
    except (gdb.error, gdb.MemoryError, RuntimeError):
        # Something half-written: decide with every thread stopped.
        return True


class TrapCondition(gdb.Function):
    """$_staticcall_trap (): the condition of the SIGTRAP catchpoint of
    libstaticcall-gdb.py: 1 when the trap may not be GDB's own."""

    def __init__(self):
        super(TrapCondition, self).__init__("_staticcall_trap")

    def invoke(self):
        return 1 if may_be_ours_or_foreign() else 0


def after_trap():
    """The catchpoint's command: put the thread's program counter back
    past the int3, where the kernel left it and where the runtime's
    handler (or the program, for a foreign int3) expects it; set
    $_staticcall_resume to 1 for a trap of the runtime's, else report
    the stop as GDB would have without the catchpoint."""
    thread = gdb.selected_thread()
    try:
        gdb.execute("maintenance flush dcache", to_string=True)
        kind, site = classify()
    except (gdb.error, gdb.MemoryError, RuntimeError) as e:
        gdb.write("libstaticcall: cannot read the runtime's state (%s)\n"
                  % e)
        kind, site = "foreign", 0
    pc = int(gdb.parse_and_eval("$pc"))
    # Bounded: a registered site that keeps trapping with no batch
    # knowing it (an int3 the runtime no longer tracks) is reported.
    key = (thread.ptid, site)
    if kind == "rerun":
        _reruns[key] = _reruns.get(key, 0) + 1
        if _reruns[key] > 10000:
            kind = "foreign"
    else:
        _reruns.pop(key, None)
    resume = {"runtime": 1, "rerun": 2}.get(kind, 0)
    # The runtime's handler expects the thread just past the int3, as
    # the kernel left it (and so does the program, for a foreign one);
    # a site run again starts at the site.
    want = site if kind == "rerun" else site + 1
    if site and pc in (site, site + 1) and pc != want:
        gdb.execute("set var $pc = %#x" % want, to_string=True)
    gdb.set_convenience_variable("_staticcall_resume", resume)
    # (None: GDB's own breakpoint at a site, which GDB reported.)
    if kind == "foreign":
        name = thread.name or ""
        gdb.write("\nThread %s%s received signal SIGTRAP, "
                  "Trace/breakpoint trap.\n"
                  % (thread.num, ' "%s"' % name if name else ""))
        gdb.execute("frame", to_string=False)


_reruns = getattr(gdb, "_staticcall_reruns", {})
gdb._staticcall_reruns = _reruns


class AfterTrap(gdb.Command):
    """Internal to libstaticcall-gdb.py: run by its SIGTRAP catchpoint."""

    def __init__(self):
        super(AfterTrap, self).__init__("staticcall-after-trap",
                                        gdb.COMMAND_NONE)

    def invoke(self, arg, from_tty):
        after_trap()


CATCH_COMMANDS = """silent
staticcall-after-trap
if $_staticcall_resume == 1
signal SIGTRAP
else
if $_staticcall_resume == 2
continue
end
end"""

_catch = getattr(gdb, "_staticcall_catch", [None])
gdb._staticcall_catch = _catch


def ensure_catchpoint():
    bp = _catch[0]
    if bp is not None and bp.is_valid():
        return
    gdb.execute("catch signal SIGTRAP", to_string=True)
    bp = gdb.breakpoints()[-1]
    bp.condition = "$_staticcall_trap ()"
    bp.commands = CATCH_COMMANDS
    _catch[0] = bp


def on_breakpoint_deleted(bp):
    if _catch[0] is not None and bp.number == _catch[0].number:
        _catch[0] = None


def on_resume(event):
    # `delete' removes every breakpoint, ours too: it is made again at
    # the next prompt, or when the program resumes (not at once, in the
    # middle of the deletion).
    if _catch[0] is None and _loaded_in_some_process():
        ensure_catchpoint()


def _loaded_in_some_process():
    try:
        gdb.parse_and_eval("(char *) &'%s'" % DEBUG_SYMBOL)
        return True
    except gdb.error:
        return False


# --- info static-calls ---------------------------------------------------

def symbolize(addr):
    if not addr:
        return "NULL"
    try:
        block = gdb.block_for_pc(addr)
    except RuntimeError:
        block = None
    fn = block.function if block is not None else None
    if fn is not None and block.start == addr:
        return "%s (%#x)" % (fn.print_name, addr)
    out = gdb.execute("info symbol %#x" % addr, to_string=True).strip()
    if out.startswith("No symbol"):
        return "%#x" % addr
    return "%s (%#x)" % (out.split(" in section")[0], addr)


def location(addr):
    sal = gdb.find_pc_line(addr)
    if sal.symtab is None:
        return ""
    return "%s:%d" % (sal.symtab.filename, sal.line)


def decode_mov_imm(insn):
    """The register and value of a `mov $imm, %reg' (x86-insn.h's
    sc_x86_decode_mov_imm), or None."""
    i = 0
    while i < len(insn) and insn[i] == 0x2E:
        i += 1
    rex = 0
    if i < len(insn) and insn[i] & 0xF0 == 0x40:
        rex = insn[i]
        i += 1
    if i < len(insn) and insn[i] & 0xF8 == 0xB8:
        i += 1
        size = 8 if rex & 8 else 4
    elif i + 1 < len(insn) and rex & 8 and insn[i] == 0xC7:
        i += 2
        size = 4
    else:
        return None
    if i + size != len(insn):
        return None
    return int.from_bytes(bytes(insn[i:i + size]), "little",
                          signed=(size == 4 and bool(rex & 8)))


class Key(object):
    def __init__(self, proc, addr):
        o = proc.off
        d = proc.read(addr, max(o[f] for f in OFFSET_FIELDS
                                if f.startswith("key_")) + 8)
        self.addr = addr
        self.var = _u(d, o["key_var"], 8)
        self.name = proc.string(_u(d, o["key_name"], 8))
        self.kind = d[o["key_kind"]]
        self.size = d[o["key_size"]]
        self.signed = bool(d[o["key_signed"]])
        self.deref = bool(d[o["key_deref"]])
        self.offset = _u(d, o["key_offset"], 4)
        self.sites = []

    def describe(self, proc):
        if self.kind == KEY_POINTER:
            p = proc.ptr(self.var)
            if self.deref:
                if not p:
                    return "call, ops pointer NULL"
                return "call, target %s" % symbolize(
                    proc.ptr(p + self.offset))
            return "call, target %s" % symbolize(p)
        v = _u(proc.read(self.var, self.size), 0, self.size)
        if self.signed and v >> (8 * self.size - 1):
            v -= 1 << (8 * self.size)
        what = "static key" if self.kind == KEY_BRANCH else "immediate"
        return "%s, value %d" % (what, v)


def slot_target(proc, unit, dest):
    area = proc.ptr(unit + proc.off["unit_slots"])
    if not area:
        return None
    rx = proc.ptr(area + proc.slot_rx)
    page = proc.ptr(area + proc.slot_page)
    used = _u(proc.read(area + proc.slot_used, 4), 0, 4)
    if rx and rx <= dest < rx + 8 * used:
        return proc.ptr(dest + page)
    return None


def site_state(proc, unit, s):
    o = proc.off
    addr = _u(s, o["site_addr"], 8)
    cls = s[o["site_cls"]]
    length = s[o["site_len"]]
    cur = s[o["site_cur"]:o["site_cur"] + length]
    orig = s[o["site_orig"]:o["site_orig"] + length]
    if s[o["site_state"]] == SITE_REFUSED:
        return "refused"
    if cls == CLASS_IMM:
        v = decode_mov_imm(cur)
        return "unpatched" if v is None else "immediate %d" % v
    if cls in (CLASS_BRANCH, CLASS_BRANCH_INV):
        dest = _u(s, o["site_dest"], 8)
        test = _u(s, o["site_test"], 8)
        if cur[:5] == orig[:5] and dest != test:
            return "unpatched"
        if cur[:5] == NOP5:
            return "fallthrough"
        return "jump to %s" % symbolize(addr + 5 + _s32(cur, 1))
    if cur[:5] in (NOP5, RET5):
        return "nop"
    if cur[:5] == ZERO5:
        return "return0"
    dest = addr + 5 + _s32(cur, 1)
    if dest == _u(s, o["site_tramp"], 8):
        return "trampoline"
    t = slot_target(proc, unit, dest)
    if t is not None:
        return "near slot %#x -> %s" % (dest, symbolize(t))
    return "direct %s" % symbolize(dest)


class InfoStaticCalls(gdb.Command):
    """List the static calls, static keys and immediate values of the
    process: each key with its current target or value, each site with
    its address, source location and state.
Usage: info static-calls [KEY]
States: direct, near slot, trampoline, nop, return0 (call sites);
jump, fallthrough (static keys); immediate (immediate values);
unpatched (as compiled: reads the variable); refused (bytes not the
runtime's, left alone)."""

    def __init__(self):
        super(InfoStaticCalls, self).__init__("info static-calls",
                                              gdb.COMMAND_STATUS)

    def invoke(self, arg, from_tty):
        want = arg.strip() or None
        proc = process()
        if proc is None:
            raise gdb.GdbError("libstaticcall is not loaded in the process")
        o = proc.off
        keys = {}
        order = []
        for u in proc.unit_list():
            for _, s in proc.unit_sites(u):
                kaddr = _u(s, o["site_key"], 8)
                if not kaddr:
                    continue
                k = keys.get(kaddr)
                if k is None:
                    k = keys[kaddr] = Key(proc, kaddr)
                    order.append(k)
                k.sites.append((u, s))
        shown = 0
        for k in order:
            if want is not None and k.name != want:
                continue
            shown += 1
            gdb.write("key %s: %s\n" % (k.name, k.describe(proc)))
            for u, s in sorted(k.sites,
                               key=lambda us: _u(us[1], o["site_addr"], 8)):
                addr = _u(s, o["site_addr"], 8)
                kind = s[o["site_kind"]]
                extra = ""
                if s[o["site_cls"]] == CLASS_CALL:
                    if kind & SITE_KIND_TAIL:
                        extra += " tail"
                    if kind & SITE_KIND_COND:
                        extra += " conditional"
                elif s[o["site_cls"]] == CLASS_BRANCH_INV:
                    extra = " inverted"
                loc = location(addr)
                gdb.write("  %#x%s%s: %s%s\n"
                          % (addr, " " + loc if loc else "",
                             extra, site_state(proc, u, s), ""))
        if want is not None and not shown:
            raise gdb.GdbError("no static call key named '%s'" % want)


if __name__ != "__main__":
    # Once per GDB session, however many times the script is loaded (one
    # process after another, several inferiors).
    if not getattr(gdb, "_staticcall_loaded", False):
        gdb._staticcall_loaded = True
        TrapCondition()
        AfterTrap()
        InfoStaticCalls()
        gdb.events.breakpoint_deleted.connect(on_breakpoint_deleted)
        gdb.events.cont.connect(on_resume)
        gdb.events.before_prompt.connect(lambda: on_resume(None))
    ensure_catchpoint()
else:
    import sys
    import types

    def _staticcall_module(path):
        mod = sys.modules.get("libstaticcall_gdb")
        if mod is not None:
            mod.ensure_catchpoint()
            return
        mod = types.ModuleType("libstaticcall_gdb")
        mod.__file__ = path
        sys.modules["libstaticcall_gdb"] = mod
        with open(path) as f:
            exec(compile(f.read(), path, "exec"), mod.__dict__)

    def _staticcall_restore(g, saved):
        for k in [k for k in g if k not in saved]:
            del g[k]
        g.update(saved)

    _staticcall_module(__file__)
    _staticcall_restore(globals(), _staticcall_main)

# `make bench': build the benchmarks of bench/ with the plugin and the
# runtime of this build tree, run them, and write their results as
# JSON into $(BENCH_RESULTS), in the build tree (the source tree may be
# read-only, and is shared by every build of it).  Included from
# Makefile.am.  Takes about 30 seconds on a 2-core machine, most of it
# compiling the generated sites, and a minute more for the tables'
# benchmarks (`make bench-tables' alone), most of it compiling the
# cold-code source four ways, and some 10 seconds for the static keys'
# and immediate values' (`make bench-keys' alone); doc/results.texi
# says how to read the tables.
#
#   bench/call-cost.c    cost per call: direct, patched site, site on
#                        its trampoline, indirect, far target; built
#                        plain and with -mindirect-branch=thunk
#   bench/update-cost.c  cost of one update for 1 to 100000 sites of a
#                        key (sources from bench/gen-sites.py)
#   bench/cond-cost.c    a guarded call `if (p) p (x)' with p NULL: the
#                        conditional site's NOP against the plain test
#                        and branch (and the unpatched site)
#   bench/key-cost.c     a disabled static key's NOP against a test of a
#                        plain global, in cache and with the flags'
#                        lines flushed before each test (bench-value.h)
#   bench/imm-cost.c     an immediate value's mov $imm against a load of
#                        a plain global, the same two ways
#   bench/key-flip.c     one store to a key and to an immediate of 10000
#                        sites (bench/gen-values.py): batches, syncs,
#                        time, against one site and a static call's
#                        10000 (`make bench-keys': these three alone)
#   bench/table-cost.c   cost per call through a member of an ops table
#                        and of an ops pointer's pointee, against a
#                        direct call and the plain indirect call through
#                        the same table; plain and retpoline builds
#   bench/table-update.c one store retargeting 16 members: whole-table
#                        assignment, ops-pointer switch, member stores
#   bench/cold-cost.c    4096 callers each calling through a member of
#                        its own once a pass (bench/gen-cold.py), static
#                        against indirect; plain and retpoline builds
#   bench/slow-path.c    cost of a call that hits a site under patch,
#                        for STATICCALL_BP=emulate and trampoline
#   bench/startup.c      start-up: syncs, batches and load time per site
#                        of 100 units x 100 sites (bench/gen-startup.py),
#                        as an executable and as a dlopen'ed module,
#                        against the same built without the plugin
#   bench/code-size.py   bytes per site: records, padding, .text
#   bench/summary.py     the targets of doc/results.texi, met or not
#
# Everything built goes to $(BENCH_OUT); `make bench-clean' removes it.

BENCH_OUT = bench/out
BENCH_RESULTS = $(abs_top_builddir)/bench/results
PYTHON3 = python3
BENCH_PLUGIN = $(abs_builddir)/.libs/staticcall.so
BENCH_CFLAGS = -O2 -Wall -Wextra -fplugin=$(BENCH_PLUGIN) \
	-I$(abs_top_srcdir)/include -I$(abs_top_srcdir)/bench
# The generated site files: -O1 keeps 100000 sites quick to compile.
BENCH_GEN_CFLAGS = -O1 -fplugin=$(BENCH_PLUGIN) -I$(abs_top_srcdir)/include
BENCH_LIBS = -L$(abs_builddir)/.libs -Wl,-rpath,$(abs_builddir)/.libs \
	-lstaticcall
BENCH_DEPS = staticcall.la libstaticcall.la \
	$(top_srcdir)/include/static_call.h $(top_srcdir)/bench/bench.h \
	$(top_srcdir)/bench/bench-rounds.h $(top_srcdir)/bench/bench-value.h \
	$(top_srcdir)/tools/x86-insn.h
BENCH_SLOWPATH_US = 2000
# The generators import it from their directory.
BENCH_GEN_COMMON = $(top_srcdir)/bench/gen_common.py

# Parts of the generated programs (gen-sites.py: at most 10000 sites a
# file): key gen_N has N sites in sites-N-*.c.
BENCH_SITE_PARTS = 1-0 10-0 100-0 1000-0 10000-0 \
	$(foreach p,0 1 2 3 4 5 6 7 8 9,100000-$(p))
BENCH_SITE_OBJS = $(BENCH_SITE_PARTS:%=$(BENCH_OUT)/sites-%.o)

$(BENCH_OUT)/sites-%.c: $(top_srcdir)/bench/gen-sites.py $(BENCH_GEN_COMMON)
	@$(MKDIR_P) $(BENCH_OUT)
	$(AM_V_GEN)$(PYTHON3) $(top_srcdir)/bench/gen-sites.py $@

$(BENCH_OUT)/sites-%.o: $(BENCH_OUT)/sites-%.c staticcall.la \
		$(top_srcdir)/include/static_call.h
	$(AM_V_CC)$(CC) $(BENCH_GEN_CFLAGS) -c $< -o $@

# The benchmarks made of one source, built with the plugin, and
# BENCH_CFLAGS_name; and some of them again with retpolines.
BENCH_ONE_SOURCE = call-cost cond-cost slow-path table-cost table-update \
	key-cost imm-cost
BENCH_CFLAGS_slow_path = -pthread
BENCH_RETPOLINE = call-cost table-cost

$(BENCH_ONE_SOURCE:%=$(BENCH_OUT)/%): $(BENCH_OUT)/%: \
		$(top_srcdir)/bench/%.c $(BENCH_DEPS)
	@$(MKDIR_P) $(BENCH_OUT)
	$(AM_V_CCLD)$(CC) $(BENCH_CFLAGS) $(BENCH_CFLAGS_$(subst -,_,$*)) $< \
	  $(BENCH_LIBS) -o $@

$(BENCH_RETPOLINE:%=$(BENCH_OUT)/%-retpoline): $(BENCH_OUT)/%-retpoline: \
		$(top_srcdir)/bench/%.c $(BENCH_DEPS)
	@$(MKDIR_P) $(BENCH_OUT)
	$(AM_V_CCLD)$(CC) $(BENCH_CFLAGS) -mindirect-branch=thunk $< \
	  $(BENCH_LIBS) -o $@

$(BENCH_OUT)/update-cost: $(top_srcdir)/bench/update-cost.c \
		$(BENCH_SITE_OBJS) $(BENCH_DEPS)
	@$(MKDIR_P) $(BENCH_OUT)
	$(AM_V_CCLD)$(CC) $(BENCH_CFLAGS) $(top_srcdir)/bench/update-cost.c \
	  $(BENCH_SITE_OBJS) $(BENCH_LIBS) -o $@

# The static keys' and immediate values' benchmarks.  key-flip's
# program: 10000 branch sites and 10000 immediate sites, each in a
# generated file of its own (compiled like the call sites, -O1), and
# the 10000 call sites of sites-10000-0.o to compare with.
$(BENCH_OUT)/values-%.c: $(top_srcdir)/bench/gen-values.py $(BENCH_GEN_COMMON)
	@$(MKDIR_P) $(BENCH_OUT)
	$(AM_V_GEN)$(PYTHON3) $(top_srcdir)/bench/gen-values.py $@

$(BENCH_OUT)/values-%.o: $(BENCH_OUT)/values-%.c staticcall.la \
		$(top_srcdir)/include/static_call.h
	$(AM_V_CC)$(CC) $(BENCH_GEN_CFLAGS) -c $< -o $@

BENCH_VALUE_OBJS = $(BENCH_OUT)/values-key-10000.o \
	$(BENCH_OUT)/values-imm-10000.o $(BENCH_OUT)/sites-10000-0.o

$(BENCH_OUT)/key-flip: $(top_srcdir)/bench/key-flip.c $(BENCH_VALUE_OBJS) \
		$(BENCH_DEPS)
	@$(MKDIR_P) $(BENCH_OUT)
	$(AM_V_CCLD)$(CC) $(BENCH_CFLAGS) $(top_srcdir)/bench/key-flip.c \
	  $(BENCH_VALUE_OBJS) $(BENCH_LIBS) -o $@

BENCH_KEYS = $(BENCH_OUT)/key-cost $(BENCH_OUT)/imm-cost \
	$(BENCH_OUT)/key-flip

BENCH_KEYS_RUN = \
	$(BENCH_OUT)/key-cost -o $(BENCH_RESULTS)/key-cost.json && \
	$(BENCH_OUT)/imm-cost -o $(BENCH_RESULTS)/imm-cost.json && \
	$(BENCH_OUT)/key-flip -o $(BENCH_RESULTS)/key-flip.json && \
	echo "== cross-check: key-cost under STATICCALL_WRITER=none (the site" && \
	echo "   stays as compiled: a jmp to GCC's test of the flag, out of line)" && \
	STATICCALL_WRITER=none STATICCALL_QUIET=1 $(BENCH_OUT)/key-cost \
	  -o $(BENCH_RESULTS)/key-cost-writer-none.json

# `make bench-keys': those three alone (`make bench' runs them too),
# then the summary of whatever results there are.
bench-keys: $(BENCH_KEYS)
	@$(MKDIR_P) $(BENCH_RESULTS)
	$(BENCH_KEYS_RUN)
	$(PYTHON3) $(top_srcdir)/bench/summary.py --partial $(BENCH_RESULTS)

# The cold-code benchmark: one generated source (4096 callers, a table
# of 4096 members), compiled with the plugin and without it into one
# program, each way plain and with retpolines.  -O2, as the rest.
$(BENCH_OUT)/cold/cold.c: $(top_srcdir)/bench/gen-cold.py $(BENCH_GEN_COMMON)
	@$(MKDIR_P) $(@D)
	$(AM_V_GEN)$(PYTHON3) $(top_srcdir)/bench/gen-cold.py $@

BENCH_COLD_CFLAGS = -O2 -I$(abs_top_srcdir)/include
BENCH_COLD_RETPOLINE = -mindirect-branch=thunk

# The objects, each with the flags of its variant.
BENCH_COLD_OBJS = static indirect static-retpoline indirect-retpoline
BENCH_COLD_static = -fplugin=$(BENCH_PLUGIN) -DCOLD_VARIANT=static
BENCH_COLD_indirect = -DCOLD_VARIANT=indirect
BENCH_COLD_static_retpoline = $(BENCH_COLD_RETPOLINE) $(BENCH_COLD_static)
BENCH_COLD_indirect_retpoline = $(BENCH_COLD_RETPOLINE) \
	$(BENCH_COLD_indirect)

$(BENCH_COLD_OBJS:%=$(BENCH_OUT)/cold/%.o): $(BENCH_OUT)/cold/%.o: \
		$(BENCH_OUT)/cold/cold.c staticcall.la \
		$(top_srcdir)/include/static_call.h
	$(AM_V_CC)$(CC) $(BENCH_COLD_CFLAGS) $(BENCH_COLD_$(subst -,_,$*)) \
	  -c $< -o $@

# The driver: built without the plugin (it has no sites).
$(BENCH_OUT)/cold-cost: $(top_srcdir)/bench/cold-cost.c \
		$(BENCH_OUT)/cold/static.o $(BENCH_OUT)/cold/indirect.o \
		$(BENCH_DEPS)
	$(AM_V_CCLD)$(CC) $(BENCH_PLAIN_CFLAGS) $(top_srcdir)/bench/cold-cost.c \
	  $(BENCH_OUT)/cold/static.o $(BENCH_OUT)/cold/indirect.o \
	  $(BENCH_LIBS) -o $@

$(BENCH_OUT)/cold-cost-retpoline: $(top_srcdir)/bench/cold-cost.c \
		$(BENCH_OUT)/cold/static-retpoline.o \
		$(BENCH_OUT)/cold/indirect-retpoline.o $(BENCH_DEPS)
	$(AM_V_CCLD)$(CC) $(BENCH_PLAIN_CFLAGS) $(top_srcdir)/bench/cold-cost.c \
	  $(BENCH_OUT)/cold/static-retpoline.o \
	  $(BENCH_OUT)/cold/indirect-retpoline.o $(BENCH_LIBS) -o $@

BENCH_TABLES = $(BENCH_OUT)/table-cost $(BENCH_OUT)/table-cost-retpoline \
	$(BENCH_OUT)/table-update $(BENCH_OUT)/cold-cost \
	$(BENCH_OUT)/cold-cost-retpoline

BENCH_TABLES_RUN = \
	$(BENCH_OUT)/table-cost --label plain \
	  -o $(BENCH_RESULTS)/table-cost.json && \
	$(BENCH_OUT)/table-cost-retpoline --label retpoline \
	  -o $(BENCH_RESULTS)/table-cost-retpoline.json && \
	$(BENCH_OUT)/table-update -o $(BENCH_RESULTS)/table-update.json && \
	$(BENCH_OUT)/cold-cost --label plain \
	  -o $(BENCH_RESULTS)/cold-cost.json && \
	$(BENCH_OUT)/cold-cost-retpoline --label retpoline \
	  -o $(BENCH_RESULTS)/cold-cost-retpoline.json

# `make bench-tables': the tables' benchmarks alone (`make bench' runs
# them too), then the summary of whatever results there are.
bench-tables: $(BENCH_TABLES)
	@$(MKDIR_P) $(BENCH_RESULTS)
	$(BENCH_TABLES_RUN)
	$(PYTHON3) $(top_srcdir)/bench/summary.py --partial $(BENCH_RESULTS)

# The start-up benchmark's program: the units bench/gen-startup.py
# writes, each compiled with the plugin and without (-fPIC: the same
# objects make the executable and the module).
BENCH_STARTUP_UNITS = keys $(foreach a,0 1 2 3 4 5 6 7 8 9,\
	$(foreach b,0 1 2 3 4 5 6 7 8 9,unit-$(a)$(b)))
BENCH_STARTUP_SITES = 10000
BENCH_STARTUP_PLUGIN_OBJS = \
	$(BENCH_STARTUP_UNITS:%=$(BENCH_OUT)/startup-units/plugin/%.o)
BENCH_STARTUP_PLAIN_OBJS = \
	$(BENCH_STARTUP_UNITS:%=$(BENCH_OUT)/startup-units/plain/%.o)
BENCH_PLAIN_CFLAGS = -O2 -Wall -Wextra -I$(abs_top_srcdir)/include \
	-I$(abs_top_srcdir)/bench

$(BENCH_OUT)/startup-units/src/%.c: $(top_srcdir)/bench/gen-startup.py \
		$(BENCH_GEN_COMMON)
	@$(MKDIR_P) $(@D)
	$(AM_V_GEN)$(PYTHON3) $(top_srcdir)/bench/gen-startup.py $@

$(BENCH_OUT)/startup-units/plugin/%.o: $(BENCH_OUT)/startup-units/src/%.c \
		staticcall.la $(top_srcdir)/include/static_call.h
	@$(MKDIR_P) $(@D)
	$(AM_V_CC)$(CC) -O2 -fPIC -fplugin=$(BENCH_PLUGIN) \
	  -I$(abs_top_srcdir)/include -c $< -o $@

$(BENCH_OUT)/startup-units/plain/%.o: $(BENCH_OUT)/startup-units/src/%.c \
		$(top_srcdir)/include/static_call.h
	@$(MKDIR_P) $(@D)
	$(AM_V_CC)$(CC) -O2 -fPIC -I$(abs_top_srcdir)/include -c $< -o $@

$(BENCH_OUT)/startup-exe: $(top_srcdir)/bench/startup-main.c \
		$(BENCH_STARTUP_PLUGIN_OBJS) $(BENCH_DEPS)
	$(AM_V_CCLD)$(CC) $(BENCH_CFLAGS) $(top_srcdir)/bench/startup-main.c \
	  $(BENCH_STARTUP_PLUGIN_OBJS) $(BENCH_LIBS) -o $@

$(BENCH_OUT)/startup-exe-plain: $(top_srcdir)/bench/startup-main.c \
		$(BENCH_STARTUP_PLAIN_OBJS) $(top_srcdir)/bench/bench.h
	$(AM_V_CCLD)$(CC) $(BENCH_PLAIN_CFLAGS) \
	  $(top_srcdir)/bench/startup-main.c $(BENCH_STARTUP_PLAIN_OBJS) -o $@

$(BENCH_OUT)/startup-mod.so: $(BENCH_STARTUP_PLUGIN_OBJS) libstaticcall.la
	$(AM_V_CCLD)$(CC) -shared $(BENCH_STARTUP_PLUGIN_OBJS) $(BENCH_LIBS) \
	  -o $@

$(BENCH_OUT)/startup-mod-plain.so: $(BENCH_STARTUP_PLAIN_OBJS)
	$(AM_V_CCLD)$(CC) -shared $(BENCH_STARTUP_PLAIN_OBJS) -o $@

# The driver: built without the plugin, linked with the runtime, as a
# program that loads modules with static calls is.
$(BENCH_OUT)/startup: $(top_srcdir)/bench/startup.c $(BENCH_DEPS)
	@$(MKDIR_P) $(BENCH_OUT)
	$(AM_V_CCLD)$(CC) $(BENCH_PLAIN_CFLAGS) $(top_srcdir)/bench/startup.c \
	  $(BENCH_LIBS) -ldl -o $@

BENCH_STARTUP = $(BENCH_OUT)/startup $(BENCH_OUT)/startup-exe \
	$(BENCH_OUT)/startup-exe-plain $(BENCH_OUT)/startup-mod.so \
	$(BENCH_OUT)/startup-mod-plain.so

BENCH_STARTUP_RUN = $(BENCH_OUT)/startup --exe $(BENCH_OUT)/startup-exe \
	  $(BENCH_OUT)/startup-exe-plain --mod $(BENCH_OUT)/startup-mod.so \
	  $(BENCH_OUT)/startup-mod-plain.so --sites $(BENCH_STARTUP_SITES) \
	  --units 100 -o $(BENCH_RESULTS)/startup.json

# `make bench-startup': that benchmark alone (`make bench' runs it too).
bench-startup: $(BENCH_STARTUP)
	@$(MKDIR_P) $(BENCH_RESULTS)
	$(BENCH_STARTUP_RUN)

BENCH_EXES = $(BENCH_STARTUP) $(BENCH_OUT)/call-cost $(BENCH_OUT)/call-cost-retpoline \
	$(BENCH_OUT)/update-cost $(BENCH_OUT)/slow-path $(BENCH_OUT)/cond-cost \
	$(BENCH_TABLES) $(BENCH_KEYS)

# Only the plugin, the runtime and staticcall-sites, not `all': the
# benchmarks need nothing else (not the manual, say).
bench-build: $(BENCH_EXES) tools/staticcall-sites$(EXEEXT)

# The runs, one after the other (never in parallel: they time things).
bench: bench-build
	@$(MKDIR_P) $(BENCH_RESULTS)
	$(BENCH_OUT)/call-cost --label plain \
	  -o $(BENCH_RESULTS)/call-cost.json
	$(BENCH_OUT)/call-cost-retpoline --label retpoline \
	  -o $(BENCH_RESULTS)/call-cost-retpoline.json
	@echo "== cross-check: the plain build again, under STATICCALL_WRITER=none"
	@echo "   (every site stays on its trampoline: patched ~ trampoline)"
	STATICCALL_WRITER=none STATICCALL_QUIET=1 $(BENCH_OUT)/call-cost \
	  --label writer-none -o $(BENCH_RESULTS)/call-cost-writer-none.json
	$(BENCH_OUT)/cond-cost -o $(BENCH_RESULTS)/cond-cost.json
	$(BENCH_KEYS_RUN)
	$(BENCH_TABLES_RUN)
	$(BENCH_OUT)/update-cost -o $(BENCH_RESULTS)/update-cost.json
	STATICCALL_WRITER=mprotect $(BENCH_OUT)/update-cost \
	  -o $(BENCH_RESULTS)/update-cost-mprotect.json
	$(BENCH_STARTUP_RUN)
	STATICCALL_BP=emulate STATICCALL_SLOWPATH_US=$(BENCH_SLOWPATH_US) \
	  $(BENCH_OUT)/slow-path -o $(BENCH_RESULTS)/slow-path-emulate.json
	STATICCALL_BP=trampoline STATICCALL_SLOWPATH_US=$(BENCH_SLOWPATH_US) \
	  $(BENCH_OUT)/slow-path -o $(BENCH_RESULTS)/slow-path-trampoline.json
	$(PYTHON3) $(top_srcdir)/bench/code-size.py --cc "$(CC)" \
	  --plugin $(BENCH_PLUGIN) --include $(abs_top_srcdir)/include \
	  --libdir $(abs_builddir)/.libs \
	  --sites-tool tools/staticcall-sites$(EXEEXT) \
	  --gen-sites $(BENCH_OUT)/sites-10000-0.c \
	  --sites-main $(top_srcdir)/bench/sites-main.c \
	  --checksum $(top_srcdir)/examples/checksum.c \
	  --work $(BENCH_OUT)/code-size -o $(BENCH_RESULTS)/code-size.json
	$(PYTHON3) $(top_srcdir)/bench/summary.py $(BENCH_RESULTS)

bench-clean:
	rm -rf $(BENCH_OUT)

# `make bench-cond': the conditional-site benchmark alone.
bench-cond: $(BENCH_OUT)/cond-cost
	@$(MKDIR_P) $(BENCH_RESULTS)
	$(BENCH_OUT)/cond-cost -o $(BENCH_RESULTS)/cond-cost.json

.PHONY: bench bench-build bench-clean bench-startup bench-cond bench-tables \
	bench-keys
.PRECIOUS: $(BENCH_OUT)/sites-%.c $(BENCH_OUT)/startup-units/src/%.c \
	$(BENCH_OUT)/cold/cold.c $(BENCH_OUT)/values-%.c

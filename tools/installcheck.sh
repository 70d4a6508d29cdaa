#!/bin/sh
# The installed staticcall, used as users use it: programs built with
# `$CC $(pkg-config --cflags staticcall) ... $(pkg-config --libs
# staticcall)' under the flag sets the manual promises; each is run and
# its sites checked with the installed staticcall-sites.  Prints one
# line per build and `installcheck: N passed, N failed'.
#
# usage: tools/installcheck.sh BUILD-DIR
#          (make check, staticcall.install/install.exp) configure a fresh
#          tree as BUILD-DIR was configured (same compilers and flags,
#          from its config.status) but with a temporary prefix, build it,
#          install it there and check that;
#        tools/installcheck.sh --installed BUILD-DIR
#          (make installcheck; make distcheck runs it on its own prefix)
#          check what `make install' in BUILD-DIR installed.
# The compiler, the directories (libdir, bindir: a configure option or
# a config.site may have moved them) and pkg-config are those that
# configure chose; BUILD-DIR's `make print-install-config' prints them.
set -u
installed=no
[ "${1:-}" = --installed ] && { installed=yes; shift; }
[ $# -eq 1 ] || { echo "usage: $0 [--installed] BUILD-DIR" >&2; exit 2; }
build=$(cd "$1" && pwd) || exit 2
top=$(cd "$(dirname "$0")/.." && pwd)
# Not the outer make's flags, jobserver or level: this may run under
# `make check'.
unset MAKEFLAGS MFLAGS MAKELEVEL
work=$(mktemp -d "${TMPDIR:-/tmp}/staticcall-install.XXXXXX")
trap 'rm -rf "$work"' EXIT

give_up () {
  echo "installcheck: $1"
  echo "installcheck: 0 passed, 1 failed"
  exit 1
}

if [ $installed = no ]; then
  # BUILD-DIR's configure arguments less those that say where things go
  # (they would install outside the temporary prefix) and the cache.
  [ -x "$build/config.status" ] || give_up "$build is not a configured tree"
  eval "set -- $("$build/config.status" --config)" \
    || give_up "cannot read $build/config.status --config"
  for arg; do
    shift
    case $arg in
      --srcdir=* | --prefix=* | --exec-prefix=* | --*dir=* \
      | --with-plugindir=* | --cache-file=* | -C | --config-cache \
      | -q | --quiet | --silent) ;;
      *) set -- "$@" "$arg" ;;
    esac
  done
  ( mkdir "$work/build" && cd "$work/build" \
      && "$top/configure" -q --prefix="$work/prefix" "$@" \
      && make -s -j"$(nproc)" >/dev/null && make -s install >/dev/null ) \
    >"$work/build.log" 2>&1 \
    || { cat "$work/build.log"; give_up "build and install in $work/prefix failed"; }
  build=$work/build
fi

config=$(make -s --no-print-directory -C "$build" print-install-config) \
  || give_up "no print-install-config in $build"
get () { echo "$config" | sed -n "s/^$1=//p"; }
CC=$(get CC) bindir=$(get bindir) pkgconfigdir=$(get pkgconfigdir)
PKG_CONFIG=$(get PKG_CONFIG)
[ -n "$CC" ] && [ -n "$bindir" ] && [ -n "$pkgconfigdir" ] \
  || give_up "print-install-config in $build: $config"
: "${PKG_CONFIG:=pkg-config}"

export PKG_CONFIG_PATH=$pkgconfigdir
cflags=$($PKG_CONFIG --cflags staticcall) && libs=$($PKG_CONFIG --libs staticcall) \
  || give_up "$PKG_CONFIG does not find staticcall in $pkgconfigdir"
case $cflags in
  *-fplugin=/*staticcall.so*) ;;
  *) give_up "--cflags lacks an absolute -fplugin: $cflags" ;;
esac
[ -x "$bindir/staticcall-sites" ] || give_up "no $bindir/staticcall-sites"

passed=0 failed=0
for flags in "-O0" "-O2" "-O2 -fPIE -pie" "-O2 -fno-pie -no-pie" "-O2 -static" \
    "-O2 -fno-plt" "-O2 -flto" "-O2 -mindirect-branch=thunk" "-Os -g"; do
  exe=$work/checksum
  rm -f "$exe"
  if $CC $flags $cflags "$top/examples/checksum.c" $libs -o "$exe" 2>"$work/err" \
     && [ ! -s "$work/err" ] \
     && "$bindir/staticcall-sites" --check --quiet "$exe" \
     && "$exe" 3 >"$work/out" \
     && grep -q "^sites: 1 direct" "$work/out"; then
    passed=$((passed + 1)); echo "PASS: installed, pkg-config, $flags"
  else
    failed=$((failed + 1)); echo "FAIL: installed, pkg-config, $flags"
    cat "$work/err"
  fi
done

# The freestanding runtime as a kernel uses it: the test kernel
# (testsuite/kernel/, as kernel.exp builds it) compiled against the
# installed headers and plugin and linked with the installed archive,
# all from `pkg-config staticcall-freestanding'.  Linking proves the
# archive needs nothing the kernel does not give.
kflags="-O2 -ffreestanding -nostdlib -static -fno-pic -fno-pie -no-pie \
  -mcmodel=kernel -mno-red-zone -mgeneral-regs-only -fno-stack-protector \
  -fno-asynchronous-unwind-tables -fcf-protection=none \
  -fno-tree-loop-distribute-patterns"
if fcflags=$($PKG_CONFIG --cflags staticcall-freestanding) \
   && flibs=$($PKG_CONFIG --libs staticcall-freestanding); then
  kdir=$top/testsuite/kernel
  nocflags=$(echo "$fcflags" | sed 's/-fplugin=[^ ]*//')
  ok=yes
  for f in boot.S main.c cpu.c apic.c console.c port.c workload.c; do
    # Only the workload is built with the plugin, as in kernel.exp.
    fl=$nocflags
    [ $f = workload.c ] && fl=$fcflags
    $CC $kflags $fl -c "$kdir/$f" -o "$work/${f%.*}.o" 2>>"$work/err" \
      || ok=no
  done
  if [ $ok = yes ] \
     && $CC $kflags -T "$kdir/kernel.ld" -Wl,-z,max-page-size=0x1000 \
	  "$work"/boot.o "$work"/main.o "$work"/cpu.o "$work"/apic.o \
	  "$work"/console.o "$work"/port.o "$work"/workload.o $flibs \
	  -o "$work/kernel.elf" 2>>"$work/err" \
     && "$bindir/staticcall-sites" --check --quiet "$work/kernel.elf"; then
    passed=$((passed + 1))
    echo "PASS: installed, pkg-config staticcall-freestanding, the test kernel"
  else
    failed=$((failed + 1))
    echo "FAIL: installed, pkg-config staticcall-freestanding, the test kernel"
    cat "$work/err"
  fi
else
  failed=$((failed + 1))
  echo "FAIL: $PKG_CONFIG does not find staticcall-freestanding in $pkgconfigdir"
fi
echo "installcheck: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/bin/sh
# Install staticcall into a temporary prefix and build programs the way
# users do, with `pkg-config --cflags --libs staticcall', under the flag
# sets the manual promises; run each and check its sites.  Prints one
# line per build and `installcheck: N passed, N failed'.
# usage: tools/installcheck.sh [BUILD-DIR]   (default: a fresh one)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/staticcall-install.XXXXXX")
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix

( mkdir "$work/build" && cd "$work/build" && "$top/configure" -q --prefix="$prefix" \
    && make -s -j"$(nproc)" >/dev/null && make -s install >/dev/null ) \
  || { echo "installcheck: install failed"; echo "installcheck: 0 passed, 1 failed"; exit 1; }

export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
cflags=$(pkg-config --cflags staticcall) && libs=$(pkg-config --libs staticcall) \
  || { echo "installcheck: pkg-config does not find staticcall"; exit 1; }
case $cflags in
  *-fplugin=/*staticcall.so*) ;;
  *) echo "installcheck: --cflags lacks an absolute -fplugin: $cflags"; exit 1 ;;
esac

passed=0 failed=0
for flags in "-O0" "-O2" "-O2 -fPIE -pie" "-O2 -fno-pie -no-pie" "-O2 -static" \
    "-O2 -fno-plt" "-O2 -flto" "-O2 -mindirect-branch=thunk" "-Os -g"; do
  exe=$work/checksum
  rm -f "$exe"
  if gcc $flags $cflags "$top/examples/checksum.c" $libs -o "$exe" 2>"$work/err" \
     && [ ! -s "$work/err" ] \
     && "$prefix/bin/staticcall-sites" --check --quiet "$exe" \
     && "$exe" 3 >"$work/out" \
     && grep -q "^sites: 1 direct" "$work/out"; then
    passed=$((passed + 1)); echo "PASS: installed, pkg-config, $flags"
  else
    failed=$((failed + 1)); echo "FAIL: installed, pkg-config, $flags"
    cat "$work/err"
  fi
done
echo "installcheck: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/bin/sh
# Install the build dependencies (Debian 12) and build staticcall in
# ./build.  Used by demo.sh, run-tests.sh and .ci/run.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)

deps="gcc g++ gcc-12-plugin-dev libgmp-dev make dejagnu autoconf automake \
libtool texinfo pkg-config binutils valgrind gdb qemu-system-x86"
# GCC 12's sanitizer runtimes, for runtime.exp's sc-sanitize runs
# (without them those runs are UNSUPPORTED).
deps="$deps libasan8 libubsan1 libtsan2"
"$top/tools/install-deps.sh" $deps

cd "$top"
[ -x configure ] || autoreconf -fi >/dev/null
mkdir -p build
cd build
[ -f Makefile ] || ../configure -q
make -s -j"$(nproc)"

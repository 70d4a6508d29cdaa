#!/bin/sh
# The GCC 11 part of the tests: install GCC 11 with its plugin headers
# if missing, build staticcall with it in ./build-gcc11, and run the
# compiler-facing parts of the testsuite (codegen, diag, abi, and the
# freestanding runtime with the test kernel built by GCC 11) there.
# The summary is build-gcc11/testsuite/staticcall.sum.  Another set of
# tests may be given as RUNTESTFLAGS.  Used by .ci/run.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)

deps="gcc-11 g++-11 gcc-11-plugin-dev libgmp-dev make dejagnu autoconf \
automake libtool texinfo pkg-config binutils qemu-system-x86"
"$top/tools/install-deps.sh" $deps

cd "$top"
[ -x configure ] || autoreconf -fi >/dev/null
mkdir -p build-gcc11
cd build-gcc11
# The g++ that builds the plugin must be the gcc that loads it
# (configure checks).
[ -f Makefile ] || CC=gcc-11 CXX=g++-11 ../configure -q
make -s -j"$(nproc)"
make -s check RUNTESTFLAGS="${RUNTESTFLAGS:-codegen.exp diag.exp abi.exp freestanding.exp kernel.exp}"

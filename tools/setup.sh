#!/bin/sh
# Install the build dependencies (Debian 12) and build staticcall in
# ./build.  Used by demo.sh, run-tests.sh and .ci/run.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)

deps="gcc g++ gcc-12-plugin-dev libgmp-dev make dejagnu autoconf automake \
libtool texinfo pkg-config binutils valgrind"
missing=
for p in $deps; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" \
    || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "setup: installing$missing"
  sudo=
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing
fi

cd "$top"
[ -x configure ] || autoreconf -fi >/dev/null
mkdir -p build
cd build
[ -f Makefile ] || ../configure -q
make -s -j"$(nproc)"

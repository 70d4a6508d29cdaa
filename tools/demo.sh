#!/bin/sh
# The demo: set up, build, then build examples/checksum.c with the
# plugin, list its converted sites from the binary, and run it (it
# prints the patched state and its speed-up over an indirect call,
# measured in the same run; also with retpolines).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/tools/setup.sh"
cd "$top/build"
make -s demo

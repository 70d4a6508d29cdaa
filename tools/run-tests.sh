#!/bin/sh
# Set up, build, and run the DejaGnu testsuite (make check).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/tools/setup.sh"
cd "$top/build"
make -s check

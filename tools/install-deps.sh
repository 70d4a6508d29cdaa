#!/bin/sh
# Install, with apt-get, those of the Debian packages named as arguments
# that are not installed yet (as root, or through sudo).  Used by
# setup.sh and run-tests-gcc11.sh.
set -eu
missing=
for p in "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" \
    || missing="$missing $p"
done
[ -n "$missing" ] || exit 0
echo "$(basename "$0"): installing$missing"
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing

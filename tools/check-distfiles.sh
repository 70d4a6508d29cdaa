#!/bin/sh
# Check a distribution directory before `make dist' packs it (dist-hook):
# it holds nothing built (an object file or an executable means that a
# directory was listed in EXTRA_DIST and copied from the build tree), and,
# when SRCDIR is a git checkout, every file git tracks except .gitignore
# (one that is not means a file missing from the EXTRA_DIST lists of
# Makefile.am or testsuite/Makefile.am).  Prints what is wrong, and fails.
# usage: tools/check-distfiles.sh SRCDIR DISTDIR
set -u
[ $# -eq 2 ] || { echo "usage: $0 SRCDIR DISTDIR" >&2; exit 2; }
srcdir=$1
distdir=$(cd "$2" && pwd) || exit 2
bad=0

# Built: ELF files, objects, libtool's and automake's droppings.
built=$(cd "$distdir" && find . -type f \( -name '*.o' -o -name '*.lo' \
	  -o -name '*.la' -o -name '*.so' -o -name '*.a' -o -name '*.Po' \
	  -o -name '*.Plo' -o -name '.dirstamp' -o -name '*~' \) -print;
	find . -type f -perm -u+x -print | while read -r f; do
	  [ "$(head -c 4 "$f" | od -An -c | tr -d ' ')" = 177ELF ] && echo "$f"
	done)
if [ -n "$built" ]; then
  echo "check-distfiles: built files in $distdir:"
  echo "$built" | sed 's/^/  /'
  bad=1
fi

# Tracked but not shipped.
if [ -e "$srcdir/.git" ] && command -v git >/dev/null 2>&1; then
  missing=$(cd "$srcdir" && git ls-files | while read -r f; do
	      [ "$f" = .gitignore ] && continue
	      [ -e "$f" ] || continue	# deleted, not yet committed
	      [ -e "$distdir/$f" ] || echo "$f"
	    done)
  if [ -n "$missing" ]; then
    echo "check-distfiles: tracked by git but not in EXTRA_DIST (Makefile.am or"
    echo "testsuite/Makefile.am) or a _SOURCES list:"
    echo "$missing" | sed 's/^/  /'
    bad=1
  fi
fi
exit $bad

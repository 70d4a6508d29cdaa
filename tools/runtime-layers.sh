#!/bin/sh
# runtime-layers.sh: check that the runtime's files call each other
# without a cycle.
#
# usage: runtime-layers.sh [--edges] OBJECT...
#
# Reads the symbol table of each object (nm): file A depends on file B
# when A refers to a global symbol (function or variable) that B
# defines.  Prints the first cycle found, "a -> b -> ... -> a" with a
# symbol for each step, and exits 1; exits 0 when the dependencies form
# a DAG.  --edges also prints every dependency, "a -> b: symbol ...".
# An object is named by its file name without the directory, the
# "libstaticcall_la-" prefix of libtool (or the
# "libstaticcall_freestanding_a-" of automake) and ".o".  $NM overrides
# nm.
#
# Used by testsuite/staticcall.runtime/layers.exp on the objects of
# libstaticcall.so (runtime/.libs/*.o in the build tree) and on those
# of libstaticcall-freestanding.a (runtime/*.o and
# runtime/freestanding/*.o of that library), each set apart.

set -eu
nm=${NM:-nm}
edges=0
if [ "${1-}" = --edges ]; then
  edges=1
  shift
fi
if [ $# -eq 0 ]; then
  echo "usage: runtime-layers.sh [--edges] OBJECT..." >&2
  exit 2
fi

syms=$(mktemp)
trap 'rm -f "$syms"' EXIT
for o in "$@"; do
  f=$(basename "$o" .o)
  f=${f#libstaticcall_la-}
  f=${f#libstaticcall_freestanding_a-}
  # "U name" for a reference; "value T name" (any upper-case type but
  # U) for a global definition.
  "$nm" "$o" | awk -v f="$f" '
    NF == 2 && $1 == "U" { print "U", f, $2; next }
    NF == 3 && $2 ~ /^[A-TV-Z]$/ { print "D", f, $3 }' >> "$syms"
done

awk -v show_edges="$edges" '
  $1 == "D" { def[$3] = $2; files[$2] = 1; next }
  $1 == "U" { nref++; ref_file[nref] = $2; ref_sym[nref] = $3; files[$2] = 1 }

  # Depth-first search from F; state 1 while on the path, 2 when done.
  # Returns 1 when a cycle was found (and printed).
  function visit(f,    n, i, to, list) {
    state[f] = 1
    path[++depth] = f
    n = split(adj[f], list, " ")
    for (i = 1; i <= n; i++)
      {
	to = list[i]
	if (state[to] == 1)
	  {
	    print_cycle(to)
	    return 1
	  }
	if (!state[to] && visit(to))
	  return 1
      }
    depth--
    state[f] = 2
    return 0
  }

  function print_cycle(start,    i, line, from) {
    for (i = 1; path[i] != start; i++)
      ;
    line = start
    for (; i <= depth; i++)
      {
	from = path[i]
	line = line " -> " (i < depth ? path[i + 1] : start)
	line = line " (" first_sym[from, (i < depth ? path[i + 1] : start)] ")"
      }
    print "cycle: " line
  }

  END {
    for (i = 1; i <= nref; i++)
      {
	f = ref_file[i]
	g = def[ref_sym[i]]
	if (g == "" || g == f)
	  continue
	if (!((f, g) in syms_of))
	  {
	    adj[f] = adj[f] " " g
	    first_sym[f, g] = ref_sym[i]
	    nedges++
	  }
	syms_of[f, g] = syms_of[f, g] " " ref_sym[i]
      }
    if (show_edges)
      for (f in files)
	{
	  n = split(adj[f], list, " ")
	  for (i = 1; i <= n; i++)
	    print f " -> " list[i] ":" syms_of[f, list[i]]
	}
    nfiles = 0
    for (f in files)
      nfiles++
    for (f in files)
      if (!state[f] && visit(f))
	exit 1
    print "runtime layers: " nfiles " files, " nedges + 0 \
	  " dependencies, no cycle"
  }' "$syms"

"""What the generators of bench/ share (gen-sites.py, gen-startup.py,
gen-cold.py, which import it from their own directory): the lines of a
C function, the command line, and the writing of the source.
"""

import os
import sys


def function(head, name, body):
    """The lines of the C function NAME (its parameters included) of
    return type and attributes HEAD, whose body is the lines BODY, then
    an empty line."""
    return [head, name, "{"] + ["  " + line for line in body] + ["}", ""]


def output(usage, args=None):
    """The one argument, OUT.c, of the command line (ARGS, by default
    sys.argv[1:]); exits with USAGE when there is not exactly one."""
    if args is None:
        args = sys.argv[1:]
    if len(args) != 1:
        sys.exit("usage: " + usage)
    return args[0]


def write(out, lines):
    """Write LINES to OUT, whole or not at all: make must never take a
    half-written source for a finished one."""
    tmp = out + ".tmp"
    with open(tmp, "w") as f:
        f.write("\n".join(lines))
    os.replace(tmp, out)

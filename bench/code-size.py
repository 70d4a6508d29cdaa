#!/usr/bin/env python3
"""code-size: what static calls cost in code and data, per call site.

Builds two real programs four ways each -- with and without the plugin,
without and with -mindirect-branch=thunk (retpolines), all at -O2 --
and compares the linked executables:

  sites-10000   the 10000-site file bench/gen-sites.py writes, with
                bench/sites-main.c (the pointer and main);
  checksum      examples/checksum.c (one site).

Per build it reads the sites from the executable with
`staticcall-sites --summary' (count, bytes of .static_call_sites, the
assembler's padding in front of each site: mean and max), and the
section sizes with `size -A'.  Per site it reports: the site record
(.static_call_sites, 8 bytes), the padding, the change in .text (call
sites, trampolines, the registration constructor and destructor), and
the change in everything loaded (all SHF_ALLOC sections: .text, the
site records, key records, unit descriptor, ...).  The padding section
itself (.static_call_padding) is not loaded, so it is not counted.
Without the plugin the same sources are plain C: every call reads the
pointer and calls through it.  The runtime library (libstaticcall.so)
is a separate, shared cost and is reported once.

usage: code-size.py --cc CC --plugin PLUGIN.so --include DIR
                    --libdir DIR --sites-tool PATH --gen-sites FILE.c
                    --sites-main FILE.c --checksum FILE.c --work DIR
                    [-o RESULT.json]
"""

import argparse
import datetime
import json
import os
import platform
import re
import shlex
import subprocess
import sys


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE,
                          universal_newlines=True, **kw).stdout


def sections(path):
    """{name: size} of the allocated sections of PATH (readelf -SW)."""
    out = run(["readelf", "-SW", path])
    sizes = {}
    alloc = {}
    for line in out.splitlines():
        m = re.match(r"\s*\[\s*\d+\]\s+(\S+)\s+\S+\s+[0-9a-f]+\s+[0-9a-f]+"
                     r"\s+([0-9a-f]+)\s+[0-9a-f]+\s*([A-Za-z]*)", line)
        if m:
            sizes[m.group(1)] = int(m.group(2), 16)
            alloc[m.group(1)] = "A" in m.group(3)
    loaded = sum(s for n, s in sizes.items() if alloc[n])
    return sizes, loaded


def summary(tool, path):
    out = run([tool, "--quiet", "--summary", path])
    m = re.search(r"(\d+) sites \((\d+) tail(?:, \d+ conditional)?\), "
                  r"(\d+) bad, (\d+) bytes of "
                  r"site records(?:, padding (\d+) bytes \(mean ([0-9.]+), "
                  r"max (\d+) per site\))?", out)
    if not m:
        sys.exit("code-size: cannot read %r" % out)
    return {
        "sites": int(m.group(1)),
        "bad": int(m.group(3)),
        "record_bytes": int(m.group(4)),
        "padding_bytes": int(m.group(5) or 0),
        "padding_mean": float(m.group(6) or 0),
        "padding_max": int(m.group(7) or 0),
    }


def machine(cc):
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "kernel": platform.release(),
        "cpu": cpu,
        "nproc": os.cpu_count(),
        "gcc": run(cc + ["-dumpfullversion"]).strip(),
        "date": datetime.datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def main():
    ap = argparse.ArgumentParser()
    for opt in ("cc", "plugin", "include", "libdir", "sites-tool",
                "gen-sites", "sites-main", "checksum", "work"):
        ap.add_argument("--" + opt, required=True)
    ap.add_argument("-o", dest="out")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)

    cc = shlex.split(a.cc)
    plugin = ["-fplugin=" + a.plugin]
    libs = ["-L" + a.libdir, "-Wl,-rpath," + a.libdir, "-lstaticcall"]
    n_gen = int(re.search(r"sites-(\d+)-0\.c$", a.gen_sites).group(1))
    programs = [
        ("sites-%d" % n_gen, [a.sites_main, a.gen_sites],
         ["-DSITES=%d" % n_gen]),
        ("checksum", [a.checksum], []),
    ]
    builds = [("plain", []), ("retpoline", ["-mindirect-branch=thunk"])]

    results = []
    for name, srcs, defs in programs:
        for bname, bflags in builds:
            row = {"program": name, "build": bname}
            for with_plugin in (True, False):
                exe = os.path.join(a.work, "%s-%s-%s" % (
                    name, bname, "plugin" if with_plugin else "noplugin"))
                cmd = cc + ["-O2", "-I" + a.include] + defs + bflags
                cmd += (plugin if with_plugin else []) + srcs
                cmd += (libs if with_plugin else []) + ["-o", exe]
                run(cmd)
                secs, loaded = sections(exe)
                key = "plugin" if with_plugin else "noplugin"
                row[key] = {"text": secs.get(".text", 0), "loaded": loaded}
                if with_plugin:
                    row.update(summary(a.sites_tool, exe))
                    row["plugin"]["static_call_sites"] = secs.get(
                        ".static_call_sites", 0)
            n = row["sites"]
            row["per_site"] = {
                "record": row["record_bytes"] / n,
                "padding_mean": row["padding_mean"],
                "padding_max": row["padding_max"],
                "text_delta": (row["plugin"]["text"]
                               - row["noplugin"]["text"]) / n,
                "loaded_delta": (row["plugin"]["loaded"]
                                 - row["noplugin"]["loaded"]) / n,
            }
            results.append(row)

    lib = os.path.join(a.libdir, "libstaticcall.so")
    lib_secs, lib_loaded = sections(os.path.realpath(lib))
    mach = machine(cc)

    print("== code-size: bytes per call site, executables at -O2 with the "
          "plugin vs without")
    print("machine: Linux %s, %s, %d cores, gcc %s, %s" % (
        mach["kernel"], mach["cpu"], mach["nproc"], mach["gcc"],
        mach["date"]))
    print("  %-12s %-9s %6s %7s %8s %8s %9s %9s %11s %11s" % (
        "program", "build", "sites", "record", "pad.mean", "pad.max",
        "text+/site", "load+/site", ".text with", ".text w/o"))
    for r in results:
        p = r["per_site"]
        print("  %-12s %-9s %6d %7.1f %8.2f %8d %9.2f %9.2f %11d %11d" % (
            r["program"], r["build"], r["sites"], p["record"],
            p["padding_mean"], p["padding_max"], p["text_delta"],
            p["loaded_delta"], r["plugin"]["text"], r["noplugin"]["text"]))
    print("  runtime (shared, once per process): libstaticcall.so .text "
          "%d bytes, %d loaded" % (lib_secs.get(".text", 0), lib_loaded))
    bad = sum(r["bad"] for r in results)
    if bad:
        print("  FAILED: staticcall-sites found %d bad sites" % bad)

    if a.out:
        with open(a.out, "w") as f:
            json.dump({"benchmark": "code-size", "machine": mach,
                       "results": results,
                       "runtime": {"library": lib,
                                   "text": lib_secs.get(".text", 0),
                                   "loaded": lib_loaded}},
                      f, indent=2)
            f.write("\n")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

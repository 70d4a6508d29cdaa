#!/usr/bin/env python3
"""summary: the targets of doc/results.texi against the result files
`make bench' just wrote, each reported as met or missed.

It asserts nothing (its exit status is 0 unless a result file is
missing): the benchmarks run on shared, noisy machines, and a missed
target is something to profile, not a build failure.

usage: summary.py RESULTS-DIR
"""

import json
import os
import sys


def load(d, name):
    with open(os.path.join(d, name + ".json")) as f:
        return json.load(f)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: summary.py RESULTS-DIR")
    d = sys.argv[1]
    try:
        plain = load(d, "call-cost")
        retp = load(d, "call-cost-retpoline")
        upd = load(d, "update-cost")
    except OSError as e:
        sys.exit("summary: %s" % e)

    rows = []

    def target(what, value, ok, note=""):
        rows.append((what, value, "met" if ok else "MISSED", note))

    for res, name in ((plain, "plain"), (retp, "retpoline")):
        r = res["ratios"]["patched/direct"]
        target("patched/direct <= 1.02 (%s)" % name,
               "%.3f [%.3f, %.3f]" % (r["median"], r["q1"], r["q3"]),
               r["median"] <= 1.02)
    r = retp["ratios"]["indirect/patched"]
    target("indirect/patched >= 5 (retpoline)",
           "%.2f [%.2f, %.2f]" % (r["median"], r["q1"], r["q3"]),
           r["median"] >= 5)
    by_n = {u["sites"]: u for u in upd["updates"]}
    u = by_n.get(10000)
    if u:
        target("one update of 10000 sites <= 5 ms",
               "%.3f ms" % (u["us"]["median"] / 1000),
               u["us"]["median"] <= 5000)
        target("exactly 3 syncs per update (10000 sites)",
               "%d-%d" % tuple(u["syncs_per_update"]),
               u["syncs_per_update"] == [3, 3])
    syncs = sorted({s for u in upd["updates"] for s in u["syncs_per_update"]})
    target("sync count independent of N (1..%d sites)" % max(by_n),
           ", ".join(str(s) for s in syncs), len(syncs) == 1)
    if upd.get("failed_updates") or upd.get("bad_sites"):
        target("every update succeeded, every site calls its target",
               "%d failed, %d bad" % (upd["failed_updates"],
                                      upd["bad_sites"]), False)

    try:
        cc = load(d, "cond-cost")
    except OSError:
        cc = None
    if cc:
        r = cc["ratios"]["nop/test"]
        target("NOP'd conditional site / `if (p) p ()', p NULL <= 1",
               "%.3f [%.3f, %.3f]" % (r["median"], r["q1"], r["q3"]),
               r["median"] <= 1.0 and cc["nop_in_code"]
               and cc["ns_per_iteration"]["nop"]["site"] == "nop")

    try:
        st = load(d, "startup")
    except OSError:
        st = None
    if st:
        n = st["sites"]
        for part, name in (("executable", "executable"),
                           ("module", "dlopen'ed module")):
            r = st[part]
            target("3 syncs at load per object (%s)" % name,
                   "%d-%d (%d-%d batches)" % (tuple(r["syncs"])
                                              + tuple(r["batches"])),
                   r["syncs"][1] <= 3)
        for part, name in (("executable", "executable"),
                           ("module", "dlopen'ed module")):
            r = st[part]
            e = r["extra_us"]
            target("load <= 0.3 us per site (%s)" % name,
                   "%.3f us [%.3f, %.3f]" % (r["us_per_site"], e["q1"] / n,
                                             e["q3"] / n),
                   r["us_per_site"] <= 0.3)
        if st.get("bad_sites") or st.get("bad_check"):
            target("start-up: every site registered, direct and right",
                   "bad sites %d, bad result %d" % (st["bad_sites"],
                                                    st["bad_check"]), False)

    print("== targets (reported, not asserted; medians over interleaved "
          "rounds, [q1, q3])")
    w = max(len(r[0]) for r in rows)
    for what, value, verdict, note in rows:
        print("  %-*s  %-26s %s%s" % (w, what, value, verdict, note))
    for bp in ("emulate", "trampoline"):
        try:
            sp = load(d, "slow-path-" + bp)
        except OSError:
            continue
        print("  (info) a call that hits a site under patch, "
              "STATICCALL_BP=%s: +%.2f us (bare int3 signal %.2f us)"
              % (bp, sp["extra_per_hit_us"],
                 sp["reference_us"]["bare_int3_signal"]))
    print("  results: %s/*.json" % d)
    return 0


if __name__ == "__main__":
    sys.exit(main())

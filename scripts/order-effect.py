#!/usr/bin/env python3
"""What the dask.order port changes against schedsim's earlier DFS order, under the dask policy.

    python3 scripts/order-effect.py [--schedsim BIN] [--clusters 4x2,16x4] TRACE...

For each trace and cluster it replays twice (``--order dfs`` and ``--order dask``,
policy dask, seed 1, ideal runtime) and prints a Markdown table: makespan, peak
memory (the most bytes the scheduler holds in memory at once, each key counted
once: from transitions.csv, weighted by tasks.csv's output_bytes) and bytes
transferred, with the change dfs -> dask.
"""

import argparse
import csv
import os
import subprocess
import sys
import tempfile


def replay(binary, trace, cluster, order, out):
    subprocess.run([binary, "replay", trace, "--cluster", cluster, "--policy", "dask", "--order", order,
                    "--runtime", "ideal", "--seed", "1", "--out", out], check=True, capture_output=True, text=True)
    with open(os.path.join(out, "summary.csv"), newline="") as f:
        summary = next(csv.DictReader(f))
    with open(os.path.join(out, "tasks.csv"), newline="") as f:
        size = {r["key"]: int(r["output_bytes"] or 0) for r in csv.DictReader(f)}
    held, now, peak = set(), 0, 0
    with open(os.path.join(out, "transitions.csv"), newline="") as f:
        for r in csv.DictReader(f):
            key = r["key"]
            if r["to"] == "memory" and key not in held:
                held.add(key)
                now += size.get(key, 0)
                peak = max(peak, now)
            elif r["from"] == "memory" and r["to"] != "memory" and key in held:
                held.discard(key)
                now -= size.get(key, 0)
    return float(summary["makespan"]), peak, int(summary["transfer_bytes"] or 0), summary["outcome"]


def change(old, new):
    return "±0 %" if old == new else (f"{(new - old) / old * 100:+.1f} %" if old else "n/a")


def gb(x):
    return f"{x / 1e9:.3g} GB" if x >= 1e8 else f"{x / 1e6:.3g} MB"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schedsim", default=os.environ.get("SCHEDSIM_BIN", ".build/release/schedsim"))
    parser.add_argument("--clusters", default="4x2,16x4")
    parser.add_argument("traces", nargs="+")
    args = parser.parse_args()
    print("| trace | cluster | makespan dfs → dask | peak memory dfs → dask | transferred dfs → dask |")
    print("|---|---|---|---|---|")
    for trace in args.traces:
        for cluster in args.clusters.split(","):
            with tempfile.TemporaryDirectory() as tmp:
                a = replay(args.schedsim, trace, cluster, "dfs", os.path.join(tmp, "dfs"))
                b = replay(args.schedsim, trace, cluster, "dask", os.path.join(tmp, "dask"))
            name = os.path.basename(trace).split(".")[0]
            note = "" if a[3] == b[3] == "completed" else f" ({a[3]}/{b[3]})"
            print(f"| {name}{note} | {cluster} | {a[0]:.1f} → {b[0]:.1f} s ({change(a[0], b[0])}) | "
                  f"{gb(a[1])} → {gb(b[1])} ({change(a[1], b[1])}) | {gb(a[2])} → {gb(b[2])} ({change(a[2], b[2])}) |",
                  flush=True)


if __name__ == "__main__":
    sys.exit(main())

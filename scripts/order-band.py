#!/usr/bin/env python3
"""How much Dask's own dask.order.order changes with Python's hash seed, and where schedsim sits in that band.

    python3 scripts/order-band.py [--seeds 5] TRACE...

For each trace (any format schedsim reads; partial reads split as schedsim runs
them) it computes plain ``dask.order.order`` in SEEDS child processes with
PYTHONHASHSEED=0..SEEDS-1, and schedsim's order (Dask's own code with its sets
in trace order, which ``schedsim order`` equals rank for rank). It prints, per
trace, the share of tasks whose rank is identical between two Dask processes
(min / median over pairs) and between schedsim and a Dask process (min / median
over seeds). Needs dask==2026.8.0 and a built schedsim (SCHEDSIM_BIN or .build).
"""

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "python"))

CHILD = r"""
import json, sys
sys.path.insert(0, sys.argv[2])
from schedsim_dask.dask_order import graph_of, order_graph
from types import SimpleNamespace as NS
doc = json.load(open(sys.argv[1]))
tasks = [NS(key=t["key"], dependencies=t.get("dependencies") or [], kind=t.get("kind", "compute"),
            submission=t.get("submission", 0)) for t in doc["tasks"]]
subs = sorted({t.submission for t in tasks})
out = {}
for s in subs:
    dsk, listed = graph_of(tasks, s if len(subs) > 1 else None)
    out.update(order_graph(dsk, listed, deterministic=sys.argv[3] == "1"))
print(json.dumps([out[t.key] for t in tasks]))
"""


def ranks(native_path, seed, deterministic):
    env = dict(os.environ, PYTHONHASHSEED=str(seed))
    done = subprocess.run([sys.executable, "-c", CHILD, native_path, os.path.join(HERE, "..", "python"),
                           "1" if deterministic else "0"], capture_output=True, text=True, env=env, check=True)
    return json.loads(done.stdout)


def identical(a, b):
    return sum(x == y for x, y in zip(a, b)) / len(a)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("traces", nargs="+")
    args = parser.parse_args()
    from schedsim_dask.binary import convert_to_native
    import tempfile
    print("trace,tasks,dask_vs_dask_min,dask_vs_dask_median,schedsim_vs_dask_min,schedsim_vs_dask_median")
    for path in args.traces:
        document = convert_to_native(path)
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(document, f)
            native = f.name
        try:
            dask_runs = [ranks(native, s, False) for s in range(args.seeds)]
            ours = ranks(native, 0, True)
        finally:
            os.unlink(native)
        pairs = [identical(a, b) for a, b in itertools.combinations(dask_runs, 2)]
        versus = [identical(ours, d) for d in dask_runs]
        print(f"{path},{len(ours)},{min(pairs):.3f},{statistics.median(pairs):.3f},"
              f"{min(versus):.3f},{statistics.median(versus):.3f}", flush=True)


if __name__ == "__main__":
    main()

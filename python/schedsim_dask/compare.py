"""``compare``: the simulation of schedsim's Dask policy against real Dask, from their logs.

Both folders hold schedsim's CSV logs (docs/logs.md): one written by
``schedsim replay``, one by ``python -m schedsim_dask replay``. The comparison
uses what issue 10 asks for: makespan, per-worker task counts, transfer bytes
and the number of root tasks that were queued (Dask's ``queued`` state).
"""

import csv
import os

from .atomic import write_text
from .errors import BridgeError

HEADER = ("trace,cluster,sim_makespan,dask_makespan,makespan_rel_error,sim_tasks_per_worker,"
          "dask_tasks_per_worker,sim_transfer_bytes,dask_transfer_bytes,sim_transfers,dask_transfers,"
          "sim_queued,dask_queued")


def _read(folder, name):
    path = os.path.join(folder, name)
    try:
        with open(path, newline="", encoding="utf-8") as f:
            return list(csv.DictReader(f))
    except FileNotFoundError:
        raise BridgeError(f"{path}: no such file (expected schedsim logs in {folder})") from None


def computed_keys(folder):
    """Keys that ran on a worker (have a start); scattered data tasks do not."""
    return {r["key"] for r in _read(folder, "tasks.csv") if r["worker"] and r["start"]}


def facts(folder, keys=None):
    """Makespan, tasks per worker, transfers and queued count of one run's logs.

    ``keys``: count only these tasks per worker (the simulator scatters a trace's
    data tasks from the client; the Dask replay runs them as zero-second tasks).
    """
    summary = _read(folder, "summary.csv")
    if len(summary) != 1:
        raise BridgeError(f"{folder}/summary.csv: expected one run, found {len(summary)} rows")
    s = summary[0]
    per_worker = {}
    for row in _read(folder, "tasks.csv"):
        if row["worker"] and row["start"] and (keys is None or row["key"] in keys):
            per_worker[row["worker"]] = per_worker.get(row["worker"], 0) + 1
    # Worker-to-worker bytes only: the final gather to the client is the same in both, and the
    # simulator's scatter of data tasks from the client has no counterpart in the Dask replay.
    moved = [r for r in _read(folder, "transfers.csv")
             if not r["to_worker"].startswith("client") and not r["from_worker"].startswith("client")]
    queued = {r["key"] for r in _read(folder, "transitions.csv")
              if r["to"] == "queued" and (keys is None or r["key"] in keys)}
    return {
        "trace": s["trace"], "cluster": s["cluster"], "makespan": float(s["makespan"]),
        "per_worker": per_worker, "transfer_bytes": sum(int(r["bytes"]) for r in moved),
        "transfers": len({(r["from_worker"], r["to_worker"], r["start"], r["end"]) for r in moved}),
        "queued": len(queued),
    }


def _counts(per_worker):
    """Tasks per worker as 'a/b/c', workers in name order (worker-2 before worker-10)."""
    import re

    key = lambda n: [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", n)]  # noqa: E731
    return "/".join(str(per_worker[w]) for w in sorted(per_worker, key=key))


def compare_folders(sim, real, csv_path=None):
    """One comparison row (CSV) and, if ``csv_path`` is given, append it there (atomically)."""
    keys = computed_keys(sim)
    a, b = facts(sim, keys), facts(real, keys)
    error = (a["makespan"] - b["makespan"]) / b["makespan"] if b["makespan"] > 0 else 0.0
    row = ",".join(str(v) for v in (
        a["trace"], b["cluster"], f"{a['makespan']:.3f}", f"{b['makespan']:.3f}", f"{error:+.3f}",
        _counts(a["per_worker"]), _counts(b["per_worker"]), a["transfer_bytes"], b["transfer_bytes"],
        a["transfers"], b["transfers"], a["queued"], b["queued"]))
    if csv_path:
        old = ""
        if os.path.exists(csv_path):
            with open(csv_path, encoding="utf-8") as f:
                old = f.read()
        write_text(csv_path, (old or HEADER + "\n") + row + "\n")
    return HEADER + "\n" + row

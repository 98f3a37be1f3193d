"""``sweep``: a ``schedsim compare`` grid split into shards that run as tasks on a Dask cluster.

The grid file (YAML or JSON) holds ``schedsim compare``'s options::

    traces: [../traces/native/diamond.json]   # relative to the grid file
    policies: [dask, random]                  # or "all"
    info: [exact]
    seeds: "1-3"
    cluster: 2x2
    network: simple                           # optional
    set: {worker-saturation: 2.0}             # optional, --set name=value
    noise_cv: 0.1                             # optional
    shards: 3                                 # default: the number of workers' threads

Each shard is one Dask task: it writes the traces (sent with the task, so the
workers need no shared file system) to a temporary folder, runs
``schedsim compare ... --shard I/N --jobs 1`` there and returns the shard's
``summary.csv``. The client writes them under ``OUT/shards/`` and joins them with
``schedsim merge`` into ``OUT/summary.csv``, byte-identical to a local
``schedsim compare`` of the whole grid.
"""

import json
import os
import subprocess
import tempfile

import cloudpickle

from .atomic import write_text
from .binary import find_schedsim, run_schedsim
from .cluster import open_cluster
from .errors import BridgeError

KNOWN = {"traces", "policies", "info", "seeds", "cluster", "network", "set", "noise_cv", "shards",
         "scheduler_service_time", "event_limit"}


def load_grid(path):
    """Read and check a grid file; returns (options dict, trace paths resolved against the grid's folder)."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as error:
        raise BridgeError(f"{path}: cannot read: {error.strerror}") from None
    try:
        import yaml

        grid = yaml.safe_load(text)
    except Exception as error:  # yaml's errors carry the line and column
        raise BridgeError(f"{path}: not valid YAML/JSON: {error}") from None
    if not isinstance(grid, dict):
        raise BridgeError(f"{path}: expected a mapping of compare options at the top level")
    unknown = sorted(set(grid) - KNOWN)
    if unknown:
        raise BridgeError(f"{path}: unknown key '{unknown[0]}'; known: {', '.join(sorted(KNOWN))}")
    traces = grid.get("traces")
    if not isinstance(traces, list) or not traces or not all(isinstance(t, str) for t in traces):
        raise BridgeError(f"{path}: traces: expected a non-empty list of file names")
    base = os.path.dirname(os.path.abspath(path))
    resolved = []
    for i, t in enumerate(traces):
        full = t if os.path.isabs(t) else os.path.join(base, t)
        if not os.path.isfile(full):
            raise BridgeError(f"{path}: traces[{i}]: no such file '{t}'")
        resolved.append(full)
    names = [os.path.basename(t) for t in resolved]
    if len(set(names)) != len(names):
        raise BridgeError(f"{path}: traces: two traces have the same file name; the shards need distinct names")
    return grid, resolved


def _as_list(value):
    return ",".join(str(v) for v in value) if isinstance(value, list) else str(value)


def compare_args(grid, trace_names):
    """``schedsim compare`` arguments of the grid (without --shard, --out, --jobs)."""
    args = list(trace_names)
    for key, flag in (("policies", "--policies"), ("info", "--info"), ("seeds", "--seeds"),
                      ("cluster", "--cluster"), ("network", "--network"), ("noise_cv", "--noise-cv"),
                      ("scheduler_service_time", "--scheduler-service-time"), ("event_limit", "--event-limit")):
        if key in grid and grid[key] is not None:
            args += [flag, _as_list(grid[key])]
    for name, value in (grid.get("set") or {}).items():
        args += ["--set", f"{name}={value}"]
    return args + ["--no-progress", "--jobs", "1"]


def run_shard(binary, traces, args, index, count):
    """Runs on a worker: one shard of the grid in a temporary folder; returns its summary.csv text."""
    with tempfile.TemporaryDirectory(prefix="schedsim-shard-") as tmp:
        for name, data in traces.items():
            with open(os.path.join(tmp, name), "wb") as f:
                f.write(data)
        command = [binary, "compare", *args, "--shard", f"{index}/{count}", "--out", "out"]
        done = subprocess.run(command, cwd=tmp, capture_output=True, text=True)
        # compare exits 2 when a run did not complete: its row is still in summary.csv.
        if done.returncode not in (0, 2):
            raise RuntimeError(f"shard {index}/{count}: schedsim compare failed: {done.stderr.strip()}")
        with open(os.path.join(tmp, "out", "summary.csv"), encoding="utf-8") as f:
            return f.read()


def sweep(grid_path, out, scheduler=None, workers=2, threads=1, shards=None, schedsim_bin=None, timeout=10,
          processes=True):
    """Run the grid's shards on a Dask cluster and merge them into ``out/summary.csv``."""
    grid, traces = load_grid(grid_path)
    local_binary = find_schedsim()
    binary = schedsim_bin or local_binary
    names = [os.path.basename(t) for t in traces]
    args = compare_args(grid, names)
    payload = {}
    for name, path in zip(names, traces):
        with open(path, "rb") as f:
            payload[name] = f.read()
    with open_cluster(scheduler, workers, threads, processes, None, timeout) as client:
        count = int(shards or grid.get("shards") or sum(client.nthreads().values()))
        if count < 1:
            raise BridgeError(f"{grid_path}: shards: expected at least 1")
        from . import sweep as this_module

        cloudpickle.register_pickle_by_value(this_module)
        futures = [client.submit(run_shard, binary, payload, args, i, count, key=f"schedsim-shard-{i}-of-{count}",
                                 pure=False) for i in range(1, count + 1)]
        try:
            texts = client.gather(futures)
        except RuntimeError as error:
            raise BridgeError(str(error)) from None
    shard_dirs = []
    for i, text in enumerate(texts, start=1):
        folder = os.path.join(out, "shards", f"{i}-of-{count}")
        os.makedirs(folder, exist_ok=True)
        write_text(os.path.join(folder, "summary.csv"), text)
        shard_dirs.append(folder)
    run_schedsim(["merge", *shard_dirs, "--out", out])
    return os.path.join(out, "summary.csv"), count

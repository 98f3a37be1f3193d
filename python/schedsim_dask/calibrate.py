"""``calibrate``: run a fixed micro-benchmark suite on a Dask cluster, capture every benchmark with
the bridge's capture machinery, and fit a runtime-cost profile from the captures with
``schedsim calibrate CAPTURE… -o profile.yaml``.

    python -m schedsim_dask calibrate (--local 2x1 | --scheduler ADDRESS) -o profile.yaml [--keep DIR]

The benchmarks (each one capture, ``DIR/<name>.json.gz``, listed in ``DIR/manifest.json``):

* ``noop_map``: 2,000 independent no-op tasks in one ``client.map``: the per-task round trip;
* ``chains``: 4 independent chains of 100 no-op tasks: a dependent task on the same worker;
* ``tree_reduce``: a binary tree of no-op combines over 256 leaves (511 tasks);
* ``transfer_<size>``: a task on the first worker makes ``size`` random bytes (1 kB, 100 kB, 1 MB,
  10 MB, 100 MB), a task pinned to the second worker takes its length, so the bytes cross between
  the two workers once; repeated one after the other (20, 20, 10, 5 and 3 times), never overlapping.

With ``--local N×T`` the suite runs on a new ``LocalCluster(n_workers=N, threads_per_worker=T,
processes=True)``; with ``--scheduler`` on a running cluster (only what each benchmark's client
did is captured). The transfer benchmarks need two workers and are left out on one.
"""

import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import dask

from .atomic import write_json
from .binary import find_schedsim
from .capture import capture, record_params
from .cluster import log_config, worker_names
from .errors import BridgeError

TRANSFER_SIZES = (("1kB", 1_000, 20), ("100kB", 100_000, 20), ("1MB", 1_000_000, 10),
                  ("10MB", 10_000_000, 5), ("100MB", 100_000_000, 3))


def noop(*args):
    return None


def chain_step(previous, i):
    return i


def combine(a, b):
    return None


def make_bytes(size, seed):
    import numpy as np

    return np.random.default_rng(seed).bytes(size)


def byte_count(data):
    return len(data)


def run_noop_map(client, workers, tasks=2000):
    futures = client.map(noop, range(tasks), key=[f"noop-{i:05d}" for i in range(tasks)])
    client.gather(futures)
    return {"tasks": tasks}


def run_chains(client, workers, chains=4, length=100):
    ends = []
    for c in range(chains):
        node = dask.delayed(chain_step)(None, 0, dask_key_name=f"chain-{c}-000")
        for i in range(1, length):
            node = dask.delayed(chain_step)(node, i, dask_key_name=f"chain-{c}-{i:03d}")
        ends.append(node)
    dask.compute(*ends)
    return {"chains": chains, "length": length}


def run_tree_reduce(client, workers, leaves=256):
    layer = [dask.delayed(noop)(i, dask_key_name=f"tree-leaf-{i:04d}") for i in range(leaves)]
    level = 0
    while len(layer) > 1:
        level += 1
        layer = [dask.delayed(combine)(layer[i], layer[i + 1], dask_key_name=f"tree-L{level}-{i // 2:04d}")
                 for i in range(0, len(layer), 2)]
    layer[0].compute()
    return {"leaves": leaves, "tasks": 2 * leaves - 1}


def transfer_benchmark(label, size, repeats):
    def run(client, workers, size=size, repeats=repeats):
        source, target = workers[0], workers[1]
        for i in range(repeats):
            data = client.submit(make_bytes, size, i, key=f"transfer-make-{label}-{i:02d}", workers=[source],
                                 allow_other_workers=False)
            length = client.submit(byte_count, data, key=f"transfer-take-{label}-{i:02d}", workers=[target],
                                   allow_other_workers=False)
            if length.result() != size:
                raise BridgeError(f"transfer benchmark {label}: received {length.result()} bytes, not {size}")
            del data, length
        return {"bytes": size, "repeats": repeats, "from": source, "to": target}

    return run


# name -> (what it measures, function(client, worker addresses) -> params, needs two workers)
BENCHMARKS = {
    "noop_map": ("2,000 independent no-op tasks (client.map): the per-task round trip", run_noop_map, False),
    "chains": ("4 chains of 100 dependent no-op tasks", run_chains, False),
    "tree_reduce": ("binary tree of no-op combines over 256 leaves (511 tasks)", run_tree_reduce, False),
    **{f"transfer_{label}": (f"{size:,} random bytes moved worker 0 -> worker 1, {repeats} times in turn",
                             transfer_benchmark(label, size, repeats), True)
       for label, size, repeats in TRANSFER_SIZES},
}


def parse_shape(text):
    """``2x1`` / ``2×1`` -> (2, 1)."""
    match = re.fullmatch(r"\s*(\d+)\s*[x×X]\s*(\d+)\s*", text or "")
    if not match:
        raise BridgeError(f"--local {text!r}: expected WORKERSxTHREADS, e.g. 2x1")
    workers, threads = int(match.group(1)), int(match.group(2))
    if workers < 1 or threads < 1:
        raise BridgeError(f"--local {text}: workers and threads must be at least 1")
    return workers, threads


@contextlib.contextmanager
def _cluster(local, scheduler, processes, timeout):
    """Yields (address or cluster object to connect a Client to, description)."""
    if local:
        from distributed import LocalCluster

        workers, threads = local
        with dask.config.set(log_config()):
            cluster = LocalCluster(n_workers=workers, threads_per_worker=threads, processes=processes,
                                   dashboard_address=":0")
        try:
            yield cluster, f"LocalCluster {workers}x{threads}" + ("" if processes else " (threads)")
        finally:
            cluster.close()
    else:
        yield scheduler, f"scheduler {scheduler}"


def _connect(target, timeout):
    from distributed import Client

    try:
        return Client(target, timeout=timeout)
    except (OSError, TimeoutError) as error:
        raise BridgeError(f"cannot reach the Dask scheduler at {target} within {timeout} s: {error}") from None


def has_calibrate(binary):
    """True when ``schedsim --help`` lists a ``calibrate`` subcommand."""
    try:
        done = subprocess.run([binary, "--help"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return re.search(r"^\s+calibrate\b", done.stdout + done.stderr, re.MULTILINE) is not None


def run_benchmarks(folder, local=None, scheduler=None, processes=True, timeout=10, only=None, log=None):
    """Capture every benchmark into ``folder``; returns the manifest entries."""
    log = log or (lambda text: print(text, flush=True))
    names = list(only or BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        raise BridgeError(f"unknown benchmark(s) {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
    os.makedirs(folder, exist_ok=True)
    entries = []
    with _cluster(local, scheduler, processes, timeout) as (target, description):
        with _connect(target, timeout) as probe:
            if local:
                probe.wait_for_workers(local[0], timeout=120)
            workers = sorted(worker_names(probe)[0])
            if not workers:
                raise BridgeError(f"{description}: the cluster has no workers")
            probe.run(__import__, "numpy")  # not part of any benchmark's time
        log(f"calibrating on {description}: {len(workers)} workers")
        for name in names:
            what, function, needs_two = BENCHMARKS[name]
            if needs_two and len(workers) < 2:
                log(f"  {name}: left out (needs two workers; the cluster has one)")
                continue
            path = os.path.join(folder, f"{name}.json.gz")
            started = time.monotonic()
            try:
                with capture(path, workload=f"calibrate-{name}"):
                    with _connect(target, timeout) as client:
                        params = function(client, workers)
                        record_params(benchmark=name, description=what, **params)
            except BridgeError:
                raise
            except Exception as error:  # a worker died, the cluster went away, …
                raise BridgeError(f"benchmark {name} failed: {type(error).__name__}: {error}; the captures made "
                                  f"before it are in {folder}") from None
            seconds = time.monotonic() - started
            entries.append({"benchmark": name, "file": os.path.basename(path), "description": what,
                            "params": params, "seconds": round(seconds, 3)})
            log(f"  {name}: captured in {seconds:.1f} s -> {path}")
    return entries


def calibrate(output, local=None, scheduler=None, keep=None, processes=True, timeout=10, only=None, log=None):
    """Run the suite, keep the captures, and run ``schedsim calibrate`` on them into ``output``.

    ``local`` is ``(workers, threads)``. Returns the folder holding the captures. A schedsim without
    ``calibrate`` (or one that fails) is a BridgeError saying where the captures are and what to run.
    """
    log = log or (lambda text: print(text, flush=True))
    if (local is None) == (scheduler is None):
        raise BridgeError("give exactly one of --local WORKERSxTHREADS or --scheduler ADDRESS")
    if keep and os.path.exists(keep) and not os.path.isdir(keep):
        raise BridgeError(f"--keep {keep}: not a folder")
    out_dir = os.path.dirname(os.path.abspath(output))
    if keep and os.path.abspath(out_dir) == os.path.abspath(keep):
        os.makedirs(keep, exist_ok=True)  # `-o DIR/profile.yaml --keep DIR`
    if not os.path.isdir(out_dir):
        raise BridgeError(f"-o {output}: the folder {out_dir} does not exist")
    unknown = [n for n in (only or ()) if n not in BENCHMARKS]
    if unknown:
        raise BridgeError(f"unknown benchmark(s) {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
    binary = find_schedsim()  # before the benchmarks, not after them
    folder = keep or tempfile.mkdtemp(prefix="schedsim-calibrate-")
    entries = run_benchmarks(folder, local=local, scheduler=scheduler, processes=processes, timeout=timeout,
                             only=only, log=log)
    cluster = ({"type": "LocalCluster", "n_workers": local[0], "threads_per_worker": local[1],
                "processes": processes} if local else {"type": "external", "address": scheduler})
    write_json(os.path.join(folder, "manifest.json"), {
        "format": "schedsim-calibration-captures/0.1", "cluster": cluster, "benchmarks": entries,
        "python": sys.version.split()[0], "dask": dask.__version__,
        "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
    })
    captures = [os.path.join(folder, e["file"]) for e in entries]
    # Written next to the output and renamed into place: a profile that exists is whole.
    base, ext = os.path.splitext(os.path.basename(output))
    partial = os.path.join(out_dir, f".{base}.partial{ext or '.yaml'}")
    command = [binary, "calibrate", *captures, "-o", partial]
    rerun = f"{binary} calibrate {os.path.join(folder, '*.json.gz')} -o {output}"
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    except subprocess.TimeoutExpired:
        raise BridgeError(f"schedsim calibrate: no answer after 1800 s; the captures are kept in {folder}; "
                          f"run: {rerun}") from None
    if done.returncode != 0 or not os.path.exists(partial):
        if os.path.exists(partial):
            os.remove(partial)
        message = (done.stderr or done.stdout).strip()
        if not has_calibrate(binary):
            raise BridgeError(f"{binary} has no `calibrate` command (it answered: {message.splitlines()[0] if message else done.returncode}); "
                              f"the {len(captures)} captures are kept in {folder}; with a schedsim that has it, run: {rerun}")
        raise BridgeError(f"schedsim calibrate failed (exit status {done.returncode}): {message}; the captures are "
                          f"kept in {folder}; run: {rerun}")
    os.replace(partial, output)
    if not keep:
        shutil.rmtree(folder, ignore_errors=True)
    log(done.stdout.strip() or f"profile written to {output}")
    return folder

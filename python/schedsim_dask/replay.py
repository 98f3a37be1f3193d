"""``replay``: run a schedsim trace on real dask.distributed and write schedsim's logs.

Each trace task becomes one Dask task that sleeps (or spins) for its duration
and returns ``output_bytes`` bytes; its dependencies are its arguments, so Dask
moves real data between workers. The whole graph goes to the scheduler in one
``update-graph``, as a Dask collection's would, with the trace's user
priorities, worker restrictions, resources and retries as Dask annotations.
"""

import time

import cloudpickle
import dask
from dask.highlevelgraph import HighLevelGraph, MaterializedLayer
from distributed import get_task_stream

from . import recorder, work
from .binary import convert_to_native
from .cluster import open_cluster, worker_names
from .errors import BridgeError
from .logs import (
    SUMMARY_HEADER, TASKS_HEADER, TRANSFERS_HEADER, TRANSITIONS_HEADER, WORKERS_HEADER, seconds, table,
)
from .atomic import write_files
from .trace import critical_path, parse_native


def load_trace(path):
    """Any trace schedsim reads -> a checked Trace (errors before any cluster starts)."""
    return parse_native(convert_to_native(path), source=path)


def check_resources(trace, provided, where):
    """Every resource a task asks for must exist on some worker, or Dask would wait forever."""
    for t in trace.tasks:
        for name, amount in t.resources.items():
            best = max((r.get(name, 0) for r in provided), default=0)
            if best < amount:
                raise BridgeError(
                    f"tasks[{t.index}] (task '{t.key}'): resources: needs {name}={amount:g}, "
                    f"but no worker of {where} has that much (give workers --resources {name}=N)"
                )


def _restriction_names(trace_workers, names_by_address):
    """Trace worker names (``worker-0``) -> what Dask's ``workers=`` accepts (addresses)."""
    address_by_name = {name: address for address, name in names_by_address.items()}
    out = []
    for w in trace_workers:
        out.append(address_by_name.get(w, w))
    return out


def check_restrictions(trace, names_by_address):
    """A strict restriction that names no worker of the cluster would leave the task in no-worker forever."""
    known = set(names_by_address) | set(names_by_address.values())
    hosts = {a.split("://")[-1].rsplit(":", 1)[0].split("/")[0] for a in names_by_address}
    for t in trace.tasks:
        if (t.workers or t.hosts) and not t.loose:
            if not any(w in known for w in t.workers) and not any(h in hosts for h in t.hosts):
                raise BridgeError(
                    f"tasks[{t.index}] (task '{t.key}'): restrictions: none of {t.workers + t.hosts} is a worker "
                    f"of the cluster ({', '.join(sorted(names_by_address.values()))})"
                )


def build_graph(trace, mode, time_scale, size_scale, names_by_address):
    """One HighLevelGraph: a layer per set of annotation kinds, so each task carries only its own."""
    tasks_by_kinds = {}
    values = {}
    for t in trace.tasks:
        annotations = {}
        if t.priority:
            annotations["priority"] = t.priority
        if t.workers or t.hosts:
            annotations["workers"] = _restriction_names(t.workers, names_by_address) + list(t.hosts)
            if t.loose:
                annotations["allow_other_workers"] = True
        if t.resources:
            annotations["resources"] = dict(t.resources)
        if t.retries:
            annotations["retries"] = t.retries
        kinds = tuple(sorted(annotations))
        task = (work.replay_task, t.duration * time_scale, int(t.output_bytes * size_scale), mode, *t.dependencies)
        tasks_by_kinds.setdefault(kinds, {})[t.key] = task
        for kind, value in annotations.items():
            values.setdefault(kind, {})[t.key] = value
    layers = {}
    dependencies = {}
    for i, (kinds, dsk) in enumerate(tasks_by_kinds.items()):
        # A layer annotation may be a function of the key: here a dict lookup.
        annotations = {kind: values[kind].__getitem__ for kind in kinds}
        name = f"schedsim-replay-{i}"
        layers[name] = MaterializedLayer(dsk, annotations=annotations or None)
        dependencies[name] = set()
    return HighLevelGraph(layers, dependencies)


def replay(trace_path, out, workers=4, threads=2, scheduler=None, mode="sleep", time_scale=1.0,
           size_scale=1.0, processes=True, resources=None, timeout=10):
    """Replay ``trace_path`` on Dask and write tasks/transitions/transfers/workers/summary CSVs to ``out``.

    Returns the summary as a dict. Nothing is written unless the whole run finished.
    """
    trace = load_trace(trace_path)
    if mode not in ("sleep", "spin"):
        raise BridgeError(f"--work '{mode}': expected sleep or spin")
    if scheduler is None:
        check_resources(trace, [resources or {}], f"the LocalCluster ({workers} workers)")
    with open_cluster(scheduler, workers, threads, processes, resources, timeout) as client:
        names, info = worker_names(client)
        if scheduler is not None:
            check_resources(trace, [w.get("resources") or {} for w in info.values()], f"the cluster at {scheduler}")
        check_restrictions(trace, names)
        cloudpickle.register_pickle_by_value(work)
        recorder.install(client)
        graph = build_graph(trace, mode, time_scale, size_scale, names)
        # Keys stay as they are: no low-level optimisation may fuse or rename tasks.
        with dask.config.set({"optimization.fuse.active": False}), get_task_stream(client=client) as ts:
            t0 = time.time()
            futures = client.get(graph, trace.wanted, sync=False)
            held = {}
            try:
                for key, future in zip(trace.wanted, futures):
                    future.result()
                    held[key] = time.time() - t0
            except Exception as error:  # a lost worker, an out-of-memory kill: nothing is written
                raise BridgeError(f"{trace_path}: the run on Dask failed: {type(error).__name__}: {error}") from None
        makespan = max(held.values(), default=0.0)
        graph_records, transitions = recorder.collect(client)
        stream = _stream_by_key(ts.data, {t.key for t in trace.tasks})
        transfer_logs = client.run(_transfer_log)
        steals = client.run_on_scheduler(_confirmed_steals)
        del futures
    cluster_label = f"{workers}x{threads}" if scheduler is None else scheduler
    files, summary = build_logs(trace, t0, makespan, held, transitions, stream, transfer_logs, names, info,
                                cluster_label, steals, time_scale)
    write_files(out, files)
    return summary


def _stream_by_key(records, keys):
    """Task-stream records of these keys (worker, nbytes, status, startstops), by key, in order."""
    out = {}
    for msg in records:
        key = str(msg.get("key"))
        if key in keys:
            out.setdefault(key, []).append(
                {"worker": msg.get("worker"), "nbytes": msg.get("nbytes"), "status": msg.get("status"),
                 "startstops": [dict(s) for s in msg.get("startstops", [])]})
    return out


def _transfer_log(dask_worker):
    """A worker's incoming transfers (Dask's transfer_incoming_log)."""
    entries = []
    for e in dask_worker.transfer_incoming_log:
        entries.append({"start": e["start"], "stop": e["stop"], "who": e["who"],
                        "keys": {str(k): v for k, v in e["keys"].items()}, "total": e["total"]})
    return {"incoming": entries, "nthreads": dask_worker.state.nthreads}


def _confirmed_steals(dask_scheduler):
    """How many work-stealing moves the scheduler confirmed."""
    return sum(1 for _, msg in dask_scheduler.get_events("stealing")
               if isinstance(msg, (list, tuple)) and msg and msg[0] == "confirm")


def build_logs(trace, t0, makespan, held, transitions, stream, transfer_logs, names, info, cluster_label,
               steals, time_scale):
    """The five CSV texts (docs/logs.md) and the summary row, all times relative to ``t0``."""
    keys = {t.key for t in trace.tasks}
    name = lambda address: names.get(address, address or "")  # noqa: E731
    rel = lambda t: None if t is None else max(0.0, t - t0)  # noqa: E731

    # Transitions of this trace's keys, in the order the scheduler made them.
    ours = [r for r in transitions if r["key"] in keys]
    submit, memory_at, last_state, attempts, final_worker = {}, {}, {}, {}, {}
    for r in ours:
        submit.setdefault(r["key"], r["t"])
        if r["finish"] == "memory":
            memory_at.setdefault(r["key"], r["t"])
        if r["finish"] == "processing":
            attempts[r["key"]] = attempts.get(r["key"], 0) + 1
        last_state[r["key"]] = r["finish"]
    transition_rows = [
        (seconds(rel(r["t"])), r["key"], r["start"], r["finish"], r["stimulus_id"], name(r.get("worker")))
        for r in ours
    ]

    # Transfers: one row per key moved between workers, from the receivers' logs.
    transfer_rows = []
    received = {}  # (worker, key) -> bytes
    transfers = 0
    for address in sorted(transfer_logs):
        for e in transfer_logs[address]["incoming"]:
            moved = [(k, b) for k, b in e["keys"].items() if k in keys]
            if not moved:
                continue
            transfers += 1
            for k, b in moved:
                transfer_rows.append((k, name(e["who"]), name(address), b, seconds(rel(e["start"])), seconds(rel(e["stop"]))))
                received[(address, k)] = received.get((address, k), 0) + b
    transfer_rows.sort(key=lambda r: (r[4], r[0], r[2]))

    task_rows = []
    busy = 0.0
    intervals = {}
    finished = 0
    for t in trace.tasks:
        records = stream.get(t.key, [])
        last = records[-1] if records else None
        computes = [s for s in (last["startstops"] if last else []) if s.get("action") == "compute"]
        start = min((s["start"] for s in computes), default=None)
        end = max((s["stop"] for s in computes), default=None)
        address = last["worker"] if last else None
        if last and last.get("status") == "OK":
            finished += 1
        for s in computes:
            busy += s["stop"] - s["start"]
            intervals.setdefault(address, []).append((rel(s["start"]), rel(s["stop"])))
        deps_ready = [memory_at.get(d) for d in t.dependencies]
        ready = None
        if t.key in submit and all(d is not None for d in deps_ready):
            ready = max([submit[t.key]] + deps_ready)
        fetched = sum(received.get((address, d), 0) for d in t.dependencies) if address else 0
        task_rows.append((
            t.key, t.prefix, name(address) if address else "", seconds(rel(submit.get(t.key))), seconds(rel(ready)),
            seconds(rel(start)), seconds(rel(end)),
            seconds(end - start) if start is not None else "",
            last["nbytes"] if last and last.get("nbytes") is not None else "",
            fetched, last_state.get(t.key, ""), attempts.get(t.key, 0),
        ))

    # Final gather of the wanted keys to the client, as the simulator counts it.
    by_key = {r[0]: r for r in task_rows}
    for key in trace.wanted:
        row = by_key[key]
        if row[2]:
            transfer_rows.append((key, row[2], "client-0", row[8] or 0, row[6], seconds(held[key])))
            transfers += 1
    transfer_bytes = sum(int(r[3] or 0) for r in transfer_rows)

    # workers.csv: one sample per second (and at the end) of threads busy and result bytes held.
    worker_rows = _worker_samples(ours, intervals, names, info, makespan, rel, trace)
    threads = sum(int(v.get("nthreads", 1)) for v in info.values())
    total_work = sum(t.duration for t in trace.tasks) * time_scale
    outcome = "completed" if len(held) == len(trace.wanted) else "failed"
    summary = {
        "trace": trace.name, "policy": "dask", "cluster": cluster_label, "seed": "", "backend": "dask",
        "makespan": seconds(makespan), "tasks": finished,
        "utilisation": f"{busy / (threads * makespan):.6f}" if makespan > 0 and threads else "",
        "transfers": transfers, "transfer_bytes": transfer_bytes, "steals": steals, "events": len(ours),
        "wall_seconds": seconds(makespan), "network": "", "critical_path": seconds(critical_path(trace) * time_scale),
        "work_bound": seconds(total_work / threads if threads else 0.0), "outcome": outcome,
        "detail": f"real Dask run: all {len(trace.wanted)} wanted keys gathered by the client",
        "runtime": "",
    }
    files = {
        "tasks.csv": table(TASKS_HEADER, task_rows),
        "transitions.csv": table(TRANSITIONS_HEADER, transition_rows),
        "transfers.csv": table(TRANSFERS_HEADER, transfer_rows),
        "workers.csv": table(WORKERS_HEADER, worker_rows),
        "summary.csv": table(SUMMARY_HEADER, [tuple(summary.values())]),
    }
    return files, summary


def _worker_samples(transitions, intervals, names, info, makespan, rel, trace):
    """busy_threads and memory_bytes per worker every second; queued and occupancy are not observable."""
    sizes = {}
    held = {}  # address -> list of (from, until, bytes) for results computed there
    opened = {}
    for r in transitions:
        if r["finish"] == "memory" and r.get("worker"):
            opened[r["key"]] = (r["worker"], rel(r["t"]), r.get("nbytes") or 0)
        elif r["start"] == "memory" and r["key"] in opened:
            address, since, nbytes = opened.pop(r["key"])
            held.setdefault(address, []).append((since, rel(r["t"]), nbytes))
    for key, (address, since, nbytes) in opened.items():
        held.setdefault(address, []).append((since, None, nbytes))
    times = [float(s) for s in range(int(makespan) + 1)]
    if not times or times[-1] < makespan:
        times.append(makespan)
    rows = []
    for t in times:
        for address in sorted(info, key=lambda a: _natural(names[a])):
            busy = sum(1 for a, b in intervals.get(address, []) if a <= t < b)
            memory = sum(n for a, b, n in held.get(address, []) if a <= t and (b is None or t < b))
            rows.append((seconds(t), names[address], busy, "", memory, ""))
    return rows


def _natural(name):
    """Sort key putting worker-2 before worker-10."""
    import re

    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name)]

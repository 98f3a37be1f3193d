"""``capture``: record a real Dask computation as a ``dask-trace/0.1`` file.

Inside ``with capture("trace.json"):`` every synchronous ``distributed.Client``
that is created (on a LocalCluster the code starts or on a cluster it connects
to) gets a recorder on its scheduler. Just before that client closes, or when
the block ends, the bridge collects what the scheduler and workers saw: the
graph as the scheduler received it, the task stream, the transitions, the
transfer logs and the cluster's shape. The file is written once, atomically,
when the block ends without an exception.

The format is the one schedsim's importer reads (``schedsim info trace.json``),
described in docs/dask-bridge.md and docs/formats.md.
"""

import contextlib
import os
import platform
import runpy
import sys
import time
import traceback
import warnings

import dask
import distributed

from . import recorder
from .atomic import write_json
from .cluster import log_config
from .errors import BridgeError

FORMAT = "dask-trace/0.1"

# Task prefixes of Dask's P2P shuffle: their data moves through the shuffle
# extension, outside task dependencies and transfer logs.
P2P_MARKERS = ("shuffle-transfer", "shuffle-barrier", "p2pshuffle", "shuffle_p2p", "unpack-")
P2P_SPEC_TYPES = ("P2PBarrierTask",)

# The Dask settings recorded in `meta.config`.
CONFIG_KEYS = (
    "distributed.scheduler.worker-saturation", "distributed.scheduler.work-stealing",
    "distributed.scheduler.work-stealing-interval", "distributed.scheduler.unknown-task-duration",
    "distributed.scheduler.bandwidth", "distributed.admin.low-level-log-length",
    "dataframe.shuffle.method", "array.rechunk.method", "optimization.fuse.active")


def _config_snapshot():
    """The recorded settings as this process's dask.config holds them now."""
    return {k: _finite(dask.config.get(k, None)) for k in CONFIG_KEYS}


def _finite(value):
    """JSON has no infinity: Dask's own spelling of an infinite setting is the string "inf"."""
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return "inf" if value > 0 else ("-inf" if value < 0 else "nan")
    return value


class P2PShuffleWarning(UserWarning):
    """Data moved outside task dependencies (P2P shuffle); a replay cannot see those bytes."""


class _Session:
    """What one capture has collected so far, over every client it saw."""

    def __init__(self, workload):
        self.workload = workload
        self.clients = []
        self.collected = set()
        self.parts = []  # one dict per collected client
        self.configs = {}  # id(client) -> dask.config snapshot taken when the client was seen
        self.baselines = {}  # id(client) -> log positions when the client was seen
        self.started = time.time()
        self.load_start = _loadavg()
        self.params = {}  # filled by the captured code through record_params()

    def attach(self, client):
        try:
            recorder.install(client)
            baseline = client.run_on_scheduler(_ensure_task_stream)
            worker_clocks = client.run(time.time)
        except Exception as error:  # an old or exotic scheduler: say so, keep the computation running
            warnings.warn(f"schedsim capture: cannot record on {client.scheduler.address}: {error}")
            return
        self.clients.append(client)
        # The settings in effect when this client (and usually its cluster) was created; a script that
        # changes them inside a `with dask.config.set(...)` has restored them by the time the capture ends.
        self.configs[id(client)] = _config_snapshot()
        # Where the scheduler's and workers' logs stood when the client arrived: a cluster that ran
        # other work before (or another client of the same capture) contributes only what came after.
        self.baselines[id(client)] = {**baseline, "worker_clocks": worker_clocks}

    def collect(self, client):
        if id(client) in self.collected or client not in self.clients:
            return
        self.collected.add(id(client))
        graph, transitions = recorder.collect(client)
        base = self.baselines.get(id(client), {})
        clocks = base.get("worker_clocks", {})
        transfers = client.run(_worker_transfers)
        for address, logs in transfers.items():
            since = clocks.get(address)
            if since is not None:  # a worker that joined later has no earlier entries to drop
                for direction in ("incoming", "outgoing"):
                    logs[direction] = [e for e in logs[direction] if e.get("start", since) >= since]
        self.parts.append({
            "graph": graph,
            "transitions": transitions,
            "task_stream": client.run_on_scheduler(_task_stream, base.get("stream_index", 0)),
            "scheduler": client.run_on_scheduler(_scheduler_logs, base.get("transition_counter", 0),
                                                 base.get("transition_log_time")),
            "worker_transfers": transfers,
            "workers": client.run_on_scheduler(_workers),
            "cluster": _cluster_shape(client),
            "config": {**self.configs.get(id(client), {}), **client.run_on_scheduler(_scheduler_config)},
        })


_active = None


def record_params(**params):
    """Record the captured workload's parameters in ``meta.params`` (sizes, chunks, saturation, …).

    Called by the captured code; outside a capture it does nothing and returns False.
    """
    if _active is None:
        return False
    _active.params.update({k: _finite(v) for k, v in params.items()})
    return True


def _loadavg():
    try:
        return list(os.getloadavg())
    except OSError:  # not available on this platform
        return None


def _ensure_task_stream(dask_scheduler):
    """Install the task stream plugin if needed; return where the scheduler's logs stand now."""
    import time as _time

    from distributed.diagnostics.task_stream import TaskStreamPlugin

    if TaskStreamPlugin.name not in dask_scheduler.plugins:
        dask_scheduler.add_plugin(TaskStreamPlugin(dask_scheduler))
    return {"stream_index": dask_scheduler.plugins[TaskStreamPlugin.name].index,
            "transition_counter": dask_scheduler.transition_counter,
            "transition_log_time": _time.time() if dask_scheduler.transition_counter else None}


def _task_stream(start_index=0, dask_scheduler=None):
    """Task stream records appended since ``start_index`` (the plugin's append counter)."""
    from distributed.diagnostics.task_stream import TaskStreamPlugin

    plugin = dask_scheduler.plugins.get(TaskStreamPlugin.name)
    out = []
    records = []
    if plugin is not None:
        first = max(0, min(start_index - (plugin.index - len(plugin.buffer)), len(plugin.buffer)))
        records = [plugin.buffer[i] for i in range(first, len(plugin.buffer))]
    for msg in records:
        record = {k: v for k, v in msg.items() if k in ("stimulus_id", "worker", "nbytes", "typename", "thread", "status")}
        record["key"] = str(msg["key"])
        record["metadata"] = {}
        record["startstops"] = [
            {k: (v if not isinstance(v, (list, tuple)) else list(v)) for k, v in dict(s).items()}
            for s in msg.get("startstops", [])
        ]
        out.append(record)
    return out


def _scheduler_logs(since_counter=0, since_time=None, dask_scheduler=None):
    """The transition log (entries from ``since_time`` on, when the scheduler had run transitions
    before the capture's client arrived), the transitions counted since, and the events."""
    import dask as _dask

    log = []
    for entry in dask_scheduler.transition_log:
        key, start, finish, recommendations, stimulus_id, timestamp = entry
        if since_time is not None and timestamp < since_time:
            continue
        log.append({"key": str(key), "start": start, "finish": finish,
                    "recommendations": {str(k): v for k, v in recommendations.items()},
                    "stimulus_id": stimulus_id, "timestamp": timestamp})
    events = {}
    for topic, entries in dask_scheduler.get_events().items():
        events[str(topic)] = [[t, _jsonable(msg)] for t, msg in entries]
    return {
        "transition_log": log,
        "transition_counter": dask_scheduler.transition_counter - since_counter,
        "log_length": _dask.config.get("distributed.admin.low-level-log-length"),
        "events": events,
    }


def _scheduler_config(dask_scheduler):
    """The settings the scheduler really runs with (read once by Scheduler.__init__, so later
    dask.config changes do not reach it)."""
    import math

    saturation = dask_scheduler.WORKER_SATURATION
    return {
        "distributed.scheduler.worker-saturation": "inf" if math.isinf(saturation) else saturation,
        "distributed.scheduler.work-stealing": "stealing" in dask_scheduler.extensions,
        "distributed.admin.low-level-log-length": dask_scheduler.transition_log.maxlen,
    }


def _worker_transfers(dask_worker):
    def entries(log):
        out = []
        for e in log:
            item = {k: e[k] for k in ("start", "stop", "middle", "duration", "total", "bandwidth", "who") if k in e}
            item["keys"] = {str(k): v for k, v in e.get("keys", {}).items()}
            if "compressed" in e:
                item["compressed"] = e["compressed"]
            out.append(item)
        return out

    return {"incoming": entries(dask_worker.transfer_incoming_log),
            "outgoing": entries(dask_worker.transfer_outgoing_log),
            "nthreads": dask_worker.state.nthreads}


def _workers(dask_scheduler):
    return {address: {"name": ws.name, "nthreads": ws.nthreads, "memory_limit": ws.memory_limit,
                      "type": "Worker", "resources": dict(ws.resources)}
            for address, ws in dask_scheduler.workers.items()}


def _jsonable(value):
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    return repr(value)


def _cluster_shape(client):
    cluster = getattr(client, "cluster", None)
    if cluster is None:
        return {"type": "external", "address": client.scheduler.address}
    workers = getattr(cluster, "workers", {}) or {}
    spec = next(iter(getattr(cluster, "worker_spec", {}).values()), {}) if hasattr(cluster, "worker_spec") else {}
    options = spec.get("options", {}) if isinstance(spec, dict) else {}
    cls = spec.get("cls") if isinstance(spec, dict) else None
    return {"type": type(cluster).__name__, "n_workers": len(workers),
            "threads_per_worker": options.get("nthreads"),
            "processes": None if cls is None else cls.__name__ == "Nanny"}


def _patch_client(session):
    """Make every Client created from now on report to ``session``; returns the undo function."""
    Client = distributed.Client
    original_init, original_close = Client.__init__, Client.close

    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        if not self.asynchronous and self.status == "running":
            session.attach(self)

    def close(self, *args, **kwargs):
        if not self.asynchronous and self.status == "running":
            try:
                session.collect(self)
            except Exception as error:
                warnings.warn(f"schedsim capture: could not collect from {self}: {error}")
        return original_close(self, *args, **kwargs)

    Client.__init__, Client.close = __init__, close

    def undo():
        Client.__init__, Client.close = original_init, original_close

    return undo


@contextlib.contextmanager
def capture(path, workload=None):
    """Record every Dask computation run inside the block into ``path`` (dask-trace JSON).

    ``workload`` names the trace (default: the file name). Dask's low-level log
    length is raised for clusters started inside the block so nothing is
    truncated. Raises BridgeError if nothing was computed; writes nothing if the
    block raises.
    """
    global _active
    if _active is not None:
        raise BridgeError("capture blocks cannot be nested")
    name = os.path.basename(str(path))
    name = name[:-3] if name.endswith(".gz") else name
    session = _Session(workload or os.path.splitext(name)[0])
    _active = session
    undo = _patch_client(session)
    try:
        with dask.config.set(log_config()):
            yield session
            for client in list(session.clients):
                if client.status == "running":
                    session.collect(client)
            document = build_document(session)
    finally:
        undo()
        _active = None
    write_json(path, _finite_deep(document))


def _finite_deep(value):
    """``value`` with every infinite or NaN float spelt as a string (JSON has neither)."""
    if isinstance(value, float):
        return _finite(value)
    if isinstance(value, dict):
        return {k: _finite_deep(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite_deep(v) for v in value]
    return value


def build_document(session):
    """The dask-trace document from everything collected."""
    graph, seen = [], set()
    task_stream, transitions, transition_log, events, workers, transfers = [], [], [], {}, {}, {}
    counter, cluster, truncated, configs, stream_seen = 0, {}, [], [], set()
    for part in session.parts:
        for record in part["graph"]:
            if record["key"] not in seen:  # a key recomputed by a later update-graph is the same task
                seen.add(record["key"])
                graph.append(record)
        for record in part["task_stream"]:  # two clients of one cluster both see a task once
            identity = (record["key"], record.get("stimulus_id"), record.get("worker"))
            if identity not in stream_seen:
                stream_seen.add(identity)
                task_stream.append(record)
        transitions.extend(part["transitions"])
        logs = part["scheduler"]
        transition_log.extend(logs["transition_log"])
        counter += logs["transition_counter"]
        if len(logs["transition_log"]) >= logs["log_length"]:
            truncated.append("scheduler transition_log")
        for topic, entries in logs["events"].items():
            events.setdefault(topic, []).extend(entries)
        workers.update(part["workers"])
        transfers.update(part["worker_transfers"])
        cluster = part["cluster"]
        if part.get("config") and part["config"] not in configs:
            configs.append(part["config"])
    if not graph:
        raise BridgeError("nothing was computed on a Dask cluster inside the capture (no graph reached a scheduler)")
    # A dependency the scheduler had before this graph (scattered data, earlier results) becomes a data node.
    for record in list(graph):
        for dep in record["dependencies"]:
            if dep not in seen:
                seen.add(dep)
                graph.append({"key": dep, "prefix": dep, "group": dep, "dependencies": [], "priority": None,
                              "requested_by_client": False, "spec_type": "DataNode"})
    for address in workers:
        workers[address].setdefault("nthreads", (transfers.get(address) or {}).get("nthreads", 1))
    notes = []
    p2p = [r["key"] for r in graph
           if r.get("spec_type") in P2P_SPEC_TYPES or any(m in r["prefix"] for m in P2P_MARKERS)]
    if p2p:
        message = (f"{len(p2p)} tasks use Dask's P2P shuffle (e.g. '{p2p[0]}'): their data moves outside task "
                   "dependencies and transfer logs, so a replay cannot see those bytes; capture with "
                   "dataframe.shuffle.method='tasks' for transfer validation")
        warnings.warn(message, P2PShuffleWarning, stacklevel=3)
        notes.append(message)
    if truncated:
        notes.append("log truncated: " + ", ".join(truncated))
    # What the clusters ran with; a capture whose clusters ran with different settings keeps the last
    # one's in `meta.config` and says so.
    config = configs[-1] if configs else _config_snapshot()
    if len(configs) > 1:
        differing = sorted(k for k in config if len({repr(c.get(k)) for c in configs}) > 1)
        notes.append(f"the {len(configs)} clients of this capture ran with different settings ({', '.join(differing)}); "
                     "meta.config holds the last one's")
    stealing = events.get("stealing", [])
    return {
        "format": FORMAT,
        "meta": {
            "workload": session.workload,
            "params": dict(session.params),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "dask": dask.__version__,
            "distributed": distributed.__version__,
            # Versions of the libraries the captured code used (only those it imported).
            **{name: getattr(sys.modules[name], "__version__", None)
               for name in ("numpy", "pandas", "pyarrow") if name in sys.modules},
            "cluster": cluster,
            "config": config,
            "submit_time_epoch": min((t["t"] for t in transitions), default=session.started),
            # The machine's 1/5/15-minute load averages when the capture began and ended, and this
            # process's nice value: timings from a busy machine are not a quiet machine's.
            "load_average": {"start": session.load_start, "end": _loadavg()},
            "nice": os.nice(0) if hasattr(os, "nice") else None,
            "wall_s": {"total": time.time() - session.started},
            "captured_by": "schedsim_dask 0.1.0",
            "warnings": notes,
        },
        "workers": workers,
        "graph": graph,
        "task_stream": task_stream,
        "scheduler_transitions": transitions,
        "transition_log": transition_log,
        "transition_counter": counter,
        "scheduler_events": {k: v for k, v in events.items() if k != "stealing"},
        "stealing_log": stealing,
        "worker_transfers": transfers,
        "summary": summarize(graph, task_stream, transfers),
    }


def summarize(graph, task_stream, transfers):
    """The derived `summary` section: counts, makespan, busy time, transfer totals."""
    starts, stops, per_worker, compute = [], [], {}, {}
    for r in task_stream:
        w = per_worker.setdefault(r["worker"], {"tasks": 0, "busy_s": 0.0})
        w["tasks"] += 1
        for s in r["startstops"]:
            starts.append(s["start"])
            stops.append(s["stop"])
            if s["action"] == "compute":
                w["busy_s"] += s["stop"] - s["start"]
                compute[r["key"]] = compute.get(r["key"], 0.0) + s["stop"] - s["start"]
    incoming = {a: {"transfers": len(v["incoming"]), "keys": sum(len(e["keys"]) for e in v["incoming"]),
                    "bytes": sum(e["total"] for e in v["incoming"])} for a, v in transfers.items()}
    return {
        "tasks_in_graph": len(graph),
        "tasks_in_stream": len(task_stream),
        "edges": sum(len(r["dependencies"]) for r in graph),
        "makespan_s": (max(stops) - min(starts)) if starts else 0.0,
        "total_compute_s": sum(compute.values()),
        "output_nbytes_total": sum(r.get("nbytes") or 0 for r in task_stream),
        "per_worker": per_worker,
        "incoming_transfers": incoming,
        "incoming_transfer_events_total": sum(v["transfers"] for v in incoming.values()),
        "incoming_transfer_bytes_total": sum(v["bytes"] for v in incoming.values()),
    }


def capture_script(script, output, args=()):
    """Run ``script`` as ``__main__`` inside a capture. A script that fails is a BridgeError naming it."""
    if not os.path.isfile(script):
        raise BridgeError(f"{script}: no such script")
    saved_argv = sys.argv
    sys.argv = [script, *args]
    try:
        with capture(output, workload=os.path.splitext(os.path.basename(script))[0]) as session:
            try:
                runpy.run_path(script, run_name="__main__")
            except SystemExit as exit_:
                if exit_.code not in (None, 0):
                    raise BridgeError(f"{script}: the script exited with status {exit_.code}; nothing written") from None
            except BridgeError:
                raise
            except BaseException as error:
                frames = traceback.format_exception(type(error), error, error.__traceback__)
                sys.stderr.write("".join(frames))
                raise BridgeError(
                    f"{script}: the script raised {type(error).__name__}: {error}; nothing written to {output}"
                ) from None
    finally:
        sys.argv = saved_argv
    return len(session_graph(output))


def session_graph(output):
    from .atomic import read_json

    return read_json(output)["graph"]

"""A scheduler plugin that records what the scheduler saw: the graph of each
``update-graph`` and every transition, with the worker involved.

Used by both capture and replay. It is shipped to the scheduler by value
(cloudpickle), so a remote scheduler does not need schedsim_dask installed.
"""

import time

from distributed.diagnostics.plugin import SchedulerPlugin

PLUGIN_NAME = "schedsim-recorder"


class Recorder(SchedulerPlugin):
    """Records the scheduler's graph records and transitions, in the order they happen."""

    name = PLUGIN_NAME

    def __init__(self):
        self.graph = []
        self.transitions = []
        self.scheduler = None

    async def start(self, scheduler):
        self.scheduler = scheduler

    def update_graph(self, scheduler, *, client, keys, tasks, annotations, priority, stimulus_id, **kwargs):
        from dask.utils import key_split

        for key in tasks:
            ts = scheduler.tasks.get(key)
            if ts is None:
                continue
            run_spec = ts.run_spec
            spec_type = type(run_spec).__name__ if run_spec is not None else "DataNode"
            record = {
                "key": str(key),
                "prefix": key_split(key),
                "group": ts.group_key,
                "dependencies": sorted(str(d.key) for d in ts.dependencies),
                "priority": list(ts.priority) if ts.priority is not None else None,
                "requested_by_client": bool(ts.who_wants),
                "spec_type": spec_type,
            }
            func = getattr(run_spec, "func", None)
            if func is not None:
                record["func"] = getattr(func, "__name__", type(func).__name__)
            if spec_type == "Alias":
                target = getattr(run_spec, "target", None)
                if target is not None:
                    record["alias_of"] = str(getattr(target, "key", target))
            if ts.annotations:
                record["annotations"] = {k: _plain(v) for k, v in ts.annotations.items()}
            self.graph.append(record)

    def transition(self, key, start, finish, *args, stimulus_id, **kwargs):
        record = {"t": time.time(), "key": str(key), "start": start, "finish": finish, "stimulus_id": stimulus_id}
        scheduler = self.scheduler
        ts = scheduler.tasks.get(key) if scheduler is not None else None
        if ts is not None:
            if finish == "processing" and ts.processing_on is not None:
                record["worker"] = ts.processing_on.address
            elif finish == "memory" and ts.who_has:
                record["worker"] = sorted(ws.address for ws in ts.who_has)[0]
                record["nbytes"] = ts.nbytes
        self.transitions.append(record)


def _plain(value):
    """Annotations as JSON-friendly values."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    return repr(value)


def install(client):
    """Register a fresh Recorder on the client's scheduler."""
    import cloudpickle

    from . import recorder as this_module

    cloudpickle.register_pickle_by_value(this_module)
    client.run_on_scheduler(_remove_recorder)  # an earlier capture's recorder on the same cluster
    client.register_plugin(Recorder(), name=PLUGIN_NAME)


def _remove_recorder(dask_scheduler):
    if PLUGIN_NAME in dask_scheduler.plugins:
        dask_scheduler.remove_plugin(name=PLUGIN_NAME)


def collect(client):
    """Fetch and clear what the Recorder holds: ``(graph, transitions)``."""

    def fetch(dask_scheduler):
        plugin = dask_scheduler.plugins.get("schedsim-recorder")
        if plugin is None:
            return [], []
        return plugin.graph, plugin.transitions

    return client.run_on_scheduler(fetch)

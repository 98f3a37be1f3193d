"""The native ``schedsim-trace`` document as Python sees it, and the checks that
decide whether real Dask can run it.

See docs/trace-format.md for the fields. Only what a replay on Dask needs is read.
"""

from dataclasses import dataclass, field

from dask.utils import key_split

from .errors import BridgeError


@dataclass
class TraceTask:
    """One task of a trace: a Dask key with its measured cost."""

    index: int
    key: str
    prefix: str
    duration: float
    output_bytes: int
    dependencies: list
    kind: str = "compute"
    priority: int = 0
    retries: int = 0
    workers: list = field(default_factory=list)
    hosts: list = field(default_factory=list)
    loose: bool = False
    resources: dict = field(default_factory=dict)


@dataclass
class Trace:
    """A whole trace: its name, tasks in file order, and the keys the client wants."""

    name: str
    tasks: list
    wanted: list

    def by_key(self):
        return {t.key: t for t in self.tasks}


def _place(name, i, key):
    return f"{name}: tasks[{i}] (task '{key}')"


def parse_native(document, source="trace"):
    """Turn a native JSON document into a Trace, refusing what Dask cannot run.

    Errors name the trace, the JSON path and the key. Nothing here starts a cluster.
    """
    if not isinstance(document, dict) or document.get("format") != "schedsim-trace":
        raise BridgeError(f"{source}: not a schedsim-trace document")
    name = document.get("name") or source
    raw_tasks = document.get("tasks")
    if not isinstance(raw_tasks, list) or not raw_tasks:
        raise BridgeError(f"{source}: tasks: expected a non-empty array")
    submissions = document.get("submissions") or []
    if len(submissions) > 1 or any(s.get("submitter") for s in submissions):
        raise BridgeError(
            f"{source}: submissions: the replay on Dask supports one submission from one client "
            f"(this trace has {len(submissions)}, or tasks that submit tasks)"
        )
    tasks = []
    seen = {}
    for i, raw in enumerate(raw_tasks):
        key = raw.get("key")
        if not isinstance(key, str) or not key:
            raise BridgeError(f"{source}: tasks[{i}]: key: expected a non-empty string")
        if key in seen:
            raise BridgeError(f"{_place(source, i, key)}: duplicate key (first at tasks[{seen[key]}])")
        seen[key] = i
        for unsupported in ("actor", "calls_actor", "secede"):
            if raw.get(unsupported):
                raise BridgeError(f"{_place(source, i, key)}: {unsupported}: the replay on Dask cannot express it")
        duration = raw.get("duration", 0)
        size = raw.get("output_bytes", 0)
        if not isinstance(duration, (int, float)) or duration < 0:
            raise BridgeError(f"{_place(source, i, key)}: duration: expected a number >= 0, got {duration!r}")
        if not isinstance(size, int) or size < 0:
            raise BridgeError(f"{_place(source, i, key)}: output_bytes: expected an integer >= 0, got {size!r}")
        restrictions = raw.get("restrictions") or {}
        tasks.append(
            TraceTask(
                index=i,
                key=key,
                prefix=raw.get("prefix") or key_split(key),
                duration=float(duration),
                output_bytes=size,
                dependencies=list(raw.get("dependencies") or []),
                kind=raw.get("kind", "compute"),
                priority=int(raw.get("priority", 0)),
                retries=int(raw.get("retries", 0)),
                workers=list(restrictions.get("workers") or []),
                hosts=list(restrictions.get("hosts") or []),
                loose=bool(restrictions.get("loose", False)),
                resources=dict(raw.get("resources") or {}),
            )
        )
    for t in tasks:
        for d in t.dependencies:
            if d not in seen:
                raise BridgeError(f"{_place(source, t.index, t.key)}: dependencies: unknown key '{d}'")
    check_acyclic(tasks, source)
    if submissions and submissions[0].get("wanted"):
        wanted = list(submissions[0]["wanted"])
    else:
        depended = {d for t in tasks for d in t.dependencies}
        wanted = [t.key for t in tasks if t.key not in depended]
    return Trace(name=name, tasks=tasks, wanted=wanted)


def check_acyclic(tasks, source):
    """Raise a BridgeError printing one cycle (``p -> q -> p``) if the dependencies have one."""
    index = {t.key: t.index for t in tasks}
    # Iterative depth-first search; colours: 0 new, 1 on the current path, 2 done.
    colour = [0] * len(tasks)
    for root in range(len(tasks)):
        if colour[root]:
            continue
        path = [root]
        stack = [iter(tasks[root].dependencies)]
        colour[root] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                colour[path.pop()] = 2
                stack.pop()
                continue
            j = index[nxt]
            if colour[j] == 1:
                cycle = path[path.index(j):] + [j]
                # Print each task before the task that reads it.
                names = " -> ".join(tasks[k].key for k in reversed(cycle))
                raise BridgeError(f"{source}: the dependencies form a cycle: {names}")
            if colour[j] == 0:
                colour[j] = 1
                path.append(j)
                stack.append(iter(tasks[j].dependencies))
    return True


def critical_path(trace):
    """Longest duration-weighted path (seconds), as schedsim's summary.csv reports it."""
    by_key = trace.by_key()
    finish = {}
    for t in topological_order(trace):
        finish[t.key] = t.duration + max((finish[d] for d in t.dependencies), default=0.0)
    return max(finish.values(), default=0.0) if by_key else 0.0


def topological_order(trace):
    """Tasks so that every task comes after its dependencies (stable: file order breaks ties)."""
    by_key = trace.by_key()
    done = set()
    order = []
    for t in trace.tasks:
        stack = [(t, 0)]
        while stack:
            task, i = stack.pop()
            if task.key in done:
                continue
            if i < len(task.dependencies):
                stack.append((task, i + 1))
                dep = by_key[task.dependencies[i]]
                if dep.key not in done:
                    stack.append((dep, 0))
            else:
                done.add(task.key)
                order.append(task)
    return order

"""``dask.order.order`` on a schedsim trace, as Dask computes it and with a deterministic set order.

Dask's ``order`` iterates Python sets in a few places (a task's dependents, a
task's still-missing dependencies on the critical path, the data nodes a task
requires). For string and tuple keys that order follows ``hash()``, which
Python randomises per process (``PYTHONHASHSEED``), so the same graph can get
different priorities from two Dask processes. schedsim's port replaces every
such set by a documented deterministic order (docs/scheduler.md, "Static
order"):

- a task's dependencies iterate in the order the trace lists them;
- a task's dependents iterate in trace order (the order of the tasks);
- popping a set (the pure-data roots a task requires) takes the earliest task
  in trace order.

``order_graph(dsk, listed, deterministic=True)`` runs Dask's *own*
``dask.order.order`` code (compiled once more from the installed dask) with its
sets replaced by ``OrderedKeySet`` (insertion-ordered, popping the earliest key
in trace order) and its one order-sensitive loop over a built-in set
(``use_longest_path``'s roots) walking trace order: the exact oracle of
schedsim's port. With ``deterministic=False`` it is plain Dask, whose result
may change with ``PYTHONHASHSEED``.
"""

import inspect
import textwrap

import dask
import dask.order as _order
from dask._task_spec import DataNode, DependenciesMapping, Task, TaskRef


def _noop(*args):
    return None


class OrderedKeySet:
    """A set that iterates in insertion order and pops its earliest key in trace order."""

    rank = {}

    def __init__(self, items=()):
        self._d = dict.fromkeys(items)

    # --- what dask.order uses of a set ---
    def __iter__(self):
        return iter(self._d)

    def __len__(self):
        return len(self._d)

    def __bool__(self):
        return bool(self._d)

    def __contains__(self, x):
        return x in self._d

    def add(self, x):
        self._d[x] = None

    def discard(self, x):
        self._d.pop(x, None)

    def remove(self, x):
        del self._d[x]

    def update(self, items):
        for x in items:
            self._d[x] = None

    def pop(self):
        if not self._d:
            raise KeyError("pop from an empty set")
        rank = OrderedKeySet.rank
        first = min(self._d, key=lambda k: rank.get(k, -1))
        del self._d[first]
        return first

    def copy(self):
        return OrderedKeySet(self._d)

    def difference(self, *others):
        return OrderedKeySet(x for x in self._d if not any(x in o for o in others))

    def __sub__(self, other):
        return self.difference(other)

    def __and__(self, other):
        return OrderedKeySet(x for x in self._d if x in other)

    def __rand__(self, other):
        return OrderedKeySet(x for x in other if x in self._d)

    def issubset(self, other):
        return all(x in other for x in self._d)

    def __hash__(self):
        raise TypeError("unhashable type: 'OrderedKeySet'")

    def __eq__(self, other):
        return set(self._d) == set(other)


class _OrderedDependencies(DependenciesMapping):
    """Dask's DependenciesMapping, answering each task's dependencies in the trace's listed order."""

    listed = {}

    def __getitem__(self, key):
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        if key not in self.dsk:
            raise KeyError(key)  # `k in dependencies` is how Dask finds external keys
        deps = OrderedKeySet(d for d in self.listed.get(key, ()) if d not in self._removed)
        self._cache[key] = deps
        return deps


def _ordered_reverse_dict(d):
    result = {}
    for k, vals in d.items():
        result.setdefault(k, OrderedKeySet())
        for v in vals:
            result.setdefault(v, OrderedKeySet()).add(k)
    return result


def _deterministic_order_function():
    """Dask's own ``order`` function, compiled once more in a namespace whose sets keep trace order.

    Two things change, nothing else: the names ``set``, ``DependenciesMapping``
    and ``reverse_dict`` resolve to the insertion-ordered versions above, and
    the one loop over the built-in set ``root_nodes`` whose outcome depends on
    its order (``use_longest_path``) walks the roots in trace order.
    """
    source = textwrap.dedent(inspect.getsource(_order.order))
    loop = "for r in root_nodes:"
    if source.count(loop) != 1:
        raise RuntimeError(f"dask.order.order of dask {dask.__version__} no longer has exactly one '{loop}'")
    source = source.replace(loop, "for r in sorted(root_nodes, key=_schedsim_rank.__getitem__):")
    namespace = dict(vars(_order))
    namespace.update(set=OrderedKeySet, DependenciesMapping=_OrderedDependencies,
                     reverse_dict=_ordered_reverse_dict, _schedsim_rank={})
    # Annotations stay unevaluated, as under the module's own `from __future__ import annotations`.
    exec(compile("from __future__ import annotations\n" + source, _order.__file__, "exec"), namespace)
    return namespace["order"], namespace


_DETERMINISTIC = None


def graph_of(tasks, submission=None):
    """``{key: Task|DataNode}`` of a trace's tasks (one submission's, when given) and their listed dependencies.

    A dependency outside the chosen tasks is an external key, as a key from an
    earlier ``update-graph`` is to Dask's scheduler.
    """
    chosen = [t for t in tasks if submission is None or getattr(t, "submission", 0) == submission]
    dsk, listed = {}, {}
    for t in chosen:
        deps = list(dict.fromkeys(t.dependencies))
        listed[t.key] = deps
        if t.kind == "data":
            dsk[t.key] = DataNode(t.key, None)
        else:
            dsk[t.key] = Task(t.key, _noop, *(TaskRef(d) for d in deps))
    return dsk, listed


def order_graph(dsk, listed, deterministic=True):
    """``dask.order.order(dsk)``; with ``deterministic``, every set in trace order (see the module doc)."""
    if not deterministic:
        return _order.order(dsk)
    # Trace order, then the external keys in the order they are first read (as Dask's reverse_dict meets them).
    global _DETERMINISTIC
    if _DETERMINISTIC is None:
        _DETERMINISTIC = _deterministic_order_function()
    function, namespace = _DETERMINISTIC
    # Trace order, then the external keys in the order they are first read (as Dask's reverse_dict meets them).
    rank = {k: i for i, k in enumerate(dsk)}
    for k in dsk:
        for d in listed.get(k, ()):
            rank.setdefault(d, len(rank))
    OrderedKeySet.rank = rank
    _OrderedDependencies.listed = listed
    namespace["_schedsim_rank"].clear()
    namespace["_schedsim_rank"].update(rank)
    try:
        return function(dsk)
    finally:
        OrderedKeySet.rank = {}
        _OrderedDependencies.listed = {}


def order_trace(trace, deterministic=True):
    """Dask's priority of every task of a trace, per submission (each is one ``update-graph``)."""
    submissions = sorted({getattr(t, "submission", 0) for t in trace.tasks})
    result = {}
    for s in submissions:
        dsk, listed = graph_of(trace.tasks, s if len(submissions) > 1 else None)
        result.update(order_graph(dsk, listed, deterministic))
    return result

"""``schedsim order --ignore-recorded`` against Dask's own ``dask.order.order``.

The oracle is dask 2026.8.0's ``order`` run with its Python sets in trace order
(``schedsim_dask.dask_order``): the deterministic stand-in schedsim documents for
Python's per-process hash order. Every rank must be identical, on every bundled
trace and on more than 200 generated graphs (every generator kind with random
parameters and seeds, tuple and string keys, pure-data roots, two submissions).
"""

import ast
import csv
import glob
import io
import json
import os
import random
import subprocess
from types import SimpleNamespace

import pytest

from conftest import REPO
from schedsim_dask.binary import convert_to_native
from schedsim_dask.dask_order import graph_of, order_graph

GENERATORS = {
    "array-sum": lambda r: {"blocks": r.randint(1, 12), "split-every": r.randint(2, 8)},
    "array-matmul": lambda r: {"blocks": r.randint(1, 6), "split-every": r.randint(2, 5)},
    "array-transpose-add": lambda r: {"blocks": r.randint(1, 8)},
    "rechunk": lambda r: {"blocks": r.randint(1, 8)},
    "groupby-tree": lambda r: {"partitions": r.randint(1, 40), "split-every": r.randint(2, 8)},
    "shuffle-tasks": lambda r: {"partitions": r.randint(2, 24), "max-branch": r.randint(2, 8)},
    "map-reduce": lambda r: {"mappers": r.randint(1, 20), "reducers": r.randint(1, 8)},
    "bag": lambda r: {"partitions": r.randint(1, 50), "steps": r.randint(1, 4)},
    "layered": lambda r: {"tasks": r.randint(5, 200), "layers": r.randint(1, 12),
                          "edge-probability": round(r.uniform(0.02, 0.7), 3),
                          "connect": r.choice(["previous", "all"])},
    "fork-join": lambda r: {"width": r.randint(1, 12), "stages": r.randint(1, 4)},
    "elementary": lambda r: {"graph": r.choice([
        "plain1n", "plain1e", "plain1cpus", "triplets", "merge_neighbours", "merge_triplets", "merge_small_big",
        "fork1", "fork2", "bigmerge", "duration_stairs", "size_stairs", "splitters", "conflux", "grid", "fern"])},
    "irw": lambda r: {"graph": r.choice(["gridcat", "crossv", "crossvx", "fastcrossv", "mapreduce", "nestedcrossv"])},
}
PER_KIND = 15
RANDOM_DAGS = 40


def python_key(key):
    """A trace key as Dask would hold it: ``"('x', 0)"`` is the tuple ``('x', 0)``, anything else a string."""
    if key.startswith("("):
        try:
            value = ast.literal_eval(key)
        except (ValueError, SyntaxError):
            return key
        if isinstance(value, tuple) and str(value) == key:
            return value
    return key


def tasks_of(document):
    out = []
    for t in document["tasks"]:
        out.append(SimpleNamespace(key=python_key(t["key"]), dependencies=[python_key(d) for d in t.get("dependencies") or []],
                                   kind=t.get("kind", "compute"), submission=t.get("submission", 0)))
    return out


def dask_priorities(document):
    tasks = tasks_of(document)
    submissions = sorted({t.submission for t in tasks})
    result = {}
    for s in submissions:
        dsk, listed = graph_of(tasks, s if len(submissions) > 1 else None)
        result.update(order_graph(dsk, listed, deterministic=True))
    return {str(k): v for k, v in result.items()}


def schedsim_priorities(schedsim, path):
    done = subprocess.run([schedsim, "order", "--ignore-recorded", path], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return {row["key"]: int(row["priority"]) for row in csv.DictReader(io.StringIO(done.stdout))}


def first_difference(expected, got):
    """'' when equal, else the first differing rank with both orders around it."""
    if expected == got:
        return ""
    by_dask = sorted(expected, key=expected.get)
    for j, key in enumerate(by_dask):
        if got.get(key) != expected[key]:
            by_schedsim = sorted(got, key=got.get)
            window = slice(max(0, j - 3), j + 4)
            return (f"first difference at Dask priority {expected[key]} ({key!r}: schedsim {got.get(key)})\n"
                    f"  dask.order: {[(k, expected[k]) for k in by_dask[window]]}\n"
                    f"  schedsim:   {[(k, got[k]) for k in by_schedsim[window]]}")
    return f"key sets differ: {sorted(set(expected) ^ set(got))[:5]}"


def assert_same_order(schedsim, path, document):
    expected = dask_priorities(document)
    got = schedsim_priorities(schedsim, path)
    assert set(got) == set(expected), f"{path}: key sets differ"
    same = sum(1 for k in expected if got[k] == expected[k])
    assert same == len(expected), f"{path}: {same}/{len(expected)} ranks identical; " + first_difference(expected, got)


BUNDLED = sorted(
    p for p in glob.glob(os.path.join(REPO, "traces", "**", "*"), recursive=True)
    if p.endswith((".json", ".json.gz", ".xml", ".stg", ".dot")) and os.path.basename(p) != "manifest.json"
)


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: os.path.relpath(p, REPO))
def test_every_bundled_trace_is_ordered_as_dask_orders_it(schedsim, path):
    assert_same_order(schedsim, path, convert_to_native(path))


def generated_cases():
    r = random.Random(20261203)
    cases = []
    for kind, params in GENERATORS.items():
        for _ in range(PER_KIND):
            cases.append((kind, r.randint(1, 10**6), params(r)))
    return cases


@pytest.mark.parametrize("kind,seed,params", generated_cases(),
                         ids=lambda v: v if isinstance(v, str) else None)
def test_generated_graphs_are_ordered_as_dask_orders_them(schedsim, tmp_path, kind, seed, params):
    path = str(tmp_path / f"{kind}.json")
    command = [schedsim, "generate", kind, "--seed", str(seed), "-o", path]
    for name, value in params.items():
        command += ["--param", f"{name}={value}"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    # Partial reads are split into part tasks for both sides, as every schedsim command runs them.
    assert_same_order(schedsim, path, convert_to_native(path))


def random_dag(r, index):
    """A random DAG with tuple and string keys, pure-data roots read by several tasks, and often two submissions."""
    n = r.randint(2, 120)
    names = [r.choice(["('x', %d)", "('y-%d', 0)", "z%d", "('w', 0, %d)"]) % i for i in range(n)]
    data = {i for i in range(n) if r.random() < 0.2}
    two = r.random() < 0.5
    cut = r.randint(1, n - 1) if two else n
    tasks = []
    for i in range(n):
        task = {"key": names[i], "duration": 1, "output_bytes": 10}
        if i in data:
            task["kind"] = "data"
            del task["duration"]
        else:
            candidates = [j for j in range(i) if r.random() < 0.15] if i else []
            if r.random() < 0.3 and i:
                candidates.append(r.randrange(i))
            deps = list(dict.fromkeys(candidates))
            r.shuffle(deps)
            if deps:
                task["dependencies"] = [names[j] for j in deps]
        if two:
            task["submission"] = 0 if i < cut else 1
        tasks.append(task)
    document = {"format": "schedsim-trace", "version": 1, "name": f"random-{index}", "tasks": tasks}
    if two:
        document["submissions"] = [{"client": "client-0", "time": 0}, {"client": "client-0", "time": 1}]
    return document


@pytest.mark.parametrize("index", range(RANDOM_DAGS))
def test_random_graphs_with_data_roots_and_two_submissions(schedsim, tmp_path, index):
    document = random_dag(random.Random(1000 + index), index)
    path = str(tmp_path / "random.json")
    with open(path, "w") as f:
        json.dump(document, f)
    assert_same_order(schedsim, path, document)


def test_the_oracle_is_dask_itself_where_dask_is_deterministic():
    """On a graph without ties that depend on set order, the oracle and plain dask.order agree."""
    document = {"tasks": [{"key": "a"}, {"key": "b"}, {"key": "c", "dependencies": ["a"]},
                          {"key": "d", "dependencies": ["b", "c"]}]}
    tasks = tasks_of(document)
    dsk, listed = graph_of(tasks)
    assert order_graph(dsk, listed, deterministic=True) == order_graph(dsk, listed, deterministic=False)
    # dask.order's docstring example: {'a': 0, 'c': 1, 'b': 2, 'd': 3}
    assert order_graph(dsk, listed, deterministic=True) == {"a": 0, "c": 1, "b": 2, "d": 3}

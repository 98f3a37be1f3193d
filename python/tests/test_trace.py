"""Reading native traces and refusing what Dask cannot run (no cluster involved)."""

import pytest

from schedsim_dask.errors import BridgeError
from schedsim_dask.replay import check_resources
from schedsim_dask.trace import critical_path, parse_native, topological_order


def doc(tasks, **extra):
    return {"format": "schedsim-trace", "version": 1, "name": "t", "tasks": tasks, **extra}


DIAMOND = [
    {"key": "a", "duration": 1, "output_bytes": 1000},
    {"key": "b", "duration": 2, "output_bytes": 2000, "dependencies": ["a"]},
    {"key": "c", "duration": 3, "output_bytes": 3000, "dependencies": ["a"]},
    {"key": "d", "duration": 1, "output_bytes": 10, "dependencies": ["b", "c"]},
]


def test_diamond_fields_wanted_and_critical_path():
    trace = parse_native(doc(DIAMOND))
    assert [t.key for t in trace.tasks] == ["a", "b", "c", "d"]
    assert trace.wanted == ["d"]
    assert trace.tasks[3].dependencies == ["b", "c"]
    assert trace.tasks[2].output_bytes == 3000
    assert critical_path(trace) == 5.0  # a -> c -> d


def test_topological_order_puts_dependencies_first():
    tasks = [{"key": "d", "dependencies": ["b", "c"]}, {"key": "c", "dependencies": ["a"]},
             {"key": "b", "dependencies": ["a"]}, {"key": "a"}]
    order = [t.key for t in topological_order(parse_native(doc(tasks)))]
    assert order == ["a", "b", "c", "d"]


def test_cycle_is_named():
    tasks = [{"key": "p", "dependencies": ["r"]}, {"key": "q", "dependencies": ["p"]},
             {"key": "r", "dependencies": ["q"]}]
    with pytest.raises(BridgeError) as info:
        parse_native(doc(tasks), source="cyc.json")
    message = str(info.value)
    assert message.startswith("cyc.json: the dependencies form a cycle: ")
    # Each task is printed before the task that reads it.
    assert "p -> q -> r -> p" in message or "q -> r -> p -> q" in message or "r -> p -> q -> r" in message


def test_unknown_dependency_and_unsupported_features_name_the_task():
    with pytest.raises(BridgeError, match=r"tasks\[1\] \(task 'b'\): dependencies: unknown key 'zz'"):
        parse_native(doc([{"key": "a"}, {"key": "b", "dependencies": ["zz"]}]), source="x.json")
    with pytest.raises(BridgeError, match=r"tasks\[0\] \(task 'a'\): actor"):
        parse_native(doc([{"key": "a", "actor": True}]), source="x.json")


def test_explicit_wanted_keys_are_kept():
    trace = parse_native(doc(DIAMOND, submissions=[{"client": "client-0", "wanted": ["b", "d"]}]))
    assert trace.wanted == ["b", "d"]


def test_unknown_resource_is_refused():
    trace = parse_native(doc([{"key": "a", "resources": {"GPU": 1}}]))
    with pytest.raises(BridgeError, match=r"task 'a'.*needs GPU=1.*--resources GPU=N"):
        check_resources(trace, [{}], "the LocalCluster")
    check_resources(trace, [{"GPU": 2}], "the LocalCluster")  # enough: no error


def test_partial_reads_become_part_tasks_when_converted(tmp_path, schedsim):
    """The bridge converts with --partial-reads split: Dask runs one part task per part read."""
    from conftest import write_trace
    from schedsim_dask.binary import convert_to_native

    path = write_trace(tmp_path / "p.json", [
        {"key": "P", "duration": 1, "output_bytes": 100},
        {"key": "a", "duration": 1, "dependencies": ["P"], "dependency_bytes": [30]},
        {"key": "b", "duration": 1, "dependencies": ["P"], "dependency_bytes": [100]},
    ])
    document = convert_to_native(path)
    tasks = {t["key"]: t for t in document["tasks"]}
    assert [t["key"] for t in document["tasks"]] == ["P", "P-part-0", "a", "b"]
    assert tasks["P-part-0"]["output_bytes"] == 30 and tasks["P-part-0"]["dependencies"] == ["P"]
    assert tasks["a"]["dependencies"] == ["P-part-0"] and tasks["b"]["dependencies"] == ["P"]
    assert not any("dependency_bytes" in t for t in document["tasks"])
    trace = parse_native(document)
    assert trace.wanted == ["a", "b"]

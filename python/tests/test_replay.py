"""Replays of small native traces on a real in-process LocalCluster."""

import csv
import os

import pytest

from conftest import run_cli, write_trace
from schedsim_dask.errors import BridgeError
from schedsim_dask.logs import SUMMARY_HEADER, TASKS_HEADER, TRANSFERS_HEADER, TRANSITIONS_HEADER, WORKERS_HEADER
from schedsim_dask.replay import replay

TASKS = [
    {"key": "a", "duration": 0.10, "output_bytes": 1000},
    {"key": "b", "duration": 0.20, "output_bytes": 2000, "dependencies": ["a"]},
    {"key": "c", "duration": 0.30, "output_bytes": 3000, "dependencies": ["a"]},
    {"key": "('x-0123456789abcdef', 0)", "duration": 0.05, "output_bytes": 40, "dependencies": ["b", "c"]},
    {"key": "pinned", "duration": 0.05, "output_bytes": 5, "restrictions": {"workers": ["worker-1"]}},
    {"key": "urgent", "duration": 0.05, "output_bytes": 6, "priority": 10},
]


def rows(folder, name):
    with open(os.path.join(folder, name), newline="") as f:
        return list(csv.DictReader(f))


def header(folder, name):
    with open(os.path.join(folder, name)) as f:
        return f.readline().rstrip("\n")


def test_replay_writes_documented_logs(tmp_path, schedsim):
    trace = write_trace(tmp_path / "small.json", TASKS, name="small")
    out = str(tmp_path / "out")
    summary = replay(trace, out, workers=2, threads=1, processes=False)

    assert header(out, "tasks.csv") == TASKS_HEADER
    assert header(out, "transitions.csv") == TRANSITIONS_HEADER
    assert header(out, "transfers.csv") == TRANSFERS_HEADER
    assert header(out, "workers.csv") == WORKERS_HEADER
    assert header(out, "summary.csv") == SUMMARY_HEADER
    assert not [n for n in os.listdir(out) if n.endswith(".partial")]

    tasks = rows(out, "tasks.csv")
    assert [t["key"] for t in tasks] == [t["key"] for t in TASKS]  # every task once, in trace order
    for spec, row in zip(TASKS, tasks):
        assert float(row["duration"]) >= spec["duration"] - 0.002, row  # sleep never ends early (clock rounding)
        assert int(row["output_bytes"]) == spec["output_bytes"]
        assert row["attempts"] == "1"
        assert row["worker"] in ("worker-0", "worker-1")
        # ready comes from the scheduler's clock, start from the worker's (corrected by Dask's delay estimate).
        assert float(row["submit"]) <= float(row["ready"]) <= float(row["start"]) + 0.005
        assert float(row["start"]) < float(row["end"])
    by_key = {r["key"]: r for r in tasks}
    assert by_key["pinned"]["worker"] == "worker-1"  # the restriction was honoured
    assert by_key["('x-0123456789abcdef', 0)"]["prefix"] == "x"
    # b and c start only after a ended.
    assert float(by_key["b"]["start"]) >= float(by_key["a"]["end"]) - 0.005
    assert float(by_key["c"]["start"]) >= float(by_key["a"]["end"]) - 0.005

    s = rows(out, "summary.csv")[0]
    assert (s["trace"], s["policy"], s["cluster"], s["backend"], s["outcome"]) == ("small", "dask", "2x1", "dask", "completed")
    assert s["tasks"] == "6"
    assert s["critical_path"] == "0.450000000"  # a (0.1) -> c (0.3) -> x (0.05)
    assert s["work_bound"] == "0.375000000"  # 0.75 s of work over 2 threads
    assert float(s["makespan"]) >= 0.45
    assert summary["transfer_bytes"] == sum(int(r["bytes"]) for r in rows(out, "transfers.csv"))

    # Transfers: every worker-to-worker row carries a dependency's size; the client gathers the 3 leaves.
    transfers = rows(out, "transfers.csv")
    sizes = {t["key"]: t["output_bytes"] for t in TASKS}
    for t in transfers:
        assert int(t["bytes"]) == sizes[t["key"]]
    assert sorted(t["key"] for t in transfers if t["to_worker"] == "client-0") == sorted(
        ["('x-0123456789abcdef', 0)", "pinned", "urgent"])
    # bytes_fetched of the tuple-key task = what its worker received of b and c.
    x = by_key["('x-0123456789abcdef', 0)"]
    got = sum(int(t["bytes"]) for t in transfers if t["to_worker"] == x["worker"] and t["key"] in ("b", "c"))
    assert int(x["bytes_fetched"]) == got

    # Transitions: each task went released -> waiting -> ... -> memory, the first at update-graph.
    transitions = rows(out, "transitions.csv")
    for spec in TASKS:
        mine = [r for r in transitions if r["key"] == spec["key"]]
        assert mine[0]["from"] == "released" and mine[0]["stimulus"].startswith("update-graph")
        assert any(r["from"] == "processing" and r["to"] == "memory" for r in mine)


def test_cycle_is_refused_before_any_cluster_and_writes_nothing(tmp_path, schedsim):
    trace = write_trace(tmp_path / "cyc.json", [
        {"key": "p", "dependencies": ["q"]}, {"key": "q", "dependencies": ["p"]}])
    out = tmp_path / "out"
    done = run_cli("replay", trace, "--out", str(out), "--workers", "1", "--threads", "1", timeout=60)
    assert done.returncode != 0
    assert "cyc.json" in done.stderr and "cycle" in done.stderr
    assert not out.exists()


def test_unknown_resource_is_refused_before_any_cluster(tmp_path, schedsim):
    trace = write_trace(tmp_path / "gpu.json", [{"key": "a", "resources": {"GPU": 1}}])
    with pytest.raises(BridgeError, match="needs GPU=1"):
        replay(trace, str(tmp_path / "out"), workers=1, threads=1, processes=False)
    assert not (tmp_path / "out").exists()


def test_resources_are_honoured(tmp_path, schedsim):
    trace = write_trace(tmp_path / "gpu.json", [
        {"key": "g1", "duration": 0.05, "output_bytes": 1, "resources": {"GPU": 1}},
        {"key": "g2", "duration": 0.05, "output_bytes": 1, "resources": {"GPU": 1}},
    ])
    out = str(tmp_path / "out")
    replay(trace, out, workers=2, threads=2, processes=False, resources={"GPU": 1})
    tasks = rows(out, "tasks.csv")
    # One GPU per worker: the two tasks never overlap on one worker.
    if tasks[0]["worker"] == tasks[1]["worker"]:
        a, b = sorted(tasks, key=lambda r: float(r["start"]))
        assert float(b["start"]) >= float(a["end"])


def test_unreachable_scheduler_is_a_clear_error(tmp_path, schedsim):
    trace = write_trace(tmp_path / "one.json", [{"key": "a", "duration": 0.01}])
    out = tmp_path / "out"
    done = run_cli("replay", trace, "--scheduler", "tcp://127.0.0.1:9", "--timeout", "2", "--out", str(out))
    assert done.returncode == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9 within 2" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


def test_missing_trace_is_named(tmp_path):
    done = run_cli("replay", str(tmp_path / "nope.json"), "--out", str(tmp_path / "o"))
    assert done.returncode == 2 and "nope.json" in done.stderr


def test_restriction_to_an_unknown_worker_is_refused(tmp_path, schedsim):
    trace = write_trace(tmp_path / "r.json", [{"key": "a", "restrictions": {"workers": ["worker-7"]}}])
    with pytest.raises(BridgeError, match=r"task 'a'.*none of \['worker-7'\] is a worker of the cluster \(worker-0\)"):
        replay(trace, str(tmp_path / "out"), workers=1, threads=1, processes=False)
    assert not (tmp_path / "out").exists()

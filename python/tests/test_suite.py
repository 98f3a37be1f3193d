"""The capture suite: its driver (`capture-suite`), its workload scripts and `suite_stats`."""

import csv
import gzip
import json
import math
import os
import subprocess
import sys

import pytest

from conftest import PYTHON_DIR, run_cli
from schedsim_dask import BridgeError
from schedsim_dask import suite_stats
from schedsim_dask.suite import capture_name, plan
from schedsim_dask.workloads import SUITE, script_path


def test_plan_interleaves_runs_and_checks_its_arguments():
    todo = plan(runs=2, only=["array_sum", "rechunk"])
    assert todo == [("array_sum", "1.1", 1), ("array_sum", "inf", 1), ("rechunk", "1.1", 1), ("rechunk", "inf", 1),
                    ("array_sum", "1.1", 2), ("array_sum", "inf", 2), ("rechunk", "1.1", 2), ("rechunk", "inf", 2)]
    assert capture_name("rechunk", "inf", 2) == "rechunk-satinf-run2.json.gz"
    with pytest.raises(BridgeError, match="unknown workload"):
        plan(only=["nope"])
    with pytest.raises(BridgeError, match="--saturation 2.0"):
        plan(saturations=["2.0"])
    with pytest.raises(BridgeError, match="--runs 0"):
        plan(runs=0)


def test_every_workload_script_exists_and_refuses_a_bad_saturation():
    assert len(SUITE) >= 8
    for name in SUITE:
        assert os.path.isfile(script_path(name)), name
    env = dict(os.environ, PYTHONPATH=PYTHON_DIR)
    done = subprocess.run([sys.executable, script_path("array_sum"), "--saturation", "2"], capture_output=True,
                          text=True, env=env, timeout=60)
    assert done.returncode == 2 and "invalid choice: '2'" in done.stderr


def test_cli_refuses_an_unknown_workload(tmp_path):
    done = run_cli("capture-suite", "-o", str(tmp_path), "--only", "nope")
    assert done.returncode == 2 and "unknown workload(s) nope" in done.stderr
    assert not (tmp_path / "captures.csv").exists()


def test_capture_suite_makes_a_checked_capture(tmp_path, schedsim):
    out = tmp_path / "suite"
    done = run_cli("capture-suite", "-o", str(out), "--runs", "1", "--saturation", "inf", "--only",
                   "delayed_tree_10ms", "--nice", "0", timeout=300, env={"SCHEDSIM_BIN": schedsim})
    assert done.returncode == 0, done.stderr
    path = out / "delayed_tree_10ms-satinf-run1.json.gz"
    doc = json.loads(gzip.decompress(path.read_bytes()))
    assert len(doc["graph"]) == 511
    assert doc["meta"]["config"]["distributed.scheduler.worker-saturation"] == "inf"
    assert doc["meta"]["params"]["sleep_ms"] == 10 and doc["meta"]["params"]["saturation"] == "inf"
    assert doc["meta"]["cluster"] == {"type": "LocalCluster", "n_workers": 2, "threads_per_worker": 1, "processes": True}
    assert len(doc["meta"]["load_average"]["start"]) == 3
    with open(out / "captures.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["file"], r["status"], r["schedsim_check"]) for r in rows] == [(path.name, "ok", "ok")]


def fake_capture(makespan, saturation, gaps_from=0.0):
    """A minimal dask-trace document: three 1 s tasks on one worker thread, then a gap pattern."""
    t0 = 1000.0
    intervals = [(t0, t0 + 1), (t0 + 1.5, t0 + 2.5), (t0 + 2.7, t0 + makespan)]
    stream = [{"key": f"k{i}", "worker": "tcp://w0", "thread": 1, "nbytes": 8,
               "startstops": [{"action": "compute", "start": a, "stop": b}]} for i, (a, b) in enumerate(intervals)]
    stream[1]["startstops"].insert(0, {"action": "transfer", "start": t0 + 1.2, "stop": t0 + 1.4, "source": "tcp://w1"})
    return {
        "format": "dask-trace/0.1",
        "meta": {"workload": "toy", "params": {}, "config": {"distributed.scheduler.worker-saturation": saturation},
                 "load_average": {"start": [0.5, 0.4, 0.3], "end": [0.7, 0.5, 0.3]}, "nice": -15},
        "workers": {"tcp://w0": {"nthreads": 1}, "tcp://w1": {"nthreads": 1}},
        "graph": [{"key": f"k{i}", "dependencies": []} for i in range(3)],
        "task_stream": stream,
        "scheduler_transitions": [{"t": t0 - 0.3, "key": "k0", "stimulus_id": f"update-graph-{t0 - 0.5}"}],
        "worker_transfers": {"tcp://w0": {"incoming": [{"start": t0 + 1.2, "stop": t0 + 1.4, "total": 2_000_000}],
                                          "outgoing": []}},
        "summary": {"makespan_s": makespan},
    }


def test_suite_stats_on_known_numbers(tmp_path):
    for saturation, run, makespan in (("1.1", 1, 10.0), ("1.1", 2, 12.0), ("inf", 1, 20.0), ("inf", 2, 20.0)):
        name = f"toy-sat{saturation}-run{run}.json"
        (tmp_path / name).write_text(json.dumps(fake_capture(makespan, saturation)))
    (tmp_path / "manifest.json").write_text("{}")  # not a capture: skipped
    readme = tmp_path / "README.md"
    readme.write_text("# toy\n\n<!-- suite-stats:begin -->\nold\n<!-- suite-stats:end -->\n\nafter\n")
    assert suite_stats.main([str(tmp_path), "--csv", str(tmp_path / "stats.csv"), "--workloads-csv",
                             str(tmp_path / "w.csv"), "--readme", str(readme)]) == 0
    rows = list(csv.DictReader(open(tmp_path / "stats.csv")))
    assert len(rows) == 4
    first = rows[0]
    assert first["tasks"] == "3" and first["run"] == "1" and first["saturation"] == "1.1"
    assert math.isclose(float(first["gap_p50_ms"]), 350.0)  # gaps 0.5 s and 0.2 s
    assert math.isclose(float(first["submit_to_first_start_s"]), 0.5)
    assert math.isclose(float(first["transfer_mb_s_p50"]), 10.0)  # 2 MB in 0.2 s
    assert math.isclose(float(first["median_task_ms"]), 1000.0)
    workload = list(csv.DictReader(open(tmp_path / "w.csv")))[0]
    assert math.isclose(float(workload["band_sat1.1"]), 2 / 11, rel_tol=1e-5)
    assert float(workload["band_satinf"]) == 0
    assert math.isclose(float(workload["queuing_off_vs_on"]), 9 / 11, rel_tol=1e-5)
    text = readme.read_text()
    assert "old" not in text and "| toy | 3 |" in text and text.endswith("after\n")


def test_suite_stats_refuses_a_folder_without_captures(tmp_path, capsys):
    assert suite_stats.main([str(tmp_path)]) == 2
    assert "no captures" in capsys.readouterr().err

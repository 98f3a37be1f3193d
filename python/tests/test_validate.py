"""``python -m schedsim_dask validate``: the simulation and a real Dask run of one trace, compared."""

import csv
import gzip
import json
import os

from conftest import run_cli, write_trace

TASKS = [
    {"key": "a", "duration": 0.05, "output_bytes": 1000},
    {"key": "b", "duration": 0.10, "output_bytes": 2000, "dependencies": ["a"]},
    {"key": "c", "duration": 0.15, "output_bytes": 3000, "dependencies": ["a"]},
    {"key": "d", "duration": 0.05, "output_bytes": 10, "dependencies": ["b", "c"]},
]


def test_validate_writes_both_runs_the_capture_and_schedsim_fidelity(tmp_path, schedsim):
    trace = write_trace(tmp_path / "diamond.json", TASKS, name="diamond")
    out = tmp_path / "out"
    done = run_cli("validate", trace, "--out", str(out), "--threads-only", timeout=300,
                   env={"SCHEDSIM_BIN": schedsim})
    assert done.returncode == 0, done.stderr
    for name in ("trace.json", "comparison.csv", "capture.json.gz", "sim/tasks.csv", "dask/tasks.csv",
                 "fidelity/validation.csv"):
        assert os.path.exists(out / name), name
    # The real run was recorded as a Dask capture of the same four keys.
    with gzip.open(out / "capture.json.gz", "rt") as f:
        document = json.load(f)
    assert document["format"] == "dask-trace/0.1"
    assert sorted(r["key"] for r in document["task_stream"]) == ["a", "b", "c", "d"]
    # schedsim replayed that capture on its recorded cluster and measured both runs the same way.
    with open(out / "fidelity" / "validation.csv", newline="") as f:
        (row,) = list(csv.DictReader(f))
    assert row["capture"] == str(out / "capture.json.gz")
    assert row["runtime"] == "dask"
    real_span, sim_span = float(row["real_span"]), float(row["sim_span"])
    # The critical path a→c→d is 0.25 s; both runs take at least that, and Dask's span is its task stream's.
    assert real_span >= 0.25 - 0.005 and sim_span >= 0.25
    assert abs(real_span - document["summary"]["makespan_s"]) < 1e-6
    # The scheduler held at least b and c (5000 bytes) at once in both runs.
    assert int(row["real_peak_memory"]) >= 5000 and int(row["sim_peak_memory"]) >= 5000
    assert "median |span error|" in done.stdout

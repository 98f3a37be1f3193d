"""A compare grid split into shards on a 2-worker LocalCluster, merged, equals a local compare."""

import subprocess

import pytest

from conftest import REPO
from schedsim_dask.errors import BridgeError
from schedsim_dask.sweep import load_grid, sweep


def test_sweep_equals_local_compare(tmp_path, schedsim):
    grid = tmp_path / "grid.yaml"
    grid.write_text(
        f"traces: [{REPO}/traces/native/diamond.json, {REPO}/traces/stg/robot.stg]\n"
        "policies: [dask, random, round-robin]\n"
        "seeds: '1-2'\n"
        "cluster: 2x2\n"
        "shards: 4\n"
    )
    path, count = sweep(str(grid), str(tmp_path / "out"), workers=2, processes=False)
    assert count == 4
    local = tmp_path / "local"
    done = subprocess.run([schedsim, "compare", f"{REPO}/traces/native/diamond.json", f"{REPO}/traces/stg/robot.stg",
                           "--policies", "dask,random,round-robin", "--seeds", "1-2", "--cluster", "2x2",
                           "--no-progress", "--jobs", "1", "--out", str(local)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    merged = open(path).read()
    assert merged == (local / "summary.csv").read_text()
    assert len(merged.splitlines()) == 1 + 2 * 3 * 2  # header + traces x policies x seeds
    # Each shard holds every 4th run.
    shard2 = (tmp_path / "out" / "shards" / "2-of-4" / "summary.csv").read_text().splitlines()
    assert [line.split(",")[0] for line in shard2[1:]] == ["2", "6", "10"]


def test_grid_errors_are_named(tmp_path):
    grid = tmp_path / "g.yaml"
    grid.write_text("traces: [missing.json]\n")
    with pytest.raises(BridgeError, match=r"g.yaml: traces\[0\]: no such file 'missing.json'"):
        load_grid(str(grid))
    grid.write_text("traces: [g.yaml]\npolicy: dask\n")
    with pytest.raises(BridgeError, match="unknown key 'policy'"):
        load_grid(str(grid))


def test_merge_refuses_a_run_in_two_shards(tmp_path, schedsim):
    for name in ("s1", "s2"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "summary.csv").write_text("run_id,trace\n1,a\n")
    done = subprocess.run([schedsim, "merge", str(tmp_path / "s1"), str(tmp_path / "s2"), "--out", str(tmp_path / "m")],
                          capture_output=True, text=True)
    assert done.returncode != 0 and "run_id 1 also at" in done.stderr
    assert not (tmp_path / "m" / "summary.csv").exists()

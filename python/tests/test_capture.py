"""Capturing real Dask computations into dask-trace files schedsim accepts."""

import csv
import json
import subprocess
import time

import dask
import pytest
from distributed import Client, LocalCluster

from conftest import run_cli
from schedsim_dask import capture, replay
from schedsim_dask.capture import P2PShuffleWarning


def build_tree(leaves=8):
    """A binary reduction tree: ``leaves`` leaves and ``leaves - 1`` combines."""
    def leaf(i):
        time.sleep(0.02)
        return bytes(1000 * (i + 1))

    def combine(a, b):
        time.sleep(0.01)
        return a + b

    layer = [dask.delayed(leaf)(i, dask_key_name=f"leaf-{i:02d}") for i in range(leaves)]
    level = 0
    while len(layer) > 1:
        level += 1
        layer = [dask.delayed(combine)(layer[2 * i], layer[2 * i + 1], dask_key_name=f"combine-L{level}-{i:02d}")
                 for i in range(len(layer) // 2)]
    return layer[0]


def expected_edges(leaves):
    edges, layer, level = set(), [f"leaf-{i:02d}" for i in range(leaves)], 0
    while len(layer) > 1:
        level += 1
        nxt = [f"combine-L{level}-{i:02d}" for i in range(len(layer) // 2)]
        for i, k in enumerate(nxt):
            edges |= {(layer[2 * i], k), (layer[2 * i + 1], k)}
        layer = nxt
    return edges


def test_context_manager_captures_a_tree_schedsim_accepts(tmp_path, schedsim):
    path = tmp_path / "tree.json"
    with capture(str(path)):
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster, \
                Client(cluster) as client:
            result = build_tree(16).compute()  # 16 leaves + 15 combines = 31 tasks
            assert len(result) == sum(1000 * (i + 1) for i in range(16))
    doc = json.loads(path.read_text())
    assert doc["format"] == "dask-trace/0.1"
    keys = {r["key"] for r in doc["graph"]}
    assert len(keys) == 31 and len(doc["graph"]) == 31
    edges = {(d, r["key"]) for r in doc["graph"] for d in r["dependencies"]}
    assert edges == expected_edges(16)
    assert {r["key"] for r in doc["task_stream"]} == keys
    stream = {r["key"]: r for r in doc["task_stream"]}
    assert stream["leaf-03"]["nbytes"] == 4000
    compute = [s for s in stream["leaf-03"]["startstops"] if s["action"] == "compute"][0]
    assert compute["stop"] - compute["start"] >= 0.019
    assert doc["meta"]["cluster"] == {"type": "LocalCluster", "n_workers": 2, "threads_per_worker": 1, "processes": False}
    assert sorted(w["nthreads"] for w in doc["workers"].values()) == [1, 1]
    assert doc["meta"]["config"]["distributed.admin.low-level-log-length"] >= 1_000_000
    roots = [r for r in doc["graph"] if r["requested_by_client"]]
    assert [r["key"] for r in roots] == ["combine-L4-00"]
    # Transfer logs agree with the summary, and every transferred key is a dependency edge's source.
    incoming = [e for w in doc["worker_transfers"].values() for e in w["incoming"]]
    assert doc["summary"]["incoming_transfer_bytes_total"] == sum(e["total"] for e in incoming)
    assert all(k in keys for e in incoming for k in e["keys"])

    # schedsim reads it: check passes and info counts the same tasks and edges.
    check = subprocess.run([schedsim, "check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    info = subprocess.run([schedsim, "info", "--json", str(path)], capture_output=True, text=True)
    assert info.returncode == 0, info.stderr
    facts = json.loads(info.stdout)
    assert facts["tasks"] == 31 and facts["edges"] == 30

    # And the capture replays on Dask: every captured task once, at least as long as measured.
    out = tmp_path / "replay"
    replay(str(path), str(out), workers=2, threads=1, processes=False)
    with open(out / "tasks.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert sorted(r["key"] for r in rows) == sorted(keys)
    measured = {k: sum(s["stop"] - s["start"] for s in r["startstops"] if s["action"] == "compute")
                for k, r in stream.items()}
    for r in rows:
        assert float(r["duration"]) >= measured[r["key"]] - 0.002
        assert int(r["output_bytes"]) == stream[r["key"]]["nbytes"]


def test_block_that_raises_writes_nothing(tmp_path):
    path = tmp_path / "bad.json"
    with pytest.raises(ZeroDivisionError):
        with capture(str(path)):
            with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0") as c, \
                    Client(c):
                dask.delayed(lambda: 1)().compute()
                1 / 0
    assert not path.exists()
    assert not (tmp_path / "bad.json.partial").exists()


def test_cli_capture_of_a_script(tmp_path, schedsim):
    script = tmp_path / "job.py"
    script.write_text(
        "import dask\n"
        "from distributed import Client, LocalCluster\n"
        "if __name__ == '__main__':\n"
        "    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=':0') as c, Client(c):\n"
        "        xs = [dask.delayed(bytes)(10 * i, dask_key_name=f'x-{i}') for i in range(4)]\n"
        "        print(len(dask.compute(*xs)))\n"
    )
    out = tmp_path / "job.json"
    done = run_cli("capture", str(script), "-o", str(out))
    assert done.returncode == 0, done.stderr
    doc = json.loads(out.read_text())
    assert doc["meta"]["workload"] == "job" and len(doc["graph"]) == 4


def test_cli_capture_of_a_failing_script_names_it(tmp_path):
    script = tmp_path / "broken.py"
    script.write_text("raise ValueError('boom')\n")
    out = tmp_path / "broken.json"
    done = run_cli("capture", str(script), "-o", str(out))
    assert done.returncode == 2
    assert "broken.py: the script raised ValueError: boom" in done.stderr
    assert not out.exists()


def test_nothing_computed_is_an_error(tmp_path):
    script = tmp_path / "idle.py"
    script.write_text("x = 1\n")
    done = run_cli("capture", str(script), "-o", str(tmp_path / "idle.json"))
    assert done.returncode == 2 and "nothing was computed" in done.stderr


def test_p2p_shuffle_is_detected():
    from schedsim_dask.capture import _Session, build_document

    session = _Session("p2p")
    session.parts.append({
        "graph": [{"key": "('shuffle-transfer-abc', 0)", "prefix": "shuffle-transfer", "group": "g",
                   "dependencies": [], "priority": [0], "requested_by_client": True, "spec_type": "Task"}],
        "transitions": [], "task_stream": [], "worker_transfers": {}, "workers": {}, "cluster": {},
        "scheduler": {"transition_log": [], "transition_counter": 0, "log_length": 10, "events": {}},
    })
    with pytest.warns(P2PShuffleWarning, match="P2P shuffle"):
        doc = build_document(session)
    assert doc["meta"]["warnings"] and "P2P" in doc["meta"]["warnings"][0]


def test_cli_capture_passes_the_arguments_after_double_dash(tmp_path):
    """The documented form `capture SCRIPT.py -o OUT -- ARGS` (argparse alone rejects it)."""
    script = tmp_path / "args.py"
    seen = tmp_path / "argv.json"
    script.write_text(
        "import json, sys\n"
        "import dask\n"
        "from distributed import Client, LocalCluster\n"
        "if __name__ == '__main__':\n"
        f"    json.dump(sys.argv[1:], open({str(seen)!r}, 'w'))\n"
        "    n = int(sys.argv[sys.argv.index('--size') + 1])\n"
        "    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=':0') as c, Client(c):\n"
        "        print(len(dask.compute(*[dask.delayed(bytes)(i, dask_key_name=f'x-{i}') for i in range(n)])))\n"
    )
    out = tmp_path / "args.json"
    done = run_cli("capture", str(script), "-o", str(out), "--", "--size", "3", "-o", "not-the-bridge's")
    assert done.returncode == 0, done.stderr
    assert json.loads(seen.read_text()) == ["--size", "3", "-o", "not-the-bridge's"]
    assert len(json.loads(out.read_text())["graph"]) == 3


def test_double_dash_is_only_for_capture(tmp_path):
    done = run_cli("compare", str(tmp_path), str(tmp_path), "--", "x")
    assert done.returncode == 2 and "only for `capture" in done.stderr


SATURATION_SCRIPT = (
    "import dask\n"
    "from distributed import Client, LocalCluster\n"
    "if __name__ == '__main__':\n"
    "    with dask.config.set({{'distributed.scheduler.worker-saturation': {value}}}):\n"
    "        with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=':0') as c, Client(c):\n"
    "            print(len(dask.compute(*[dask.delayed(bytes)(i, dask_key_name=f'x-{{i}}') for i in range(6)])))\n"
)


@pytest.mark.parametrize("value, recorded", [("'inf'", "inf"), ("float('inf')", "inf"), ("2.5", 2.5)])
def test_meta_config_records_the_saturation_the_scheduler_ran_with(tmp_path, value, recorded):
    """A script that sets worker-saturation (and restores it before the capture ends) is recorded
    with the value its scheduler used, not the one in force when the file is written."""
    script = tmp_path / "sat.py"
    script.write_text(SATURATION_SCRIPT.format(value=value))
    out = tmp_path / "sat.json"
    done = run_cli("capture", str(script), "-o", str(out))
    assert done.returncode == 0, done.stderr
    text = out.read_text()
    assert "Infinity" not in text  # JSON has no infinity; schedsim would refuse the file
    config = json.loads(text)["meta"]["config"]
    assert config["distributed.scheduler.worker-saturation"] == recorded
    assert config["distributed.scheduler.work-stealing"] is True


def test_saturation_read_from_the_scheduler_in_process(tmp_path):
    path = tmp_path / "inproc.json"
    with capture(str(path)):
        with dask.config.set({"distributed.scheduler.worker-saturation": 3.0}):
            cluster = LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0")
        # The setting is gone by now; the scheduler still runs with 3.0.
        with cluster, Client(cluster):
            dask.delayed(bytes)(4).compute()
    meta = json.loads(path.read_text())["meta"]
    assert meta["config"]["distributed.scheduler.worker-saturation"] == 3.0
    assert len(meta["load_average"]["start"]) == 3 and len(meta["load_average"]["end"]) == 3


def test_params_and_gzip_output(tmp_path):
    import gzip

    from schedsim_dask.capture import record_params

    assert record_params(size=1) is False  # outside a capture: nothing to record into
    path = tmp_path / "p.json.gz"
    with capture(str(path)):
        record_params(size=4, saturation=float("inf"))
        with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0") as c, Client(c):
            dask.delayed(bytes)(4).compute()
    doc = json.loads(gzip.decompress(path.read_bytes()))
    assert doc["meta"]["params"] == {"size": 4, "saturation": "inf"}
    assert doc["meta"]["workload"] == "p"


def test_capture_on_a_cluster_that_ran_before_records_only_the_new_work(tmp_path):
    """Connecting to a cluster with history (as `calibrate --scheduler` does): the task stream,
    transition log and transfer logs hold only what happened after the capture's client arrived."""
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster:
        with Client(cluster) as earlier:
            earlier.run_on_scheduler(lambda dask_scheduler: dask_scheduler.add_plugin(
                __import__("distributed.diagnostics.task_stream", fromlist=["x"]).TaskStreamPlugin(dask_scheduler)))
            a = earlier.submit(bytes, 10_000, key="before-a", workers=[list(cluster.scheduler_info["workers"])[0]])
            earlier.submit(len, a, key="before-b", workers=[list(cluster.scheduler_info["workers"])[1]]).result()
        path = tmp_path / "after.json"
        with capture(str(path)):
            with Client(cluster):
                dask.compute(*[dask.delayed(bytes)(i, dask_key_name=f"after-{i}") for i in range(3)])
    doc = json.loads(path.read_text())
    keys = {r["key"] for r in doc["graph"]}
    assert keys == {"after-0", "after-1", "after-2"}
    assert {r["key"] for r in doc["task_stream"]} == keys
    assert {e["key"] for e in doc["transition_log"]} <= keys
    moved = {k for w in doc["worker_transfers"].values() for e in w["incoming"] + w["outgoing"] for k in e["keys"]}
    assert "before-a" not in moved
    assert doc["transition_counter"] == len(doc["transition_log"])

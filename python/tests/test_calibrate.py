"""`python -m schedsim_dask calibrate`: micro-benchmarks captured on a cluster, then `schedsim calibrate`
(mocked here by small fake binaries: the Swift command is written elsewhere)."""

import gzip
import json
import os
import stat
import sys

import pytest
from distributed import Client, LocalCluster

from conftest import run_cli
from schedsim_dask import BridgeError
from schedsim_dask.calibrate import BENCHMARKS, calibrate, parse_shape

# A schedsim that has `calibrate`: records its arguments, writes a profile naming the captures.
WITH_CALIBRATE = r'''#!{python}
import json, sys
args = sys.argv[1:]
if args[:1] == ["--help"]:
    print("SUBCOMMANDS:\n  info    Print.\n  calibrate   Fit a runtime-cost profile.")
    sys.exit(0)
if args[:1] != ["calibrate"]:
    sys.exit(64)
out = args[args.index("-o") + 1]
captures = [a for a in args[1:] if a not in ("-o", out)]
json.dump(captures, open({log!r}, "w"))
open(out, "w").write("profile: fake\ncaptures: %d\n" % len(captures))
print("fitted %d captures" % len(captures))
'''

# Today's schedsim: no `calibrate` subcommand (its real answers).
WITHOUT_CALIBRATE = r'''#!{python}
import sys
if sys.argv[1:2] == ["--help"]:
    print("SUBCOMMANDS:\n  info    Print the structure of a trace.\n  replay  Replay a trace.")
    sys.exit(0)
sys.stderr.write("Error: Unknown option '-o'\nUsage: schedsim <subcommand>\n")
sys.exit(64)
'''

# A schedsim whose calibrate fails on these captures.
FAILING = r'''#!{python}
import sys
if sys.argv[1:2] == ["--help"]:
    print("SUBCOMMANDS:\n  calibrate   Fit.")
    sys.exit(0)
out = sys.argv[sys.argv.index("-o") + 1]
open(out, "w").write("half a profi")
sys.stderr.write("error: noop_map.json.gz: too few tasks to fit the per-task cost\n")
sys.exit(2)
'''


def fake_schedsim(tmp_path, text, log=None):
    path = tmp_path / "fake-schedsim"
    path.write_text(text.format(python=sys.executable, log=str(log or tmp_path / "args.json")))
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def load(path):
    return json.loads(gzip.decompress(open(path, "rb").read()))


def cli(tmp_path, binary, *args, timeout=180):
    return run_cli("calibrate", *args, timeout=timeout, env={"SCHEDSIM_BIN": binary})


def test_parse_shape():
    assert parse_shape("2x1") == (2, 1) and parse_shape("4×2") == (4, 2)
    for bad in ("2", "0x1", "2x0", "axb", ""):
        with pytest.raises(BridgeError):
            parse_shape(bad)


def test_the_suite_is_the_documented_one():
    assert list(BENCHMARKS) == ["noop_map", "chains", "tree_reduce", "transfer_1kB", "transfer_100kB",
                                "transfer_1MB", "transfer_10MB", "transfer_100MB"]


def test_calibrate_captures_and_calls_schedsim(tmp_path):
    log = tmp_path / "args.json"
    binary = fake_schedsim(tmp_path, WITH_CALIBRATE, log)
    keep, profile = tmp_path / "kept", tmp_path / "profile.yaml"
    done = cli(tmp_path, binary, "--local", "2x1", "--threads-only", "--only", "chains", "--only", "transfer_1kB",
               "-o", str(profile), "--keep", str(keep))
    assert done.returncode == 0, done.stderr
    assert profile.read_text() == "profile: fake\ncaptures: 2\n"
    assert not list(tmp_path.glob(".profile.partial*"))
    passed = json.loads(log.read_text())
    assert [os.path.basename(p) for p in passed] == ["chains.json.gz", "transfer_1kB.json.gz"]
    chains = load(keep / "chains.json.gz")
    assert chains["format"] == "dask-trace/0.1" and len(chains["graph"]) == 400
    assert {r["key"] for r in chains["task_stream"]} == {r["key"] for r in chains["graph"]}
    moves = load(keep / "transfer_1kB.json.gz")
    assert len(moves["graph"]) == 40
    incoming = [e for w in moves["worker_transfers"].values() for e in w["incoming"]]
    assert len(incoming) == 20 and all(e["total"] >= 1000 for e in incoming)
    assert {k.rsplit("-", 1)[0] for e in incoming for k in e["keys"]} == {"transfer-make-1kB"}
    manifest = json.loads((keep / "manifest.json").read_text())
    assert [b["benchmark"] for b in manifest["benchmarks"]] == ["chains", "transfer_1kB"]


def test_a_schedsim_without_calibrate_keeps_the_captures_and_says_what_to_run(tmp_path):
    binary = fake_schedsim(tmp_path, WITHOUT_CALIBRATE)
    keep, profile = tmp_path / "kept", tmp_path / "profile.yaml"
    done = cli(tmp_path, binary, "--local", "1x1", "--threads-only", "--only", "chains", "--only", "transfer_1MB",
               "-o", str(profile), "--keep", str(keep))
    assert done.returncode == 2
    assert "has no `calibrate` command" in done.stderr
    assert f"captures are kept in {keep}" in done.stderr
    assert f"calibrate {keep}/*.json.gz -o {profile}" in done.stderr
    assert not profile.exists()
    assert sorted(os.listdir(keep)) == ["chains.json.gz", "manifest.json"]  # one worker: no transfer benchmark
    assert "transfer_1MB: left out (needs two workers" in done.stdout


def test_without_keep_the_temporary_folder_is_kept_on_failure(tmp_path):
    binary = fake_schedsim(tmp_path, WITHOUT_CALIBRATE)
    done = cli(tmp_path, binary, "--local", "1x1", "--threads-only", "--only", "chains",
               "-o", str(tmp_path / "p.yaml"))
    assert done.returncode == 2
    folder = done.stderr.split("captures are kept in ")[1].split(";")[0]
    assert os.path.isfile(os.path.join(folder, "chains.json.gz"))


def test_a_failing_calibrate_leaves_no_partial_profile(tmp_path):
    binary = fake_schedsim(tmp_path, FAILING)
    profile = tmp_path / "profile.yaml"
    done = cli(tmp_path, binary, "--local", "1x1", "--threads-only", "--only", "chains",
               "-o", str(profile), "--keep", str(tmp_path / "k"))
    assert done.returncode == 2
    assert "too few tasks to fit the per-task cost" in done.stderr and "kept in" in done.stderr
    assert not profile.exists() and not list(tmp_path.glob(".profile.partial*"))


@pytest.mark.parametrize("args, message", [
    (["--local", "2x1", "--scheduler", "tcp://127.0.0.1:1"], "not allowed with argument"),
    (["--local", "0x1"], "workers and threads must be at least 1"),
    (["--local", "2x1", "--only", "warp_drive"], "unknown benchmark(s) warp_drive"),
    (["--scheduler", "tcp://127.0.0.1:1", "--timeout", "1"], "cannot reach the Dask scheduler"),
])
def test_bad_arguments(tmp_path, args, message):
    binary = fake_schedsim(tmp_path, WITH_CALIBRATE)
    done = cli(tmp_path, binary, *args, "-o", str(tmp_path / "p.yaml"), timeout=60)
    assert done.returncode == 2 and message in done.stderr, done.stderr
    assert not (tmp_path / "p.yaml").exists()


def test_on_a_running_scheduler_each_capture_holds_only_its_benchmark(tmp_path, monkeypatch):
    binary = fake_schedsim(tmp_path, WITH_CALIBRATE)
    monkeypatch.setenv("SCHEDSIM_BIN", binary)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster:
        with Client(cluster) as other:  # history on the cluster before calibrate connects
            other.submit(sum, [1, 2], key="unrelated-work").result()
        calibrate(str(tmp_path / "p.yaml"), scheduler=cluster.scheduler_address, keep=str(tmp_path / "k"),
                  only=["tree_reduce", "chains"], log=lambda text: None)
    tree, chains = load(tmp_path / "k" / "tree_reduce.json.gz"), load(tmp_path / "k" / "chains.json.gz")
    assert len(tree["graph"]) == 511 and len(chains["graph"]) == 400
    for doc in (tree, chains):
        assert {r["key"] for r in doc["task_stream"]} == {r["key"] for r in doc["graph"]}
        assert doc["meta"]["cluster"]["type"] == "external"
    assert (tmp_path / "p.yaml").read_text().startswith("profile: fake")

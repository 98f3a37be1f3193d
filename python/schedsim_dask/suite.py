"""``capture-suite``: capture every workload of ``schedsim_dask/workloads`` with root-task queuing on
(worker-saturation 1.1) and off (inf), several times each, one capture at a time.

Each capture is its own ``python -m schedsim_dask capture`` process, started with a raised CPU
priority (``nice -15`` by default, which needs root) so Dask's processes get the CPU on a busy
machine. The captures are written as ``OUT/<workload>-sat<1.1|inf>-run<N>.json.gz``; the capture
itself records the load average before and after, the nice value, and the versions. Each file is
then checked with ``schedsim info`` and ``schedsim replay --cluster 2x1 --policy dask``.
``OUT/captures.csv`` lists every capture attempted, with its status.
"""

import csv
import io
import os
import subprocess
import sys
import tempfile
import time

from .atomic import write_text
from .binary import find_schedsim
from .errors import BridgeError
from .workloads import SATURATIONS, SUITE, script_path

SIZE_LIMIT = 5_000_000  # bytes per capture file (the repository keeps them)
PACKAGE_PARENT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def capture_name(workload, saturation, run):
    return f"{workload}-sat{saturation}-run{run}.json.gz"


def plan(runs=2, saturations=SATURATIONS, only=None):
    """The captures to make, in order: (workload, saturation, run). Runs are interleaved so the two
    runs of one workload are minutes apart, not back to back."""
    names = list(SUITE)
    if only:
        unknown = [n for n in only if n not in SUITE]
        if unknown:
            raise BridgeError(f"unknown workload(s) {', '.join(unknown)}; the suite has: {', '.join(names)}")
        names = [n for n in names if n in only]
    bad = [s for s in saturations if s not in SATURATIONS]
    if bad:
        raise BridgeError(f"--saturation {', '.join(bad)}: expected {' or '.join(SATURATIONS)}")
    if runs < 1:
        raise BridgeError(f"--runs {runs}: expected at least 1")
    return [(n, s, r) for r in range(1, runs + 1) for n in names for s in saturations]


def _preexec(niceness):
    def set_priority():
        os.nice(niceness)

    return set_priority if niceness else None


def check_niceness(niceness):
    if niceness < 0 and hasattr(os, "geteuid") and os.geteuid() != 0:
        raise BridgeError(f"--nice {niceness}: raising the priority needs root; run as root or pass --nice 0")


def run_capture(script, output, script_args, niceness=-15, timeout=300):
    """One ``python -m schedsim_dask capture`` in a child process; returns (status, seconds, message)."""
    env = dict(os.environ, PYTHONPATH=PACKAGE_PARENT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    command = [sys.executable, "-m", "schedsim_dask", "capture", script, "-o", output, "--", *script_args]
    started = time.monotonic()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env,
                              preexec_fn=_preexec(niceness))
    except subprocess.TimeoutExpired:
        return "timeout", time.monotonic() - started, f"no result after {timeout} s"
    seconds = time.monotonic() - started
    if done.returncode != 0:
        return "failed", seconds, _last_line(done)
    return "ok", seconds, ""


def check_with_schedsim(path, cluster="2x1"):
    """``schedsim info`` and ``schedsim replay --policy dask`` on the capture; returns '' or the problem."""
    binary = find_schedsim()
    info = subprocess.run([binary, "info", path], capture_output=True, text=True, timeout=300)
    if info.returncode != 0:
        return "schedsim info: " + _last_line(info)
    with tempfile.TemporaryDirectory(prefix="schedsim-suite-") as tmp:
        rep = subprocess.run([binary, "replay", path, "--cluster", cluster, "--policy", "dask", "--out", tmp],
                             capture_output=True, text=True, timeout=600)
    if rep.returncode != 0:
        return "schedsim replay: " + _last_line(rep)
    return ""


def _last_line(done):
    lines = (done.stderr or done.stdout or "").strip().splitlines()
    return lines[-1] if lines else f"exit status {done.returncode}"


COLUMNS = ["workload", "saturation", "run", "file", "status", "seconds", "bytes", "schedsim_check", "message"]


def capture_suite(out, runs=2, saturations=SATURATIONS, only=None, niceness=-15, check=True, timeout=300,
                  log=None):
    """Make every capture of the plan into ``out``; returns the rows of ``captures.csv``.

    A capture that fails does not stop the suite; it is listed with its message, and the caller
    exits non-zero.
    """
    log = log or (lambda text: print(text, flush=True))
    todo = plan(runs, saturations, only)
    check_niceness(niceness)
    if check:
        find_schedsim()  # before the first capture, not after all of them
    os.makedirs(out, exist_ok=True)
    listing = os.path.join(out, "captures.csv")
    earlier = _read_rows(listing)  # a partial rerun (--only) keeps the other captures' rows
    rows = []
    for index, (workload, saturation, run) in enumerate(todo, 1):
        script, fixed = SUITE[workload]
        name = capture_name(workload, saturation, run)
        path = os.path.join(out, name)
        status, seconds, message = run_capture(script_path(workload), path, [*fixed, "--saturation", saturation],
                                               niceness=niceness, timeout=timeout)
        size = os.path.getsize(path) if status == "ok" else 0
        verdict = ""
        if status == "ok":
            if size > SIZE_LIMIT:
                message = f"{size} bytes: larger than the {SIZE_LIMIT}-byte budget"
            if check:
                problem = check_with_schedsim(path)
                verdict = "failed" if problem else "ok"
                if problem:
                    status, message = "schedsim-rejected", problem
        rows.append({"workload": workload, "saturation": saturation, "run": run, "file": name, "status": status,
                     "seconds": f"{seconds:.1f}", "bytes": size, "schedsim_check": verdict, "message": message})
        log(f"[{index}/{len(todo)}] {name}: {status} in {seconds:.1f} s" + (f" ({message})" if message else ""))
        # After every capture, so an interrupted suite keeps its list.
        _write_rows(listing, _merged(earlier, rows))
    return rows


def _read_rows(path):
    if not os.path.exists(path):
        return []
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _merged(earlier, rows):
    by_file = {r["file"]: r for r in earlier}
    by_file.update({r["file"]: r for r in rows})
    return sorted(by_file.values(), key=lambda r: (int(r["run"]), r["workload"], r["saturation"]))


def _write_rows(path, rows):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    write_text(path, buffer.getvalue())

"""``validate``: schedsim's simulation of the Dask policy against real Dask, on one trace.

Steps, all into one output folder:
1. ``schedsim convert`` the trace and scale it (durations by ``time_scale``,
   sizes by ``size_scale``) into ``OUT/trace.json``, so both runs see the
   very same native trace;
2. ``schedsim replay OUT/trace.json --cluster WxT --policy dask`` → ``OUT/sim``;
3. the replay on a real LocalCluster of the same shape → ``OUT/dask``, recorded
   at the same time as a Dask capture → ``OUT/capture.json.gz``;
4. the comparison of the two log folders (compare.py) → ``OUT/comparison.csv``;
5. ``schedsim validate OUT/capture.json.gz --against dask`` → ``OUT/fidelity``:
   the capture replayed on its recorded cluster and measured exactly as the real
   run (span, inter-task gaps, tasks per worker, bytes moved, peak memory), the
   same measure ``calibrate`` fits (docs/runtime.md).
"""

import json
import os

from .atomic import write_text
from .capture import capture
from .binary import convert_to_native, run_schedsim
from .compare import compare_folders
from .errors import BridgeError
from .replay import replay
from .trace import critical_path, parse_native


def scaled(document, time_scale, size_scale):
    """A copy of a native document with every duration and size scaled."""
    doc = json.loads(json.dumps(document))
    for task in doc["tasks"]:
        if "duration" in task:
            task["duration"] = task["duration"] * time_scale
        if "output_bytes" in task:
            task["output_bytes"] = int(task["output_bytes"] * size_scale)
        if "dependency_bytes" in task:
            task["dependency_bytes"] = [int(b * size_scale) for b in task["dependency_bytes"]]
    return doc


def choose_scales(document, target_seconds, max_bytes):
    """Scales that make the critical path about ``target_seconds`` and the outputs at most ``max_bytes``."""
    trace = parse_native(document)
    cp = critical_path(trace)
    time_scale = target_seconds / cp if cp > 0 and target_seconds else 1.0
    total = sum(t.output_bytes for t in trace.tasks)
    size_scale = min(1.0, max_bytes / total) if total > 0 and max_bytes else 1.0
    return time_scale, size_scale


def validate(trace_path, out, workers=2, threads=1, time_scale=None, size_scale=None, target_seconds=None,
             max_bytes=None, processes=True):
    """Run both and compare; returns the comparison text (CSV header + row)."""
    document = convert_to_native(trace_path)
    parse_native(document, source=trace_path)  # refuse what Dask cannot run before anything starts
    auto_time, auto_size = choose_scales(document, target_seconds, max_bytes)
    time_scale = auto_time if time_scale is None else time_scale
    size_scale = auto_size if size_scale is None else size_scale
    if time_scale <= 0 or size_scale < 0:
        raise BridgeError(f"scales must be positive (time {time_scale}, size {size_scale})")
    os.makedirs(out, exist_ok=True)
    native = os.path.join(out, "trace.json")
    doc = scaled(document, time_scale, size_scale)
    doc.setdefault("metadata", {})["schedsim_dask.scales"] = f"time x{time_scale:.6g}, size x{size_scale:.6g}"
    write_text(native, json.dumps(doc) + "\n")
    run_schedsim(["replay", native, "--cluster", f"{workers}x{threads}", "--policy", "dask",
                  "--out", os.path.join(out, "sim")])
    recorded = os.path.join(out, "capture.json.gz")
    with capture(recorded, workload=doc.get("name") or os.path.splitext(os.path.basename(trace_path))[0]):
        replay(native, os.path.join(out, "dask"), workers=workers, threads=threads, processes=processes)
    text = compare_folders(os.path.join(out, "sim"), os.path.join(out, "dask"))
    write_text(os.path.join(out, "comparison.csv"), text + "\n")
    fidelity = run_schedsim(["validate", recorded, "--against", "dask", "--out", os.path.join(out, "fidelity")])
    return text, time_scale, size_scale, fidelity

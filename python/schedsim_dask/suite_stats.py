"""Statistics of a folder of Dask captures (the capture suite, the calibration runs), for the
runtime-cost model to be fitted against and for ``traces/dask/suite/README.md``.

    python -m schedsim_dask.suite_stats traces/dask/suite [--csv stats.csv] [--workloads-csv workloads.csv]
        [--readme README.md]

Per capture (one row of ``--csv``):

* ``tasks`` (graph records), ``median_task_ms`` (median of each task's summed ``compute`` time);
* ``makespan_s``: ``summary.makespan_s``, first start to last stop over the task stream;
* ``submit_to_first_start_s``: from the client's first ``update-graph`` (the time in its stimulus id,
  taken on the client) to the first ``compute`` start;
* ``gap_*_ms``: the idle gap between consecutive tasks on the same worker thread (next compute start −
  previous compute stop, over the task stream sorted by start, per worker and thread);
* ``transfer_*``: every entry of the workers' ``transfer_incoming_log``: count, bytes, and per
  transfer the duration and the throughput ``total / (stop − start)``;
* the machine's load average at the capture's start and end, its nice value, and the versions.

Per workload (``--workloads-csv`` and the README table): the makespan of every run, the run-to-run
band ``|run1 − run2| / mean`` per saturation (largest − smallest over the mean when there are more
runs), and the queuing on/off difference ``(mean(inf) − mean(1.1)) / mean(1.1)``: positive when
turning queuing off made the workload slower.
"""

import argparse
import csv
import glob
import io
import math
import os
import re
import statistics
import sys

from .atomic import read_json, write_text

RUN_PATTERN = re.compile(r"-run(\d+)\.json(\.gz)?$")
UPDATE_GRAPH = re.compile(r"^update-graph-([0-9.]+)$")


def percentile(values, q):
    """Linear-interpolation percentile (q in 0..100) of a non-empty list."""
    data = sorted(values)
    if not data:
        return math.nan
    position = (len(data) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return data[low] + (data[high] - data[low]) * (position - low)


def task_durations(doc):
    durations = {}
    for record in doc["task_stream"]:
        for s in record["startstops"]:
            if s["action"] == "compute":
                durations[record["key"]] = durations.get(record["key"], 0.0) + s["stop"] - s["start"]
    return durations


def idle_gaps(doc):
    """Gaps (s) between consecutive compute intervals on the same worker thread."""
    lanes = {}
    for record in doc["task_stream"]:
        for s in record["startstops"]:
            if s["action"] == "compute":
                lanes.setdefault((record["worker"], record.get("thread")), []).append((s["start"], s["stop"]))
    gaps = []
    for intervals in lanes.values():
        intervals.sort()
        gaps.extend(b[0] - a[1] for a, b in zip(intervals, intervals[1:]))
    return gaps


def submit_time(doc):
    times = [float(m.group(1)) for t in doc.get("scheduler_transitions", [])
             for m in [UPDATE_GRAPH.match(str(t.get("stimulus_id", "")))] if m]
    return min(times) if times else doc["meta"].get("submit_time_epoch")


def transfers(doc):
    out = []
    for worker in doc.get("worker_transfers", {}).values():
        for e in worker.get("incoming", []):
            seconds = e["stop"] - e["start"]
            out.append((e["total"], seconds))
    return out


def capture_stats(path):
    doc = read_json(path)
    meta = doc["meta"]
    durations = task_durations(doc)
    gaps = idle_gaps(doc)
    moves = transfers(doc)
    starts = [s["start"] for r in doc["task_stream"] for s in r["startstops"] if s["action"] == "compute"]
    submitted = submit_time(doc)
    config = meta.get("config", {})
    load = meta.get("load_average") or {}
    match = RUN_PATTERN.search(os.path.basename(path))
    throughputs = [b / s / 1e6 for b, s in moves if s > 0]
    threads = sum(w.get("nthreads", 1) for w in doc.get("workers", {}).values()) or 1
    makespan = doc["summary"]["makespan_s"]
    return {
        "workload": (meta.get("params") or {}).get("workload") or meta.get("workload"),
        "saturation": str(config.get("distributed.scheduler.worker-saturation")),
        "run": int(match.group(1)) if match else 1,
        "file": os.path.basename(path),
        "tasks": len(doc["graph"]),
        "median_task_ms": 1e3 * statistics.median(durations.values()) if durations else math.nan,
        "mean_task_ms": 1e3 * statistics.fmean(durations.values()) if durations else math.nan,
        "makespan_s": makespan,
        "utilisation": (sum(durations.values()) / (makespan * threads)) if makespan > 0 else math.nan,
        "submit_to_first_start_s": (min(starts) - submitted) if starts and submitted else math.nan,
        "gaps": len(gaps),
        "gap_p50_ms": 1e3 * percentile(gaps, 50) if gaps else math.nan,
        "gap_p95_ms": 1e3 * percentile(gaps, 95) if gaps else math.nan,
        "gap_mean_ms": 1e3 * statistics.fmean(gaps) if gaps else math.nan,
        "transfers": len(moves),
        "transfer_bytes": sum(b for b, _ in moves),
        "transfer_ms_p50": 1e3 * percentile([s for _, s in moves], 50) if moves else math.nan,
        "transfer_mb_s_p50": percentile(throughputs, 50) if throughputs else math.nan,
        "transfer_mb_s_p95": percentile(throughputs, 95) if throughputs else math.nan,
        "load_1m_start": (load.get("start") or [math.nan])[0],
        "load_1m_end": (load.get("end") or [math.nan])[0],
        "nice": meta.get("nice"),
        "python": meta.get("python"),
        "dask": meta.get("dask"),
        "distributed": meta.get("distributed"),
    }


def band(values):
    """(largest − smallest) / mean; |run1 − run2| / mean for two runs."""
    if len(values) < 2:
        return math.nan
    mean = statistics.fmean(values)
    return (max(values) - min(values)) / mean if mean else math.nan


def workload_stats(rows):
    by = {}
    for r in rows:
        by.setdefault(r["workload"], []).append(r)
    out = []
    for workload, runs in by.items():
        spans = {}
        for r in sorted(runs, key=lambda r: (r["saturation"], r["run"])):
            spans.setdefault(r["saturation"], []).append(r["makespan_s"])
        on, off = spans.get("1.1", []), spans.get("inf", [])
        difference = ((statistics.fmean(off) - statistics.fmean(on)) / statistics.fmean(on)) if on and off else math.nan
        out.append({
            "workload": workload,
            "tasks": "/".join(sorted({str(r["tasks"]) for r in runs}, key=int)),
            "median_task_ms": statistics.median(r["median_task_ms"] for r in runs),
            "makespans_sat1.1_s": " ".join(f"{v:.3f}" for v in on),
            "makespans_satinf_s": " ".join(f"{v:.3f}" for v in off),
            "band_sat1.1": band(on),
            "band_satinf": band(off),
            "queuing_off_vs_on": difference,
            "gap_p50_ms": statistics.median(r["gap_p50_ms"] for r in runs),
            "gap_p95_ms": statistics.median(r["gap_p95_ms"] for r in runs),
            "submit_to_first_start_s": statistics.median(r["submit_to_first_start_s"] for r in runs),
            "transfer_mb_s_p50": _median_finite(r["transfer_mb_s_p50"] for r in runs),
            "load_1m_max": max(max(r["load_1m_start"], r["load_1m_end"]) for r in runs),
        })
    return out


def _median_finite(values):
    values = [v for v in values if not (isinstance(v, float) and math.isnan(v))]
    return statistics.median(values) if values else math.nan


def _fmt(value):
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return f"{value:.6g}"
    return "" if value is None else str(value)


def to_csv(rows):
    if not rows:
        return ""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({k: _fmt(v) for k, v in r.items()})
    return buffer.getvalue()


def _pct(value):
    return "" if math.isnan(value) else f"{100 * value:+.1f} %" if value < 0 or value > 0 else "0.0 %"


def markdown_table(workloads):
    lines = ["| workload | tasks | median task ms | makespan s, sat 1.1 (run1 / run2) | makespan s, sat inf (run1 / run2) "
             "| band 1.1 | band inf | queuing off vs on | gap p50 / p95 ms | submit → first start s | transfer MB/s p50 "
             "| load (1 min, max) |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for w in workloads:
        lines.append("| " + " | ".join([
            w["workload"], w["tasks"], f"{w['median_task_ms']:.2f}",
            w["makespans_sat1.1_s"].replace(" ", " / "), w["makespans_satinf_s"].replace(" ", " / "),
            "" if math.isnan(w["band_sat1.1"]) else f"{100 * w['band_sat1.1']:.1f} %",
            "" if math.isnan(w["band_satinf"]) else f"{100 * w['band_satinf']:.1f} %",
            _pct(w["queuing_off_vs_on"]),
            f"{w['gap_p50_ms']:.2f} / {w['gap_p95_ms']:.1f}",
            f"{w['submit_to_first_start_s']:.3f}",
            "" if math.isnan(w["transfer_mb_s_p50"]) else f"{w['transfer_mb_s_p50']:.3g}",
            "" if math.isnan(w["load_1m_max"]) else f"{w['load_1m_max']:.1f}",
        ]) + " |")
    return "\n".join(lines) + "\n"


BEGIN, END = "<!-- suite-stats:begin -->", "<!-- suite-stats:end -->"


def update_readme(path, table):
    """Replace the text between the markers in ``path`` with ``table``."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if BEGIN not in text or END not in text:
        raise ValueError(f"{path}: no {BEGIN} … {END} markers to put the table between")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    write_text(path, f"{head}{BEGIN}\n{table}{END}{tail}")


def collect(folder):
    paths = sorted(glob.glob(os.path.join(folder, "*.json")) + glob.glob(os.path.join(folder, "*.json.gz")))
    if not paths:
        raise ValueError(f"{folder}: no captures (*.json, *.json.gz)")
    rows = [capture_stats(p) for p in paths if _is_capture(p)]
    if not rows:
        raise ValueError(f"{folder}: no dask-trace captures")
    return rows


def _is_capture(path):
    """A dask-trace file (the folder may also hold manifest.json and the like)."""
    try:
        return str(read_json(path).get("format", "")).startswith("dask-trace/")
    except (OSError, ValueError, AttributeError):
        return False


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m schedsim_dask.suite_stats", description=__doc__.split("\n\n")[0])
    p.add_argument("folder", help="folder of dask-trace captures")
    p.add_argument("--csv", help="write the per-capture statistics here")
    p.add_argument("--workloads-csv", help="write the per-workload statistics here")
    p.add_argument("--readme", help="put the per-workload table between the markers of this Markdown file")
    args = p.parse_args(argv)
    try:
        rows = collect(args.folder)
    except (OSError, ValueError, KeyError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    workloads = workload_stats(rows)
    table = markdown_table(workloads)
    if args.csv:
        write_text(args.csv, to_csv(rows))
    if args.workloads_csv:
        write_text(args.workloads_csv, to_csv(workloads))
    if args.readme:
        try:
            update_readme(args.readme, table)
        except (OSError, ValueError) as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
    sys.stdout.write(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())

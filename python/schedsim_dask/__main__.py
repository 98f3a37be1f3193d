"""Command line: ``python -m schedsim_dask {capture,capture-suite,calibrate,replay,validate,sweep,compare} ...``."""

import argparse
import os
import sys

from .errors import BridgeError


def _resources(text):
    out = {}
    for part in filter(None, (text or "").split(",")):
        name, _, amount = part.partition("=")
        try:
            out[name.strip()] = float(amount)
        except ValueError:
            raise argparse.ArgumentTypeError(f"--resources '{text}': expected NAME=AMOUNT[,NAME=AMOUNT]") from None
    return out


def parser():
    p = argparse.ArgumentParser(prog="python -m schedsim_dask", description="Bridge between schedsim and real Dask.")
    sub = p.add_subparsers(dest="command", required=True)

    c = sub.add_parser("capture", help="run a Python script that uses Dask and record it as a dask-trace file")
    c.add_argument("script", help="the Python script to run (it creates or connects to a Dask cluster)")
    c.add_argument("-o", "--output", required=True, help="trace file to write (dask-trace JSON)")
    c.add_argument("args", nargs="*", help="arguments passed to the script: everything after `--` "
                   "(`capture SCRIPT.py -o OUT -- ARGS`)")

    s = sub.add_parser("capture-suite", help="capture every workload of the suite with queuing on and off, "
                       "twice each, into OUT/<workload>-sat<1.1|inf>-run<N>.json.gz")
    s.add_argument("-o", "--out", default="traces/dask/suite", help="folder for the captures (default traces/dask/suite)")
    s.add_argument("--runs", type=int, default=2, help="captures per workload and saturation (default 2)")
    s.add_argument("--saturation", action="append", dest="saturations",
                   help="only this worker-saturation (1.1 or inf; repeatable; default both)")
    s.add_argument("--only", action="append", help="only this workload (repeatable); see --list")
    s.add_argument("--list", action="store_true", help="print the workloads and exit")
    s.add_argument("--nice", type=int, default=-15, help="nice increment of each capture process (default -15: "
                   "raised priority, needs root; 0 keeps the priority)")
    s.add_argument("--no-check", action="store_true", help="do not check the captures with schedsim info/replay")
    s.add_argument("--timeout", type=float, default=300, help="seconds one capture may take (default 300)")

    k = sub.add_parser("calibrate", help="run the calibration micro-benchmarks on a Dask cluster, capture them, "
                       "and fit a runtime-cost profile with `schedsim calibrate`")
    where = k.add_mutually_exclusive_group(required=True)
    where.add_argument("--local", metavar="NxT", help="a new LocalCluster of N worker processes with T threads each, e.g. 2x1")
    where.add_argument("--scheduler", metavar="ADDRESS", help="address of a running Dask scheduler")
    k.add_argument("-o", "--output", required=True, help="profile to write (YAML, by `schedsim calibrate`)")
    k.add_argument("--keep", metavar="DIR", help="keep the captures (and manifest.json) in DIR (default: a temporary "
                   "folder, removed when the profile is written)")
    k.add_argument("--only", action="append", metavar="BENCHMARK", help="only this benchmark (repeatable): "
                   "noop_map, chains, tree_reduce, transfer_1kB … transfer_100MB")
    k.add_argument("--threads-only", action="store_true", help="LocalCluster workers as threads of this process "
                   "(for tests: the timings are not a real cluster's)")
    k.add_argument("--timeout", type=float, default=10, help="seconds to wait for --scheduler (default 10)")

    r = sub.add_parser("replay", help="run a schedsim trace on real dask.distributed; write schedsim's CSV logs")
    r.add_argument("trace", help="any trace schedsim reads (native, WfCommons, DAX, STG, DOT, Dask capture)")
    r.add_argument("--out", default="dask-out", help="folder for the logs (default dask-out)")
    r.add_argument("--workers", type=int, default=4, help="LocalCluster workers (default 4)")
    r.add_argument("--threads", type=int, default=2, help="threads per worker (default 2)")
    r.add_argument("--scheduler", help="address of a running Dask scheduler instead of a LocalCluster")
    r.add_argument("--work", choices=["sleep", "spin"], default="sleep", help="how a task spends its duration")
    r.add_argument("--time-scale", type=float, default=1.0, help="multiply every duration (default 1)")
    r.add_argument("--size-scale", type=float, default=1.0, help="multiply every output size (default 1)")
    r.add_argument("--threads-only", action="store_true", help="LocalCluster workers as threads of this process")
    r.add_argument("--resources", type=_resources, default={}, help="resources of each LocalCluster worker, e.g. GPU=1")
    r.add_argument("--timeout", type=float, default=10, help="seconds to wait for --scheduler (default 10)")

    v = sub.add_parser("validate", help="simulate a trace with schedsim's dask policy and replay it on real Dask; compare")
    v.add_argument("trace", help="any trace schedsim reads")
    v.add_argument("--out", required=True, help="folder: trace.json, sim/, dask/, capture.json.gz, comparison.csv, fidelity/")
    v.add_argument("--workers", type=int, default=2, help="workers (default 2)")
    v.add_argument("--threads", type=int, default=1, help="threads per worker (default 1)")
    v.add_argument("--time-scale", type=float, help="multiply durations (default: from --target-seconds, else 1)")
    v.add_argument("--size-scale", type=float, help="multiply sizes (default: from --max-bytes, else 1)")
    v.add_argument("--target-seconds", type=float, help="scale durations so the critical path takes this long")
    v.add_argument("--max-bytes", type=float, help="scale sizes so all outputs together are at most this")
    v.add_argument("--threads-only", action="store_true", help="LocalCluster workers as threads of this process")

    w = sub.add_parser("sweep", help="run a schedsim compare grid as shards on a Dask cluster and merge them")
    w.add_argument("grid", help="grid file (YAML or JSON) with compare's options; see docs/dask-bridge.md")
    w.add_argument("--scheduler", help="address of a running Dask scheduler (default: a new LocalCluster)")
    w.add_argument("--workers", type=int, default=2, help="LocalCluster workers when no --scheduler (default 2)")
    w.add_argument("--shards", type=int, help="number of shards (default: the grid's, else the cluster's threads)")
    w.add_argument("--out", default="sweep-out", help="folder: shards/ and the merged summary.csv")
    w.add_argument("--schedsim-bin", help="path of the schedsim binary on the workers (default: this machine's)")
    w.add_argument("--timeout", type=float, default=10, help="seconds to wait for --scheduler (default 10)")

    m = sub.add_parser("compare", help="compare a simulated run's logs with a real Dask run's logs")
    m.add_argument("sim", help="folder written by `schedsim replay --out`")
    m.add_argument("dask", help="folder written by `python -m schedsim_dask replay --out`")
    m.add_argument("--csv", help="append the comparison row to this CSV (created with a header)")
    return p


def split_script_args(argv):
    """``argv`` split at the first ``--``: (the bridge's own arguments, the script's arguments or None).

    argparse cannot take a positional list after an option (``capture S.py -o OUT -- A B`` is
    rejected as "unrecognized arguments"), so the script's arguments are taken off before parsing.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--" not in argv:
        return argv, None
    cut = argv.index("--")
    return argv[:cut], argv[cut + 1:]


def main(argv=None):
    own, script_args = split_script_args(argv)
    p = parser()
    args = p.parse_args(own)
    if script_args is not None:
        if args.command != "capture":
            p.error(f"{args.command}: `--` is only for `capture SCRIPT.py -o OUT -- ARGS`")
        args.args = [*args.args, *script_args]
    try:
        if args.command == "replay":
            from .replay import replay

            for flag, value in (("--workers", args.workers), ("--threads", args.threads)):
                if value < 1:
                    raise BridgeError(f"{flag} {value}: expected at least 1")
            s = replay(args.trace, args.out, workers=args.workers, threads=args.threads, scheduler=args.scheduler,
                       mode=args.work, time_scale=args.time_scale, size_scale=args.size_scale,
                       processes=not args.threads_only, resources=args.resources, timeout=args.timeout)
            print(f"{s['trace']}: {s['tasks']} tasks on Dask ({s['cluster']}), makespan {s['makespan']} s, "
                  f"{s['transfers']} transfers, {s['transfer_bytes']} bytes; logs in {args.out}")
        elif args.command == "capture":
            from .capture import capture_script

            n = capture_script(args.script, args.output, args.args)
            print(f"{args.script}: captured {n} tasks into {args.output}")
        elif args.command == "capture-suite":
            from .suite import capture_suite
            from .workloads import SUITE

            if args.list:
                for name, (script, fixed) in SUITE.items():
                    print(f"{name}\t{script} {' '.join(fixed)}".rstrip())
                return 0
            rows = capture_suite(args.out, runs=args.runs, saturations=args.saturations or ("1.1", "inf"),
                                 only=args.only, niceness=args.nice, check=not args.no_check, timeout=args.timeout)
            failed = [r for r in rows if r["status"] != "ok"]
            print(f"{len(rows) - len(failed)} of {len(rows)} captures written to {args.out} (list: "
                  f"{os.path.join(args.out, 'captures.csv')})")
            if failed:
                for r in failed:
                    print(f"error: {r['file']}: {r['status']}: {r['message']}", file=sys.stderr)
                return 1
        elif args.command == "calibrate":
            from .calibrate import calibrate, parse_shape

            local = parse_shape(args.local) if args.local else None
            folder = calibrate(args.output, local=local, scheduler=args.scheduler, keep=args.keep,
                               processes=not args.threads_only, timeout=args.timeout, only=args.only)
            print(f"profile written to {args.output}" + (f"; captures in {folder}" if args.keep else ""))
        elif args.command == "validate":
            from .validate import validate

            text, ts, ss, fidelity = validate(args.trace, args.out, args.workers, args.threads, args.time_scale,
                                              args.size_scale, args.target_seconds, args.max_bytes,
                                              processes=not args.threads_only)
            print(f"# time scale {ts:.6g}, size scale {ss:.6g}")
            print(text)
            print(fidelity.rstrip())
        elif args.command == "sweep":
            from .sweep import sweep

            path, count = sweep(args.grid, args.out, scheduler=args.scheduler, workers=args.workers,
                                shards=args.shards, schedsim_bin=args.schedsim_bin, timeout=args.timeout)
            print(f"{args.grid}: {count} shards run on Dask and merged into {path}")
        elif args.command == "compare":
            from .compare import compare_folders

            print(compare_folders(args.sim, args.dask, args.csv))
    except BridgeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

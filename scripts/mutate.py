#!/usr/bin/env python3
"""Mutation testing for schedsim's core mechanisms (issue 24).

Applies each hand-written mutation below, one at a time, in place; builds the
tests (`swift build --build-tests`) and runs the test targets that should catch it
(`swift test --skip-build --filter ...`). A mutation is *caught* when the build of
the tests or the tests fail, *survived* when they pass. The original file is always
restored (try/finally) and `git diff` of it is checked to be empty afterwards.

If a mutation's original snippet is not found exactly once, the script stops with
an error: the list must follow the code.

    python3 scripts/mutate.py              # every mutation
    python3 scripts/mutate.py 1 4 7        # only those (1-based numbers)
    python3 scripts/mutate.py --list       # print the list
    python3 scripts/mutate.py --check      # only check every snippet still matches the code
"""
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCHED, WORKER, SIM = r"SchedulerTests\.", r"WorkerTests\.", r"SimulationTests\."

# (name, file, original, replacement, test filter)
MUTATIONS = [
    # --- the five survivors of issue 24 ---
    ("root-ish size 2x -> 1x", "Sources/Scheduler/SchedulerState+Placement.swift",
     "guard Int(groups[g].size) > 2 * totalNthreads", "guard Int(groups[g].size) > totalNthreads", SCHED),
    ("root-ish dependency-group limit < -> <=", "Sources/Scheduler/SchedulerState+Placement.swift",
     "guard groups[g].dependencies.count < config.rootishTaskgroup", "guard groups[g].dependencies.count <= config.rootishTaskgroup", SCHED),
    ("steal acceptance without / 2", "Sources/Scheduler/WorkStealing.swift",
     "Double(occVictim) - Double(commVictim + compute) / 2", "Double(occVictim) - Double(commVictim + compute)", SCHED),
    ("stealing cost levels walked in reverse", "Sources/Scheduler/WorkStealing.swift",
     "for level in 0..<Self.levels {", "for level in (0..<Self.levels).reversed() {", SCHED),
    ("duration noise applied twice", "Sources/Simulation/Simulator+Worker.swift",
     "if let noise { duration = noise.apply(to: duration) }",
     "if let noise { duration = noise.apply(to: noise.apply(to: duration)) }", SIM),
    # --- the three weakly caught ones ---
    ("worker_objective without communication", "Sources/Scheduler/SchedulerState+Placement.swift",
     "let start = stack + commCost(t, w)", "let start = stack", SCHED),
    ("duration noise ignores the run seed", "Sources/Simulation/DurationNoise.swift",
     'stream = RandomStream(seed: seed, name: "duration-noise")', 'stream = RandomStream(seed: 1, name: "duration-noise")', SIM),
    ("max-min network ignores the receiver's downlink", "Sources/Simulation/FlowNetwork.swift",
     "down: crossesHosts ? Int32(2 * destination + 1) : -1,", "down: -1,", SIM),
    # --- scheduler thresholds ---
    ("root-ish total dependency tasks >= -> >", "Sources/Scheduler/SchedulerState+Placement.swift",
     "if total >= config.rootishTaskgroupDependencies { return false }",
     "if total > config.rootishTaskgroupDependencies { return false }", SCHED),
    ("worker_objective without stored-bytes tie-break", "Sources/Scheduler/SchedulerState+Placement.swift",
     "return (actors, start, nbytes, w.rawValue)", "return (actors, start, 0, w.rawValue)", SCHED),
    ("comm cost counts inputs already held", "Sources/Scheduler/SchedulerState+Occupancy.swift",
     "if !tasks[d.index].whoHas.contains(w) { bytes += getNbytes(d) }", "bytes += getNbytes(d)", SCHED),
    ("task slots: ceil -> floor", "Sources/Scheduler/SchedulerState+Occupancy.swift",
     "(config.workerSaturation * Double(ws.pointee!.nthreads)).rounded(.up)",
     "(config.workerSaturation * Double(ws.pointee!.nthreads)).rounded(.down)", SCHED),
    ("worker full: <= 0 -> < 0", "Sources/Scheduler/SchedulerState+Occupancy.swift",
     "return taskSlotsAvailable(w) <= 0", "return taskSlotsAvailable(w) < 0", SCHED),
    ("slots ignore long-running tasks", "Sources/Scheduler/SchedulerState+Occupancy.swift",
     "return limit - (ws.pointee!.processing.count - ws.pointee!.longRunning.count)",
     "return limit - ws.pointee!.processing.count", SCHED),
    ("is_unoccupied: p < nthreads -> <=", "Sources/Scheduler/SchedulerState+Occupancy.swift",
     "if p < nthreads { return true }", "if p <= nthreads { return true }", SCHED),
    ("is_unoccupied without / 2", "Sources/Scheduler/SchedulerState+Occupancy.swift",
     "return Double(occ) < Double(nthreads) * average / 2", "return Double(occ) < Double(nthreads) * average", SCHED),
    ("saturated: 0.4 -> 0.2", "Sources/Scheduler/SchedulerState+Occupancy.swift",
     "if 0.4 < pending && pending > 1.9 * average", "if 0.2 < pending && pending > 1.9 * average", SCHED),
    ("saturated: 1.9 x average -> 1.0 x", "Sources/Scheduler/SchedulerState+Occupancy.swift",
     "if 0.4 < pending && pending > 1.9 * average", "if 0.4 < pending && pending > 1.0 * average", SCHED),
    ("duration EWMA replaced by the last sample", "Sources/Scheduler/SchedulerState+Occupancy.swift",
     "prefix.durationAverage = prefix.durationAverage < 0 ? d : (prefix.durationAverage + d) / 2",
     "prefix.durationAverage = d", SCHED),
    ("steal acceptance <= -> <", "Sources/Scheduler/WorkStealing.swift",
     "if Double(occThief + commThief + compute) <= Double(occVictim)",
     "if Double(occThief + commThief + compute) < Double(occVictim)", SCHED),
    ("steal acceptance without the thief's comm", "Sources/Scheduler/WorkStealing.swift",
     "if Double(occThief + commThief + compute) <= Double(occVictim)",
     "if Double(occThief + compute) <= Double(occVictim)", SCHED),
    ("stealing level floor 1 -> 0", "Sources/Scheduler/WorkStealing.swift",
     "if level < 1 { return 1 }", "if level < 1 { return 0 }", SCHED),
    ("stealing top level >= 15 -> > 15", "Sources/Scheduler/WorkStealing.swift",
     "if level >= levels { return nil }", "if level > levels { return nil }", SCHED),
    ("stealing LATENCY 0.1 s -> 0", "Sources/Scheduler/WorkStealing.swift",
     "public static let latency: Double = 0.1", "public static let latency: Double = 0.0", SCHED),
    ("allowed-failures > -> >=", "Sources/Scheduler/SchedulerState+Workers.swift",
     "if Int(tasks[t.index].suspicious) > config.allowedFailures {",
     "if Int(tasks[t.index].suspicious) >= config.allowedFailures {", SCHED),
    # --- worker thresholds ---
    ("memory target: key > target -> >=", "Sources/Worker/WorkerState+Memory.swift",
     "if let target = bytes(forFraction: config.memoryTarget), records[Int(slot)].nbytes > target {",
     "if let target = bytes(forFraction: config.memoryTarget), records[Int(slot)].nbytes >= target {", WORKER),
    ("spill LRU loop: > limit -> >=", "Sources/Worker/WorkerState+Memory.swift",
     "while current > limit && cursor >= 0 {", "while current >= limit && cursor >= 0 {", WORKER),
    ("memory fractions round up", "Sources/Worker/WorkerState+Memory.swift",
     "return Int64((Double(spec.memoryLimit) * fraction).rounded(.down))",
     "return Int64((Double(spec.memoryLimit) * fraction).rounded(.up))", WORKER),
    ("spill monitor > -> >=", "Sources/Worker/WorkerState+Memory.swift",
     "processMemory > spillBytes {", "processMemory >= spillBytes {", WORKER),
    ("pause > -> >=", "Sources/Worker/WorkerState+Memory.swift",
     "pausedByMemory = processMemory > pauseBytes", "pausedByMemory = processMemory >= pauseBytes", WORKER),
    ("terminate > -> >=", "Sources/Worker/WorkerState+Memory.swift",
     "processMemory > terminateBytes,", "processMemory >= terminateBytes,", WORKER),
    ("message-bytes-limit: n > allowance -> >=", "Sources/Worker/WorkerState+Fetch.swift",
     "return n > allowance", "return n >= allowance", WORKER),
    ("message-bytes-limit ignored", "Sources/Worker/WorkerState+Fetch.swift",
     "allowance = min(allowance, config.messageBytesLimit) - messageBytes",
     "allowance = allowance - messageBytes", WORKER),
    ("incoming byte limit ignores bytes in flight", "Sources/Worker/WorkerState+Fetch.swift",
     "incomingBytesLimit == Int64.max ? Int64.max : incomingBytesLimit - incomingBytes",
     "incomingBytesLimit == Int64.max ? Int64.max : incomingBytesLimit", WORKER),
    ("throttle threshold >= -> >", "Sources/Worker/WorkerState+Fetch.swift",
     "incomingBytes >= config.incomingBytesThrottleThreshold)",
     "incomingBytes > config.incomingBytesThrottleThreshold)", WORKER),
    ("serving limit not doubled for the same host", "Sources/Worker/WorkerState+Serving.swift",
     "return sameHost ? 2 * config.connectionsIncoming : config.connectionsIncoming",
     "return config.connectionsIncoming", WORKER),
    ("serving limit >= -> >", "Sources/Worker/WorkerState+Serving.swift",
     "if outgoingCount >= outgoingLimit(for: requester) {", "if outgoingCount > outgoingLimit(for: requester) {", WORKER),
    # --- heartbeat_interval(n) ---
    ("heartbeat n <= 10 -> n < 10", "Sources/Simulation/Simulator+Heartbeat.swift",
     "if n <= 10 { return 500_000_000 }", "if n < 10 { return 500_000_000 }", SIM),
    ("heartbeat n < 50 -> n <= 50", "Sources/Simulation/Simulator+Heartbeat.swift",
     "if n < 50 { return 1_000_000_000 }", "if n <= 50 { return 1_000_000_000 }", SIM),
]


def run(cmd, log):
    with open(log, "a") as out:
        out.write(f"\n$ {' '.join(cmd)}\n")
        out.flush()
        return subprocess.run(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT).returncode


def check_clean(path):
    diff = subprocess.run(["git", "diff", "--stat", "--", path], cwd=ROOT, capture_output=True, text=True).stdout
    if diff.strip():
        sys.exit(f"mutate: {path} is not restored:\n{diff}")


def main(argv):
    if "--list" in argv:
        for i, (name, path, *_rest) in enumerate(MUTATIONS, 1):
            print(f"{i:2d}. {name}  ({path})")
        return 0
    if "-h" in argv or "--help" in argv:
        print(__doc__)
        return 0
    only_check = "--check" in argv
    argv = [a for a in argv if a != "--check"]
    if any(not a.isdigit() or not 1 <= int(a) <= len(MUTATIONS) for a in argv):
        sys.exit(f"mutate: arguments are mutation numbers 1...{len(MUTATIONS)} (see --list), or --list/--check/--help")
    chosen = [int(a) for a in argv] if argv else list(range(1, len(MUTATIONS) + 1))
    # Every snippet is checked before anything runs, so a stale list fails at once.
    for i in chosen:
        name, path, original, _, _ = MUTATIONS[i - 1]
        count = (ROOT / path).read_text().count(original)
        if count != 1:
            sys.exit(f"mutate: #{i} '{name}': original snippet found {count} times in {path} (expected 1):\n  {original}")
        check_clean(path)
    if only_check:
        print(f"mutate: all {len(chosen)} snippets found exactly once")
        return 0
    log = ROOT / ".build" / "mutate.log"
    log.parent.mkdir(exist_ok=True)
    log.write_text("")
    results = []
    start_all = time.time()
    for i in chosen:
        name, path, original, replacement, flt = MUTATIONS[i - 1]
        file = ROOT / path
        text = file.read_text()
        start = time.time()
        try:
            file.write_text(text.replace(original, replacement, 1))
            if run(["swift", "build", "--build-tests"], log) != 0:
                verdict = "caught (build)"
            elif run(["swift", "test", "--skip-build", "--filter", flt], log) != 0:
                verdict = "caught"
            else:
                verdict = "SURVIVED"
        finally:
            file.write_text(text)
        check_clean(path)
        secs = time.time() - start
        results.append((i, name, verdict, secs))
        print(f"{i:2d}. {verdict:15s} {secs:6.0f} s  {name}", flush=True)
    # Rebuild the unmutated tree so the build directory matches the sources again.
    run(["swift", "build", "--build-tests"], log)
    survived = [r for r in results if r[2] == "SURVIVED"]
    total = time.time() - start_all
    print(f"\nmutate: {len(results) - len(survived)} caught, {len(survived)} survived "
          f"of {len(results)} in {total / 60:.1f} min (log: .build/mutate.log)")
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

import Benchmark
import Messages
import Scheduler
import Workload

/// The scheduler state machine driven directly, with no simulator: one
/// update-graph, then `task-finished` for every task as its `compute-task`
/// comes out (FIFO), on 64 workers × 4 threads. Reports transitions/s via
/// the custom `transitions` metric and peak memory.
func schedulerBenchmarks() {
    let transitions = BenchmarkMetric.custom("transitions", polarity: .prefersLarger, useScalingFactor: true)
    for name in ["tree reduction 100k", "bag of tasks 1M"] {
        // Workloads are built lazily, during the warm-up iteration, not at registration.
        Benchmark("Scheduler \(name) on 64x4", configuration: .init(
            metrics: [.wallClock, .throughput, .peakMemoryResident, .mallocCountTotal, transitions],
            warmupIterations: 1, maxDuration: .seconds(30), maxIterations: 3)) { benchmark in
            let workload = name.hasPrefix("tree") ? SchedulerBench.tree : SchedulerBench.bag
            for _ in benchmark.scaledIterations {
                let result = SchedulerBench.run(workload, workers: 64, threads: 4)
                benchmark.measurement(transitions, result.transitions)
                blackHole(result)
            }
        }
    }
}

/// Workload builders and the driver loop, shared by the benchmark and by hand-run timings.
enum SchedulerBench {
    static let tree = treeReduction(tasks: 100_000)
    static let bag = bagOfTasks(tasks: 1_000_000)

    /// A binary tree reduction with `tasks` tasks in total (leaves `('x', i)`, levels `('sum-d', j)`).
    static func treeReduction(tasks: Int) -> Workload {
        var builder = WorkloadBuilder(name: "tree", source: "benchmark")
        let leaves = (tasks + 1) / 2
        var level = (0..<leaves).map { "('x', \($0))" }
        for key in level { builder.add(TaskSpec(key: key, duration: 1, outputBytes: 1000), dependencies: [], origin: key) }
        var depth = 0
        while level.count > 1 {
            depth += 1
            var next: [String] = []
            next.reserveCapacity(level.count / 2 + 1)
            for j in stride(from: 0, to: level.count, by: 2) {
                let key = "('sum-\(depth)', \(j / 2))"
                builder.add(TaskSpec(key: key, duration: 0.1, outputBytes: 8), dependencies: Array(level[j..<min(j + 2, level.count)]), origin: key)
                next.append(key)
            }
            level = next
        }
        do { return try builder.build() } catch { fatalError("benchmark workload: \(error)") }
    }

    /// `tasks` independent tasks of one group (all root-ish, all wanted).
    static func bagOfTasks(tasks: Int) -> Workload {
        var builder = WorkloadBuilder(name: "bag", source: "benchmark")
        for i in 0..<tasks {
            let key = "('bag', \(i))"
            builder.add(TaskSpec(key: key, duration: 1, outputBytes: 100), dependencies: [], origin: key)
        }
        do { return try builder.build() } catch { fatalError("benchmark workload: \(error)") }
    }

    struct Result {
        var transitions: Int
        var completed: Int
        var instructions: Int
    }

    static func run(_ workload: Workload, workers: Int, threads: Int) -> Result {
        var config = SchedulerConfig()
        config.recordTransitions = false
        let s = SchedulerState(workload: workload, config: config, policy: DaskPolicy())
        var now = Time.zero
        var pending: [(WorkerID, TaskID, Int64)] = []
        pending.reserveCapacity(workers * threads * 4)
        var head = 0
        var instructions = 0
        func collect(_ out: [SchedulerInstruction]) {
            instructions += out.count
            for case .toWorker(let w, .computeTask(let msg)) in out { pending.append((w, msg.key, msg.runID)) }
        }
        for i in 0..<workers {
            collect(s.handle(.addWorker(WorkerSpec(id: WorkerID(i), name: "w\(i)", host: "h\(i / 8)", nthreads: threads)), now: now))
        }
        let submission = workload.submissions[0]
        collect(s.handle(.client(.updateGraph(
            client: ClientID(0), submission: 0, tasks: workload.ids, wanted: submission.wanted,
            submitter: nil, stimulusID: StimulusID("update-graph", 0))), now: now))
        var seq: UInt64 = 0
        while head < pending.count {
            let (w, key, run) = pending[head]
            head += 1
            if head > 65_536 {
                pending.removeFirst(head)
                head = 0
            }
            seq += 1
            now = now + .milliseconds(1)
            let spec = workload.tasks[key.index]
            collect(s.handle(.worker(w, .taskFinished(
                key: key, runID: run, nbytes: spec.outputBytes, start: now - Time(seconds: spec.duration), stop: now,
                stimulusID: StimulusID("task-finished", seq))), now: now))
        }
        return Result(transitions: s.counters.transitions, completed: s.counters.tasksCompleted, instructions: instructions)
    }
}

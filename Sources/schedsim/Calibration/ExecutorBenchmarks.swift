import Workload

/// The fixed micro-benchmark set of `schedsim calibrate --executor` (docs/runtime.md,
/// "The executor profile"). Built in code, so every calibration runs exactly the
/// same graphs; each isolates one of the executor's costs.
enum ExecutorBenchmarks {
    struct Benchmark {
        let name: String
        let workload: Workload
        /// Chains whose task-to-task hand-off is measured as the two legs of a round
        /// trip (worker → scheduler, scheduler → worker).
        let measuresLegs: Bool
    }

    /// Sizes of the transfer benchmarks, bytes (1 kB to 10 MB).
    static let transferSizes: [Int64] = [1_000, 10_000, 100_000, 1_000_000, 10_000_000]

    static func all() throws(WorkloadValidationError) -> [Benchmark] {
        var out: [Benchmark] = []
        out.append(Benchmark(name: "bag", workload: try bag(chains: 1000), measuresLegs: false))
        out.append(Benchmark(name: "local-2ms", workload: try independent(count: 400, duration: 0.002), measuresLegs: false))
        out.append(Benchmark(name: "chain", workload: try chain(length: 300, duration: 0.0001), measuresLegs: true))
        out.append(Benchmark(name: "chain-1ms", workload: try chain(length: 200, duration: 0.001), measuresLegs: true))
        out.append(Benchmark(name: "tree", workload: try tree(leaves: 256, duration: 0.001, bytes: 1_000), measuresLegs: false))
        for size in transferSizes {
            out.append(Benchmark(name: "gather-\(sizeName(size))", workload: try gather(groups: 4, fanIn: 8, bytes: size), measuresLegs: false))
        }
        return out
    }

    static func sizeName(_ bytes: Int64) -> String {
        bytes >= 1_000_000 ? "\(bytes / 1_000_000)MB" : "\(bytes / 1_000)kB"
    }

    /// `chains` independent pairs `a-i → b-i` of near no-op tasks (100 µs: every real
    /// task waits for a timer, a zero-duration one would not) with 8-byte results; the
    /// client gathers the `b`s. Per-task overhead under load (both cores busy).
    static func bag(chains: Int) throws(WorkloadValidationError) -> Workload {
        var b = WorkloadBuilder(name: "bag", source: "calibrate --executor")
        b.addSubmission(client: "client-0", wanted: nil, origin: "bag")
        for i in 0..<chains {
            b.add(TaskSpec(key: "noop-a-\(i)", prefix: "noop-a", duration: 0.0001, outputBytes: 8), dependencies: [], origin: "a-\(i)")
            b.add(TaskSpec(key: "noop-b-\(i)", prefix: "noop-b", duration: 0.0001, outputBytes: 8), dependencies: ["noop-a-\(i)"], origin: "b-\(i)")
        }
        return try b.build()
    }

    /// `count` independent tasks of `duration`: a 1-thread worker holds one queued
    /// task while one runs, so the gap between them is the worker's own per-task cost.
    static func independent(count: Int, duration: Double) throws(WorkloadValidationError) -> Workload {
        var b = WorkloadBuilder(name: "local", source: "calibrate --executor")
        b.addSubmission(client: "client-0", wanted: nil, origin: "local")
        for i in 0..<count {
            b.add(TaskSpec(key: "sleep-\(i)", prefix: "sleep", duration: duration, outputBytes: 8), dependencies: [], origin: "t-\(i)")
        }
        return try b.build()
    }

    /// A line of `length` tasks: every hand-off is one full round trip through the scheduler.
    static func chain(length: Int, duration: Double) throws(WorkloadValidationError) -> Workload {
        var b = WorkloadBuilder(name: "chain", source: "calibrate --executor")
        b.addSubmission(client: "client-0", wanted: nil, origin: "chain")
        for i in 0..<length {
            b.add(TaskSpec(key: "link-\(i)", prefix: "link", duration: duration, outputBytes: 8),
                  dependencies: i == 0 ? [] : ["link-\(i - 1)"], origin: "link-\(i)")
        }
        return try b.build()
    }

    /// A binary tree reduction of `leaves` tasks (every task `duration`, `bytes` results).
    static func tree(leaves: Int, duration: Double, bytes: Int64) throws(WorkloadValidationError) -> Workload {
        var b = WorkloadBuilder(name: "tree", source: "calibrate --executor")
        b.addSubmission(client: "client-0", wanted: nil, origin: "tree")
        var level = (0..<leaves).map { "leaf-\($0)" }
        for key in level { b.add(TaskSpec(key: key, prefix: "leaf", duration: duration, outputBytes: bytes), dependencies: [], origin: key) }
        var depth = 0
        while level.count > 1 {
            depth += 1
            var next: [String] = []
            for i in stride(from: 0, to: level.count, by: 2) {
                let key = "sum-\(depth)-\(i / 2)"
                let deps = i + 1 < level.count ? [level[i], level[i + 1]] : [level[i]]
                b.add(TaskSpec(key: key, prefix: "sum", duration: duration, outputBytes: bytes), dependencies: deps, origin: key)
                next.append(key)
            }
            level = next
        }
        return try b.build()
    }

    /// `groups` reducers, each of `fanIn` roots of 2 ms producing `bytes`: the roots
    /// spread over the workers, so each reducer fetches about half of its inputs.
    static func gather(groups: Int, fanIn: Int, bytes: Int64) throws(WorkloadValidationError) -> Workload {
        var b = WorkloadBuilder(name: "gather-\(sizeName(bytes))", source: "calibrate --executor")
        b.addSubmission(client: "client-0", wanted: nil, origin: "gather")
        for g in 0..<groups {
            var deps: [String] = []
            for i in 0..<fanIn {
                let key = "part-\(g)-\(i)"
                b.add(TaskSpec(key: key, prefix: "part", duration: 0.002, outputBytes: bytes), dependencies: [], origin: key)
                deps.append(key)
            }
            b.add(TaskSpec(key: "combine-\(g)", prefix: "combine", duration: 0, outputBytes: 8), dependencies: deps, origin: "combine-\(g)")
        }
        return try b.build()
    }
}

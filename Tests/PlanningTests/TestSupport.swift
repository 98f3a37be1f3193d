import Messages
import Planning
import Workload

/// One task of a hand-written test graph: key, seconds, output bytes, dependency keys.
struct T {
    var key: String
    var duration: Double
    var bytes: Int64 = 0
    var deps: [String] = []
    var kind: TaskKind = .compute
    var restrictions = Restrictions()
}

func makeWorkload(_ tasks: [T], name: String = "test") throws -> Workload {
    var builder = WorkloadBuilder(name: name, source: "\(name).test")
    for (i, t) in tasks.enumerated() {
        builder.add(
            TaskSpec(key: t.key, kind: t.kind, duration: t.duration, outputBytes: t.bytes, restrictions: t.restrictions),
            dependencies: t.deps, origin: "tasks[\(i)]")
    }
    return try builder.build()
}

/// `count` workers with `nthreads` each, each on its own host; `bandwidth` bytes/s.
func cluster(_ count: Int, nthreads: Int = 1, bandwidth: Double = .infinity, latency: Double = 0, speeds: [Double]? = nil) throws -> PlanningCluster {
    let workers = (0..<count).map {
        PlanningCluster.Worker(name: "worker-\($0)", host: "host-\($0)", nthreads: nthreads, speed: speeds?[$0] ?? 1)
    }
    return try PlanningCluster(workers: workers, network: .init(bandwidth: bandwidth, latency: latency))
}

extension Plan {
    /// `key -> (worker, start s, finish s)` rendered for readable expectations.
    func placement(_ workload: Workload, _ key: String) -> String {
        guard let id = workload.id(forKey: key) else { return "no task \(key)" }
        return "w\(worker[id.index]) [\(format(start[id.index])), \(format(finish[id.index]))]"
    }

    func orderKeys(_ workload: Workload) -> [[String]] {
        order.map { $0.map { workload[$0].key } }
    }

    private func format(_ time: Time) -> String {
        time.nanoseconds % 1_000_000_000 == 0 ? "\(time.nanoseconds / 1_000_000_000)" : time.description
    }
}

/// SplitMix64: a tiny seeded generator so the random-graph tests do not depend
/// on another module's streams.
struct SplitMix64: UniformSource {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func nextUniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }
}

/// A noise source that replays fixed numbers, for hand-checked `user` estimates.
struct Replay: UniformSource {
    var values: [Double]
    var index = 0
    mutating func nextUniform() -> Double {
        defer { index += 1 }
        return values[index % values.count]
    }
}

/// Random DAG: task i depends on each earlier task with probability `edgeProbability`;
/// integer durations 1...maxDuration seconds, so optima are exact.
func randomDAG(seed: UInt64, tasks n: Int, edgeProbability: Double, maxDuration: Int = 5, bytes: Int64 = 0) throws -> Workload {
    var rng = SplitMix64(seed: seed)
    var tasks: [T] = []
    for i in 0..<n {
        var deps: [String] = []
        for j in 0..<i where rng.nextUniform() < edgeProbability { deps.append("t\(j)") }
        tasks.append(T(key: "t\(i)", duration: Double(rng.int(1...maxDuration)), bytes: bytes, deps: deps))
    }
    return try makeWorkload(tasks, name: "random-\(seed)")
}

/// Optimal makespan (nanoseconds) of `workload` on `m` identical processors
/// without communication cost (P|prec|Cmax), by exhaustive branch and bound.
///
/// Some optimal schedule is left-justified (every task starts at
/// max(inputs ready, its processor free)); listing its tasks by (start, id) and
/// appending each to its processor rebuilds it exactly. So the search appends
/// ready tasks in non-decreasing (start, id) order, trying every processor
/// (identical empty processors only once), which covers an optimum.
func bruteForceOptimum(_ workload: Workload, processors m: Int) -> Int64 {
    let n = workload.count
    let duration = workload.tasks.map { Int64(($0.duration * 1e9).rounded()) }
    let deps = workload.tasks.map { $0.dependencies.map(\.index) }
    // Longest path from each task to an exit, for a lower bound.
    var tail = [Int64](repeating: 0, count: n)
    for id in workload.topologicalOrder.reversed() {
        let t = id.index
        tail[t] = duration[t] + (workload.dependents[t].map { tail[$0.index] }.max() ?? 0)
    }
    let totalWork = duration.reduce(0, +)
    var best = totalWork  // everything on one processor is feasible
    var finish = [Int64](repeating: -1, count: n)
    var free = [Int64](repeating: 0, count: m)
    var placedWork: Int64 = 0

    func search(placed: Int, lastStart: Int64, lastTask: Int, makespan: Int64) {
        if placed == n {
            best = min(best, makespan)
            return
        }
        // Lower bounds: area and, for every unplaced task, earliest start + tail.
        let area = (free.reduce(0, +) + (totalWork - placedWork) + Int64(m) - 1) / Int64(m)
        if max(makespan, area) >= best { return }
        let minFree = free.min() ?? 0
        for t in 0..<n where finish[t] < 0 {
            var ready: Int64 = 0
            var isReady = true
            for d in deps[t] {
                if finish[d] < 0 { isReady = false; break }
                ready = max(ready, finish[d])
            }
            if !isReady { continue }
            if max(ready, minFree) + tail[t] >= best { return }
            var triedEmpty = false
            for p in 0..<m {
                if free[p] == 0 {
                    if triedEmpty { continue }
                    triedEmpty = true
                }
                let start = max(ready, free[p])
                if start < lastStart || (start == lastStart && t < lastTask) { continue }
                let saved = free[p]
                finish[t] = start + duration[t]
                free[p] = finish[t]
                placedWork += duration[t]
                search(placed: placed + 1, lastStart: start, lastTask: t, makespan: max(makespan, finish[t]))
                placedWork -= duration[t]
                free[p] = saved
                finish[t] = -1
            }
        }
    }
    search(placed: 0, lastStart: 0, lastTask: -1, makespan: 0)
    return best
}

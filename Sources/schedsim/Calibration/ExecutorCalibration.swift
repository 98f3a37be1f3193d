import Executor
import Foundation
import Messages
import Scheduler
import Simulation
import Workload

/// How `validate` (against the executor) and `calibrate --executor` simulate a
/// workload: policy dask with default settings, seed 1, no noise, `profile`.
enum ExecutorSimulation {
    static func simulate(_ workload: Workload, cluster: Cluster, profile: RuntimeProfile, recordTransitions: Bool = false) -> SimulationResult {
        var schedulerConfig = SchedulerConfig()
        schedulerConfig.recordTransitions = recordTransitions
        let factory = MachineFactory.dask(policy: "dask", scheduler: schedulerConfig)!
        var config = SimulationConfig()
        config.runtime = profile
        return Simulator(workload: workload, cluster: cluster, factory: factory, config: config).run()
    }

    /// What the executor's unshaped loopback is to the simulator: no latency and no
    /// bandwidth limit. What loopback really costs (system calls, copies, the other
    /// process's loop) is in the executor profile's message and transfer costs, which
    /// `calibrate --executor` measures on loopback too.
    static func loopback(_ cluster: Cluster) -> Cluster {
        var c = cluster
        let free = LinkParameters(latency: 0, bandwidth: 1e15)
        c.network = NetworkConfig(model: .simple, sameHost: free, sameRack: free, crossRack: free, hostUplink: 1e15, hostDownlink: 1e15)
        return c
    }

    /// One-way latency the simulator charges between a worker and the scheduler
    /// (the scheduler has a host of its own in the first rack).
    static func schedulerLatency(_ cluster: Cluster) -> Double {
        Double(cluster.network.parameters(.sameRack).latency) / 1e9
    }

    /// The link between two workers: same host when the description packs them, else same rack.
    static func workerLink(_ cluster: Cluster) -> LinkParameters {
        let sharedHost = cluster.workers.count > 1 && cluster.hostOfWorker[0] == cluster.hostOfWorker[1]
        return cluster.network.parameters(sharedHost ? .sameHost : .sameRack)
    }
}

/// What one micro-benchmark run on the real executor showed, in seconds since the
/// run started (the scheduler received the graph). Written to `measurements.json`,
/// so a fit can be repeated from the same measurements (`--measurements`).
struct ExecutorMeasurement: Codable, Equatable {
    struct TaskTimes: Codable, Equatable {
        var worker: Int
        var submit: Double?
        /// Last `→ processing` transition: when the scheduler sent the task to its worker.
        var sent: Double?
        var start: Double?
        var end: Double?
    }

    /// One `get_data` request: its keys arrive together (one transfer-log row per key).
    struct Request: Codable, Equatable {
        var from: Int
        var to: Int
        var keys: Int
        var bytes: Int64
        var seconds: Double
    }

    var benchmark: String
    var makespan: Double
    var workerThreads: [Int]
    var tasks: [TaskTimes]
    var requests: [Request]

    init(benchmark: String, makespan: Double, workerThreads: [Int], tasks: [TaskTimes], requests: [Request]) {
        self.benchmark = benchmark
        self.makespan = makespan
        self.workerThreads = workerThreads
        self.tasks = tasks
        self.requests = requests
    }

    init(benchmark: String, logs: RunLogs) {
        let r = logs.records
        let origin = r.runStart.nanoseconds
        func seconds(_ t: Time) -> Double? { t == .never ? nil : Double(t.nanoseconds - origin) / 1e9 }
        var sent = [Double?](repeating: nil, count: r.tasks.count)
        for t in r.transitions where t.to == "processing" && t.key.index < sent.count { sent[t.key.index] = seconds(t.time) }
        self.benchmark = benchmark
        makespan = Double(logs.makespan) / 1e9
        workerThreads = r.workerThreads.map(Int.init)
        tasks = r.tasks.indices.map { i in
            TaskTimes(worker: Int(r.tasks[i].worker), submit: seconds(r.tasks[i].submit), sent: sent[i],
                      start: seconds(r.tasks[i].start), end: seconds(r.tasks[i].end))
        }
        var groups: [String: Request] = [:]
        var order: [String] = []
        for t in r.transfers where t.from >= 0 {
            let id = "\(t.from)/\(t.to)/\(t.start.nanoseconds)/\(t.end.nanoseconds)"
            if groups[id] == nil {
                groups[id] = Request(from: Int(t.from), to: Int(t.to), keys: 0, bytes: 0, seconds: max(0, (t.end - t.start).seconds))
                order.append(id)
            }
            groups[id]!.keys += 1
            groups[id]!.bytes += t.bytes
        }
        requests = order.map { groups[$0]! }
    }
}

/// The direct measures of `calibrate --executor`, pooled over the benchmarks.
struct ExecutorStatistics {
    /// Start of a task minus the planned end (start + duration) of the one before it on
    /// the same 1-thread worker, when the task was sent at least `localMargin` before
    /// that end and the one before has a duration: the worker's own per-task cost (the
    /// timer's lateness, the result buffer, the state machine, the next start).
    var localGaps: [Double] = []
    /// The same gaps after tasks with results of at least 1 MB, with their result sizes.
    var outputGaps: [(bytes: Int64, seconds: Double)] = []
    /// Chains: the previous link's planned end to this link's `→ processing`
    /// (worker → scheduler leg) and from there to its start (scheduler → worker leg).
    var upLegs: [Double] = []
    var downLegs: [Double] = []
    /// Run start to the `update-graph`'s arrival, and from there to the first start, per task.
    var submitted: [(seconds: Double, tasks: Int)] = []
    var firstStart: [(seconds: Double, tasks: Int)] = []
    var requests: [ExecutorMeasurement.Request] = []

    static let localMargin = 0.001

    init(_ runs: [(ExecutorMeasurement, ExecutorBenchmarks.Benchmark)]) {
        for (m, benchmark) in runs {
            let workload = benchmark.workload
            guard m.tasks.count == workload.count else { continue }
            var byWorker: [Int: [Int]] = [:]
            for (i, t) in m.tasks.enumerated() where t.start != nil && t.end != nil && t.worker >= 0 { byWorker[t.worker, default: []].append(i) }
            for (w, list) in byWorker where w < m.workerThreads.count && m.workerThreads[w] == 1 {
                let sorted = list.sorted { (m.tasks[$0].start!, $0) < (m.tasks[$1].start!, $1) }
                for k in sorted.indices.dropFirst() {
                    let prev = sorted[k - 1], next = sorted[k]
                    // A task of zero duration never waits for a timer; real tasks do.
                    guard workload.tasks[prev].duration > 0 else { continue }
                    let plannedEnd = m.tasks[prev].start! + workload.tasks[prev].duration
                    guard let sent = m.tasks[next].sent, sent <= m.tasks[prev].end! - Self.localMargin else { continue }
                    let gap = max(0, m.tasks[next].start! - plannedEnd)
                    let bytes = workload.tasks[prev].outputBytes
                    if bytes >= 1_000_000 { outputGaps.append((bytes, gap)) } else if bytes <= 10_000 { localGaps.append(gap) }
                }
            }
            if benchmark.measuresLegs {
                for (i, spec) in workload.tasks.enumerated() where spec.dependencies.count == 1 {
                    let p = spec.dependencies[0].index
                    guard workload.tasks[p].duration > 0 else { continue }
                    guard let sent = m.tasks[i].sent, let start = m.tasks[i].start, let prevStart = m.tasks[p].start,
                          let prevEnd = m.tasks[p].end, sent >= prevEnd, m.tasks[i].worker == m.tasks[p].worker else { continue }
                    upLegs.append(max(0, sent - (prevStart + workload.tasks[p].duration)))
                    downLegs.append(max(0, start - sent))
                }
            }
            let submits = m.tasks.compactMap(\.submit)
            let starts = m.tasks.compactMap(\.start)
            if let submit = submits.min(), let first = starts.min() {
                submitted.append((submit, workload.count))
                firstStart.append((max(0, first - submit), workload.count))
            }
            requests += m.requests
        }
    }
}

/// Fits the `executor` profile from micro-benchmark measurements (docs/runtime.md,
/// "The executor profile"). Deterministic: the same measurements give the same profile.
struct ExecutorCalibration {
    let cluster: Cluster

    /// Candidate `scheduler-transition` values, seconds: 0 and 0.5 µs · 2^k up to 2 ms.
    static let transitionGrid: [Double] = [0] + (0...12).map { 0.5e-6 * pow(2, Double($0)) }

    /// The executor sends every message at once: no batching, so every interval is 0.
    static let base = RuntimeProfile(name: "executor", source: "")

    /// A named direct measure and how many samples it came from (printed and recorded).
    struct Measure {
        var parameter: String
        var samples: Int
        var rule: String
    }

    func measured(_ s: ExecutorStatistics) -> (RuntimeProfile, [Measure]) {
        var p = Self.base
        var notes: [Measure] = []
        let L = ExecutorSimulation.schedulerLatency(cluster)
        if let gap = RunMeasures.median(s.localGaps) {
            p.workerTask = Time(seconds: gap)
            notes.append(Measure(parameter: "worker-task", samples: s.localGaps.count, rule: "median gap after a planned end (results ≤ 10 kB), next task already on the 1-thread worker"))
        }
        // A median: the gaps after large results also hold whatever else the loop did then
        // (serving a transfer), which the simulator charges separately.
        let rates = s.outputGaps.filter { $0.seconds > p.workerTask.seconds }.map { Double($0.bytes) / ($0.seconds - p.workerTask.seconds) }
        if let rate = RunMeasures.median(rates) {
            p.workerOutputBandwidth = rate
            notes.append(Measure(parameter: "worker-output-bandwidth", samples: rates.count, rule: "median result bytes / (gap − worker-task) after tasks with results ≥ 1 MB"))
        }
        if let up = RunMeasures.median(s.upLegs) {
            p.schedulerMessage = Time(seconds: max(0, up - p.workerTask.seconds - L))
            notes.append(Measure(parameter: "scheduler-message", samples: s.upLegs.count, rule: "median chain leg end → processing, minus worker-task and the simulated latency"))
        }
        let down = RunMeasures.median(s.downLegs)
        if let down {
            p.workerMessage = Time(seconds: max(0, down - L))
            notes.append(Measure(parameter: "worker-message", samples: s.downLegs.count, rule: "median chain leg processing → start, minus the simulated latency"))
        }
        let submitPerTask = s.submitted.map { max(0, $0.seconds - L - p.schedulerMessage.seconds) / Double(max(1, $0.tasks)) }
        if let perTask = RunMeasures.median(submitPerTask) {
            p.clientSubmitTask = Time(seconds: perTask)
            notes.append(Measure(parameter: "client-submit-task", samples: submitPerTask.count, rule: "median (run start → update-graph handled − latency − scheduler-message) / tasks"))
        }
        let perTaskStart = s.firstStart.map { max(0, $0.seconds - (down ?? 0)) / Double(max(1, $0.tasks)) }
        if let perTask = RunMeasures.median(perTaskStart) {
            p.schedulerUpdateGraphTask = Time(seconds: perTask)
            notes.append(Measure(parameter: "scheduler-update-graph-task", samples: perTaskStart.count, rule: "median (update-graph → first start − the scheduler → worker leg) / tasks"))
        }
        let link = ExecutorSimulation.workerLink(cluster)
        let small = s.requests.filter { $0.bytes < 100_000 }.map(\.seconds)
        if let fixed = RunMeasures.median(small) {
            p.transferRequest = Time(seconds: max(0, fixed - 2 * Double(link.latency) / 1e9))
            notes.append(Measure(parameter: "transfer-request", samples: small.count, rule: "median request time below 100 kB, minus the simulated request and data latency"))
            // Byte-weighted (Σ bytes / Σ time), not a median: the makespan pays for every
            // byte, and the largest requests are the slowest per byte (caches, the other
            // worker's loop busy at the same time).
            let big = s.requests.filter { $0.bytes >= 1_000_000 && $0.seconds > fixed }
            let bigTime = big.reduce(0.0) { $0 + $1.seconds - fixed }
            if !big.isEmpty, bigTime > 0 {
                let throughput = Double(big.reduce(Int64(0)) { $0 + $1.bytes }) / bigTime
                let inverse = 1 / throughput - 1 / link.bandwidth
                p.transferBandwidth = inverse > 0 ? 1 / inverse : 0
                notes.append(Measure(parameter: "transfer-bandwidth", samples: big.count, rule: "Σ bytes / Σ (time − fixed part) of requests ≥ 1 MB, in series with the simulated link"))
            }
        }
        return (p, notes)
    }

    /// Mean |log(simulated / real makespan)| over the benchmarks.
    func loss(_ profile: RuntimeProfile, _ runs: [(ExecutorMeasurement, ExecutorBenchmarks.Benchmark)]) -> Double {
        var total = 0.0
        for (m, benchmark) in runs {
            let sim = ExecutorSimulation.simulate(benchmark.workload, cluster: cluster, profile: profile).makespan.seconds
            guard sim > 0, m.makespan > 0 else { continue }
            total += abs(log(sim / m.makespan))
        }
        return total / Double(max(1, runs.count))
    }

    /// Direct measures, then `scheduler-transition` (which the executor's logs cannot
    /// show: every transition of a stimulus carries the same time) by a grid search
    /// refined by golden-section search on the best bracket. Values are rounded to
    /// 100 ns (bandwidth to 1 kB/s) so the file prints exactly what is used.
    func fit(_ runs: [(ExecutorMeasurement, ExecutorBenchmarks.Benchmark)], progress: (String) -> Void = { _ in }) -> (RuntimeProfile, [Measure]) {
        var (p, notes) = measured(ExecutorStatistics(runs))
        for parameter in [\RuntimeProfile.workerTask, \.schedulerMessage, \.workerMessage, \.clientSubmitTask, \.schedulerUpdateGraphTask, \.transferRequest] {
            p[keyPath: parameter] = Time(nanoseconds: (p[keyPath: parameter].nanoseconds / 100) * 100)
        }
        p.transferBandwidth = (p.transferBandwidth / 1000).rounded() * 1000
        p.workerOutputBandwidth = (p.workerOutputBandwidth / 1000).rounded() * 1000
        func with(_ seconds: Double) -> RuntimeProfile {
            var q = p
            q.schedulerTransition = Time(seconds: seconds)
            return q
        }
        var losses: [Double] = []
        for value in Self.transitionGrid {
            losses.append(loss(with(value), runs))
            progress("scheduler-transition \(RuntimeProfile.durationText(Time(seconds: value).nanoseconds)): loss \(String(format: "%.4f", losses.last!))")
        }
        let best = losses.indices.min { (losses[$0], $0) < (losses[$1], $1) }!
        var low = Self.transitionGrid[max(0, best - 1)]
        var high = Self.transitionGrid[min(Self.transitionGrid.count - 1, best + 1)]
        var bestValue = Self.transitionGrid[best]
        var bestLoss = losses[best]
        let ratio = (sqrt(5.0) - 1) / 2
        for _ in 0..<8 where high - low > 1e-7 {
            let a = high - ratio * (high - low)
            let b = low + ratio * (high - low)
            let la = loss(with(a), runs)
            let lb = loss(with(b), runs)
            if la < bestLoss { bestLoss = la; bestValue = a }
            if lb < bestLoss { bestLoss = lb; bestValue = b }
            if la <= lb { high = b } else { low = a }
        }
        p.schedulerTransition = Time(nanoseconds: (Time(seconds: bestValue).nanoseconds / 100) * 100)
        notes.append(Measure(parameter: "scheduler-transition", samples: runs.count, rule: "minimises the mean |log(sim / real makespan)| over the benchmarks (grid, then golden section)"))
        return (p, notes)
    }
}

import Messages
import Policies
import Recording
import Simulation
import TraceFormats
import Workload

/// A real Dask capture made ready to replay on its own cluster: the recorded
/// workers and threads on one host (a `LocalCluster`), policy `dask` with the
/// run's own `worker-saturation` and `work-stealing`. `calibrate` and
/// `validate --against dask` both replay captures through this one type, so
/// the two measure runs the same way.
struct CaptureReplay {
    let path: String
    let workload: Workload
    let reference: ReferenceRun
    let cluster: Cluster
    /// Dask settings from the capture's `meta.config`, as `--set` pairs.
    let settings: [(name: String, value: String)]

    /// The workload a capture ran, as `NAME/TASKS`: `meta.workload` (else the file name
    /// without `-satS`/`-runN`) and the graph's task count. Repeated runs and both queuing
    /// settings of one graph share it and form one group in leave-one-workload-out fits;
    /// graphs of one kind but other sizes (the 1, 10 and 100 ms delayed trees, the two
    /// array sums) do not.
    var group: String { "\(reference.workloadName ?? Self.fileStem(workload.name))/\(workload.count)" }

    static func fileStem(_ fileName: String) -> String {
        var stem = Substring(fileName)
        for suffix in [".gz", ".json"] where stem.hasSuffix(suffix) { stem = stem.dropLast(suffix.count) }
        let parts = stem.split(separator: "-", omittingEmptySubsequences: false).filter { part in
            !(part.hasPrefix("sat") && part.count > 3 && Double(part.dropFirst(3)) != nil || part == "satinf")
                && !(part.hasPrefix("run") && part.count > 3 && Int(part.dropFirst(3)) != nil)
        }
        return parts.isEmpty ? String(stem) : parts.joined(separator: "-")
    }

    static func load(_ path: String) throws(CaptureReplayError) -> CaptureReplay {
        let trace: LoadedTrace
        do { trace = try TraceLoader.load(path: path, format: nil) } catch {
            throw CaptureReplayError("\(error)")
        }
        guard let reference = trace.reference else {
            throw CaptureReplayError("\(path): not a Dask capture (no recorded real run); calibrate and validate --against dask read dask-trace files")
        }
        guard !reference.workers.isEmpty else { throw CaptureReplayError("\(path): the capture records no workers") }
        // One host for the whole LocalCluster; one group of workers per thread count, in address order.
        var groups: [(threads: Int, count: Int)] = []
        for t in reference.threads {
            if let last = groups.last, last.threads == t { groups[groups.count - 1].count += 1 } else { groups.append((t, 1)) }
        }
        let n = reference.workers.count
        let flag = groups.map { "\($0.count)x\($0.threads):perhost=\(n)" }.joined(separator: ",")
        let cluster: Cluster
        do { cluster = try Cluster.parse(flag: flag) } catch {
            throw CaptureReplayError("\(path): cannot build the recorded cluster \(flag): \(error)")
        }
        var settings: [(String, String)] = []
        if let saturation = reference.workerSaturation {
            settings.append(("worker-saturation", saturation.isInfinite ? "inf" : "\(saturation)"))
        }
        if let stealing = reference.workStealing { settings.append(("work-stealing", stealing ? "true" : "false")) }
        return CaptureReplay(path: path, workload: trace.workload, reference: reference, cluster: cluster, settings: settings)
    }

    /// One simulated run of the capture under `profile` (policy `dask`, seed 1, no noise).
    /// `logs` records every log (for `--out`); `transitions` only the scheduler's
    /// transitions (for the peak-memory measure).
    func simulate(_ profile: RuntimeProfile, logs: Bool = false, transitions: Bool = false) throws(CaptureReplayError) -> SimulationResult {
        var prepared: PreparedPolicy
        do {
            prepared = try PolicyRegistry.prepare("dask", context: PolicyContext(workload: workload, cluster: cluster, seed: 1), settings: settings)
        } catch {
            throw CaptureReplayError("\(path): \(error)")
        }
        prepared.config.recordTransitions = logs || transitions
        var config = SimulationConfig()
        config.runtime = profile
        config.recordTransitions = logs || transitions
        config.sampleInterval = logs ? .milliseconds(10) : .zero
        config.balanceInterval = prepared.config.workStealingInterval
        config.eventLimit = 50_000_000
        return Simulator(workload: prepared.workload, cluster: cluster, factory: .policy(prepared), config: config).run()
    }
}

struct CaptureReplayError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// What `calibrate` and `validate --against dask` compare between a real and a
/// simulated run, each measured the same way.
struct RunMeasures {
    /// First compute start to last compute stop (Dask's `summary.makespan_s`), seconds.
    var span: Double
    /// Idle gaps between consecutive tasks on the same 1-thread worker, seconds, sorted.
    var gaps: [Double]
    /// Tasks per worker, in worker order.
    var tasksPerWorker: [Int]
    var transferBytes: Int64
    /// The most bytes the scheduler held in `memory` at once (each key once, whatever its
    /// replicas): nil when the run's transitions were not recorded.
    var peakMemory: Int64?

    var gapP50: Double { Validation.percentile(gaps, 0.5) }
    var gapP95: Double { Validation.percentile(gaps, 0.95) }

    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    /// Gaps between consecutive (start, stop) intervals of each 1-thread worker.
    static func gaps(intervals: [[(start: Double, stop: Double)]], threads: [Int]) -> [Double] {
        var out: [Double] = []
        for (w, list) in intervals.enumerated() where w < threads.count && threads[w] == 1 {
            let sorted = list.sorted { ($0.start, $0.stop) < ($1.start, $1.stop) }
            for i in sorted.indices.dropFirst() { out.append(max(0, sorted[i].start - sorted[i - 1].stop)) }
        }
        return out.sorted()
    }

    /// The peak of Σ output bytes over keys in `memory`, walking the transitions in order.
    /// A key counts once from its first `-> memory` until it leaves; a repeated entry or
    /// a leave without an entry changes nothing.
    static func peakMemory(_ changes: some Sequence<(task: Int, enters: Bool)>, bytes: (Int) -> Int64) -> Int64 {
        var held: Set<Int> = []
        var total: Int64 = 0
        var peak: Int64 = 0
        for change in changes {
            if change.enters {
                guard held.insert(change.task).inserted else { continue }
                let (sum, overflow) = total.addingReportingOverflow(bytes(change.task))
                total = overflow ? .max : sum
                peak = max(peak, total)
            } else if held.remove(change.task) != nil {
                total -= min(total, bytes(change.task))
            }
        }
        return peak
    }

    /// The recorded real run.
    init(reference r: ReferenceRun, workload: Workload) {
        let tasks = workload.tasks
        var intervals = [[(start: Double, stop: Double)]](repeating: [], count: r.workers.count)
        var first = Double.infinity
        var last = -Double.infinity
        for i in r.placement.indices {
            guard let w = r.placement[i], let start = r.start[i], let stop = r.stop[i] else { continue }
            intervals[w].append((start, stop))
            first = min(first, start)
            last = max(last, stop)
        }
        span = last > first ? last - first : 0
        gaps = Self.gaps(intervals: intervals, threads: r.threads)
        tasksPerWorker = r.tasksPerWorker
        transferBytes = r.transferBytes
        peakMemory = r.memoryChanges.isEmpty ? nil : Self.peakMemory(
            r.memoryChanges.lazy.map { (task: $0.task.index, enters: $0.enters) }, bytes: { tasks[$0].outputBytes })
    }

    /// A simulated run of the same capture (workers in the cluster's order).
    init(simulation result: SimulationResult, cluster: Cluster) {
        let names = cluster.workers.map(\.name)
        var index: [String: Int] = [:]
        for (i, name) in names.enumerated() { index[name] = i }
        var intervals = [[(start: Double, stop: Double)]](repeating: [], count: names.count)
        var perWorker = [Int](repeating: 0, count: names.count)
        var first = Int64.max
        var last = Int64.min
        for (i, row) in result.taskRows.enumerated() where result.workload.tasks[i].kind == .compute {
            guard let start = row.start, let end = row.end, let w = index[row.worker] else { continue }
            intervals[w].append((Double(start) / 1e9, Double(end) / 1e9))
            perWorker[w] += 1
            first = min(first, start)
            last = max(last, end)
        }
        span = last > first ? Double(last - first) / 1e9 : 0
        gaps = Self.gaps(intervals: intervals, threads: cluster.workers.map(\.nthreads))
        tasksPerWorker = perWorker
        // Worker-to-worker only, as Dask's transfer logs count them (not the client's gather).
        transferBytes = result.transferRows.filter { index[$0.from] != nil && index[$0.to] != nil }.reduce(Int64(0)) { $0 + $1.bytes }
        let rows = result.transitionRows
        let tasks = result.workload.tasks
        peakMemory = rows.isEmpty ? nil : Self.peakMemory(
            rows.lazy.filter { $0.to == "memory" || $0.from == "memory" }.map { (task: Int($0.task), enters: $0.to == "memory") },
            bytes: { tasks[$0].outputBytes })
    }
}

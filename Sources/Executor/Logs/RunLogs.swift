import Messages
import Recording
import Workload

/// Turns a real run's records into the simulator's CSV logs (same files, same
/// columns, `backend` = `real`; docs/logs.md). The rows are `Recording`'s row
/// types and are printed by `LogTables`, the simulator's writer, so both
/// backends share one schema. Times are seconds since the run started (the
/// scheduler receiving the graph), printed with nanosecond precision.
public struct RunLogs {
    public var workload: Workload
    public var records: RunRecords
    public var trace: String
    public var policy: String
    public var cluster: String
    public var network: String
    public var wallSeconds: Double?
    /// When the client held the last wanted result; `nil` if unknown.
    public var clientDone: Time?
    /// What the client saw (`SubmitResult`); decides the outcome when any wanted key
    /// did not arrive or scattered data was lost. Empty for logs built from records alone.
    public var client = ClientOutcome()

    public init(workload: Workload, records: RunRecords, trace: String, policy: String, cluster: String,
                network: String, wallSeconds: Double?, clientDone: Time? = nil) {
        self.clientDone = clientDone
        self.workload = workload
        self.records = records
        self.trace = trace
        self.policy = policy
        self.cluster = cluster
        self.network = network
        self.wallSeconds = wallSeconds
    }

    /// Nanoseconds since the run start.
    func sinceStart(_ t: Time) -> Int64 { t.nanoseconds &- records.runStart.nanoseconds }
    /// Nanoseconds since the run start; `nil` (an empty field) when it did not happen.
    func sinceStartIfHappened(_ t: Time) -> Int64? { t == .never ? nil : sinceStart(t) }
    func workerName(_ w: Int32) -> String {
        w >= 0 && Int(w) < records.workerNames.count ? records.workerNames[Int(w)] : ""
    }

    /// Makespan, as the simulator defines it: from the run start to when the client
    /// held the last wanted result (without a client time: the last `→ memory`
    /// transition), in nanoseconds.
    public var makespan: Int64 {
        if let clientDone, clientDone > records.runStart { return clientDone.nanoseconds - records.runStart.nanoseconds }
        let last = records.transitions.last { $0.to == "memory" }?.time ?? records.runStart
        return last.nanoseconds - records.runStart.nanoseconds
    }

    /// Bytes of each task's inputs its (last) worker received over the network.
    var bytesFetched: [Int64] {
        var fetched = [Int64](repeating: 0, count: workload.count)
        // (key, receiving worker) → bytes, only for transfers into a dependent's worker.
        var received: [Int64: Int64] = [:]
        for t in records.transfers {
            let slot = Int64(t.key.rawValue) << 32 | Int64(UInt32(bitPattern: t.to))
            received[slot] = saturatingSum(received[slot] ?? 0, t.bytes)
        }
        for (i, spec) in workload.tasks.enumerated() {
            let w = records.tasks[i].worker
            guard w >= 0 else { continue }
            for dep in spec.dependencies {
                fetched[i] = saturatingSum(fetched[i], received[Int64(dep.rawValue) << 32 | Int64(UInt32(bitPattern: w))] ?? 0)
            }
        }
        return fetched
    }

    /// Task keys by task index, for the tables that name tasks by index.
    var keys: [String] { workload.tasks.map(\.key) }

    /// One row per task of the workload, in task order (`tasks.csv`).
    public var taskRows: [TaskRow] {
        let fetched = bytesFetched
        var rows: [TaskRow] = []
        rows.reserveCapacity(workload.count)
        for (i, spec) in workload.tasks.enumerated() {
            let t = records.tasks[i]
            rows.append(TaskRow(
                key: spec.key, prefix: spec.prefix, worker: workerName(t.worker),
                submit: sinceStartIfHappened(t.submit), ready: sinceStartIfHappened(t.ready),
                start: sinceStartIfHappened(t.start), end: sinceStartIfHappened(t.end),
                outputBytes: spec.outputBytes, bytesFetched: fetched[i], state: t.state, attempts: Int(t.attempts)))
        }
        return rows
    }

    /// The scheduler's transitions in the order it made them (`transitions.csv`).
    public var transitionRows: [TransitionRow] {
        records.transitions.map {
            TransitionRow(time: sinceStart($0.time), task: $0.key.rawValue, from: $0.from, to: $0.to,
                          stimulus: $0.stimulus, worker: workerName($0.worker))
        }
    }

    /// Transfers by start time, then task (`transfers.csv`); a negative sender is the client (scatter).
    public var transferRows: [TransferRow] {
        records.transfers.sorted(by: { ($0.start, $0.key) < ($1.start, $1.key) }).map {
            TransferRow(task: $0.key.rawValue, from: $0.from < 0 ? "client" : workerName($0.from), to: workerName($0.to),
                        bytes: $0.bytes, start: sinceStart($0.start), end: sinceStart($0.end))
        }
    }

    /// The heartbeat samples of worker load (`workers.csv`).
    public var workerSampleRows: [WorkerSampleRow] {
        records.samples.map {
            WorkerSampleRow(time: sinceStart($0.time), worker: workerName($0.worker), busyThreads: Int($0.busyThreads),
                            queued: Int($0.queued), memoryBytes: $0.memoryBytes, occupancy: $0.occupancy.nanoseconds)
        }
    }

    /// The one row of `summary.csv` (seed 0, backend `real`, events = stimuli the scheduler handled).
    public var summaryRow: SummaryRow {
        let span = makespan
        // The records came over the wire: every number is bounded when decoded, and
        // the sums here saturate (and the product is in Double), so no peer can make
        // writing the logs trap.
        let threads = records.workerThreads.reduce(Int64(0)) { saturatingSum($0, Int64($1)) }
        var busy: Int64 = 0
        var finished = 0
        for (i, t) in records.tasks.enumerated() where workload.tasks[i].kind == .compute && t.end != .never {
            busy = saturatingSum(busy, t.end.nanoseconds &- t.start.nanoseconds)
            finished += 1
        }
        let utilisation = span > 0 && threads > 0 ? Double(busy) / (Double(threads) * Double(span)) : 0
        let transferBytes = records.transfers.reduce(Int64(0)) { saturatingSum($0, $1.bytes) }
        let incomplete = records.tasks.filter { $0.state == "erred" }.count
        return SummaryRow(
            trace: trace, policy: policy, cluster: cluster, seed: 0, backend: "real", makespan: span,
            tasks: finished, utilisation: utilisation, transfers: records.transfers.count, transferBytes: transferBytes,
            steals: Int(records.steals), events: Int(records.stimuli), wallSeconds: wallSeconds, network: network,
            criticalPath: criticalPath, workBound: threads > 0 ? totalWork / threads : 0,
            outcome: outcome.outcome, detail: outcome.detail.isEmpty && incomplete > 0 ? "\(incomplete) task(s) erred" : outcome.detail)
    }

    /// `completed` or `failed`, and why, in the simulator's words (SimulationResult's
    /// describeOutcome) when the client reported keys it could not get.
    public var outcome: (outcome: String, detail: String) {
        func list(_ keys: [String]) -> String {
            let shown = keys.prefix(5).joined(separator: ", ")
            return keys.count > 5 ? shown + ", ..." : shown
        }
        let lost = client.lostScattered.isEmpty ? "" : "; lost scattered data: \(list(client.lostScattered))"
        if !client.unresolvedKeys.isEmpty {
            return ("failed", "\(client.unresolvedKeys.count) of \(client.wanted) wanted results failed "
                    + "(\(client.erred) erred): \(list(client.unresolvedKeys))" + lost)
        }
        if !client.lostScattered.isEmpty {
            return ("completed", "the client holds all \(client.wanted) wanted results" + lost)
        }
        let incomplete = records.tasks.contains { $0.state == "erred" }
        return (incomplete ? "failed" : "completed", "")
    }

    /// The five files of `--out`: name and bytes, in a fixed order.
    public func logFiles() -> [(name: String, bytes: [UInt8])] {
        let keys = keys
        return [
            ("tasks.csv", LogTables.tasks(taskRows).bytes),
            ("transitions.csv", LogTables.transitions(transitionRows, keys: keys).bytes),
            ("transfers.csv", LogTables.transfers(transferRows, keys: keys).bytes),
            ("workers.csv", LogTables.workers(workerSampleRows).bytes),
            ("summary.csv", LogTables.summary([summaryRow]).bytes),
        ]
    }

    public func tasksCSV() -> String { LogTables.tasks(taskRows).text }
    public func transitionsCSV() -> String { LogTables.transitions(transitionRows, keys: keys).text }
    public func transfersCSV() -> String { LogTables.transfers(transferRows, keys: keys).text }
    public func workersCSV() -> String { LogTables.workers(workerSampleRows).text }
    public func summaryCSV() -> String { LogTables.summary([summaryRow]).text }

    /// Lower bound: the longest duration-weighted path, nanoseconds.
    var criticalPath: Int64 {
        var finish = [Int64](repeating: 0, count: workload.count)
        var best: Int64 = 0
        for t in workload.topologicalOrder {
            let spec = workload[t]
            let ready = spec.dependencies.reduce(Int64(0)) { max($0, finish[$1.index]) }
            finish[t.index] = ready + Time(seconds: spec.duration).nanoseconds
            best = max(best, finish[t.index])
        }
        return best
    }

    var totalWork: Int64 { workload.tasks.reduce(Int64(0)) { $0 + Time(seconds: $1.duration).nanoseconds } }

    /// Writes the five files into `directory` (and its parents if missing), each
    /// through a temporary name and a rename, so a partial file never looks complete.
    public func write(to directory: String) throws(FileWriteError) {
        try LogTables.write(logFiles(), to: directory)
    }
}

/// The client's side of a run's outcome.
public struct ClientOutcome: Sendable, Hashable {
    /// Wanted keys of all submissions.
    public var wanted = 0
    /// Wanted keys that never reached the client (erred, cancelled, lost).
    public var unresolvedKeys: [String] = []
    /// How many of them erred.
    public var erred = 0
    /// Scattered keys whose every replica was lost.
    public var lostScattered: [String] = []
    public init(wanted: Int = 0, unresolvedKeys: [String] = [], erred: Int = 0, lostScattered: [String] = []) {
        self.wanted = wanted
        self.unresolvedKeys = unresolvedKeys
        self.erred = erred
        self.lostScattered = lostScattered
    }
}

/// `a + b`, clamped to the `Int64` range instead of trapping.
func saturatingSum(_ a: Int64, _ b: Int64) -> Int64 {
    let (sum, overflow) = a.addingReportingOverflow(b)
    guard overflow else { return sum }
    return b > 0 ? Int64.max : Int64.min
}

import Messages
import Workload
#if canImport(Glibc)
import Glibc
#endif

/// Turns a real run's records into the simulator's CSV logs (same files, same
/// columns, `backend` = `real`; docs/logs.md). Times are seconds since the run
/// started (the scheduler receiving the graph), printed with nanosecond precision.
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

    func rel(_ t: Time) -> String { t == .never ? "" : Time.format(t.nanoseconds - records.runStart.nanoseconds) }
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
        for t in records.transfers { received[Int64(t.key.rawValue) << 32 | Int64(UInt32(bitPattern: t.to)), default: 0] += t.bytes }
        for (i, spec) in workload.tasks.enumerated() {
            let w = records.tasks[i].worker
            guard w >= 0 else { continue }
            for dep in spec.dependencies {
                fetched[i] += received[Int64(dep.rawValue) << 32 | Int64(UInt32(bitPattern: w))] ?? 0
            }
        }
        return fetched
    }

    public func tasksCSV() -> String {
        var out = "key,prefix,worker,submit,ready,start,end,duration,output_bytes,bytes_fetched,state,attempts\n"
        let fetched = bytesFetched
        for (i, spec) in workload.tasks.enumerated() {
            let t = records.tasks[i]
            let duration = t.start != .never && t.end != .never ? Time.format(t.end.nanoseconds - t.start.nanoseconds) : ""
            out += [csv(spec.key), csv(spec.prefix), csv(workerName(t.worker)), rel(t.submit), rel(t.ready),
                    rel(t.start), rel(t.end), duration, String(spec.outputBytes), String(fetched[i]), t.state,
                    String(t.attempts)].joined(separator: ",") + "\n"
        }
        return out
    }

    public func transitionsCSV() -> String {
        var out = "time,key,from,to,stimulus,worker\n"
        for t in records.transitions {
            out += [rel(t.time), csv(workload[t.key].key), t.from, t.to, csv(t.stimulus), csv(workerName(t.worker))]
                .joined(separator: ",") + "\n"
        }
        return out
    }

    public func transfersCSV() -> String {
        var out = "key,from_worker,to_worker,bytes,start,end\n"
        for t in records.transfers.sorted(by: { ($0.start, $0.key) < ($1.start, $1.key) }) {
            out += [csv(workload[t.key].key), csv(t.from < 0 ? "client" : workerName(t.from)), csv(workerName(t.to)),
                    String(t.bytes), rel(t.start), rel(t.end)].joined(separator: ",") + "\n"
        }
        return out
    }

    public func workersCSV() -> String {
        var out = "time,worker,busy_threads,queued,memory_bytes,occupancy\n"
        for s in records.samples {
            out += [rel(s.time), csv(workerName(s.worker)), String(s.busyThreads), String(s.queued),
                    String(s.memoryBytes), Time.format(s.occupancy.nanoseconds)].joined(separator: ",") + "\n"
        }
        return out
    }

    public func summaryCSV() -> String {
        let span = makespan
        let threads = records.workerThreads.reduce(0) { $0 + Int64($1) }
        var busy: Int64 = 0
        var finished = 0
        for (i, t) in records.tasks.enumerated() where workload.tasks[i].kind == .compute && t.end != .never {
            busy += t.end.nanoseconds - t.start.nanoseconds
            finished += 1
        }
        let utilisation = span > 0 && threads > 0 ? Double(busy) / Double(threads * span) : 0
        let transferBytes = records.transfers.reduce(Int64(0)) { $0 + $1.bytes }
        let incomplete = records.tasks.filter { $0.state == "erred" }.count
        let outcome = incomplete == 0 ? "completed" : "failed"
        let detail = incomplete == 0 ? "" : "\(incomplete) task(s) erred"
        let header = "trace,policy,cluster,seed,backend,makespan,tasks,utilisation,transfers,transfer_bytes,steals,events,wall_seconds,network,critical_path,work_bound,outcome,detail\n"
        let row: [String] = [
            csv(trace), csv(policy), csv(cluster), "0", "real", Time.format(span), String(finished),
            fixed(utilisation, 6), String(records.transfers.count), String(transferBytes), String(records.steals),
            String(records.stimuli), wallSeconds.map { fixed($0, 3) } ?? "", csv(network),
            Time.format(criticalPath), Time.format(threads > 0 ? totalWork / threads : 0), outcome, csv(detail),
        ]
        return header + row.joined(separator: ",") + "\n"
    }

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

    /// Writes the five files into `directory` (created if needed), each through a
    /// temporary name and a rename, so a partial file never looks complete.
    public func write(to directory: String) throws(WireError) {
        if mkdir(directory, 0o755) != 0 && errno != EEXIST {
            throw WireError("cannot create directory '\(directory)': \(String(cString: strerror(errno)))")
        }
        for (name, text) in [("tasks.csv", tasksCSV()), ("transitions.csv", transitionsCSV()), ("transfers.csv", transfersCSV()),
                             ("workers.csv", workersCSV()), ("summary.csv", summaryCSV())] {
            let path = directory + "/" + name
            let temporary = path + ".tmp"
            guard let file = fopen(temporary, "w") else {
                throw WireError("cannot write '\(temporary)': \(String(cString: strerror(errno)))")
            }
            let bytes = Array(text.utf8)
            let written = fwrite(bytes, 1, bytes.count, file)
            fclose(file)
            guard written == bytes.count, rename(temporary, path) == 0 else {
                throw WireError("cannot write '\(path)': \(String(cString: strerror(errno)))")
            }
        }
    }
}

/// Quotes a CSV field when it holds a comma, quote or newline (RFC 4180).
func csv(_ field: String) -> String {
    guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
    return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}

func fixed(_ value: Double, _ decimals: Int) -> String {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (value * scale).rounded()
    let whole = Int64(scaled / scale)
    var frac = String(Int64(abs(scaled - Double(whole) * scale)))
    frac = String(repeating: "0", count: max(0, decimals - frac.count)) + frac
    return (value < 0 && whole == 0 ? "-" : "") + "\(whole).\(frac)"
}

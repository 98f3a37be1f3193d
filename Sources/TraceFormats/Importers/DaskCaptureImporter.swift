import OrderedCollections
import Workload

/// Reads captures of real Dask runs (`dask-trace/0.1`, the files in
/// `traces/dask/`; layout in the trace-format notes).
///
/// The workload is the graph the scheduler received (`graph`, Alias tasks
/// included): Dask's keys, prefixes, groups and dependencies; the duration of
/// a task is the sum of its `compute` start/stops in `task_stream`; its output
/// size is the worker-measured `nbytes`; `TaskSpec.order` is the rank of the
/// task's Dask priority tuple (compared element by element, ties by graph
/// order), so a "dask-order" policy sees Dask's own static ordering.
/// The client wants the keys marked `requested_by_client`.
///
/// The real run is returned as a `ReferenceRun`: where each task computed and
/// when, tasks and busy seconds per worker, the transfers from the workers'
/// `transfer_incoming_log`, and the makespan (last stop − first start over
/// every start/stop, the capture's own `summary.makespan_s` definition).
public struct DaskCaptureImporter: TraceImporter {
    public init() {}

    public var name: String { "dask-trace" }
    public var summary: String { "captures of real Dask runs (dask-trace/0.1)" }

    public func detect(prefix: ArraySlice<UInt8>, path: String) -> Bool {
        jsonPrefixContains(prefix, ["\"dask-trace/"])
    }

    public func read(bytes: [UInt8], path: String) throws -> LoadedTrace {
        try importTrace(bytes: bytes, path: path).loaded(format: name, path: path)
    }

    /// Measurements of one key from the task stream.
    struct Measured {
        var worker: String
        var compute: Double = 0
        var firstStart: Double = .infinity
        var lastStop: Double = -.infinity
        var nbytes: Int64?
    }

    public func importTrace(bytes: [UInt8], path: String) throws(TraceImportError) -> ImportedTrace {
        let document = try readingJSON(path) { () throws(JSONError) in try JSONParser.parse(bytes, file: path) }
        var warnings = ImportWarnings()
        let (builder, measured, runStart, runStop) = try readingJSON(path) {
            () throws(JSONError) -> (WorkloadBuilder, [String: Measured], Double, Double) in
            let format = try document["format"]
            guard try format.string.hasPrefix("dask-trace/") else {
                throw format.error("expected a dask-trace/0.x capture, got format \(format.summary)")
            }
            if try format.string != "dask-trace/0.1" {
                warnings.add("format-version", "capture format \(try format.string) is newer than dask-trace/0.1; read as 0.1", at: format.place)
            }
            // Task stream: compute time, size and worker per key; the run's time span.
            var measured: [String: Measured] = [:]
            var runStart = Double.infinity
            var runStop = -Double.infinity
            for record in try document.array(at: "task_stream") {
                let key = try record["key"].string
                let worker = try record["worker"].string
                var m = measured[key] ?? Measured(worker: worker)
                if measured[key] != nil {
                    warnings.add("repeated-stream-key", "key '\(key)' appears twice in task_stream (retried?); times are summed", at: record.place)
                }
                for startstop in try record.array(at: "startstops") {
                    let start = try startstop["start"].double
                    let stop = try startstop["stop"].double
                    guard stop >= start else { throw startstop.error("stop \(stop) is before start \(start)") }
                    runStart = min(runStart, start)
                    runStop = max(runStop, stop)
                    if try startstop["action"].string == "compute" {
                        m.compute += stop - start
                        m.firstStart = min(m.firstStart, start)
                        m.lastStop = max(m.lastStop, stop)
                    }
                }
                if let nbytes = try record.optional("nbytes"), !nbytes.isNull {
                    m.nbytes = try nbytes.byteCount("nbytes")
                }
                measured[key] = m
            }
            let graph = try document.array(at: "graph")
            let builder = try workloadBuilder(graph, measured: measured, document: document, path: path, warnings: &warnings)
            return (builder, measured, runStart, runStop)
        }
        let workload: Workload
        do {
            workload = try builder.build()
        } catch {
            throw TraceImportError(error)
        }
        let reference = try readingJSON(path) { () throws(JSONError) in
            try referenceRun(document, workload: workload, measured: measured, runStart: runStart, runStop: runStop, warnings: &warnings)
        }
        return ImportedTrace(workload: workload, warnings: warnings.list, reference: reference)
    }

    private func workloadBuilder(
        _ graph: [JSONValue], measured: [String: Measured], document: JSONValue, path: String,
        warnings: inout ImportWarnings
    ) throws(JSONError) -> WorkloadBuilder {
        // Dask's priority tuples, ranked: the rank is the task's static order.
        var priorities: [[Double]] = []
        for record in graph {
            var tuple: [Double] = []
            if let priority = try record.optional("priority"), !priority.isNull {
                for element in try priority.array { tuple.append(try element.double) }
            }
            priorities.append(tuple)
        }
        let ranked = graph.indices.sorted { a, b in
            priorities[a].lexicographicallyPrecedes(priorities[b]) || (priorities[a] == priorities[b] && a < b)
        }
        var order = [Int](repeating: 0, count: graph.count)
        for (rank, index) in ranked.enumerated() { order[index] = rank }

        var builder = WorkloadBuilder(name: TextInput.stem(path), source: path)
        builder.metadata["format"] = "dask-trace"
        var wanted: [String] = []
        if let meta = try document.optional("meta") {
            if let workload = try meta.optional("workload") { builder.metadata["dask.workload"] = try workload.string }
            if let version = try meta.optional("distributed") { builder.metadata["dask.distributed"] = try version.string }
        }
        for (i, record) in graph.enumerated() {
            let key = try record["key"].string
            let dependencies = try record["dependencies"].strings
            var annotations: OrderedDictionary<String, String> = [:]
            if let spec = try record.optional("spec_type") { annotations["spec_type"] = try spec.string }
            if let function = try record.optional("func"), case .string(let name) = function.content { annotations["func"] = name }
            if let alias = try record.optional("alias_of"), case .string(let target) = alias.content { annotations["alias_of"] = target }
            var duration = 0.0
            var output: Int64 = 0
            if let m = measured[key] {
                duration = m.compute
                if let nbytes = m.nbytes { output = nbytes } else {
                    warnings.add("no-nbytes", "task '\(key)' has no nbytes in task_stream; 0 bytes assumed", at: record.place)
                }
            } else {
                warnings.add("not-computed", "task '\(key)' never finished in the real run (not in task_stream); duration 0 s", at: record.place)
            }
            if let requested = try record.optional("requested_by_client"), try requested.bool { wanted.append(key) }
            builder.add(
                TaskSpec(key: key, prefix: try record.optional("prefix")?.string, group: try record.optional("group")?.string,
                         duration: duration, outputBytes: output, order: order[i], annotations: annotations),
                dependencies: dependencies, origin: record.place)
        }
        builder.addSubmission(client: "client-0", wanted: wanted.isEmpty ? nil : wanted, origin: "graph")
        return builder
    }

    private func referenceRun(
        _ document: JSONValue, workload: Workload, measured: [String: Measured], runStart: Double, runStop: Double,
        warnings: inout ImportWarnings
    ) throws(JSONError) -> ReferenceRun {
        var threadsByWorker: [String: Int] = [:]
        if let workers = try document.optional("workers") {
            for member in try workers.members {
                threadsByWorker[member.key] = try member.value.optional("nthreads")?.int ?? 1
            }
        }
        for m in measured.values where threadsByWorker[m.worker] == nil { threadsByWorker[m.worker] = 1 }
        let workers = threadsByWorker.keys.sorted()
        var index: [String: Int] = [:]
        for (i, address) in workers.enumerated() { index[address] = i }
        let origin = runStart.isFinite ? runStart : 0

        var placement = [Int?](repeating: nil, count: workload.count)
        var start = [Double?](repeating: nil, count: workload.count)
        var stop = [Double?](repeating: nil, count: workload.count)
        var tasksPerWorker = [Int](repeating: 0, count: workers.count)
        var busy = [Double](repeating: 0, count: workers.count)
        for id in workload.ids {
            guard let m = measured[workload[id].key], let w = index[m.worker] else { continue }
            placement[id.index] = w
            tasksPerWorker[w] += 1
            busy[w] += m.compute
            if m.firstStart.isFinite {
                start[id.index] = m.firstStart - origin
                stop[id.index] = m.lastStop - origin
            }
        }
        var transfers: [ReferenceRun.Transfer] = []
        if let logs = try document.optional("worker_transfers") {
            for member in try logs.members {
                guard let receiver = index[member.key] else {
                    warnings.add("unknown-worker", "worker_transfers names worker '\(member.key)', which is not in workers", at: member.value.place)
                    continue
                }
                for entry in try member.value.optional("incoming")?.array ?? [] {
                    let who = try entry["who"].string
                    guard let sender = index[who] else {
                        warnings.add("unknown-worker", "transfer from unknown worker '\(who)'", at: entry.place)
                        continue
                    }
                    var tasks: [TaskID] = []
                    for key in try entry["keys"].members {
                        if let id = workload.id(forKey: key.key) {
                            tasks.append(id)
                        } else {
                            warnings.add("transfer-unknown-key", "a transfer carries key '\(key.key)', which is not in the graph", at: key.value.place)
                        }
                    }
                    transfers.append(ReferenceRun.Transfer(
                        from: sender, to: receiver, tasks: tasks, bytes: try entry["total"].byteCount("total"),
                        start: try entry["start"].double - origin, stop: try entry["stop"].double - origin))
                }
            }
        }
        transfers.sort { ($0.start, $0.to, $0.from) < ($1.start, $1.to, $1.from) }
        var run = ReferenceRun(
            workers: workers, threads: workers.map { threadsByWorker[$0] ?? 1 }, placement: placement,
            start: start, stop: stop, tasksPerWorker: tasksPerWorker, busySeconds: busy, transfers: transfers,
            makespan: runStop.isFinite ? runStop - origin : 0)
        try readSchedulerLog(document, workload: workload, origin: origin, into: &run)
        return run
    }

    /// The scheduler's side of the run: transitions (times, stimuli, when each task
    /// went to `processing`), the submit time and the queuing/stealing settings.
    private func readSchedulerLog(_ document: JSONValue, workload: Workload, origin: Double, into run: inout ReferenceRun) throws(JSONError) {
        run.processing = [Double?](repeating: nil, count: workload.count)
        var stimulusIndex: [String: Int32] = [:]
        for record in try document.optional("scheduler_transitions")?.array ?? [] {
            let time = try record["t"].double - origin
            let stimulus = try record.optional("stimulus_id")?.string ?? ""
            let dense: Int32
            if let known = stimulusIndex[stimulus] { dense = known } else {
                dense = Int32(stimulusIndex.count)
                stimulusIndex[stimulus] = dense
                if stimulus.hasPrefix("update-graph") { run.updateGraphs += 1 }
            }
            run.transitionTimes.append(time)
            run.transitionStimuli.append(dense)
            let finish = try record.optional("finish")?.string, start = try record.optional("start")?.string
            guard finish == "processing" || finish == "memory" || start == "memory",
                  let id = workload.id(forKey: try record["key"].string) else { continue }
            if finish == "processing" { run.processing[id.index] = time }
            if finish == "memory" { run.memoryChanges.append(.init(time: time, task: id, enters: true)) }
            if start == "memory" { run.memoryChanges.append(.init(time: time, task: id, enters: false)) }
        }
        if let meta = try document.optional("meta") {
            if let submit = try meta.optional("submit_time_epoch"), !submit.isNull { run.submitTime = try submit.double - origin }
            if let name = try meta.optional("workload"), !name.isNull { run.workloadName = try name.string }
            if let config = try meta.optional("config") {
                if let saturation = try config.optional("distributed.scheduler.worker-saturation"), !saturation.isNull {
                    // Python writes inf as Infinity (JSON extension) or as the string "inf".
                    if let text = try? saturation.string {
                        run.workerSaturation = Double(text == "inf" ? "infinity" : text)
                    } else {
                        run.workerSaturation = try saturation.double
                    }
                }
                if let stealing = try config.optional("distributed.scheduler.work-stealing"), !stealing.isNull {
                    run.workStealing = try stealing.bool
                }
            }
        }
    }
}

import Messages
import Recording

/// What a run produced: the outcome, the totals of the summary, and the logs.
public struct SimulationResult: Sendable {
    public enum Outcome: String, Sendable {
        /// The client holds every wanted result.
        case completed
        /// Every wanted key was settled, but some erred, were lost or cancelled.
        case failed
        /// Nothing more could happen, yet some wanted keys never arrived.
        case stalled
        /// The configured event limit stopped the run.
        case eventLimit = "event-limit"
        /// The configured limit on `workers.csv` samples stopped the run.
        case sampleLimit = "sample-limit"
        /// An event fell beyond the simulated clock's horizon (100 years).
        case timeLimit = "time-limit"
    }

    public var outcome: Outcome
    /// Why the run ended the way it did, in one sentence.
    public var detail: String
    /// When the run ended: the client got its last wanted result (or the last event happened).
    public var makespan: Time
    /// Compute tasks that finished at least once.
    public var tasksFinished: Int
    /// Thread-nanoseconds spent running tasks (seceded tasks excluded).
    public var busyTime: Int64
    /// Thread-nanoseconds available: Σ over workers of nthreads × time in the cluster.
    public var threadTime: Int64
    public var transfers: Int
    public var transferBytes: Int64
    public var steals: Int
    public var events: Int
    /// Pure-data keys whose last replica was lost (or whose scatter never arrived), by key.
    public var lostScatteredKeys: [String]
    /// Invariants broken, prefixed by the machine (`scheduler: ...`, `worker-3: ...`):
    /// with `validate`, the first ones found after a stimulus (`after OP at T: ...`); then
    /// those of the end of the run, checked when it stalled or `checkInvariantsAtEnd` is on.
    /// Empty in a sound run.
    public var invariantViolations: [String] = []
    /// Stimuli after which a machine's invariants were checked (`validate`; 0 when off).
    public var validatedStimuli = 0

    public var transferRows: [TransferRow]
    public var workerRows: [WorkerSampleRow]
    /// `events.jsonl` when tracing was on.
    public var eventLines: JSONLines?
    /// Task keys by id, to print the logs.
    public var keys: [String] { workload.tasks.map(\.key) }

    // The per-task facts, kept as arrays; rows are built only when asked for.
    public let workload: Workload
    let workerNames: [String]
    let submitTime: [Int64]
    let startTime: [Int64]
    let endTime: [Int64]
    let firstMemory: [Int64]
    let lastWorker: [Int32]
    let attempts: [Int32]
    let bytesFetched: [Int64]
    let transitions: TransitionSink

    /// One row per task, for `tasks.csv`.
    public var taskRows: [TaskRow] {
        var rows: [TaskRow] = []
        rows.reserveCapacity(workload.count)
        for i in 0..<workload.count {
            let isCompute = workload.tasks[i].kind == .compute
            var ready: Int64? = submitTime[i] >= 0 ? submitTime[i] : nil
            for dep in workload.tasks[i].dependencies {
                let t = firstMemory[dep.index]
                if t < 0 { ready = nil; break }
                if let r = ready { ready = max(r, t) }
            }
            rows.append(TaskRow(
                key: workload.tasks[i].key, prefix: workload.tasks[i].prefix,
                worker: lastWorker[i] >= 0 ? workerNames[Int(lastWorker[i])] : "",
                submit: submitTime[i] >= 0 ? submitTime[i] : nil,
                ready: ready,
                start: isCompute && startTime[i] >= 0 ? startTime[i] : nil,
                end: isCompute && endTime[i] >= 0 ? endTime[i] : nil,
                outputBytes: workload.tasks[i].outputBytes, bytesFetched: bytesFetched[i],
                state: transitions.lastState[i], attempts: Int(attempts[i])))
        }
        return rows
    }

    /// One row per scheduler transition, for `transitions.csv` (empty unless recorded).
    public var transitionRows: [TransitionRow] { transitions.rows(workerNames: workerNames) }

    /// Busy thread time over available thread time, in [0, 1].
    public var utilisation: Double {
        threadTime > 0 ? Double(busyTime) / Double(threadTime) : 0
    }

    /// The files of `--out`: name and bytes, in a fixed order. `summary` is the row for `summary.csv`.
    public func logFiles(summary: SummaryRow) -> [(name: String, bytes: [UInt8])] {
        var files: [(name: String, bytes: [UInt8])] = [
            ("tasks.csv", LogTables.tasks(taskRows).bytes),
            ("transitions.csv", LogTables.transitions(transitionRows, keys: keys).bytes),
            ("transfers.csv", LogTables.transfers(transferRows, keys: keys).bytes),
            ("workers.csv", LogTables.workers(workerRows).bytes),
            ("summary.csv", LogTables.summary([summary]).bytes),
        ]
        if let eventLines { files.append(("events.jsonl", eventLines.bytes)) }
        return files
    }
}

extension Simulator {
    func finishRun() -> SimulationResult {
        let end = finished ? endTimeOfRun : lastRealEventTime
        // Threads still busy at the end count up to the end.
        var busy = busyNanoseconds
        for slot in executions.occupiedSlots {
            guard let execution = executions.peek(slot), !execution.cancelled, execution.start >= 0,
                  !execution.seceded, !execution.computeDone else { continue }
            busy += max(0, min(end, now) - execution.start)
        }
        var threadTime: Int64 = 0
        for w in life.indices {
            let leave = leaveTime[w] >= 0 ? min(leaveTime[w], end) : end
            // Saturating: 100,000 threads over a century-long run passes Int64; the
            // utilisation is then approximate instead of a trap.
            let (product, overflow) = Int64(cluster.workers[w].nthreads).multipliedReportingOverflow(by: max(0, leave - joinTime[w]))
            let (sum, overflowSum) = threadTime.addingReportingOverflow(product)
            threadTime = overflow || overflowSum ? Int64.max : sum
        }
        if config.sampleInterval.nanoseconds > 0 { takeSampleAtEnd(end) }

        var seen = [Bool](repeating: false, count: workload.count)
        lostScattered = lostScattered.filter { key in
            defer { seen[key.index] = true }
            return !seen[key.index]
        }
        var (outcome, detail) = describeOutcome()
        var violations = validationViolations
        if !validationViolations.isEmpty {
            detail += "; invariants broken " + validationViolations[0]
        }
        if config.checkInvariantsAtEnd || outcome == .stalled {
            violations += endOfRunInvariantProblems()
            if outcome == .stalled && !violations.isEmpty {
                detail += "; invariants broken: " + violations.prefix(3).joined(separator: "; ")
            }
        }
        return SimulationResult(
            outcome: outcome, detail: detail, makespan: Time(nanoseconds: end),
            tasksFinished: computeCompletions, busyTime: busy, threadTime: threadTime,
            transfers: transferCount, transferBytes: transferBytes, steals: scheduler.confirmedSteals,
            events: eventsProcessed, lostScatteredKeys: lostScattered.map { workload.tasks[$0.index].key },
            invariantViolations: violations, validatedStimuli: validatedStimuli,
            transferRows: transferRows, workerRows: sampleRows, eventLines: config.traceEvents ? events : nil,
            workload: workload, workerNames: workerNames, submitTime: submitTime, startTime: startTime,
            endTime: endTime, firstMemory: firstMemory, lastWorker: lastWorker, attempts: attempts,
            bytesFetched: bytesFetched, transitions: sink)
    }

    /// Every machine's invariants, once. A stall in a run without faults means some
    /// bookkeeping lost a task; this names it (the per-stimulus checks are too slow
    /// to leave on in long runs).
    func endOfRunInvariantProblems() -> [String] {
        var problems = scheduler.invariantProblems().map { "scheduler: " + $0 }
        for w in workers.indices where life[w] == .running {
            problems += workers[w].invariantProblems().map { "\(cluster.workers[w].name): " + $0 }
        }
        return problems
    }

    /// The final sample shows the cluster as the run ends.
    private func takeSampleAtEnd(_ end: Int64) {
        if let last = sampleRows.last, last.time == end { return }
        let saved = now
        now = end
        takeSample()
        now = saved
    }

    /// Where the scheduler has a task now. Asked of the scheduler itself: the
    /// transition log only knows it when transitions are recorded, and without
    /// `--out` every stuck key used to read "unknown to the scheduler" (issue 15).
    private func schedulerState(of key: TaskID) -> String {
        scheduler.currentState(of: key) ?? sink.lastState[key.index]
    }

    private func describeOutcome() -> (SimulationResult.Outcome, String) {
        func list(_ tasks: [TaskID]) -> String {
            let shown = tasks.prefix(5).map { workload.tasks[$0.index].key }.joined(separator: ", ")
            return tasks.count > 5 ? shown + ", ..." : shown
        }
        if config.eventLimit > 0 && eventsProcessed >= config.eventLimit && !finished {
            return (.eventLimit, "stopped after \(eventsProcessed) events at the event limit (--event-limit N raises it; 0 = no limit)")
        }
        if sampleLimitReached && !finished {
            return (.sampleLimit, "stopped after \(sampleRows.count) workers.csv samples at the sample limit (--sample-limit N raises it, 0 = no limit; or a longer --sample-interval)")
        }
        if timeLimitHit && !finished {
            return (.timeLimit, "stopped at \(Time(nanoseconds: now))s: the next event was due beyond the simulated clock's horizon of 100 years (a duration, latency or bandwidth in the wrong unit, or a very long chain on very slow workers)")
        }
        var lost = ""
        if !lostScattered.isEmpty {
            lost = "; lost scattered data: \(list(lostScattered))"
        }
        if finished || (wantedExternal > 0 && unresolvedExternal == 0) {
            if failedExternal.isEmpty {
                return (.completed, "the client holds all \(wantedExternal) wanted results" + lost)
            }
            let erred = failedExternal.filter { schedulerState(of: $0) == "erred" }
            return (.failed, "\(failedExternal.count) of \(wantedExternal) wanted results failed (\(erred.count) erred): \(list(failedExternal))" + lost)
        }
        if wantedExternal == 0 && submissionsPending == 0 {
            return (.completed, "nothing was wanted; ran until no event was left" + lost)
        }
        // Stalled: say where the missing keys are stuck.
        var missing: [TaskID] = []
        for row in externalStatus {
            for (i, status) in row.enumerated() where status == .pending || status == .gathering {
                missing.append(TaskID(i))
            }
        }
        missing.sort()
        missing = missing.enumerated().filter { $0.offset == 0 || missing[$0.offset - 1] != $0.element }.map(\.element)
        var byState: [String: Int] = [:]
        for key in missing {
            let state = schedulerState(of: key)
            byState[state.isEmpty ? "unknown to the scheduler" : state, default: 0] += 1
        }
        let states = byState.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        let running = life.filter { $0 == .running }.count
        return (.stalled, "nothing more can happen: \(missing.count) of \(wantedExternal) wanted results never reached the client (\(states)); \(running) worker(s) running: \(list(missing))" + lost)
    }
}

import Messages

extension Simulator {
    /// Dask's worker starts with the scheduler's default bandwidth estimate (100 MB/s).
    static let initialBandwidth = 100e6

    /// Dask's `heartbeat_interval(n)`: 0.5 s for up to 10 workers, 1 s below 50,
    /// 2 s below 200, then n / 200 + 1 s.
    func heartbeatInterval() -> Int64 {
        Self.heartbeatInterval(workers: life.reduce(0) { $0 + ($1 == .running ? 1 : 0) })
    }

    /// The rule itself, in nanoseconds, for `n` running workers (a pure function so
    /// tests pin each boundary).
    static func heartbeatInterval(workers n: Int) -> Int64 {
        if n <= 10 { return 500_000_000 }
        if n < 50 { return 1_000_000_000 }
        if n < 200 { return 2_000_000_000 }
        return Int64((Double(n) / 200 + 1) * 1e9)
    }

    /// Every running worker the scheduler knows reports its measured bandwidth and
    /// how long each of its executing tasks has been running (Dask's `executing` metric).
    ///
    /// The heartbeats of one round that arrive at the same instant travel as one event:
    /// they were pushed one after another with equal times, so nothing could have run
    /// between them, and the scheduler sees the same stimuli in the same order. (One
    /// event per worker per second made 32 × 64,800 events of an 18-hour run.)
    func sendHeartbeats() {
        var batches: [(at: Int64, stimuli: [SchedulerStimulus])] = []
        for w in workers.indices where life[w] == .running && registered[w] {
            var executing: [ExecutingTask] = []
            executing.reserveCapacity(running[w].count)
            for slot in running[w] {
                guard let execution = executions.peek(slot), execution.start >= 0 else { continue }
                executing.append(ExecutingTask(key: execution.task, elapsed: Time(nanoseconds: now - execution.start)))
            }
            let stimulus = SchedulerStimulus.heartbeatExecuting(WorkerID(w), bandwidth: measuredBandwidth[w], executing: executing)
            let at = now + latency(host(ofWorker: w), schedulerHost)
            if let i = batches.firstIndex(where: { $0.at == at }) {
                batches[i].stimuli.append(stimulus)
            } else {
                batches.append((at, [stimulus]))
            }
        }
        // Batches in order of first sender; events of different times never tie.
        for batch in batches {
            schedule(.heartbeatsToScheduler(heartbeatBatches.put(batch.stimuli)), at: batch.at)
        }
    }
}

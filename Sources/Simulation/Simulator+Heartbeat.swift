import Messages

extension Simulator {
    /// Dask's worker starts with the scheduler's default bandwidth estimate (100 MB/s).
    static let initialBandwidth = 100e6

    /// Dask's `heartbeat_interval(n)`: 0.5 s for up to 10 workers, 1 s below 50,
    /// 2 s below 200, then n / 200 + 1 s.
    func heartbeatInterval() -> Int64 {
        let n = life.reduce(0) { $0 + ($1 == .running ? 1 : 0) }
        if n <= 10 { return 500_000_000 }
        if n < 50 { return 1_000_000_000 }
        if n < 200 { return 2_000_000_000 }
        return Int64((Double(n) / 200 + 1) * 1e9)
    }

    /// Every running worker the scheduler knows reports its measured bandwidth and
    /// how long each of its executing tasks has been running (Dask's `executing` metric).
    func sendHeartbeats() {
        for w in workers.indices where life[w] == .running && registered[w] {
            var executing: [ExecutingTask] = []
            executing.reserveCapacity(running[w].count)
            for slot in running[w] {
                guard let execution = executions.peek(slot), execution.start >= 0 else { continue }
                executing.append(ExecutingTask(key: execution.task, elapsed: Time(nanoseconds: now - execution.start)))
            }
            sendToScheduler(.heartbeatExecuting(WorkerID(w), bandwidth: measuredBandwidth[w], executing: executing),
                            fromHost: host(ofWorker: w), tick: true)
        }
    }
}

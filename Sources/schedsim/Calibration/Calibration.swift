import Foundation
import Messages
import Simulation

/// What one capture shows directly about Dask's costs (docs/runtime.md, "Fitting").
struct CaptureStatistics {
    /// Idle gaps on a 1-thread worker before a task that was already on the worker
    /// (sent to it at least `localMargin` before the previous task stopped) with every
    /// input computed there: the worker's own per-task cost, without a scheduler round
    /// trip, a transfer or an incoming batch.
    var localGaps: [Double] = []
    /// Time between consecutive transitions of one stimulus: the scheduler's time per transition.
    var transitionGaps: [Double] = []
    /// Worker-to-worker transfers: bytes and seconds (`transfer_incoming_log`).
    var transfers: [(bytes: Int64, seconds: Double)] = []
    /// Submit to first compute start, seconds, and the graph's size.
    var startup: Double?
    var tasks: Int

    /// A task counts as already on its worker when the scheduler sent it at least this
    /// long before the previous task stopped (the 5 ms batch plus the worker's handling).
    static let localMargin = 0.010
    /// A compute-task sent this long before a gap may arrive during it (the 5 ms interval + 1 ms).
    static let batchWindow = 0.006

    init(_ capture: CaptureReplay) {
        let r = capture.reference
        tasks = capture.workload.count
        var byWorker = [[Int]](repeating: [], count: r.workers.count)
        for i in r.placement.indices {
            if let w = r.placement[i], r.start[i] != nil { byWorker[w].append(i) }
        }
        for (w, list) in byWorker.enumerated() where r.threads[w] == 1 {
            let sorted = list.sorted { (r.start[$0]!, $0) < (r.start[$1]!, $1) }
            // When the scheduler sent this worker each of its tasks: a batch reaches the worker soon after.
            let sends = list.compactMap { r.processing.indices.contains($0) ? r.processing[$0] : nil }.sorted()
            for k in sorted.indices.dropFirst() {
                let previous = sorted[k - 1], next = sorted[k]
                guard let sent = r.processing.indices.contains(next) ? r.processing[next] : nil else { continue }
                // Only when nothing had to be fetched: every input computed on this worker before.
                let local = capture.workload.tasks[next].dependencies.allSatisfy { d in
                    r.placement[d.index] == w && (r.stop[d.index] ?? .infinity) <= r.stop[previous]!
                }
                // And no compute-task batch reached the worker during the gap (its loop did nothing else
                // we can see): sends within the scheduler→worker interval before, or during, the gap.
                let windowStart = r.stop[previous]! - Self.batchWindow, windowEnd = r.start[next]!
                let quiet = !sends.contains { $0 >= windowStart && $0 <= windowEnd }
                if local && quiet && sent <= r.stop[previous]! - Self.localMargin {
                    localGaps.append(max(0, r.start[next]! - r.stop[previous]!))
                }
            }
        }
        var lastOfStimulus: [Int32: Double] = [:]
        for (time, stimulus) in zip(r.transitionTimes, r.transitionStimuli) {
            if let last = lastOfStimulus[stimulus], time >= last { transitionGaps.append(time - last) }
            lastOfStimulus[stimulus] = time
        }
        transfers = r.transfers.map { ($0.bytes, max(0, $0.stop - $0.start)) }
        if let submit = r.submitTime, submit < 0 { startup = -submit }
    }
}

/// Fits a runtime profile to captures by the documented procedure, and measures it.
struct Calibration {
    /// The network of a LocalCluster replay (same host): one-way latency and bandwidth.
    let linkLatency: Double
    let linkBandwidth: Double
    /// Parameters the captures cannot identify keep these values.
    let base: RuntimeProfile

    /// Candidate `scheduler-message` values of the search, seconds: 0 and 10 µs · 2^k up to 2.56 ms.
    static let messageGrid: [Double] = [0] + (0...8).map { 10e-6 * pow(2, Double($0)) }

    /// The directly measured parameters, from pooled statistics.
    func measured(_ stats: [CaptureStatistics]) -> RuntimeProfile {
        var p = base
        let gaps = stats.flatMap(\.localGaps)
        if let median = RunMeasures.median(gaps) { p.workerTask = Time(seconds: median) }
        let transitions = stats.flatMap(\.transitionGaps).sorted()
        if !transitions.isEmpty {
            // Mean without the largest 5 %: a transition's cost, not a GC pause or a preemption.
            let kept = transitions.prefix(max(1, Int(Double(transitions.count) * 0.95)))
            p.schedulerTransition = Time(seconds: kept.reduce(0, +) / Double(kept.count))
        }
        let transfers = stats.flatMap(\.transfers)
        let small = transfers.filter { $0.bytes < 100_000 }.map(\.seconds)
        if let fixed = RunMeasures.median(small) {
            // The simulator already charges a request latency and a data latency.
            p.transferRequest = Time(seconds: max(0, fixed - 2 * linkLatency))
            let big = transfers.filter { $0.bytes >= 1_000_000 && $0.seconds > fixed }.map { Double($0.bytes) / ($0.seconds - fixed) }
            if let throughput = RunMeasures.median(big) {
                // In series with the network: 1/measured = 1/network + 1/serialisation.
                let inverse = 1 / throughput - 1 / linkBandwidth
                p.transferBandwidth = inverse > 0 ? 1 / inverse : 0
            }
        }
        let perTask = stats.compactMap { s in s.startup.map { $0 / Double(max(1, s.tasks)) } }
        if let median = RunMeasures.median(perTask) { p.schedulerUpdateGraphTask = Time(seconds: median) }
        return p
    }

    /// Mean |log(simulated span / real span)| over the captures.
    static func loss(_ profile: RuntimeProfile, _ captures: [CaptureReplay]) throws(CaptureReplayError) -> Double {
        var total = 0.0
        for capture in captures {
            let real = RunMeasures(reference: capture.reference, workload: capture.workload).span
            let sim = RunMeasures(simulation: try capture.simulate(profile), cluster: capture.cluster).span
            guard real > 0, sim > 0 else { continue }
            total += abs(log(sim / real))
        }
        return total / Double(max(1, captures.count))
    }

    /// Candidate `worker-batch` values, seconds: 0 and 50 µs · 2^k up to 12.8 ms.
    static let batchGrid: [Double] = [0] + (0...8).map { 50e-6 * pow(2, Double($0)) }

    /// The whole fit on `captures`: measured parameters, then `scheduler-batch`,
    /// `scheduler-message` and `worker-batch` (loop costs no log shows directly) by
    /// coordinate descent: a grid search of one with the others fixed, refined by
    /// golden-section search on the best bracket, twice over.
    func fit(_ captures: [CaptureReplay], stats: [CaptureStatistics], progress: (String) -> Void = { _ in }) throws(CaptureReplayError) -> RuntimeProfile {
        var p = measured(stats)
        for round in 1...2 {
            let batch = try search(Self.messageGrid, captures, set: { q, v in q.schedulerBatch = Time(seconds: v) }, base: p)
            p.schedulerBatch = Time(nanoseconds: (Time(seconds: batch.value).nanoseconds / 1000) * 1000)
            progress("round \(round): scheduler-batch \(RuntimeProfile.durationText(p.schedulerBatch.nanoseconds)) (loss \(String(format: "%.4f", batch.loss)))")
            let message = try search(Self.messageGrid, captures, set: { q, v in q.schedulerMessage = Time(seconds: v) }, base: p)
            p.schedulerMessage = Time(nanoseconds: (Time(seconds: message.value).nanoseconds / 1000) * 1000)
            progress("round \(round): scheduler-message \(RuntimeProfile.durationText(p.schedulerMessage.nanoseconds)) (loss \(String(format: "%.4f", message.loss)))")
            let workerBatch = try search(Self.batchGrid, captures, set: { q, v in q.workerBatch = Time(seconds: v) }, base: p)
            p.workerBatch = Time(nanoseconds: (Time(seconds: workerBatch.value).nanoseconds / 1000) * 1000)
            progress("round \(round): worker-batch \(RuntimeProfile.durationText(p.workerBatch.nanoseconds)) (loss \(String(format: "%.4f", workerBatch.loss)))")
        }
        return rounded(p)
    }

    /// Minimises the loss over one parameter: the grid, then golden-section search between
    /// the best point's neighbours. Ties go to the smaller value (the grid is increasing).
    func search(_ grid: [Double], _ captures: [CaptureReplay], set: (inout RuntimeProfile, Double) -> Void,
                base p: RuntimeProfile) throws(CaptureReplayError) -> (value: Double, loss: Double) {
        func loss(_ v: Double) throws(CaptureReplayError) -> Double {
            var q = p
            set(&q, v)
            return try Self.loss(q, captures)
        }
        var losses: [Double] = []
        for v in grid { losses.append(try loss(v)) }
        let best = losses.indices.min { (losses[$0], $0) < (losses[$1], $1) }!
        var low = grid[max(0, best - 1)], high = grid[min(grid.count - 1, best + 1)]
        var bestValue = grid[best], bestLoss = losses[best]
        let ratio = (sqrt(5.0) - 1) / 2
        for _ in 0..<4 where high - low > 1e-6 {
            let a = high - ratio * (high - low), b = low + ratio * (high - low)
            let la = try loss(a), lb = try loss(b)
            if la < bestLoss { bestLoss = la; bestValue = a }
            if lb < bestLoss { bestLoss = lb; bestValue = b }
            if la <= lb { high = b } else { low = a }
        }
        return (bestValue, bestLoss)
    }

    /// The printed resolution: what the profile file says is exactly what runs.
    func rounded(_ profile: RuntimeProfile) -> RuntimeProfile {
        var p = profile
        for parameter in [\RuntimeProfile.workerTask, \.schedulerTransition, \.transferRequest, \.schedulerUpdateGraphTask] {
            p[keyPath: parameter] = Time(nanoseconds: (p[keyPath: parameter].nanoseconds / 100) * 100)
        }
        p.transferBandwidth = (p.transferBandwidth / 1000).rounded() * 1000
        return p
    }
}

import Foundation
import Messages
import Simulation

/// What one capture shows directly about Dask's costs (docs/runtime.md, "Fitting").
struct CaptureStatistics {
    /// Idle gaps on a 1-thread worker before a task that was already on the worker
    /// (sent to it at least `localMargin` before the previous task stopped): the
    /// worker's own per-task cost, without a scheduler round trip.
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

    init(_ capture: CaptureReplay) {
        let r = capture.reference
        tasks = capture.workload.count
        var byWorker = [[Int]](repeating: [], count: r.workers.count)
        for i in r.placement.indices {
            if let w = r.placement[i], r.start[i] != nil { byWorker[w].append(i) }
        }
        for (w, list) in byWorker.enumerated() where r.threads[w] == 1 {
            let sorted = list.sorted { (r.start[$0]!, $0) < (r.start[$1]!, $1) }
            for k in sorted.indices.dropFirst() {
                let previous = sorted[k - 1], next = sorted[k]
                guard let sent = r.processing.indices.contains(next) ? r.processing[next] : nil else { continue }
                if sent <= r.stop[previous]! - Self.localMargin {
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
            let real = RunMeasures(reference: capture.reference).span
            let sim = RunMeasures(simulation: try capture.simulate(profile), cluster: capture.cluster).span
            guard real > 0, sim > 0 else { continue }
            total += abs(log(sim / real))
        }
        return total / Double(max(1, captures.count))
    }

    /// The whole fit on `captures`: measured parameters, then `scheduler-message` by a grid
    /// search refined by golden-section search on the best bracket.
    func fit(_ captures: [CaptureReplay], stats: [CaptureStatistics], progress: (String) -> Void = { _ in }) throws(CaptureReplayError) -> RuntimeProfile {
        var p = measured(stats)
        func withMessage(_ seconds: Double) -> RuntimeProfile {
            var q = p
            q.schedulerMessage = Time(seconds: seconds)
            return q
        }
        var losses: [Double] = []
        for value in Self.messageGrid {
            losses.append(try Self.loss(withMessage(value), captures))
            progress("scheduler-message \(RuntimeProfile.durationText(Time(seconds: value).nanoseconds)): loss \(String(format: "%.4f", losses.last!))")
        }
        let best = losses.indices.min { (losses[$0], $0) < (losses[$1], $1) }!
        var low = Self.messageGrid[max(0, best - 1)]
        var high = Self.messageGrid[min(Self.messageGrid.count - 1, best + 1)]
        var bestValue = Self.messageGrid[best]
        var bestLoss = losses[best]
        let ratio = (sqrt(5.0) - 1) / 2
        for _ in 0..<6 where high - low > 1e-6 {
            let a = high - ratio * (high - low)
            let b = low + ratio * (high - low)
            let la = try Self.loss(withMessage(a), captures)
            let lb = try Self.loss(withMessage(b), captures)
            if la < bestLoss { bestLoss = la; bestValue = a }
            if lb < bestLoss { bestLoss = lb; bestValue = b }
            if la <= lb { high = b } else { low = a }
        }
        // Microsecond resolution: the profile prints exactly what it uses.
        p.schedulerMessage = Time(nanoseconds: (Time(seconds: bestValue).nanoseconds / 1000) * 1000)
        for parameter in [\RuntimeProfile.workerTask, \.schedulerTransition, \.transferRequest, \.schedulerUpdateGraphTask] {
            p[keyPath: parameter] = Time(nanoseconds: (p[keyPath: parameter].nanoseconds / 100) * 100)
        }
        p.transferBandwidth = (p.transferBandwidth / 1000).rounded() * 1000
        return p
    }
}

/// The time series the report draws, computed from a run's logs.
public enum RunSeries {
    /// Scheduler states in the order the progress picture stacks them (bottom first).
    public static let states = ["forgotten", "memory", "processing", "queued", "no-worker", "waiting", "erred", "released"]

    /// Tasks in each scheduler state over time, replayed from transitions.csv. A task counts in a
    /// state from its transition into it until its transition out of it.
    public static func tasksByState(_ transitions: [TransitionRecord]) -> [String: StepFunction] {
        var current: [String: String] = [:]
        var changes: [String: [(time: Double, delta: Double)]] = [:]
        for state in states { changes[state] = [] }
        for transition in transitions {
            if let previous = current[transition.key], changes[previous] != nil {
                changes[previous]!.append((transition.time, -1))
            }
            current[transition.key] = transition.to
            if changes[transition.to] != nil { changes[transition.to]!.append((transition.time, 1)) }
        }
        var result: [String: StepFunction] = [:]
        for state in states { result[state] = StepFunction(changes: changes[state]!) }
        return result
    }

    /// Bytes on the wire over time: each transfer row counts its bytes from start to end.
    public static func bytesInFlight(_ transfers: [TransferRecord]) -> StepFunction {
        var changes: [(time: Double, delta: Double)] = []
        changes.reserveCapacity(transfers.count * 2)
        for transfer in transfers where transfer.end > transfer.start {
            changes.append((transfer.start, Double(transfer.bytes)))
            changes.append((transfer.end, -Double(transfer.bytes)))
        }
        return StepFunction(changes: changes)
    }

    /// Per-worker samples as step functions of one column, keyed by worker name.
    public static func perWorker(_ samples: [WorkerSample], _ value: (WorkerSample) -> Double) -> [String: StepFunction] {
        var times: [String: [Double]] = [:], values: [String: [Double]] = [:]
        for sample in samples {
            times[sample.worker, default: []].append(sample.time)
            values[sample.worker, default: []].append(value(sample))
        }
        var result: [String: StepFunction] = [:]
        for (worker, list) in times { result[worker] = StepFunction(times: list, values: values[worker]!) }
        return result
    }

    /// The sum over workers of one sampled column, as a step function (changes at sample times).
    public static func total(_ samples: [WorkerSample], _ value: (WorkerSample) -> Double) -> StepFunction {
        // Each sample replaces that worker's previous value: add the difference.
        var last: [String: Double] = [:]
        var changes: [(time: Double, delta: Double)] = []
        changes.reserveCapacity(samples.count)
        for sample in samples {
            let new = value(sample)
            changes.append((sample.time, new - (last[sample.worker] ?? 0)))
            last[sample.worker] = new
        }
        return StepFunction(changes: changes)
    }

    /// Busy fraction of each lane in `count` equal buckets over [0, end] (for large runs).
    public static func laneUtilisation(stream: TaskStream, end: Double, count: Int) -> [[Double]] {
        var result = Array(repeating: [Double](repeating: 0, count: count), count: stream.lanes.count)
        guard end > 0, count > 0 else { return result }
        let width = end / Double(count)
        for bar in stream.bars {
            guard case .task = bar.kind, bar.end > bar.start else { continue }
            // Clamped as Doubles first: `Int(_:)` traps on a value out of its range, and a
            // damaged log can hold a start of -1e300.
            let top = Double(count - 1)
            let first = Int(max(0, min(top, (bar.start / width).rounded(.down))))
            let last = Int(max(0, min(top, (bar.end / width).rounded(.down))))
            for bucket in first...last {
                let low = max(bar.start, Double(bucket) * width), high = min(bar.end, Double(bucket + 1) * width)
                if high > low { result[bar.lane][bucket] += (high - low) / width }
            }
        }
        for lane in result.indices {
            for bucket in 0..<count { result[lane][bucket] = min(1, result[lane][bucket]) }
        }
        return result
    }
}

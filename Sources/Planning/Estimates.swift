import Workload

/// Durations and sizes as one information mode reveals them to a planner.
///
/// Everything a planner reads about the work comes from here, never from the
/// workload's true values (the graph's shape, which every mode reveals, comes
/// from the workload). Edge sizes are kept in a flat array in dependency order:
/// the bytes task `t` reads from its `i`-th dependency are
/// `edgeBytes[edgeStart[t] + i]`.
public struct Estimates: Sendable {
    public var mode: InformationMode
    /// Estimated compute seconds on a speed-1 worker, per task (0 for pure data).
    public var durations: [Double]
    /// Estimated output bytes per task.
    public var outputBytes: [Int64]
    /// Offsets into `edgeBytes`, one per task plus a final end offset.
    public var edgeStart: [Int]
    /// Estimated bytes per dependency edge, consumer by consumer.
    public var edgeBytes: [Int64]

    public init(mode: InformationMode, durations: [Double], outputBytes: [Int64], edgeStart: [Int], edgeBytes: [Int64]) {
        self.mode = mode
        self.durations = durations
        self.outputBytes = outputBytes
        self.edgeStart = edgeStart
        self.edgeBytes = edgeBytes
    }

    /// Estimated bytes task `consumer` reads from its `i`-th dependency.
    @inlinable
    public func edgeBytes(consumer: TaskID, dependencyIndex i: Int) -> Int64 {
        edgeBytes[edgeStart[consumer.index] + i]
    }

    /// The true values.
    public static func exact(_ workload: Workload) -> Estimates {
        let (start, bytes) = trueEdges(workload)
        return Estimates(
            mode: .exact, durations: workload.tasks.map(\.duration),
            outputBytes: workload.tasks.map(\.outputBytes), edgeStart: start, edgeBytes: bytes)
    }

    /// Noisy user estimates: each task's duration and output size are multiplied
    /// by their own factor `1 + error × (2u − 1)`, `u` uniform in [0, 1). Draws are
    /// taken task by task in id order, duration first, then size; an edge is
    /// scaled by its producer's size factor. `error` must be in 0...1, so no
    /// estimate is negative.
    public static func user<Noise: UniformSource>(
        _ workload: Workload, error: Double, noise: inout Noise
    ) throws(PlanningError) -> Estimates {
        guard error.isFinite, error >= 0, error <= 1 else {
            throw .invalidModeParameter(mode: "user", reason: "error \(error) must be in 0...1")
        }
        var durations: [Double] = []
        var sizeFactors: [Double] = []
        durations.reserveCapacity(workload.count)
        sizeFactors.reserveCapacity(workload.count)
        for spec in workload.tasks {
            let durationFactor = 1 + error * (2 * noise.nextUniform() - 1)
            let sizeFactor = 1 + error * (2 * noise.nextUniform() - 1)
            durations.append(spec.duration * durationFactor)
            sizeFactors.append(sizeFactor)
        }
        let outputBytes = zip(workload.tasks, sizeFactors).map { scaled($0.outputBytes, by: $1) }
        var (start, bytes) = trueEdges(workload)
        for (t, spec) in workload.tasks.enumerated() {
            for (i, dep) in spec.dependencies.enumerated() {
                bytes[start[t] + i] = scaled(bytes[start[t] + i], by: sizeFactors[dep.index])
            }
        }
        return Estimates(mode: .user(error: error), durations: durations, outputBytes: outputBytes, edgeStart: start, edgeBytes: bytes)
    }

    /// Per-prefix means: a task's duration and output size are the means over all
    /// tasks with its prefix; an edge's size is the mean over all edges whose
    /// producer has that prefix.
    public static func mean(_ workload: Workload) -> Estimates {
        // Dense prefix ids in order of first appearance; the dictionary is only looked up.
        var prefixIndex: [String: Int] = [:]
        var prefixOf: [Int] = []
        prefixOf.reserveCapacity(workload.count)
        for spec in workload.tasks {
            let next = prefixIndex.count
            let p = prefixIndex[spec.prefix] ?? next
            if p == next { prefixIndex[spec.prefix] = next }
            prefixOf.append(p)
        }
        let prefixes = prefixIndex.count
        var durationSum = [Double](repeating: 0, count: prefixes)
        var outputSum = [Double](repeating: 0, count: prefixes)
        var taskCount = [Int](repeating: 0, count: prefixes)
        var edgeSum = [Double](repeating: 0, count: prefixes)
        var edgeCount = [Int](repeating: 0, count: prefixes)
        let (start, trueBytes) = trueEdges(workload)
        for (t, spec) in workload.tasks.enumerated() {
            let p = prefixOf[t]
            durationSum[p] += spec.duration
            outputSum[p] += Double(spec.outputBytes)
            taskCount[p] += 1
            for (i, dep) in spec.dependencies.enumerated() {
                edgeSum[prefixOf[dep.index]] += Double(trueBytes[start[t] + i])
                edgeCount[prefixOf[dep.index]] += 1
            }
        }
        let meanDuration = (0..<prefixes).map { durationSum[$0] / Double(taskCount[$0]) }
        let meanOutput = (0..<prefixes).map { Int64((outputSum[$0] / Double(taskCount[$0])).rounded()) }
        let meanEdge = (0..<prefixes).map { edgeCount[$0] == 0 ? 0 : Int64((edgeSum[$0] / Double(edgeCount[$0])).rounded()) }
        var bytes = trueBytes
        for (t, spec) in workload.tasks.enumerated() {
            for (i, dep) in spec.dependencies.enumerated() {
                bytes[start[t] + i] = meanEdge[prefixOf[dep.index]]
            }
        }
        return Estimates(
            mode: .mean, durations: prefixOf.map { meanDuration[$0] },
            outputBytes: prefixOf.map { meanOutput[$0] }, edgeStart: start, edgeBytes: bytes)
    }

    /// The estimates for `mode`. `noise` is used only by `.user`; `.online` is an
    /// error because Dask's learned averages exist only during a run.
    public static func make<Noise: UniformSource>(
        _ workload: Workload, mode: InformationMode, noise: inout Noise
    ) throws(PlanningError) -> Estimates {
        switch mode {
        case .exact: return exact(workload)
        case .mean: return mean(workload)
        case .user(let error): return try user(workload, error: error, noise: &noise)
        case .online:
            throw .modeNotApplicable(
                mode: "online",
                reason: "Dask's learned per-prefix averages exist only while the run is going; use exact, user or mean")
        }
    }

    /// Checks that the estimates fit `workload` and every value is a finite number >= 0.
    public func validate(for workload: Workload) throws(PlanningError) {
        guard durations.count == workload.count, outputBytes.count == workload.count,
              edgeStart.count == workload.count + 1, edgeBytes.count == edgeStart[workload.count]
        else {
            throw .estimatesMismatch(expectedTasks: workload.count, gotTasks: durations.count)
        }
        for (t, spec) in workload.tasks.enumerated() {
            let d = durations[t]
            if !(d.isFinite && d >= 0) {
                throw .invalidEstimate(key: spec.key, reason: "estimated duration \(d) is not a finite number of seconds >= 0")
            }
            if outputBytes[t] < 0 {
                throw .invalidEstimate(key: spec.key, reason: "estimated output size \(outputBytes[t]) bytes is negative")
            }
            if edgeStart[t + 1] - edgeStart[t] != spec.dependencies.count {
                throw .invalidEstimate(key: spec.key, reason: "has \(spec.dependencies.count) dependencies but \(edgeStart[t + 1] - edgeStart[t]) edge estimates")
            }
            for i in edgeStart[t]..<edgeStart[t + 1] where edgeBytes[i] < 0 {
                throw .invalidEstimate(key: spec.key, reason: "estimated edge size \(edgeBytes[i]) bytes is negative")
            }
        }
    }

    private static func trueEdges(_ workload: Workload) -> (start: [Int], bytes: [Int64]) {
        var start: [Int] = [0]
        start.reserveCapacity(workload.count + 1)
        var bytes: [Int64] = []
        for (t, spec) in workload.tasks.enumerated() {
            for i in spec.dependencies.indices {
                bytes.append(workload.edgeBytes(consumer: TaskID(t), dependencyIndex: i))
            }
            start.append(bytes.count)
        }
        return (start, bytes)
    }

    private static func scaled(_ bytes: Int64, by factor: Double) -> Int64 {
        Int64((Double(bytes) * factor).rounded())
    }
}

import Workload

extension Workload {
    /// The same graph with every duration and submission time multiplied by
    /// `factor` (`--time-scale`), so an hour-long trace can run in seconds. The
    /// scheduler, workers and logs all see the scaled times.
    /// `sizeFactor` (`--size-scale`) likewise multiplies every output size and
    /// per-edge size (rounded), for traces whose data would not fit in memory.
    public func timeScaled(by factor: Double, sizes sizeFactor: Double = 1) throws(WorkloadValidationError) -> Workload {
        if factor == 1 && sizeFactor == 1 { return self }
        var builder = WorkloadBuilder(name: name, source: source)
        builder.metadata = metadata
        for (i, spec) in tasks.enumerated() {
            var scaled = spec
            scaled.duration = spec.duration * factor
            if sizeFactor != 1 {
                scaled.outputBytes = Int64((Double(spec.outputBytes) * sizeFactor).rounded())
                scaled.dependencyBytes = spec.dependencyBytes?.map { Int64((Double($0) * sizeFactor).rounded()) }
            }
            builder.add(scaled, dependencies: spec.dependencies.map { tasks[$0.index].key },
                        actor: spec.actor.map { tasks[$0.index].key }, origin: origins[i])
        }
        for (i, s) in submissions.enumerated() {
            builder.addSubmission(client: s.client, time: s.time * factor, submitter: s.submitter.map { tasks[$0.index].key },
                                  wanted: s.wanted.map { tasks[$0.index].key }, origin: "submissions[\(i)]")
        }
        return try builder.build()
    }
}

import Messages

/// `SimulationConfig.validate`: the machines' own invariant checks (`+Invariants.swift`,
/// Dask's `validate_state`) after every stimulus the simulator hands them. The checks
/// are asked of the machine through `SimulatedScheduler`/`SimulatedWorker`, so they
/// work whatever the machines' own `validate` settings are.
extension Simulator {
    /// Past this many, a broken run only repeats itself; checking stops so it can end.
    static let validationViolationLimit = 20

    func validateScheduler(after op: String) {
        validatedStimuli += 1
        guard validationViolations.count < Simulator.validationViolationLimit else { return }
        record(scheduler.invariantProblems(), machine: "scheduler", after: op)
    }

    func validateWorker(_ w: Int, after op: String) {
        validatedStimuli += 1
        guard validationViolations.count < Simulator.validationViolationLimit else { return }
        record(workers[w].invariantProblems(), machine: cluster.workers[w].name, after: op)
    }

    private func record(_ problems: [String], machine: String, after op: String) {
        for problem in problems where validationViolations.count < Simulator.validationViolationLimit {
            validationViolations.append("after \(op) at \(Time.format(now)) s: \(machine): \(problem)")
        }
    }
}

/// Why a plan could not be made. Every case names the place in the input
/// (worker name, task key) so a researcher can fix the scenario file.
public enum PlanningError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The cluster has no workers.
    case emptyCluster
    /// A worker's description is unusable (`nthreads < 1`, speed not a positive number, ...).
    case invalidWorker(name: String, reason: String)
    /// The network description is unusable (bandwidth not positive, negative latency, ...).
    case invalidNetwork(reason: String)
    /// An estimate is not a finite, non-negative number.
    case invalidEstimate(key: String, reason: String)
    /// The estimates were made for a different workload (task count differs).
    case estimatesMismatch(expectedTasks: Int, gotTasks: Int)
    /// A restricted task can run on none of the cluster's workers.
    case noAllowedWorker(key: String, restriction: String)
    /// A pure-data task was placed on a worker the cluster does not have.
    case invalidDataPlacement(key: String, worker: Int, workers: Int)
    /// The information mode cannot feed a static planner (`online`).
    case modeNotApplicable(mode: String, reason: String)
    /// Serial work plus transfers would not fit nanosecond time (about 126 years
    /// are allowed), so planned times could overflow.
    case horizonTooLong(seconds: Double)
    /// A mode parameter is out of range (e.g. a `user` error outside 0...1).
    case invalidModeParameter(mode: String, reason: String)

    /// The longest serial run of work and transfers a plan accepts (4e9 s,
    /// about 126 years), half of `Int64` nanoseconds so sums of two times stay exact.
    public static let horizonLimitSeconds = 4e9

    public var description: String {
        switch self {
        case .emptyCluster:
            "planning: the cluster has no workers"
        case .invalidWorker(let name, let reason):
            "planning: worker '\(name)': \(reason)"
        case .invalidNetwork(let reason):
            "planning: network: \(reason)"
        case .invalidEstimate(let key, let reason):
            "planning: task '\(key)': \(reason)"
        case .estimatesMismatch(let expected, let got):
            "planning: estimates cover \(got) tasks but the workload has \(expected)"
        case .noAllowedWorker(let key, let restriction):
            "planning: task '\(key)' is restricted to \(restriction), which matches no worker of the cluster"
        case .invalidDataPlacement(let key, let worker, let workers):
            "planning: pure-data task '\(key)' is placed on worker index \(worker), but the cluster has \(workers) worker(s)"
        case .modeNotApplicable(let mode, let reason):
            "planning: information mode '\(mode)' cannot be used by a static planner: \(reason)"
        case .horizonTooLong(let seconds):
            "planning: all tasks and transfers in a row would take \(seconds) s, beyond the \(PlanningError.horizonLimitSeconds) s a plan can represent; check the duration and bandwidth units"
        case .invalidModeParameter(let mode, let reason):
            "planning: information mode '\(mode)': \(reason)"
        }
    }
}

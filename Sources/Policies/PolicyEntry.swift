import Messages
import Planning
import Scheduler
import Workload

/// Everything a policy may look at before a run starts. The simulator always
/// runs the true durations and sizes; a policy sees only what `info` gives it.
public struct PolicyContext: Sendable {
    /// The workload as the trace gives it (true values).
    public var workload: Workload
    /// The workers the run starts with, in `WorkerID` order.
    public var workers: [WorkerSpec]
    /// Relative speed of each worker (1 = the trace's durations), same order as `workers`.
    public var speeds: [Double]
    /// The network as a static planner models it (one bandwidth and latency between hosts).
    public var network: PlanningCluster.Network
    /// The run seed; randomised policies and the `user` information mode derive their streams from it.
    public var seed: UInt64
    /// What the policy may know about durations and sizes (ignored by policies that use none).
    public var info: InformationMode

    public init(
        workload: Workload, workers: [WorkerSpec], speeds: [Double]? = nil,
        network: PlanningCluster.Network, seed: UInt64, info: InformationMode = .exact
    ) {
        self.workload = workload
        self.workers = workers
        self.speeds = speeds ?? [Double](repeating: 1, count: workers.count)
        self.network = network
        self.seed = seed
        self.info = info
    }
}

/// What a registered policy hands the simulator for one run.
public struct PreparedPolicy {
    /// The workload to run: the trace's, or the same graph with a new static
    /// order (a planned policy turns its plan's order into the tasks' priority).
    public var workload: Workload
    /// The scheduler's configuration after the policy's defaults and the user's `--set`.
    public var config: SchedulerConfig
    /// A fresh policy object (each run builds its own: policies keep state).
    public var makePolicy: () -> any SchedulingPolicy

    public init(workload: Workload, config: SchedulerConfig, makePolicy: @escaping () -> any SchedulingPolicy) {
        self.workload = workload
        self.config = config
        self.makePolicy = makePolicy
    }
}

/// Why a policy could not be prepared for a run.
public struct PolicyError: Error, Sendable, CustomStringConvertible {
    public var policy: String
    public var message: String

    public init(policy: String, _ message: String) {
        self.policy = policy
        self.message = message
    }

    public var description: String { "policy '\(policy)': \(message)" }
}

/// One policy the command line can name: its name, a one-line summary, and
/// how to build it for a run. A new policy is one file that declares
/// `extension PolicyEntry { static let myPolicy = PolicyEntry(...) }` plus one
/// line in `PolicyRegistry.entries` (see docs/policies.md).
public struct PolicyEntry: Sendable {
    /// The name users type (`--policy`, `--policies`).
    public let name: String
    /// One line for `--help` and docs.
    public let summary: String
    /// Whether the policy uses duration/size estimates, so `--info` matters to it.
    public let usesInformation: Bool
    /// Information modes the policy accepts (checked before the run).
    public let acceptedModes: [String]
    /// Adjusts Dask's default configuration before the user's `--set` is applied
    /// (e.g. `dask-nosteal` turns `work-stealing` off).
    public let configure: @Sendable (inout SchedulerConfig) -> Void
    /// Builds the policy for one run.
    public let prepare: @Sendable (PolicyContext, SchedulerConfig) throws(PolicyError) -> PreparedPolicy

    public init(
        name: String, summary: String, usesInformation: Bool = false,
        acceptedModes: [String] = ["exact", "user", "mean", "online"],
        configure: @escaping @Sendable (inout SchedulerConfig) -> Void = { _ in },
        prepare: @escaping @Sendable (PolicyContext, SchedulerConfig) throws(PolicyError) -> PreparedPolicy
    ) {
        self.name = name
        self.summary = summary
        self.usesInformation = usesInformation
        self.acceptedModes = acceptedModes
        self.configure = configure
        self.prepare = prepare
    }

    /// A policy that keeps the workload as it is and needs nothing prepared
    /// before the run; `make` builds a fresh policy object for each run.
    public static func dynamic(
        name: String, summary: String,
        configure: @escaping @Sendable (inout SchedulerConfig) -> Void = { _ in },
        make: @escaping @Sendable (PolicyContext, SchedulerConfig) -> any SchedulingPolicy
    ) -> PolicyEntry {
        PolicyEntry(name: name, summary: summary, configure: configure) { context, config in
            PreparedPolicy(workload: context.workload, config: config) { make(context, config) }
        }
    }
}

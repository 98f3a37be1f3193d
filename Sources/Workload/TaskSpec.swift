import OrderedCollections

/// What a task is: Dask computes `compute` tasks; `data` tasks are pure data
/// (Dask's `run_spec is None`) that enter memory by scatter and never run.
public enum TaskKind: String, Sendable, Hashable, CaseIterable {
    case compute
    case data
}

/// Worker or host restrictions, as Dask's `workers=` / `allow_other_workers=`.
public struct Restrictions: Sendable, Hashable {
    /// Worker names (or addresses) the task may run on. Empty means any.
    public var workers: [String]
    /// Host names the task may run on. Empty means any.
    public var hosts: [String]
    /// Dask's `allow_other_workers` (`loose_restrictions`): when no listed worker
    /// is available the task may run anywhere.
    public var loose: Bool

    public init(workers: [String] = [], hosts: [String] = [], loose: Bool = false) {
        self.workers = workers
        self.hosts = hosts
        self.loose = loose
    }

    public var isEmpty: Bool { workers.isEmpty && hosts.isEmpty }
}

/// One abstract resource a task needs while it runs (Dask's `resources={"GPU": 1}`).
public struct ResourceRequest: Sendable, Hashable {
    public var name: String
    public var amount: Double

    public init(name: String, amount: Double) {
        self.name = name
        self.amount = amount
    }
}

/// One task of a workload. Durations are seconds, sizes bytes.
public struct TaskSpec: Sendable, Hashable {
    /// The Dask key: a string like `inc-7f3e` or the repr of a tuple key, `('sum-abc', 3)`.
    public var key: String
    /// Dask's `key_split(key)` unless the trace overrides it. Duration
    /// estimates on the scheduler are kept per prefix.
    public var prefix: String
    /// Dask's `key_split_group(key)`: the unit of root-ish detection.
    public var group: String
    public var kind: TaskKind
    /// Compute time in seconds on a worker of speed 1.0. Zero for `data` tasks.
    public var duration: Double
    /// Size in bytes of the task's result (Dask's `nbytes`).
    public var outputBytes: Int64
    /// Tasks whose results this task reads, in the order the trace gave them.
    public var dependencies: [TaskID]
    /// Bytes this task reads from each dependency, parallel to `dependencies`,
    /// when the trace knows them per edge (WfCommons files shared between two
    /// tasks). `nil` means "the whole output of the dependency".
    public var dependencyBytes: [Int64]?
    /// Which part of each dependency's output this task reads, parallel to
    /// `dependencies`, when the trace knows it (the set of files or objects
    /// read). Edges from one producer with the same label read the same part
    /// and share one part key when partial reads are split
    /// (`Workload.splittingPartialReads`). `nil`: every partial edge reads a
    /// part of its own (byte counts alone cannot tell two parts apart).
    public var dependencyParts: [Int]?
    public var restrictions: Restrictions
    /// Sorted by name, so iteration order is fixed.
    public var resources: [ResourceRequest]
    /// Dask's user `priority=` annotation; higher runs earlier.
    public var userPriority: Int
    /// Dask's `retries=`: how many failures are retried before the task errs.
    public var retries: Int
    /// A static ordering index (Dask's `dask.order` result) when the trace carries one.
    public var order: Int?
    /// The task creates a Dask actor: a stateful object pinned to its worker.
    public var isActor: Bool
    /// For an actor method call, the task that created the actor.
    public var actor: TaskID?
    /// Whether the task secedes (`secede()`, long-running) while it waits for
    /// the sub-workload it submits (Dask's `worker_client(separate_thread=True)`).
    public var secedes: Bool
    /// Which `Workload.submissions` entry submits this task.
    public var submission: Int
    /// Free-form annotations carried through to the logs.
    public var annotations: OrderedDictionary<String, String>

    public init(
        key: String,
        prefix: String? = nil,
        group: String? = nil,
        kind: TaskKind = .compute,
        duration: Double = 0,
        outputBytes: Int64 = 0,
        dependencies: [TaskID] = [],
        dependencyBytes: [Int64]? = nil,
        dependencyParts: [Int]? = nil,
        restrictions: Restrictions = Restrictions(),
        resources: [ResourceRequest] = [],
        userPriority: Int = 0,
        retries: Int = 0,
        order: Int? = nil,
        isActor: Bool = false,
        actor: TaskID? = nil,
        secedes: Bool = false,
        submission: Int = 0,
        annotations: OrderedDictionary<String, String> = [:]
    ) {
        self.key = key
        self.prefix = prefix ?? KeyNames.keySplit(key)
        self.group = group ?? KeyNames.keySplitGroup(key)
        self.kind = kind
        self.duration = duration
        self.outputBytes = outputBytes
        self.dependencies = dependencies
        self.dependencyBytes = dependencyBytes
        self.dependencyParts = dependencyParts
        self.restrictions = restrictions
        self.resources = resources.sorted { $0.name < $1.name }
        self.userPriority = userPriority
        self.retries = retries
        self.order = order
        self.isActor = isActor
        self.actor = actor
        self.secedes = secedes
        self.submission = submission
        self.annotations = annotations
    }

    /// Bytes read from the `i`-th dependency, given the dependency's output size.
    @inlinable
    public func bytesFromDependency(at i: Int, dependencyOutput: Int64) -> Int64 {
        dependencyBytes?[i] ?? dependencyOutput
    }
}

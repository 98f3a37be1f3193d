import OrderedCollections

/// A task graph with durations and sizes, and the submissions that bring it to
/// the scheduler. Built and validated by `WorkloadBuilder`; immutable afterwards.
///
/// Tasks are addressed by dense `TaskID`s (indices into `tasks`). Derived
/// structure (dependents, a topological order) is computed once at build time.
public struct Workload: Sendable {
    /// A short name for logs and tables (usually the trace file's stem).
    public var name: String
    /// Where the workload came from (a file path or generator description).
    public var source: String
    /// Free-form facts from the trace (application, schema version, ...), in file order.
    public var metadata: OrderedDictionary<String, String>
    public let tasks: [TaskSpec]
    public let submissions: [Submission]
    /// For each task, the tasks that depend on it, in increasing id order.
    public let dependents: [[TaskID]]
    /// Every task exactly once, each after all of its dependencies. Among tasks
    /// that become ready together the smaller id comes first.
    public let topologicalOrder: [TaskID]
    /// For each task, where it was defined ("tasks[3]", "line 12"); for error messages.
    public let origins: [String]
    let keyIndex: [String: TaskID]

    init(
        name: String, source: String, metadata: OrderedDictionary<String, String>,
        tasks: [TaskSpec], submissions: [Submission], dependents: [[TaskID]],
        topologicalOrder: [TaskID], origins: [String], keyIndex: [String: TaskID]
    ) {
        self.name = name
        self.source = source
        self.metadata = metadata
        self.tasks = tasks
        self.submissions = submissions
        self.dependents = dependents
        self.topologicalOrder = topologicalOrder
        self.origins = origins
        self.keyIndex = keyIndex
    }

    @inlinable public var count: Int { tasks.count }

    @inlinable public subscript(id: TaskID) -> TaskSpec { tasks[id.index] }

    /// The id of the task with this key, if any.
    public func id(forKey key: String) -> TaskID? { keyIndex[key] }

    /// All ids in increasing order.
    @inlinable public var ids: [TaskID] { (0..<tasks.count).map(TaskID.init) }

    /// Number of dependency edges.
    public var edgeCount: Int { tasks.reduce(0) { $0 + $1.dependencies.count } }

    /// Tasks a submission brings in, in id order.
    public func tasks(inSubmission index: Int) -> [TaskID] {
        tasks.indices.filter { tasks[$0].submission == index }.map(TaskID.init)
    }

    /// Bytes task `consumer` reads from its `i`-th dependency.
    @inlinable
    public func edgeBytes(consumer: TaskID, dependencyIndex i: Int) -> Int64 {
        let spec = tasks[consumer.index]
        return spec.bytesFromDependency(at: i, dependencyOutput: tasks[spec.dependencies[i].index].outputBytes)
    }

    /// Checks restrictions against the names of the workers of a cluster.
    /// Returns one issue per task that names a worker the cluster does not have.
    public func restrictionIssues(workerNames: [String], hostNames: [String] = []) -> [WorkloadIssue] {
        let known = Set(workerNames)
        let knownHosts = Set(hostNames)
        var issues: [WorkloadIssue] = []
        for (i, spec) in tasks.enumerated() {
            let unknown = spec.restrictions.workers.filter { !known.contains($0) }
            if !unknown.isEmpty {
                issues.append(WorkloadIssue(
                    .unknownWorker, key: spec.key, place: origins[i],
                    "restricted to unknown worker(s) \(unknown.joined(separator: ", ")); cluster has \(workerNames.count) worker(s)"))
            }
            if !hostNames.isEmpty {
                let unknownHosts = spec.restrictions.hosts.filter { !knownHosts.contains($0) }
                if !unknownHosts.isEmpty {
                    issues.append(WorkloadIssue(
                        .unknownWorker, key: spec.key, place: origins[i],
                        "restricted to unknown host(s) \(unknownHosts.joined(separator: ", "))"))
                }
            }
        }
        return issues
    }
}

import OrderedCollections

/// Collects tasks named by key, resolves dependency keys to `TaskID`s and
/// validates the whole graph, reporting every problem at once.
///
///     var builder = WorkloadBuilder(name: "demo", source: "demo.json")
///     builder.add(TaskSpec(key: "a", duration: 1), dependencies: [], origin: "tasks[0]")
///     builder.add(TaskSpec(key: "b", duration: 2), dependencies: ["a"], origin: "tasks[1]")
///     let workload = try builder.build()
///
/// Without an explicit submission, one client `client-0` submits every task at
/// time 0 and wants the leaves (tasks nothing depends on).
public struct WorkloadBuilder {
    /// Largest accepted size: 1 PiB. Anything bigger is a unit mistake, not data.
    public static let maximumBytes: Int64 = 1 << 50
    /// Largest total of sizes a workload or one task may add up to: 2^60 bytes
    /// (1 EiB), so every sum the drivers form (a task's inputs, all outputs,
    /// bytes moved) stays within Int64 with room to spare.
    public static let maximumTotalBytes: Int64 = 1 << 60

    /// `a + b` for importers that add file sizes (each <= 2^50): capped just
    /// above `maximumBytes` instead of overflowing, so the task's size check
    /// reports it with the task's key and place.
    public static func cappedSum(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow || sum > maximumTotalBytes ? maximumTotalBytes + 1 : sum
    }

    /// Largest accepted duration: one year of compute.
    public static let maximumDuration: Double = 365 * 24 * 3600

    /// What `add` got besides the spec: keys, resolved when the workload is built.
    struct PendingTask {
        var dependencyKeys: [String]
        var actorKey: String?
        var origin: String
    }

    struct PendingSubmission {
        var client: String
        var time: Double
        var submitterKey: String?
        var wantedKeys: [String]?
        var origin: String
    }

    public var name: String
    public var source: String
    public var metadata: OrderedDictionary<String, String> = [:]
    /// Kept apart from `pending` so `build()` can take the array over instead of copying every spec.
    private var specs: [TaskSpec] = []
    private var pending: [PendingTask] = []
    private var pendingSubmissions: [PendingSubmission] = []
    /// Problems the importer found before building (malformed entries it skipped).
    private var earlyIssues: [WorkloadIssue] = []

    public init(name: String, source: String) {
        self.name = name
        self.source = source
    }

    public var taskCount: Int { pending.count }

    /// Adds a task. `spec.dependencies` and `spec.actor` are ignored; the keys
    /// given here are resolved when the workload is built.
    public mutating func add(_ spec: TaskSpec, dependencies: [String], actor: String? = nil, origin: String) {
        specs.append(spec)
        pending.append(PendingTask(dependencyKeys: dependencies, actorKey: actor, origin: origin))
    }

    /// Adds a submission and returns its index (the value for `TaskSpec.submission`).
    /// `wanted == nil` means "the leaves among this submission's tasks".
    @discardableResult
    public mutating func addSubmission(
        client: String, time: Double = 0, submitter: String? = nil, wanted: [String]?, origin: String
    ) -> Int {
        pendingSubmissions.append(PendingSubmission(
            client: client, time: time, submitterKey: submitter, wantedKeys: wanted, origin: origin))
        return pendingSubmissions.count - 1
    }

    /// Records a problem an importer found, so it is reported with the others.
    public mutating func report(_ issue: WorkloadIssue) {
        earlyIssues.append(issue)
    }

    /// Resolves keys and validates. Throws every problem found, in input order.
    ///
    /// `consuming`: the builder's task list becomes the workload's without a
    /// copy when the builder is not used afterwards (a million specs is ~200 MB).
    public consuming func build() throws(WorkloadValidationError) -> Workload {
        var issues = earlyIssues
        if specs.isEmpty {
            issues.append(WorkloadIssue(.emptyWorkload, key: nil, place: "", "the workload has no tasks"))
            throw WorkloadValidationError(source: source, issues: issues)
        }

        // Keys -> ids, rejecting duplicates (the first definition wins).
        var keyIndex: [String: TaskID] = [:]
        keyIndex.reserveCapacity(specs.count)
        for i in specs.indices {
            let key = specs[i].key
            if key.isEmpty {
                issues.append(WorkloadIssue(.emptyKey, key: nil, place: pending[i].origin, "task has an empty key"))
            }
            // One hash lookup per key: insert, and put the first definition back on a duplicate.
            if let first = keyIndex.updateValue(TaskID(i), forKey: key) {
                keyIndex[key] = first
                issues.append(WorkloadIssue(
                    .duplicateKey, key: key, place: pending[i].origin,
                    "duplicate key (first defined at \(pending[first.index].origin))"))
            }
        }

        // Take the specs over (no copy when this builder was the only owner) and fill in ids.
        var tasks: [TaskSpec] = []
        swap(&tasks, &specs)
        var outputTotal: Int64 = 0
        var reportedTotal = false
        for i in tasks.indices {
            let task = pending[i]
            let key = tasks[i].key
            var dependencies: [TaskID] = []
            dependencies.reserveCapacity(task.dependencyKeys.count)
            for depKey in task.dependencyKeys {
                if let dep = keyIndex[depKey] {
                    dependencies.append(dep)
                } else {
                    issues.append(WorkloadIssue(
                        .unknownDependency, key: key, place: task.origin,
                        "depends on unknown key '\(depKey)'"))
                }
            }
            if let bytes = tasks[i].dependencyBytes, bytes.count != task.dependencyKeys.count {
                issues.append(WorkloadIssue(
                    .invalidValue, key: key, place: task.origin,
                    "has \(bytes.count) per-edge sizes for \(task.dependencyKeys.count) dependencies"))
                tasks[i].dependencyBytes = nil
            } else if tasks[i].dependencyBytes != nil && dependencies.count != task.dependencyKeys.count {
                tasks[i].dependencyBytes = nil  // already reported as unknown dependencies
            }
            if let parts = tasks[i].dependencyParts, parts.count != task.dependencyKeys.count {
                issues.append(WorkloadIssue(
                    .invalidValue, key: key, place: task.origin,
                    "has \(parts.count) part labels for \(task.dependencyKeys.count) dependencies"))
                tasks[i].dependencyParts = nil
            } else if tasks[i].dependencyParts != nil && dependencies.count != task.dependencyKeys.count {
                tasks[i].dependencyParts = nil  // already reported as unknown dependencies
            }
            tasks[i].dependencies = dependencies
            // Totals of sizes from outside: a sink reading 8,193 inputs of 1 PiB
            // each, or 8,193 outputs of 1 PiB, is refused here, by key, instead
            // of trapping later in a sum (issue 18).
            if let bytes = tasks[i].dependencyBytes, Self.exceedsTotal(bytes) {
                issues.append(WorkloadIssue(
                    .invalidSize, key: key, place: task.origin,
                    "total input bytes of its \(bytes.count) dependencies exceed 2^60 (\(Self.maximumTotalBytes))"))
            }
            let (total, overflow) = outputTotal.addingReportingOverflow(max(0, min(tasks[i].outputBytes, Self.maximumBytes)))
            outputTotal = overflow ? Int64.max : total
            if outputTotal > Self.maximumTotalBytes && !reportedTotal {
                reportedTotal = true
                issues.append(WorkloadIssue(
                    .invalidSize, key: key, place: task.origin,
                    "total output bytes of the workload exceed 2^60 (\(Self.maximumTotalBytes)) at this task"))
            }
            tasks[i].actor = nil
            if let actorKey = task.actorKey {
                if let actor = keyIndex[actorKey], tasks[actor.index].isActor {
                    tasks[i].actor = actor
                } else {
                    issues.append(WorkloadIssue(
                        .unknownActor, key: key, place: task.origin,
                        "calls a method of '\(actorKey)', which is not an actor task of this workload"))
                }
            }
            // Read the spec in place: passing `tasks[i]` would copy it (a retain per field).
            tasks.withUnsafeBufferPointer { Self.appendValueIssues($0[i], origin: task.origin, to: &issues) }
            // The keys are resolved; dropping them now keeps them from adding to the peak memory.
            pending[i].dependencyKeys = []
            pending[i].actorKey = nil
        }

        let submissions = resolveSubmissions(tasks: tasks, keyIndex: keyIndex, issues: &issues)
        // Index loops below read single fields; iterating `tasks` by value would copy every spec.
        for i in tasks.indices where tasks[i].submission < 0 || tasks[i].submission >= submissions.count {
            issues.append(WorkloadIssue(
                .badSubmission, key: tasks[i].key, place: pending[i].origin,
                "belongs to submission \(tasks[i].submission), but there are \(submissions.count)"))
        }

        let dependents = Self.dependents(of: tasks)
        let order = Self.topologicalOrder(tasks: tasks, dependents: dependents)
        if order.count < tasks.count {
            let cycle = Self.findCycle(tasks: tasks, ordered: order)
            let path = cycle.map { tasks[$0.index].key } + [tasks[cycle[0].index].key]
            issues.append(WorkloadIssue(
                .cycle, key: tasks[cycle[0].index].key, place: pending[cycle[0].index].origin,
                "dependency cycle: \(path.joined(separator: " -> "))"))
        }

        if !issues.isEmpty {
            throw WorkloadValidationError(source: source, issues: issues)
        }
        return Workload(
            name: name, source: source, metadata: metadata, tasks: tasks, submissions: submissions,
            dependents: dependents, topologicalOrder: order, origins: pending.map(\.origin),
            keyIndex: keyIndex)
    }

    /// Whether sizes (each already range-checked or not) add up past `maximumTotalBytes`.
    static func exceedsTotal(_ sizes: [Int64]) -> Bool {
        var total: Int64 = 0
        for size in sizes {
            total = cappedSum(total, max(0, size))
            if total > maximumTotalBytes { return true }
        }
        return false
    }

    static func valueIssues(_ spec: TaskSpec, origin: String) -> [WorkloadIssue] {
        var issues: [WorkloadIssue] = []
        appendValueIssues(spec, origin: origin, to: &issues)
        return issues
    }

    /// Range checks of one task's values (no allocation when there is nothing to report).
    static func appendValueIssues(_ spec: TaskSpec, origin: String, to issues: inout [WorkloadIssue]) {
        func add(_ code: WorkloadIssue.Code, _ message: String) {
            issues.append(WorkloadIssue(code, key: spec.key, place: origin, message))
        }
        if !spec.duration.isFinite || spec.duration < 0 {
            add(.invalidDuration, "duration \(spec.duration) is not a finite number of seconds >= 0")
        } else if spec.duration > maximumDuration {
            add(.invalidDuration, "duration \(spec.duration) s is longer than a year; check the unit")
        }
        if spec.outputBytes < 0 || spec.outputBytes > maximumBytes {
            add(.invalidSize, "output size \(spec.outputBytes) bytes is outside 0...\(maximumBytes) (1 PiB)")
        }
        for bytes in spec.dependencyBytes ?? [] where bytes < 0 || bytes > maximumBytes {
            add(.invalidSize, "per-edge size \(bytes) bytes is outside 0...\(maximumBytes) (1 PiB)")
        }
        for label in spec.dependencyParts ?? [] where label < 0 {
            add(.invalidValue, "part label \(label) is negative")
        }
        if spec.kind == .data && !spec.dependencies.isEmpty {
            add(.dataTaskWithDependencies, "is pure data (scattered) but has \(spec.dependencies.count) dependencies")
        }
        if spec.kind == .data && spec.duration != 0 {
            add(.invalidDuration, "is pure data (scattered) but has a compute duration \(spec.duration)")
        }
        if spec.retries < 0 {
            add(.invalidValue, "retries \(spec.retries) is negative")
        }
        for resource in spec.resources where !resource.amount.isFinite || resource.amount < 0 {
            add(.invalidValue, "resource '\(resource.name)' amount \(resource.amount) is not a finite number >= 0")
        }
    }

    private func resolveSubmissions(
        tasks: [TaskSpec], keyIndex: [String: TaskID], issues: inout [WorkloadIssue]
    ) -> [Submission] {
        let raw = pendingSubmissions.isEmpty
            ? [PendingSubmission(client: "client-0", time: 0, submitterKey: nil, wantedKeys: nil, origin: "")]
            : pendingSubmissions
        // Default `wanted` lists: the leaves of each submission, found in one pass for all of them.
        var leavesBySubmission = [[TaskID]](repeating: [], count: raw.count)
        if raw.contains(where: { $0.wantedKeys == nil }) {
            var hasDependents = [Bool](repeating: false, count: tasks.count)
            for i in tasks.indices { for dep in tasks[i].dependencies { hasDependents[dep.index] = true } }
            for i in tasks.indices where !hasDependents[i] && raw.indices.contains(tasks[i].submission) {
                leavesBySubmission[tasks[i].submission].append(TaskID(i))
            }
        }
        var submissions: [Submission] = []
        for (index, entry) in raw.enumerated() {
            var submission = Submission(client: entry.client, time: entry.time)
            if !entry.time.isFinite || entry.time < 0 {
                issues.append(WorkloadIssue(
                    .badSubmission, key: nil, place: entry.origin,
                    "submission time \(entry.time) is not a finite number of seconds >= 0"))
            }
            if let submitterKey = entry.submitterKey {
                if let submitter = keyIndex[submitterKey] {
                    submission.submitter = submitter
                } else {
                    issues.append(WorkloadIssue(
                        .badSubmission, key: submitterKey, place: entry.origin,
                        "submitting task is not part of the workload"))
                }
            }
            if let wantedKeys = entry.wantedKeys {
                for key in wantedKeys {
                    if let id = keyIndex[key] {
                        submission.wanted.append(id)
                    } else {
                        issues.append(WorkloadIssue(
                            .badSubmission, key: key, place: entry.origin, "wanted key is not part of the workload"))
                    }
                }
            } else {
                submission.wanted = leavesBySubmission[index]
            }
            submissions.append(submission)
        }
        return submissions
    }

    static func dependents(of tasks: [TaskSpec]) -> [[TaskID]] {
        var dependents = [[TaskID]](repeating: [], count: tasks.count)
        for i in tasks.indices {
            for dep in tasks[i].dependencies where dependents[dep.index].last != TaskID(i) {
                dependents[dep.index].append(TaskID(i))
            }
        }
        return dependents
    }

    /// Kahn's algorithm with a FIFO of ready ids seeded in id order: stable and
    /// independent of hashing.
    static func topologicalOrder(tasks: [TaskSpec], dependents: [[TaskID]]) -> [TaskID] {
        // Distinct dependencies per task, counted from `dependents` (which lists
        // each consumer once per producer) instead of building a Set per task.
        var remaining = [Int](repeating: 0, count: tasks.count)
        for consumers in dependents {
            for consumer in consumers { remaining[consumer.index] += 1 }
        }
        var order: [TaskID] = []
        order.reserveCapacity(tasks.count)
        for i in tasks.indices where remaining[i] == 0 { order.append(TaskID(i)) }
        var head = 0
        while head < order.count {
            let id = order[head]
            head += 1
            for next in dependents[id.index] {
                remaining[next.index] -= 1
                if remaining[next.index] == 0 { order.append(next) }
            }
        }
        return order
    }

    /// One cycle among the tasks Kahn's algorithm could not order.
    static func findCycle(tasks: [TaskSpec], ordered: [TaskID]) -> [TaskID] {
        var done = [Bool](repeating: false, count: tasks.count)
        for id in ordered { done[id.index] = true }
        // Every unordered task has an unordered dependency; walking those must
        // revisit a task, and the walk from that point on is a cycle.
        guard var current = tasks.indices.first(where: { !done[$0] }) else { return [] }
        var seenAt = [Int: Int]()
        var walk: [Int] = []
        while seenAt[current] == nil {
            seenAt[current] = walk.count
            walk.append(current)
            guard let next = tasks[current].dependencies.first(where: { !done[$0.index] }) else { break }
            current = next.index
        }
        let start = seenAt[current] ?? 0
        // The walk follows dependency edges; reverse it so the path reads producer -> consumer,
        // and start it at its smallest id so the message does not depend on where the walk began.
        var cycle = walk[start...].reversed().map(TaskID.init)
        if let smallest = cycle.indices.min(by: { cycle[$0] < cycle[$1] }) {
            cycle = Array(cycle[smallest...] + cycle[..<smallest])
        }
        return cycle
    }
}

import OrderedCollections

/// How a loaded trace's partial reads (`TaskSpec.dependencyBytes` smaller or
/// larger than the producer's whole output) reach the scheduler, the workers
/// and the planners.
public enum PartialReads: String, Sendable, CaseIterable {
    /// Dask's multi-output pattern: each distinct part a producer's consumers
    /// read becomes a zero-duration selection task (`splittingPartialReads()`),
    /// so what crosses the network is what the consumers read.
    case split
    /// The graph as the trace wrote it: every consumer fetches the producer's
    /// whole `outputBytes` (only the static planners see `dependencyBytes`).
    /// schedsim's behaviour before partial reads were split.
    case whole
}

/// What `splittingPartialReads()` changed, for `schedsim info` and summaries.
public struct PartialReadSplit: Sendable, Hashable {
    /// Selection tasks added (prefix `Workload.partPrefix`).
    public var partTasks: Int = 0
    /// Producers that got at least one part.
    public var producers: Int = 0
    /// Consumer edges that now read a part instead of the producer.
    public var redirectedEdges: Int = 0
    /// Tasks and edges of the graph before the split.
    public var originalTasks: Int = 0
    public var originalEdges: Int = 0
    /// Σ bytes the consumers read over every edge (`Workload.edgeBytes`), the
    /// same before and after the split: the least a run with no co-location can move.
    public var edgeBytes: Int64 = 0
    /// Σ over every edge of the producer's whole output: what each consumer
    /// fetched before the split (`--partial-reads whole`).
    public var wholeOutputEdgeBytes: Int64 = 0

    public init() {}
}

extension Workload {
    /// The annotation naming the producer a selection task reads from.
    public static let partOfAnnotation = "part_of"

    /// Whether some edge reads other than its producer's whole output (an actor
    /// producer excepted: its result is a handle, never split).
    public var hasPartialReads: Bool {
        tasks.indices.contains { !partialReadIndices(of: $0).isEmpty }
    }

    /// Dependency indices of task `i` that read a part (not the whole output).
    private func partialReadIndices(of i: Int) -> [Int] {
        guard let bytes = tasks[i].dependencyBytes else { return [] }
        return tasks[i].dependencies.indices.filter { j in
            let producer = tasks[tasks[i].dependencies[j].index]
            return !producer.isActor && bytes[j] != producer.outputBytes
        }
    }

    /// The part key for part `j` of `producer`: a tuple key gets two more
    /// elements (`('map-ab', 3)` → `('map-ab', 3, 'part', 0)`), any other key a
    /// suffix (`mProject_ID01` → `mProject_ID01-part-0`).
    static func partKey(producer: String, index j: Int) -> String {
        if producer.hasPrefix("(") && producer.hasSuffix(")") {
            var inner = producer.dropFirst().dropLast()
            if inner.hasSuffix(",") { inner = inner.dropLast() }  // ('x',)
            return "(\(inner), 'part', \(j))"
        }
        return "\(producer)-part-\(j)"
    }

    /// Turns partial reads into Dask's multi-output pattern.
    ///
    /// In Dask a key moves whole: a consumer that reads a part of a producer's
    /// result really depends on a separate key holding that part (a `getitem`
    /// on a tuple output). So, for each producer whose consumers read other
    /// than its whole output, and for each distinct byte count they read (in
    /// the order consumers first read them: consumers by id, dependencies in
    /// listed order), a **part** task is added right after the producer.
    /// Which edges read the same part is what `dependencyParts` says (the
    /// importers label the set of files or objects an edge reads); an edge
    /// without a label reads a part of its own, because equal byte counts do
    /// not make equal data (an Estee splitter's 160 equal chunks are 160 parts):
    ///
    /// - key `partKey(producer:index:)`, annotation `part_of` = the producer;
    ///   prefix and group come from the key by Dask's `key_split` and
    ///   `key_split_group`, as Dask itself derives them when it runs the same
    ///   graph: the parts of a string producer `p` form the group `p-part`, those
    ///   of a tuple producer `('x', 0)` the producer's own group `x`. A group of
    ///   more than 2 × threads parts whose producers are few is root-ish, so Dask
    ///   queues the parts and may send them away from their producer (the real
    ///   Dask replay of blast queues 294 of them; so does the simulation);
    /// - duration 0, `output_bytes` = the part's bytes, one dependency (the
    ///   producer), the producer's submission and user priority;
    /// - the consumers reading that part depend on it instead (consumers with
    ///   the same label share the part's key; Dask fetches it once per worker).
    ///
    /// The producer keeps its compute and whole output; an edge reading the
    /// whole output still depends on the producer. Dask's placement puts each
    /// part where its only input is (no transfer), and only the part moves.
    /// Every `dependencyBytes` and `dependencyParts` of the result is `nil`: each edge now reads its
    /// dependency whole, so the scheduler, the workers, the simulator, the
    /// executor and the planners all see the bytes the consumers read.
    ///
    /// Static orders from the trace (`order`) are re-ranked densely, each part
    /// right after its producer, relative order of the trace's tasks kept.
    /// Without partial reads the workload is returned unchanged.
    ///
    /// Throws when a part key is already a task of the trace, when two edges
    /// give one labelled part different sizes, or when a byte sum overflows
    /// (each naming the task and its place).
    public func splittingPartialReads() throws(WorkloadValidationError) -> (workload: Workload, split: PartialReadSplit) {
        var split = PartialReadSplit()
        split.originalTasks = count
        split.originalEdges = edgeCount
        try sumEdgeBytes(into: &split)
        // Parts per producer, in first-use order; the dictionary is only looked up, never iterated.
        var parts = [[Int64]](repeating: [], count: count)
        var partIndex: [PartRef: Int] = [:]
        var redirect = [[Int]](repeating: [], count: count)  // per consumer: part index per dependency, -1 = whole
        for i in tasks.indices {
            let partial = partialReadIndices(of: i)
            guard !partial.isEmpty else { continue }
            redirect[i] = [Int](repeating: -1, count: tasks[i].dependencies.count)
            for j in partial {
                let producer = tasks[i].dependencies[j].index
                let bytes = tasks[i].dependencyBytes![j]
                split.redirectedEdges += 1
                // Without a label the edge's part is its own: equal byte counts do not make equal parts.
                guard let label = tasks[i].dependencyParts?[j] else {
                    redirect[i][j] = parts[producer].count
                    parts[producer].append(bytes)
                    continue
                }
                let ref = PartRef(producer: Int32(producer), label: label)
                if let known = partIndex[ref] {
                    redirect[i][j] = known
                    if parts[producer][known] != bytes {
                        throw WorkloadValidationError(source: source, issues: [WorkloadIssue(
                            .invalidValue, key: tasks[i].key, place: origins[i],
                            "reads part \(label) of '\(tasks[producer].key)' as \(bytes) bytes, but another task reads that part as \(parts[producer][known]) bytes")])
                    }
                } else {
                    partIndex[ref] = parts[producer].count
                    redirect[i][j] = parts[producer].count
                    parts[producer].append(bytes)
                }
            }
        }
        guard split.redirectedEdges > 0 else { return (self, split) }

        var builder = WorkloadBuilder(name: name, source: source)
        builder.metadata = metadata
        var used = Set(keyIndex.keys)
        var issues: [WorkloadIssue] = []
        var partKeys = [[String]](repeating: [], count: count)
        for p in tasks.indices where !parts[p].isEmpty {
            split.producers += 1
            split.partTasks += parts[p].count
            for j in parts[p].indices {
                let key = Self.partKey(producer: tasks[p].key, index: j)
                if !used.insert(key).inserted {
                    issues.append(WorkloadIssue(
                        .duplicateKey, key: tasks[p].key, place: origins[p],
                        "the key '\(key)' for part \(j) of this task's output is already a task of the trace; load it with --partial-reads whole"))
                }
                partKeys[p].append(key)
            }
        }
        if !issues.isEmpty { throw WorkloadValidationError(source: source, issues: issues) }

        let order = rerankedOrder(parts: parts)
        for i in tasks.indices {
            var spec = tasks[i]
            let deps = spec.dependencies.indices.map { j in
                let d = spec.dependencies[j].index
                return redirect[i].isEmpty || redirect[i][j] < 0 ? tasks[d].key : partKeys[d][redirect[i][j]]
            }
            spec.dependencyBytes = nil
            spec.dependencyParts = nil
            spec.order = order.task[i]
            builder.add(spec, dependencies: deps, actor: spec.actor.map { tasks[$0.index].key }, origin: origins[i])
            for j in parts[i].indices {
                let part = TaskSpec(
                    key: partKeys[i][j], kind: .compute,
                    duration: 0, outputBytes: parts[i][j], userPriority: spec.userPriority,
                    order: order.parts[i].isEmpty ? nil : order.parts[i][j], submission: spec.submission,
                    annotations: [Self.partOfAnnotation: spec.key])
                builder.add(part, dependencies: [spec.key], origin: "\(origins[i]) (part \(j))")
            }
        }
        for s in submissions {
            builder.addSubmission(
                client: s.client, time: s.time, submitter: s.submitter.map { tasks[$0.index].key },
                wanted: s.wanted.map { tasks[$0.index].key }, origin: "")
        }
        return (try builder.build(), split)
    }

    /// Adds up the bytes read over every edge and the whole outputs behind
    /// them, with overflow checks (sizes come from files; a sum is unbounded).
    private func sumEdgeBytes(into split: inout PartialReadSplit) throws(WorkloadValidationError) {
        for i in tasks.indices {
            for j in tasks[i].dependencies.indices {
                let read = edgeBytes(consumer: TaskID(i), dependencyIndex: j)
                let whole = tasks[tasks[i].dependencies[j].index].outputBytes
                let a = split.edgeBytes.addingReportingOverflow(read)
                let b = split.wholeOutputEdgeBytes.addingReportingOverflow(whole)
                if a.overflow || b.overflow {
                    throw WorkloadValidationError(source: source, issues: [WorkloadIssue(
                        .invalidSize, key: tasks[i].key, place: origins[i],
                        "the bytes read over the trace's edges add up to more than \(Int64.max) bytes at this task")])
                }
                split.edgeBytes = a.partialValue
                split.wholeOutputEdgeBytes = b.partialValue
            }
        }
    }

    /// New static orders when the trace gives some: every ordered task and its
    /// parts sorted by (the task's order, the task before its parts, part
    /// index, id) and numbered 0, 1, 2, … Tasks without an order keep none.
    private func rerankedOrder(parts: [[Int64]]) -> (task: [Int?], parts: [[Int]]) {
        var taskOrder = tasks.map(\.order)
        var partOrder = [[Int]](repeating: [], count: count)
        guard taskOrder.contains(where: { $0 != nil }) else { return (taskOrder, partOrder) }
        // (order, sub-position: 0 = the task, j + 1 = its part j, id)
        var entries: [(order: Int, sub: Int, id: Int)] = []
        for i in tasks.indices {
            guard let o = tasks[i].order else { continue }
            entries.append((o, 0, i))
            for j in parts[i].indices { entries.append((o, j + 1, i)) }
        }
        entries.sort { ($0.order, $0.id, $0.sub) < ($1.order, $1.id, $1.sub) }
        for (rank, e) in entries.enumerated() {
            if e.sub == 0 { taskOrder[e.id] = rank } else { partOrder[e.id].append(rank) }
        }
        return (taskOrder, partOrder)
    }
}

/// One labelled part: a producer and the label its consumers give the part they read.
private struct PartRef: Hashable {
    var producer: Int32
    var label: Int
}

extension Workload {
    /// The producer a part task selects from, when `t` is one
    /// (`splittingPartialReads()` made it: a `part_of` annotation naming its
    /// only dependency).
    public func producer(ofPart t: TaskID) -> TaskID? {
        let spec = tasks[t.index]
        guard spec.dependencies.count == 1,
              let of = spec.annotations[Self.partOfAnnotation], tasks[spec.dependencies[0].index].key == of
        else { return nil }
        return spec.dependencies[0]
    }

    /// The graph with its part tasks folded back into edges: each consumer of
    /// a part depends on the part's producer and reads the part's bytes
    /// (`dependencyBytes`). The static planners plan this graph — the trace's
    /// own edges — because a part always runs where its producer's output is;
    /// planned on the split graph, list planners that append to a worker's
    /// timeline put parts on other workers and pay whole outputs for them.
    ///
    /// `contracted[t]` is the id in the result of task `t`, or of its producer
    /// for a part. Returns `self` when there are no part tasks.
    public func contractingParts() throws(WorkloadValidationError) -> (workload: Workload, contracted: [Int32]) {
        let producerOf = ids.map { producer(ofPart: $0) }
        guard producerOf.contains(where: { $0 != nil }) else { return (self, (0..<Int32(count)).map { $0 }) }
        var contracted = [Int32](repeating: -1, count: count)
        var next: Int32 = 0
        for i in tasks.indices where producerOf[i] == nil {
            contracted[i] = next
            next += 1
        }
        for i in tasks.indices { if let p = producerOf[i] { contracted[i] = contracted[p.index] } }
        var builder = WorkloadBuilder(name: name, source: source)
        builder.metadata = metadata
        for i in tasks.indices where producerOf[i] == nil {
            var spec = tasks[i]
            var keys: [String] = []
            var bytes: [Int64] = []
            var partial = false
            for (j, d) in spec.dependencies.enumerated() {
                if let p = producerOf[d.index] {
                    keys.append(tasks[p.index].key)
                    bytes.append(tasks[d.index].outputBytes)
                    partial = true
                } else {
                    keys.append(tasks[d.index].key)
                    bytes.append(edgeBytes(consumer: TaskID(i), dependencyIndex: j))
                }
            }
            if partial { spec.dependencyBytes = bytes }
            builder.add(spec, dependencies: keys, actor: spec.actor.map { tasks[$0.index].key }, origin: origins[i])
        }
        for s in submissions {
            builder.addSubmission(
                client: s.client, time: s.time, submitter: s.submitter.map { tasks[$0.index].key },
                wanted: s.wanted.filter { producerOf[$0.index] == nil }.map { tasks[$0.index].key }, origin: "")
        }
        return (try builder.build(), contracted)
    }
}

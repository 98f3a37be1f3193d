/// The graph `dask.order.order` sees for one `update-graph`: the submission's
/// tasks, then every key they read from outside the submission (Dask's
/// "external keys": results of earlier submissions, which its scheduler
/// already holds), as compact adjacency arrays.
///
/// Node ids: the submission's tasks `0 ..< taskCount` in trace order, then the
/// external keys in the order they are first read (tasks in trace order, each
/// task's dependencies in listed order) — the order in which Dask's
/// `reverse_dict` meets them.
///
/// The deterministic stand-in for Python's set order (docs/scheduler.md,
/// "Static order"): a node's dependencies iterate in the order the trace lists
/// them (duplicates dropped), its dependents in increasing node id.
struct OrderGraph {
    /// Nodes of the submission (the rest are external keys).
    let taskCount: Int
    /// Every node: submission tasks, then external keys.
    let nodeCount: Int
    /// `dependencies[depStart[v] ..< depStart[v + 1]]` are `v`'s dependencies, listed order.
    let depStart: [Int32]
    let deps: [Int32]
    /// `dependents[dependentStart[v] ..< dependentStart[v + 1]]`, increasing id.
    let dependentStart: [Int32]
    let dependents: [Int32]
    /// Pure data (Dask's `DataNode`: not `istask`): data tasks and external keys.
    let isData: [Bool]
    /// The workload task of each node (external keys included).
    let task: [TaskID]

    /// The graph of one `update-graph`: `members` (in trace order) and the keys they read from elsewhere.
    init(workload: Workload, members: [TaskID]) {
        taskCount = members.count
        var nodeOf = NodeIndex(members: members, taskCount: workload.count)
        var task = members
        var depStart = [Int32](repeating: 0, count: members.count + 1)
        var deps: [Int32] = []
        deps.reserveCapacity(members.count * 2)
        var seenStamp = [Int32]()
        for (i, t) in members.enumerated() {
            let listed = workload.tasks[t.index].dependencies
            for d in listed {
                var node: Int32
                if let known = nodeOf[d] {
                    node = known
                } else {
                    node = Int32(task.count)
                    nodeOf[d] = node
                    task.append(d)
                }
                // Dask's dependencies are a set: a key listed twice counts once.
                if Int(node) >= seenStamp.count { seenStamp.append(contentsOf: repeatElement(-1, count: Int(node) + 1 - seenStamp.count)) }
                if seenStamp[Int(node)] == Int32(i) { continue }
                seenStamp[Int(node)] = Int32(i)
                deps.append(node)
            }
            depStart[i + 1] = Int32(deps.count)
        }
        let n = task.count
        depStart.append(contentsOf: repeatElement(Int32(deps.count), count: n - members.count))
        var count = [Int32](repeating: 0, count: n + 1)
        for d in deps { count[Int(d) + 1] += 1 }
        for v in 0..<n { count[v + 1] += count[v] }
        var fill = count
        var dependents = [Int32](repeating: 0, count: deps.count)
        for v in 0..<members.count {
            for e in Int(depStart[v])..<Int(depStart[v + 1]) {
                let d = Int(deps[e])
                dependents[Int(fill[d])] = Int32(v)
                fill[d] += 1
            }
        }
        var isData = [Bool](repeating: true, count: n)
        for (i, t) in members.enumerated() { isData[i] = workload.tasks[t.index].kind == .data }
        self.nodeCount = n
        self.depStart = depStart
        self.deps = deps
        self.dependentStart = count
        self.dependents = dependents
        self.isData = isData
        self.task = task
    }
}

/// Task id → node id while a graph is built: an array over the workload when
/// the submission is a large part of it, a dictionary when it is small (so a
/// trace of many small submissions does not pay the workload's size each time).
private struct NodeIndex {
    private var dense: [Int32] = []
    private var sparse: [Int32: Int32] = [:]
    private let isDense: Bool

    init(members: [TaskID], taskCount: Int) {
        isDense = members.count >= taskCount / 16
        if isDense { dense = [Int32](repeating: -1, count: taskCount) } else { sparse.reserveCapacity(members.count) }
        for (i, t) in members.enumerated() { self[t] = Int32(i) }
    }

    subscript(t: TaskID) -> Int32? {
        get {
            if isDense { let v = dense[t.index]; return v < 0 ? nil : v }
            return sparse[t.rawValue]
        }
        set {
            if isDense { dense[t.index] = newValue ?? -1 } else { sparse[t.rawValue] = newValue }
        }
    }
}

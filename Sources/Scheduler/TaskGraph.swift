import Messages

/// The workload's graph in the flat form the scheduler's hot paths use:
/// dependencies and dependents as compressed sparse rows of dense ids,
/// prefixes and groups as dense ids, and the static order of every task.
///
/// Built once at construction. Duplicate dependency edges of a trace are
/// collapsed (Dask's `dependencies` is a set). Which of these tasks and edges
/// are *live* is decided by the scheduler state (a task is live once its
/// `update-graph` arrived and until it is forgotten).
struct TaskGraph {
    /// `deps[depStart[t] ..< depStart[t + 1]]` are the distinct dependencies of `t`, in trace order.
    var depStart: [Int32]
    var deps: [TaskID]
    /// `dependents[dependentStart[d] ..< dependentStart[d + 1]]` are the tasks depending on `d`, in id order.
    var dependentStart: [Int32]
    var dependents: [TaskID]
    /// For each dependent edge, the index in `deps` of the same edge seen from the dependent.
    /// Lets per-edge flags (Dask's `waiters` / `waiting_on` membership) be reached from both ends.
    var dependentEdge: [Int32]
    var prefixOf: [Int32]
    var groupOf: [Int32]
    var prefixNames: [String]
    var groupNames: [String]
    /// Static order (the third element of Dask's priority), see `Workload.staticOrder`.
    var order: [Int32]

    init(workload: Workload) {
        let n = workload.count
        depStart = [Int32](repeating: 0, count: n + 1)
        deps = []
        deps.reserveCapacity(workload.edgeCount)
        var mark = [Int32](repeating: -1, count: n)   // last task that listed this dep, to drop duplicates
        var inDegree = [Int32](repeating: 0, count: n)
        for t in 0..<n {
            for d in workload.tasks[t].dependencies where mark[d.index] != Int32(t) {
                mark[d.index] = Int32(t)
                deps.append(d)
                inDegree[d.index] += 1
            }
            // An actor method call needs its actor in memory: an implicit dependency.
            if let a = workload.tasks[t].actor, mark[a.index] != Int32(t), a.index != t {
                mark[a.index] = Int32(t)
                deps.append(a)
                inDegree[a.index] += 1
            }
            depStart[t + 1] = Int32(deps.count)
        }
        dependentStart = [Int32](repeating: 0, count: n + 1)
        for d in 0..<n { dependentStart[d + 1] = dependentStart[d] + inDegree[d] }
        dependents = [TaskID](repeating: TaskID(0), count: deps.count)
        dependentEdge = [Int32](repeating: 0, count: deps.count)
        var fill = Array(dependentStart.dropLast())
        for t in 0..<n {
            for e in Int(depStart[t])..<Int(depStart[t + 1]) {
                let d = deps[e].index
                let slot = Int(fill[d])
                dependents[slot] = TaskID(t)
                dependentEdge[slot] = Int32(e)
                fill[d] += 1
            }
        }
        var prefixIndex: [String: Int32] = [:]
        var groupIndex: [String: Int32] = [:]
        prefixOf = []
        groupOf = []
        prefixNames = []
        groupNames = []
        prefixOf.reserveCapacity(n)
        groupOf.reserveCapacity(n)
        for spec in workload.tasks {
            if let p = prefixIndex[spec.prefix] {
                prefixOf.append(p)
            } else {
                let p = Int32(prefixNames.count)
                prefixIndex[spec.prefix] = p
                prefixNames.append(spec.prefix)
                prefixOf.append(p)
            }
            if let g = groupIndex[spec.group] {
                groupOf.append(g)
            } else {
                let g = Int32(groupNames.count)
                groupIndex[spec.group] = g
                groupNames.append(spec.group)
                groupOf.append(g)
            }
        }
        order = []
        order = workload.staticOrder().map { Int32(clamping: $0) }
    }

    @inlinable func dependencyRange(_ t: TaskID) -> Range<Int> { Int(depStart[t.index])..<Int(depStart[t.index + 1]) }
    @inlinable func dependentRange(_ t: TaskID) -> Range<Int> { Int(dependentStart[t.index])..<Int(dependentStart[t.index + 1]) }
}

/// How the third element of Dask's priority (`dask.order.order`'s integer) is
/// computed for a submission whose tasks do not carry a recorded `order`.
public enum OrderMethod: String, Sendable, CaseIterable {
    /// An exact port of `dask.order.order` (dask 2026.8.0), `DaskOrdering`.
    case dask
    /// A plain depth-first post-order from the outputs, kept as a named
    /// alternative for studies of ordering itself (schedsim's rule before the port).
    case dfs
}

extension Workload {
    /// Each task's static order: per submission (one `update-graph` each), the
    /// recorded `order` when every task of the submission carries one (Dask
    /// captures do), otherwise `method`'s. With `ignoreRecorded` every
    /// submission is ordered by `method`.
    ///
    /// Tasks of a submission are numbered `0 ..< count` (Dask numbers each
    /// graph from zero; the submission's generation orders graphs).
    public func staticOrder(method: OrderMethod = .dask, ignoreRecorded: Bool = false) -> [Int] {
        var order = [Int](repeating: 0, count: count)
        for members in submissionMembers() {
            if !ignoreRecorded && members.allSatisfy({ tasks[$0.index].order != nil }) {
                for t in members { order[t.index] = tasks[t.index].order ?? 0 }
                continue
            }
            let ranks: [Int]
            switch method {
            case .dask: ranks = daskOrder(members: members)
            case .dfs: ranks = depthFirstOrder(members: members)
            }
            for (t, r) in zip(members, ranks) { order[t.index] = r }
        }
        return order
    }

    /// `dask.order.order` of the graph of `members` (trace order); keys read
    /// from outside `members` are Dask's external keys. Result aligned with `members`.
    public func daskOrder(members: [TaskID]) -> [Int] {
        guard !members.isEmpty else { return [] }
        let graph = OrderGraph(workload: self, members: members)
        let keys = graph.task.map { tasks[$0.index].key }
        let ordering = DaskOrdering(graph: graph, keys: keys)
        ordering.run()
        return (0..<graph.taskCount).map { Int(ordering.result[$0]) }
    }

    /// The tasks of each submission, in id order (tasks with an out-of-range
    /// `submission` join the last one, as the scheduler treats them).
    func submissionMembers() -> [[TaskID]] {
        let submissionCount = max(submissions.count, 1)
        var members = [[TaskID]](repeating: [], count: submissionCount)
        for i in 0..<count {
            members[min(max(tasks[i].submission, 0), submissionCount - 1)].append(TaskID(i))
        }
        return members.filter { !$0.isEmpty }
    }

    /// Depth-first post-order from the outputs: visit the submission's outputs
    /// (tasks no other task of the submission reads) in id order; from each,
    /// walk the dependencies inside the submission in listed order, depth first;
    /// a task is numbered right after all of its dependencies.
    func depthFirstOrder(members: [TaskID]) -> [Int] {
        var local = [Int32: Int]()
        for (i, t) in members.enumerated() { local[t.rawValue] = i }
        var order = [Int](repeating: -1, count: members.count)
        var hasInternalDependent = [Bool](repeating: false, count: members.count)
        for t in members {
            for d in tasks[t.index].dependencies { if let l = local[d.rawValue] { hasInternalDependent[l] = true } }
        }
        var next = 0
        var stack: [(node: Int, edge: Int)] = []
        for output in members.indices where !hasInternalDependent[output] && order[output] == -1 {
            stack.append((output, 0))
            order[output] = -2  // on the stack
            while let top = stack.last {
                let deps = tasks[members[top.node].index].dependencies
                if top.edge < deps.count {
                    stack[stack.count - 1].edge += 1
                    if let d = local[deps[top.edge].rawValue], order[d] == -1 {
                        order[d] = -2
                        stack.append((d, 0))
                    }
                } else {
                    order[top.node] = next
                    next += 1
                    stack.removeLast()
                }
            }
        }
        for l in members.indices where order[l] < 0 {
            order[l] = next
            next += 1
        }
        return order
    }
}

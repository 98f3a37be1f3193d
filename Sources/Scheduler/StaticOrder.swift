import Messages

/// The static ordering that fills the third element of a task's priority
/// (Dask's `dask.order.order` result, `internal_priority`).
///
/// Rule, per submission:
/// 1. If the trace gives every task of the submission an `order`, use it as is.
/// 2. Otherwise number the submission's tasks by a **depth-first post-order
///    from its outputs**: visit the submission's outputs (tasks no other task of
///    the same submission depends on) in increasing id order; from each, walk the
///    dependencies (inside the submission, in the order the trace lists them)
///    depth first; a task receives the next number right after all of its
///    dependencies have theirs.
///
/// Like `dask.order`, this finishes one branch of a reduction (its inputs, then
/// the partial result) before the inputs of the next branch are started, so
/// intermediate results can be freed early. It is simpler than `dask.order`
/// (no critical-path or "fewest dependents first" weighting); a trace that
/// carries Dask's own order is used verbatim.
enum StaticOrder {
    static func compute(workload: Workload, graph: TaskGraph) -> [Int32] {
        let n = workload.count
        var order = [Int32](repeating: -1, count: n)
        let submissionCount = max(workload.submissions.count, 1)
        var members = [[Int32]](repeating: [], count: submissionCount)
        // By index, reading one field: enumerating the specs would copy (and retain) each whole `TaskSpec`.
        for i in 0..<n {
            members[min(max(workload.tasks[i].submission, 0), submissionCount - 1)].append(Int32(i))
        }
        var hasInternalDependent = [Bool](repeating: false, count: n)
        // Iterative DFS state: the task and the next dependency edge to look at.
        var stack: [(task: Int32, edge: Int32)] = []
        for (s, tasks) in members.enumerated() {
            if tasks.allSatisfy({ workload.tasks[Int($0)].order != nil }) {
                for t in tasks {
                    let o = workload.tasks[Int(t)].order ?? 0
                    order[Int(t)] = Int32(clamping: o)
                }
                continue
            }
            for t in tasks {
                for e in graph.dependencyRange(TaskID(Int(t))) {
                    let d = graph.deps[e].index
                    if workload.tasks[d].submission == s { hasInternalDependent[d] = true }
                }
            }
            var next: Int32 = 0
            for output in tasks where !hasInternalDependent[Int(output)] {
                guard order[Int(output)] < 0 else { continue }
                stack.append((output, graph.depStart[Int(output)]))
                order[Int(output)] = -2  // on the stack
                while let top = stack.last {
                    let t = Int(top.task)
                    if top.edge < graph.depStart[t + 1] {
                        stack[stack.count - 1].edge += 1
                        let d = graph.deps[Int(top.edge)].index
                        if order[d] == -1 && workload.tasks[d].submission == s {
                            order[d] = -2
                            stack.append((Int32(d), graph.depStart[d]))
                        }
                    } else {
                        order[t] = next
                        next += 1
                        stack.removeLast()
                    }
                }
            }
            // Anything not reached (only possible for malformed submissions) keeps id order after the rest.
            for t in tasks where order[Int(t)] < 0 {
                order[Int(t)] = next
                next += 1
            }
        }
        return order
    }
}

extension Workload {
    /// The same workload with every task's static `order` replaced, so a
    /// scheduler that honours the trace's order (Dask's priority, third element)
    /// follows an externally computed order, e.g. a static planner's.
    ///
    /// - Precondition: `order.count == count` (a programming error otherwise,
    ///   not a property of user data).
    public func replacingOrder(_ order: [Int]) -> Workload {
        precondition(order.count == tasks.count, "replacingOrder: \(order.count) entries for \(tasks.count) tasks")
        var reordered = tasks
        for i in reordered.indices { reordered[i].order = order[i] }
        return Workload(
            name: name, source: source, metadata: metadata, tasks: reordered, submissions: submissions,
            dependents: dependents, topologicalOrder: topologicalOrder, origins: origins, keyIndex: keyIndex)
    }
}

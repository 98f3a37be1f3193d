import Messages
import Planning
import Workload

extension PlannedPolicy {
    /// Plans a workload whose partial reads were split into part tasks
    /// (`Workload.splittingPartialReads`): the planner sees the trace's own
    /// edges (`Workload.contractingParts`, each consumer reading its part's
    /// bytes from the producer), and each part is then pinned where its
    /// producer is planned, right after it (`Plan.liftingParts`). That is
    /// where Dask puts a part, and what the planner's edge costs assumed.
    /// Planning the split graph directly would let the appending planners
    /// (b-level, t-level, ETF, DLS) put parts on other workers and pay the
    /// producer's whole output for each (on the epigenomics trace, 8x4:
    /// 336 and 369 of the 420 parts for b-level and ETF).
    ///
    /// Estimates are made for the contracted graph, so `user` and `mean`
    /// draw exactly what they draw for the trace without parts.
    public static func prepareContractingParts(
        _ planner: Planner, workload: Workload, cluster: PlanningCluster, mode: InformationMode, seed: UInt64
    ) throws -> (workload: Workload, policy: PlannedPolicy) {
        let (planned, contracted) = try workload.contractingParts()
        let estimates = try Estimates.make(planned, mode: mode, seed: seed)
        let plan = try planner.plan(planned, on: cluster, estimates: estimates).liftingParts(onto: workload, contracted: contracted)
        return (workload.replacingOrder(plan.staticOrder()), PlannedPolicy(plan: plan))
    }
}

extension Plan {
    /// This plan of a contracted graph, lifted onto the graph with parts:
    /// every task keeps its planned worker, slot and times; a part gets its
    /// producer's worker and slot, starts and ends when the producer ends,
    /// and comes right after the producer in the worker's order and in the
    /// decision list (parts of a scattered producer come first).
    func liftingParts(onto workload: Workload, contracted: [Int32]) -> Plan {
        guard contracted.count != worker.count else { return self }
        let n = workload.count
        var w = [Int32](repeating: 0, count: n), s = w
        var st = [Time](repeating: .zero, count: n), fin = st
        var original = [Int](repeating: -1, count: worker.count)
        var partsOf = [[TaskID]](repeating: [], count: worker.count)
        for t in 0..<n {
            let c = Int(contracted[t])
            w[t] = worker[c]
            s[t] = max(slot[c], 0)
            if workload.producer(ofPart: TaskID(t)) != nil {
                st[t] = finish[c]
                fin[t] = finish[c]
                partsOf[c].append(TaskID(t))
            } else {
                s[t] = slot[c]
                st[t] = start[c]
                fin[t] = finish[c]
                original[c] = t
            }
        }
        func lifted(_ ids: [TaskID]) -> [TaskID] { ids.flatMap { [TaskID(original[$0.index])] + partsOf[$0.index] } }
        var decided = [Bool](repeating: false, count: worker.count)
        for d in decisions { decided[d.index] = true }
        // Parts of scattered (never decided) producers: first, on the producer's worker.
        var early: [TaskID] = []
        var earlyOn = [[TaskID]](repeating: [], count: order.count)
        for c in 0..<worker.count where !decided[c] && !partsOf[c].isEmpty {
            early += partsOf[c]
            earlyOn[Int(worker[c])] += partsOf[c]
        }
        return Plan(
            planner: planner, mode: mode, worker: w, slot: s, start: st, finish: fin,
            order: order.indices.map { earlyOn[$0] + lifted(order[$0]) }, decisions: early + lifted(decisions),
            makespan: makespan)
    }
}

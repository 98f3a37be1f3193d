import Messages
import Workload

extension Planner {
    /// Whether the planner, by its definition, may put a task into an idle gap
    /// between two already planned tasks (insertion) or only after the last one.
    /// HEFT and MCP insert (as in their papers); HLFET/b-level, t-level, ETF and
    /// DLS append.
    public var insertsIntoGaps: Bool {
        switch self {
        case .heft, .mcp: true
        case .blevel, .tlevel, .etf, .dls: false
        }
    }

    /// Plans the whole workload on `cluster` from `estimates`.
    ///
    /// - Parameter dataPlacement: for each task id, the worker index a pure-data
    ///   task was scattered to (entries for compute tasks are ignored). `nil`
    ///   scatters round-robin: the k-th data task in id order goes to worker
    ///   `k mod workers`, Dask's default `scatter` spread.
    /// - Throws: `PlanningError` naming the task or worker when the estimates or
    ///   the cluster are unusable, or a restricted task matches no worker.
    public func plan(
        _ workload: Workload, on cluster: PlanningCluster, estimates: Estimates, dataPlacement: [Int]? = nil
    ) throws(PlanningError) -> Plan {
        let state = try PlanState(
            workload: workload, cluster: cluster, estimates: estimates, planner: self,
            insertion: insertsIntoGaps, dataPlacement: dataPlacement)
        let levels = Levels(state: state)
        switch self {
        case .heft:
            let rank = levels.upwardRank(estimates: estimates, meanTransfer: cluster.meanTransfer)
            var planner = ListPlanner(
                state: consume state, rank: ranks(count: workload.count) { rank[$0] != rank[$1] ? rank[$0] > rank[$1] : $0 < $1 },
                criterion: .finish, insertion: true)
            planner.run()
            return planner.state.makePlan()
        case .blevel:
            let level = levels.staticBLevel()
            var planner = ListPlanner(
                state: consume state, rank: ranks(count: workload.count) { level[$0] != level[$1] ? level[$0] > level[$1] : $0 < $1 },
                criterion: .start, insertion: false)
            planner.run()
            return planner.state.makePlan()
        case .tlevel:
            let level = levels.staticTLevel()
            var planner = ListPlanner(
                state: consume state, rank: ranks(count: workload.count) { level[$0] != level[$1] ? level[$0] < level[$1] : $0 < $1 },
                criterion: .start, insertion: false)
            planner.run()
            return planner.state.makePlan()
        case .mcp:
            let rank = mcpRanks(workload: workload, levels: levels, estimates: estimates, cluster: cluster)
            var planner = ListPlanner(state: consume state, rank: rank, criterion: .start, insertion: true)
            planner.run()
            return planner.state.makePlan()
        case .etf, .dls:
            var planner = PairPlanner(
                state: consume state, rule: self == .etf ? .etf : .dls,
                staticLevel: levels.staticBLevel(), meanWeight: levels.weight)
            planner.run()
            return planner.state.makePlan()
        }
    }

    /// MCP's priority (Wu and Gajski 1990): smallest ALAP start time first, where
    /// `ALAP(t) = critical path − upward rank(t)` (communication included). Ties
    /// compare the task's consumers' ALAP times sorted ascending, lexicographically
    /// (the paper compares all descendants; Estee, like us, the direct consumers),
    /// then the smaller TaskID.
    private func mcpRanks(workload: Workload, levels: Levels, estimates: Estimates, cluster: PlanningCluster) -> [Int32] {
        let rank = levels.upwardRank(estimates: estimates, meanTransfer: cluster.meanTransfer)
        let criticalPath = rank.max() ?? 0
        let alap = rank.map { criticalPath - $0 }
        let consumerALAPs: [[Int64]] = workload.dependents.map { $0.map { alap[$0.index] }.sorted() }
        return ranks(count: workload.count) { a, b in
            if alap[a] != alap[b] { return alap[a] < alap[b] }
            if consumerALAPs[a] != consumerALAPs[b] { return consumerALAPs[a].lexicographicallyPrecedes(consumerALAPs[b]) }
            return a < b
        }
    }
}

import Messages
import Workload

/// The static planners. Each plans the whole graph before the run from the
/// estimates its information mode gives it; see `docs/policies.md`.
public enum Planner: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Heterogeneous Earliest Finish Time (Topcuoglu, Hariri, Wu, IEEE TPDS 2002):
    /// ready task with the largest upward rank (mean computation + mean
    /// communication to an exit) goes to the slot with the earliest finish,
    /// inserting into idle gaps. O(V log V + E·W + V·S·(log g + k)) for S slots
    /// with g gaps each, k of them scanned.
    case heft
    /// Highest static b-level first (HLFET, Adam, Chandy, Dickson 1974; Estee's
    /// `blevel`): earliest start, appending. O(V log V + (E + V·T)·W).
    case blevel
    /// Smallest static t-level first (Estee's `tlevel`): earliest start,
    /// appending. O(V log V + (E + V·T)·W).
    case tlevel
    /// Dynamic Level Scheduling (Sih, Lee, IEEE TPDS 1993; Estee's `dls`): the
    /// (ready task, worker) pair with the largest `SL − EST + Δ`, appending.
    /// O(V·W·log V + E·W).
    case dls
    /// Earliest Task First (Hwang, Chow, Anger, Lee, SIAM J. Comput. 1989; Estee's
    /// `etf`): the pair with the smallest earliest start, ties by static b-level,
    /// appending. O(V·W·log V + E·W).
    case etf
    /// Modified Critical Path (Wu, Gajski, IEEE TPDS 1990; Estee's `mcp`):
    /// smallest ALAP start first, earliest start with insertion.
    /// O(V log V + E·W + V·S·(log g + k)).
    case mcp

    public var description: String { rawValue }
}

/// A planner's output: where and when every task runs, as planned from the
/// estimates. The real scheduler later pins each task to `worker[t]` and hands
/// tasks to a worker in `order[w]`, so transfers and contention are simulated
/// rather than taken from the plan; `start`/`finish`/`makespan` are the plan's
/// own prediction.
public struct Plan: Sendable {
    public var planner: Planner
    public var mode: InformationMode
    /// Worker index per task. For a pure-data task: where it was scattered.
    public var worker: [Int32]
    /// Thread slot inside the worker (0..<nthreads) per task; -1 for pure data.
    public var slot: [Int32]
    /// Planned start per task (0 for pure data, which is in memory from the start).
    public var start: [Time]
    /// Planned finish per task.
    public var finish: [Time]
    /// Per worker, its compute tasks in planned execution order: by planned
    /// start, then slot, then the order the planner placed them.
    public var order: [[TaskID]]
    /// Compute tasks in the order the planner placed them (its list order).
    public var decisions: [TaskID]
    /// Latest planned finish of a compute task (0 if there are none).
    public var makespan: Time

    public init(
        planner: Planner, mode: InformationMode, worker: [Int32], slot: [Int32], start: [Time], finish: [Time],
        order: [[TaskID]], decisions: [TaskID], makespan: Time
    ) {
        self.planner = planner
        self.mode = mode
        self.worker = worker
        self.slot = slot
        self.start = start
        self.finish = finish
        self.order = order
        self.decisions = decisions
        self.makespan = makespan
    }

    /// A static order for the whole workload (one rank per task, all distinct):
    /// pure data first in id order, then compute tasks by planned start, then
    /// worker, slot and the order the planner placed them. Used as Dask's
    /// static priority so each worker runs its ready tasks in planned order.
    public func staticOrder() -> [Int] {
        let n = worker.count
        var decisionIndex = [Int](repeating: -1, count: n)
        for (i, t) in decisions.enumerated() { decisionIndex[t.index] = i }
        let sorted = (0..<n).sorted { a, b in
            let (da, db) = (decisionIndex[a] < 0, decisionIndex[b] < 0)   // pure data
            if da != db { return da }
            if da { return a < b }
            if start[a] != start[b] { return start[a] < start[b] }
            if worker[a] != worker[b] { return worker[a] < worker[b] }
            if slot[a] != slot[b] { return slot[a] < slot[b] }
            return decisionIndex[a] < decisionIndex[b]
        }
        var rank = [Int](repeating: 0, count: n)
        for (position, t) in sorted.enumerated() { rank[t] = position }
        return rank
    }

    /// The worker index task `id` is planned on.
    @inlinable public func worker(of id: TaskID) -> Int { Int(worker[id.index]) }
}

import Messages
import Workload

/// The static planners. Each plans the whole graph before the run from the
/// estimates its information mode gives it; see `docs/policies.md`.
public enum Planner: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Heterogeneous Earliest Finish Time (Topcuoglu, Hariri, Wu 2002).
    case heft
    /// Highest static b-level first (HLFET; Estee's `blevel`).
    case blevel
    /// Smallest static t-level first (Estee's `tlevel`).
    case tlevel
    /// Dynamic Level Scheduling (Sih, Lee 1993).
    case dls
    /// Earliest Task First (Hwang, Chow, Anger, Lee 1989).
    case etf
    /// Modified Critical Path (Wu, Gajski 1990).
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

    /// The worker index task `id` is planned on.
    @inlinable public func worker(of id: TaskID) -> Int { Int(worker[id.index]) }
}

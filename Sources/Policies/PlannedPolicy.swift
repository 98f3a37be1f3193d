import Messages
import Planning
import Scheduler
import Workload

/// Executes a static plan (HEFT, b-level, t-level, DLS, ETF, MCP; see
/// `docs/policies.md`) with the real scheduler state machine: every task is
/// pinned to its planned worker, and each worker runs its ready tasks in
/// planned order because the plan's order becomes the tasks' static priority
/// (`Plan.staticOrder()` through `Workload.replacingOrder`, the third element of
/// Dask's priority). Transfers, contention and the true durations are then the
/// simulator's, not the plan's — the planned makespan is only a prediction.
///
/// This is how Estee runs its static schedulers: assign (worker, priority)
/// up front, let the workers execute.
///
/// Worker mapping: plan worker index `i` is `WorkerID(i)`, so build the
/// `PlanningCluster` from the same `WorkerSpec`s in the same order
/// (`PlanningCluster(specs:)`).
///
/// Deviations forced by the live cluster:
/// - planned worker paused: the task waits (`no-worker`) until it resumes;
/// - planned worker gone (removed, closing): Dask's `decide_worker_non_rootish`
///   picks a worker instead, so the run can finish.
/// The user's `priority=` annotation and submission generations still come
/// before the planned order, as they do in Dask's priority tuple. Nothing is
/// queued on the scheduler and nothing is stolen: the plan already decided.
public final class PlannedPolicy: SchedulingPolicy {
    /// The planner's name (`heft`, `blevel`, ...), for logs.
    public let name: String
    public let plan: Plan

    public init(plan: Plan) {
        self.plan = plan
        self.name = plan.planner.rawValue
    }

    /// Plans `workload` and returns the policy with the workload to run it on:
    /// the same graph whose static order is the plan's.
    public static func prepare(
        _ planner: Planner, workload: Workload, cluster: PlanningCluster, estimates: Estimates, dataPlacement: [Int]? = nil
    ) throws(PlanningError) -> (workload: Workload, policy: PlannedPolicy) {
        let plan = try planner.plan(workload, on: cluster, estimates: estimates, dataPlacement: dataPlacement)
        return (workload.replacingOrder(plan.staticOrder()), PlannedPolicy(plan: plan))
    }

    /// The planned worker left: its tasks that waited in `no-worker` for it (it was paused)
    /// now go where `decide_worker_non_rootish` says, as `decideWorker` promises for a
    /// worker that is gone.
    public func workerRemoved(_ worker: WorkerID, in scheduler: SchedulerState) {
        scheduler.rescheduleUnrunnable { task in
            task.index < plan.worker.count && plan.worker(of: task) == worker.index
        }
    }

    public func decideWorker(for task: TaskID, in scheduler: SchedulerState) -> PlacementDecision {
        guard task.index < plan.worker.count else {
            return scheduler.decideWorkerNonRootish(task).map(PlacementDecision.worker) ?? .noWorker
        }
        let planned = WorkerID(plan.worker(of: task))
        switch scheduler.status(of: planned) {
        case .running:
            return .worker(planned)
        case .paused:
            return .noWorker
        case .closingGracefully, .closing, .closed, nil:
            return scheduler.decideWorkerNonRootish(task).map(PlacementDecision.worker) ?? .noWorker
        }
    }
}

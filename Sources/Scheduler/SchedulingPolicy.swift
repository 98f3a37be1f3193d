import Messages

/// What a policy decides for a runnable task (all dependencies in memory).
public enum PlacementDecision: Sendable, Hashable {
    /// Send it to this worker now (`processing`).
    case worker(WorkerID)
    /// Hold it in the scheduler's queue (`queued`) until `decideWorkerFromQueue` finds a worker.
    case queue
    /// No valid worker exists (`no-worker`); retried when a worker joins or unpauses.
    case noWorker
}

/// The seam between the transition engine and a scheduling policy.
///
/// The engine owns the task states, the transition table and all bookkeeping;
/// it asks the policy only *where* a runnable task goes, *whether* it waits in
/// the queue, how many queued tasks may leave the queue now, and lets it
/// rebalance periodically. The engine never looks at which policy is plugged in.
///
/// Policies are classes (they may keep state, like work stealing's buckets);
/// every method gets the scheduler and must be deterministic: no clocks,
/// no unseeded randomness, no iteration over `Set`/`Dictionary` order.
public protocol SchedulingPolicy: AnyObject {
    /// A short name for logs (`dask`, `random`, `heft`, ...).
    var name: String { get }
    /// Called once, when the scheduler is constructed.
    func attach(to scheduler: SchedulerState)
    /// `waiting → processing`: where does this runnable task go?
    func decideWorker(for task: TaskID, in scheduler: SchedulerState) -> PlacementDecision
    /// `queued → processing`: a worker for this queued task now, or `nil` to keep it queued.
    func decideWorkerFromQueue(for task: TaskID, in scheduler: SchedulerState) -> WorkerID?
    /// `no-worker → processing`: a worker for this unrunnable task now, or `nil`.
    func decideWorkerForUnrunnable(for task: TaskID, in scheduler: SchedulerState) -> WorkerID?
    /// How many queued tasks may be moved to processing now (Dask: the open
    /// slots over `idle_task_count`). Asked after stimuli that may open slots.
    func queueSlotsAvailable(in scheduler: SchedulerState) -> Int
    /// Called after every transition (Dask's `SchedulerPlugin.transition`).
    func taskTransitioned(_ task: TaskID, from: SchedulerTaskStateName, to: SchedulerTaskStateName, in scheduler: SchedulerState)
    /// The periodic `.balance` stimulus (work stealing in the Dask policy).
    func rebalance(in scheduler: SchedulerState, stimulus: StimulusID)
    /// A worker answered a `steal-request` this policy sent through `SchedulerState.requestSteal`.
    func stealResponse(key: TaskID, state: WorkerTaskStateName?, from worker: WorkerID, stimulus: StimulusID, in scheduler: SchedulerState)
    /// A worker joined or left.
    func workerAdded(_ worker: WorkerID, in scheduler: SchedulerState)
    func workerRemoved(_ worker: WorkerID, in scheduler: SchedulerState)
    /// The task seceded (`long-running`): it must not be moved any more.
    func taskSeceded(_ task: TaskID, in scheduler: SchedulerState)
}

extension SchedulingPolicy {
    public func attach(to scheduler: SchedulerState) {}
    public func decideWorkerFromQueue(for task: TaskID, in scheduler: SchedulerState) -> WorkerID? {
        if case .worker(let w) = decideWorker(for: task, in: scheduler) { return w }
        return nil
    }
    public func decideWorkerForUnrunnable(for task: TaskID, in scheduler: SchedulerState) -> WorkerID? {
        if case .worker(let w) = decideWorker(for: task, in: scheduler) { return w }
        return nil
    }
    public func queueSlotsAvailable(in scheduler: SchedulerState) -> Int { scheduler.openTaskSlots() }
    public func taskTransitioned(_ task: TaskID, from: SchedulerTaskStateName, to: SchedulerTaskStateName, in scheduler: SchedulerState) {}
    public func rebalance(in scheduler: SchedulerState, stimulus: StimulusID) {}
    public func stealResponse(key: TaskID, state: WorkerTaskStateName?, from worker: WorkerID, stimulus: StimulusID, in scheduler: SchedulerState) {}
    public func workerAdded(_ worker: WorkerID, in scheduler: SchedulerState) {}
    public func workerRemoved(_ worker: WorkerID, in scheduler: SchedulerState) {}
    public func taskSeceded(_ task: TaskID, in scheduler: SchedulerState) {}
}

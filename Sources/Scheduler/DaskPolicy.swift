import Messages

/// Dask 2026.8's own scheduling behaviour behind the `SchedulingPolicy` seam:
/// `_transition_waiting_processing`'s three branches (root-ish with queuing,
/// root-ish with co-assignment, `decide_worker_non_rootish`) and, when
/// `work-stealing` is on, `stealing.py::WorkStealing`.
public final class DaskPolicy: SchedulingPolicy {
    public let name = "dask"
    /// The work-stealing extension, when `work-stealing` is enabled.
    public private(set) var stealing: WorkStealing?

    public init() {}

    public func attach(to scheduler: SchedulerState) {
        if scheduler.config.workStealing {
            stealing = WorkStealing(taskCount: scheduler.workload.count, config: scheduler.config, prefixNames: scheduler.graph.prefixNames)
        }
    }

    public func decideWorker(for task: TaskID, in s: SchedulerState) -> PlacementDecision {
        if s.isRootish(task) {
            if s.config.workerSaturation.isInfinite {
                return s.decideWorkerRootishQueuingDisabled(task).map(PlacementDecision.worker) ?? .noWorker
            }
            return s.decideWorkerRootishQueuingEnabled().map(PlacementDecision.worker) ?? .queue
        }
        return s.decideWorkerNonRootish(task).map(PlacementDecision.worker) ?? .noWorker
    }

    /// `queued → processing` always uses the queuing picker, even if the task
    /// stopped being root-ish after the cluster grew (as Dask does).
    public func decideWorkerFromQueue(for task: TaskID, in s: SchedulerState) -> WorkerID? {
        s.decideWorkerRootishQueuingEnabled()
    }

    public func decideWorkerForUnrunnable(for task: TaskID, in s: SchedulerState) -> WorkerID? {
        s.decideWorkerNonRootish(task)
    }

    public func queueSlotsAvailable(in s: SchedulerState) -> Int { s.openTaskSlots() }

    public func taskTransitioned(_ task: TaskID, from: SchedulerTaskStateName, to: SchedulerTaskStateName, in s: SchedulerState) {
        stealing?.transition(task, from: from, to: to, in: s)
    }

    public func rebalance(in s: SchedulerState, stimulus: StimulusID) {
        stealing?.balance(in: s)
    }

    public func stealResponse(key: TaskID, state: WorkerTaskStateName?, from worker: WorkerID, stimulus: StimulusID, in s: SchedulerState) {
        stealing?.moveTaskConfirm(key: key, state: state, worker: worker, stimulus: stimulus, in: s)
    }

    public func workerAdded(_ worker: WorkerID, in s: SchedulerState) {
        stealing?.addWorker(worker)
    }

    public func workerRemoved(_ worker: WorkerID, in s: SchedulerState) {
        stealing?.removeWorker(worker)
    }

    public func taskSeceded(_ task: TaskID, in s: SchedulerState) {
        stealing?.removeKeyFromStealable(task)
    }
}

import Messages
import Scheduler
import Workload

extension SchedulerState {
    /// The workers a baseline policy may choose from for `task`: the valid
    /// workers under its restrictions and resources (Dask's `valid_workers`),
    /// or every running worker when it has none (or only loose ones nobody
    /// satisfies). In id order; empty when nothing can run it now.
    func candidateWorkers(for task: TaskID) -> [WorkerID] {
        if let valid = validWorkers(task) {
            if !valid.isEmpty || !workload[task].restrictions.loose { return valid }
        }
        return runningWorkers
    }
}

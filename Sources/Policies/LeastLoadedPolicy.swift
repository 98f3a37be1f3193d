import Messages
import Scheduler
import Workload

/// `least-loaded`: each runnable task goes to the candidate worker where it
/// could start earliest — the estimated work processing there divided by its
/// threads — ignoring where the input data lives. Estimates come from `--info`
/// (`online` = Dask's learned prefix averages). Ties go to the lowest worker id.
public final class LeastLoadedPolicy: SchedulingPolicy {
    public let name = "least-loaded"
    private var load: WorkerLoad

    init(load: WorkerLoad) {
        self.load = load
    }

    public convenience init(context: PolicyContext) throws(PolicyError) {
        self.init(load: try WorkerLoad(context: context, policy: "least-loaded"))
    }

    public func decideWorker(for task: TaskID, in scheduler: SchedulerState) -> PlacementDecision {
        load.leastLoaded(scheduler.candidateWorkers(for: task), in: scheduler).map(PlacementDecision.worker) ?? .noWorker
    }

    public func taskTransitioned(_ task: TaskID, from: SchedulerTaskStateName, to: SchedulerTaskStateName, in scheduler: SchedulerState) {
        load.transitioned(task, from: from, to: to, in: scheduler)
    }
}

extension PolicyEntry {
    public static let leastLoaded = PolicyEntry(
        name: "least-loaded", summary: "earliest estimated start, ignoring data (uses --info)", usesInformation: true
    ) { context, config throws(PolicyError) in
        let load = try WorkerLoad(context: context, policy: "least-loaded")
        return PreparedPolicy(workload: context.workload, config: config) { LeastLoadedPolicy(load: load) }
    }
}

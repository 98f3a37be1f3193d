import Messages
import Scheduler
import Workload

/// `locality`: each runnable task goes to the candidate worker already holding
/// the most bytes of its inputs (so the fewest bytes move). Ties — including
/// tasks without inputs — go to the earliest estimated start as in
/// `least-loaded`, then to the lowest worker id.
public final class LocalityPolicy: SchedulingPolicy {
    public let name = "locality"
    private var load: WorkerLoad
    /// Scratch: local input bytes per worker for the task being placed.
    private var localBytes: [Int64] = []

    init(load: WorkerLoad) {
        self.load = load
    }

    public convenience init(context: PolicyContext) throws(PolicyError) {
        self.init(load: try WorkerLoad(context: context, policy: "locality"))
    }

    public func decideWorker(for task: TaskID, in scheduler: SchedulerState) -> PlacementDecision {
        let candidates = scheduler.candidateWorkers(for: task)
        guard !candidates.isEmpty else { return .noWorker }
        // Sum the input bytes each worker holds (a dependency held twice on one worker counts once).
        var touched: [WorkerID] = []
        for dep in scheduler.workload[task].dependencies {
            let bytes = scheduler.nbytes(of: dep)
            for w in scheduler.whoHas(dep) {
                if w.index >= localBytes.count { localBytes += [Int64](repeating: 0, count: w.index + 1 - localBytes.count) }
                if localBytes[w.index] == 0 { touched.append(w) }
                localBytes[w.index] += max(bytes, 0)
            }
        }
        var best = candidates[0]
        var bestKey = (bytes: Int64.min, start: Int64.max)
        for w in candidates {
            let bytes = w.index < localBytes.count ? localBytes[w.index] : 0
            let start = load.earliestStart(w, in: scheduler)
            if bytes > bestKey.bytes || (bytes == bestKey.bytes && start < bestKey.start) {
                best = w
                bestKey = (bytes, start)
            }
        }
        for w in touched { localBytes[w.index] = 0 }
        return .worker(best)
    }

    public func taskTransitioned(_ task: TaskID, from: SchedulerTaskStateName, to: SchedulerTaskStateName, in scheduler: SchedulerState) {
        load.transitioned(task, from: from, to: to, in: scheduler)
    }
}

extension PolicyEntry {
    public static let locality = PolicyEntry(
        name: "locality", summary: "most input bytes already on the worker; ties by earliest start (uses --info)",
        usesInformation: true
    ) { context, config throws(PolicyError) in
        let load = try WorkerLoad(context: context, policy: "locality")
        return PreparedPolicy(workload: context.workload, config: config) { LocalityPolicy(load: load) }
    }
}

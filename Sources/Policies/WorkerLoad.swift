import Messages
import Planning
import Scheduler
import Workload

/// The estimated work each worker has been given and not finished, as a
/// baseline policy sees it through its information mode.
///
/// A task is charged to its worker when it enters `processing` and credited
/// back when it leaves (finished, lost, released), so the load is always the
/// estimated duration of the tasks processing there. The *earliest start* of a
/// new task on worker `w` is then `load[w] / nthreads[w]`: data transfers are
/// ignored on purpose (that is `locality`'s job).
struct WorkerLoad {
    /// Estimated duration of each task in nanoseconds; `nil` in `online` mode,
    /// where the estimate is Dask's learned prefix average at charging time.
    private let durations: [Int64]?
    private var load: [Int64] = []
    private var charged: [Int64]
    private var chargedOn: [Int32]

    /// Estimates from `info` (`online` asks the scheduler instead).
    init(context: PolicyContext, policy: String) throws(PolicyError) {
        let workload = context.workload
        switch context.info {
        case .online:
            durations = nil
        default:
            do {
                let estimates = try Estimates.make(workload, mode: context.info, seed: context.seed)
                durations = estimates.durations.map { Time(seconds: $0).nanoseconds }
            } catch {
                throw PolicyError(policy: policy, "\(error)")
            }
        }
        charged = [Int64](repeating: 0, count: workload.count)
        chargedOn = [Int32](repeating: -1, count: workload.count)
    }

    /// The policy's estimate of `task`'s duration now.
    func estimate(_ task: TaskID, in scheduler: SchedulerState) -> Int64 {
        if let durations { return durations[task.index] }
        return (scheduler.durationEstimate(prefix: scheduler.workload[task].prefix) ?? scheduler.config.unknownTaskDuration).nanoseconds
    }

    /// When a new task could start on `worker` (nanoseconds from now).
    func earliestStart(_ worker: WorkerID, in scheduler: SchedulerState) -> Int64 {
        let work = worker.index < load.count ? load[worker.index] : 0
        return work / Int64(max(scheduler.nthreads(of: worker), 1))
    }

    /// The candidate with the earliest start (lowest id on ties).
    func leastLoaded(_ candidates: [WorkerID], in scheduler: SchedulerState) -> WorkerID? {
        var best: WorkerID?
        var bestStart = Int64.max
        for w in candidates {
            let start = earliestStart(w, in: scheduler)
            if start < bestStart {
                best = w
                bestStart = start
            }
        }
        return best
    }

    /// Keeps the load up to date; call from `taskTransitioned`.
    mutating func transitioned(_ task: TaskID, from: SchedulerTaskStateName, to: SchedulerTaskStateName, in scheduler: SchedulerState) {
        let i = task.index
        if from == .processing, chargedOn[i] >= 0 {
            load[Int(chargedOn[i])] -= charged[i]
            charged[i] = 0
            chargedOn[i] = -1
        }
        if to == .processing, let w = scheduler.processingOn(task) {
            if w.index >= load.count { load += [Int64](repeating: 0, count: w.index + 1 - load.count) }
            let cost = estimate(task, in: scheduler)
            load[w.index] += cost
            charged[i] = cost
            chargedOn[i] = w.rawValue
        }
    }
}

import Messages
import Scheduler
import Stochastics
import Workload

/// `random`: every runnable task goes to a uniformly drawn candidate worker.
/// The draws come from the run's own `policy/random` stream under the run
/// seed, so a run is reproducible and no two runs share a generator.
public final class RandomPolicy: SchedulingPolicy {
    public let name = "random"
    private let stream: RandomStream

    public init(seed: UInt64) {
        stream = RandomStream(seed: seed, name: "policy/random")
    }

    public func decideWorker(for task: TaskID, in scheduler: SchedulerState) -> PlacementDecision {
        let candidates = scheduler.candidateWorkers(for: task)
        guard !candidates.isEmpty else { return .noWorker }
        return .worker(candidates[stream.uniformInt(below: candidates.count)])
    }
}

extension PolicyEntry {
    public static let random = PolicyEntry.dynamic(
        name: "random", summary: "uniformly random worker (seeded by the run seed)"
    ) { context, _ in RandomPolicy(seed: context.seed) }
}

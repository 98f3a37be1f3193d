import Messages
import Scheduler
import Workload

/// `round-robin`: runnable tasks go to the candidate workers in turn, in the
/// order they become runnable (the k-th placement goes to candidate k mod n).
public final class RoundRobinPolicy: SchedulingPolicy {
    public let name = "round-robin"
    private var turn = 0

    public init() {}

    public func decideWorker(for task: TaskID, in scheduler: SchedulerState) -> PlacementDecision {
        let candidates = scheduler.candidateWorkers(for: task)
        guard !candidates.isEmpty else { return .noWorker }
        defer { turn += 1 }
        return .worker(candidates[turn % candidates.count])
    }
}

extension PolicyEntry {
    public static let roundRobin = PolicyEntry.dynamic(
        name: "round-robin", summary: "workers in turn, in the order tasks become runnable"
    ) { _, _ in RoundRobinPolicy() }
}

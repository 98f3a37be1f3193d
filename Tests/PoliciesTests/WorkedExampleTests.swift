import Messages
import Policies
import Scheduler
import Simulation
import Testing
import Workload

// The worked example of docs/policies.md ("Adding a policy"), verbatim except
// that `candidateWorkers(for:)` is internal to `Policies`, so the test spells it out.

/// `fewest-tasks`: the candidate worker with the fewest tasks processing per thread.
final class FewestTasksPolicy: SchedulingPolicy {
    let name = "fewest-tasks"

    func decideWorker(for task: TaskID, in scheduler: SchedulerState) -> PlacementDecision {
        var best: WorkerID?
        var bestLoad = Double.infinity
        for w in scheduler.validWorkers(task) ?? scheduler.runningWorkers {
            let load = Double(scheduler.processing(on: w).count) / Double(max(scheduler.nthreads(of: w), 1))
            if load < bestLoad { best = w; bestLoad = load }   // strict <: ties keep the lowest id
        }
        return best.map(PlacementDecision.worker) ?? .noWorker
    }
}

extension PolicyEntry {
    static let fewestTasks = PolicyEntry.dynamic(
        name: "fewest-tasks", summary: "fewest tasks processing per thread"
    ) { _, _ in FewestTasksPolicy() }
}

@Suite struct WorkedExampleTests {
    /// a→w0; b→w1 (w0 has 1); c→w0 (1 each, lowest id); d→w1 (w0 has 2).
    /// w0: a 0.002→4.002, c →5.002; w1: b →1.002, d →2.002; the client learns at 5.004.
    @Test func fewestTasksOnTheUnevenBag() throws {
        let workload = try PolicyFixtures.unevenBag()
        let cluster = try PolicyFixtures.cluster("2x1")
        let context = PolicyContext(workload: workload, cluster: cluster, seed: 1)
        let prepared = try PolicyEntry.fewestTasks.prepare(context, SchedulerConfig())
        var config = SimulationConfig()
        config.gather = false
        config.sampleInterval = .zero
        let result = Simulator(workload: prepared.workload, cluster: cluster, factory: .policy(prepared), config: config).run()
        #expect(result.taskRows.map(\.worker) == ["worker-0", "worker-1", "worker-0", "worker-1"])
        #expect(result.makespan.nanoseconds == PolicyFixtures.ns("5.004"))
    }
}

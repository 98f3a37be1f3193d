import Messages
import Planning
import Policies
import Simulation
import Testing
import Workload

/// Static planners on a workload whose partial reads were split: they plan the
/// trace's own edges and every part follows its producer.
@Suite struct PlannedPartsTests {
    /// P (2 s, 100 MB) feeds four 1 s consumers that each read 10 MB of it.
    static func fan() throws -> Workload {
        var b = WorkloadBuilder(name: "fan", source: "test")
        b.add(TaskSpec(key: "P", duration: 2, outputBytes: 100_000_000), dependencies: [], origin: "P")
        for i in 0..<4 {
            b.add(TaskSpec(key: "c\(i)", duration: 1, dependencyBytes: [10_000_000]), dependencies: ["P"], origin: "c\(i)")
        }
        return try b.build()
    }

    @Test(arguments: Planner.allCases)
    func partsArePinnedToTheirProducerAndThePlanIsTheTracesPlan(planner: Planner) throws {
        let original = try Self.fan()
        let (split, _) = try original.splittingPartialReads()
        let cluster = try PolicyFixtures.cluster("4x1")
        let context = PolicyContext(workload: split, cluster: cluster, seed: 1)
        let planning = try PlanningCluster(specs: context.workers, speeds: context.speeds, network: context.network)
        let (run, policy) = try PlannedPolicy.prepareContractingParts(
            planner, workload: split, cluster: planning, mode: .exact, seed: 1)
        let reference = try planner.plan(original, on: planning, estimates: Estimates.exact(original))
        let plan = policy.plan
        #expect(plan.worker.count == split.count)
        for t in split.ids {
            if let producer = split.producer(ofPart: t) {
                #expect(plan.worker[t.index] == plan.worker[producer.index])
                #expect(plan.start[t.index] == plan.finish[producer.index])
                // Right after its producer in the static order.
                #expect(run[t].order! > run[producer].order!)
            } else {
                let c = original.id(forKey: split[t].key)!
                #expect(plan.worker[t.index] == reference.worker[c.index])
                #expect(plan.start[t.index] == reference.start[c.index])
            }
        }
        #expect(plan.makespan == reference.makespan)
        // Run it: only the 10 MB parts move, never P's 100 MB.
        let result = try PolicyFixtures.run(planner.rawValue, split, cluster)
        #expect(result.outcome == .completed)
        for row in result.transferRows { #expect(row.bytes == 10_000_000) }
    }
}

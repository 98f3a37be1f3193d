@testable import Planning
import Messages
import Testing
import Workload

/// Larger seeded graphs with communication costs, hosts and mixed speeds: every
/// plan is feasible for its estimates, and planning is deterministic.
@Suite struct FeasibilityTests {
    static func layeredWorkload(seed: UInt64, layers: Int, width: Int) throws -> Workload {
        var rng = SplitMix64(seed: seed)
        var tasks: [T] = []
        for l in 0..<layers {
            for i in 0..<width {
                var deps: [String] = []
                if l > 0 {
                    for _ in 0..<rng.int(1...3) {
                        let key = "l\(l - 1)-\(rng.int(0...(width - 1)))"
                        if !deps.contains(key) { deps.append(key) }
                    }
                }
                tasks.append(T(
                    key: "l\(l)-\(i)", duration: Double(rng.int(0...20)) / 10,
                    bytes: Int64(rng.int(0...5)) * 1_000_000, deps: deps))
            }
        }
        return try makeWorkload(tasks)
    }

    static func mixedCluster() throws -> PlanningCluster {
        try PlanningCluster(
            workers: [
                .init(name: "a", host: "h0", nthreads: 2, speed: 1),
                .init(name: "b", host: "h0", nthreads: 1, speed: 2),
                .init(name: "c", host: "h1", nthreads: 4, speed: 0.5),
                .init(name: "d", host: "h2", nthreads: 1, speed: 1.5),
            ],
            network: .init(bandwidth: 100_000_000, latency: 0.001, sameHostBandwidth: 1_000_000_000, sameHostLatency: 0.0001))
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func plansAreFeasibleAndDeterministic(seed: UInt64) throws {
        let workload = try Self.layeredWorkload(seed: seed, layers: 12, width: 25)
        let cluster = try Self.mixedCluster()
        var noise = SplitMix64(seed: seed)
        let estimates = try Estimates.user(workload, error: 0.3, noise: &noise)
        for planner in Planner.allCases {
            let plan = try planner.plan(workload, on: cluster, estimates: estimates)
            #expect(plan.problems(workload, on: cluster, estimates: estimates) == [], "\(planner)")
            #expect(plan.decisions.count == workload.count, "\(planner)")
            #expect(plan.order.map(\.count).reduce(0, +) == workload.count, "\(planner)")
            #expect(plan.makespan == plan.finish.max()!, "\(planner)")
            let again = try planner.plan(workload, on: cluster, estimates: estimates)
            #expect(again.worker == plan.worker && again.start == plan.start && again.order == plan.order, "\(planner)")
            // Each worker's order is by planned start.
            for tasks in plan.order {
                #expect(zip(tasks, tasks.dropFirst()).allSatisfy { plan.start[$0.index] <= plan.start[$1.index] }, "\(planner)")
            }
        }
    }

    /// The checker itself notices a broken plan.
    @Test func checkerFindsViolations() throws {
        let workload = try makeWorkload([T(key: "a", duration: 2, bytes: 100), T(key: "b", duration: 1, deps: ["a"])])
        let cluster = try cluster(2, bandwidth: 100)
        let estimates = Estimates.exact(workload)
        var plan = try Planner.heft.plan(workload, on: cluster, estimates: estimates)
        #expect(plan.problems(workload, on: cluster, estimates: estimates) == [])
        plan.worker[1] = 1
        #expect(plan.problems(workload, on: cluster, estimates: estimates)
                == ["task 'b': starts at 2.000000000 before input 'a' arrives at 3.000000000"])
        plan.worker[1] = 0
        plan.start[1] = .seconds(1)
        #expect(plan.problems(workload, on: cluster, estimates: estimates).count == 3)
    }

    /// The gap list against a plain list of busy intervals, on random requests
    /// (positive durations; a zero-duration task splits a gap at its instant, so
    /// nothing later spans it, which `zeroDurationSplitsAGap` pins).
    @Test func slotTimelineMatchesNaiveSearch() {
        var rng = SplitMix64(seed: 42)
        var timeline = SlotTimeline()
        var busy: [(Int64, Int64)] = []
        for _ in 0..<150 {
            let ready = Int64(rng.int(0...300))
            let duration = Int64(rng.int(1...12))
            // Naive: the earliest s >= ready among {ready} ∪ busy ends where [s, s+d) hits no busy interval.
            let candidates = ([ready] + busy.map(\.1).filter { $0 >= ready }).sorted()
            let naive = candidates.first { s in
                busy.allSatisfy { b in s + duration <= b.0 || s >= b.1 }
            }!
            let found = timeline.earliestStart(ready: ready, duration: duration, limit: .max)
            #expect(found == naive)
            #expect(timeline.earliestStart(ready: ready, duration: duration, limit: naive - 1) == nil)
            timeline.occupy(start: naive, duration: duration)
            busy.append((naive, naive + duration))
        }
    }

    @Test func zeroDurationSplitsAGap() {
        var timeline = SlotTimeline()
        timeline.occupy(start: 10, duration: 5)          // busy [10, 15), gap [0, 10)
        #expect(timeline.earliestStart(ready: 0, duration: 0, limit: .max) == 0)
        timeline.occupy(start: 4, duration: 0)           // gaps [0, 4), [4, 10)
        #expect(timeline.gapStart == [0, 4] && timeline.gapEnd == [4, 10])
        #expect(timeline.earliestStart(ready: 0, duration: 6, limit: .max) == 4)
        #expect(timeline.earliestStart(ready: 0, duration: 7, limit: .max) == 15)
        #expect(timeline.earliestStart(ready: 0, duration: 4, limit: .max) == 0)
        #expect(timeline.earliestStart(ready: 0, duration: 7, limit: 14) == nil)
    }
}

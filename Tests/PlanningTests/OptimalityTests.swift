import Messages
import Planning
import Testing
import Workload

/// Textbook properties against brute-force optima on small seeded random DAGs
/// (3-8 tasks, integer durations, 2-3 identical processors, no communication cost).
@Suite struct OptimalityTests {
    struct Case: CustomStringConvertible {
        var seed: UInt64
        var tasks: Int
        var processors: Int
        var edgeProbability: Double
        var description: String { "seed \(seed), \(tasks) tasks, m=\(processors), p=\(edgeProbability)" }
    }

    static let cases: [Case] = (0..<60).map { i in
        Case(seed: UInt64(1000 + i), tasks: 3 + i % 6, processors: 2 + i % 2, edgeProbability: [0.15, 0.3, 0.5][i % 3])
    }

    /// The brute force itself, on graphs whose optimum is known by hand.
    @Test func bruteForceKnownOptima() throws {
        // Independent 3, 3, 2, 2, 2 on 2 processors: {3, 3} and {2, 2, 2} -> 6 (LPT gives 7).
        let independent = try makeWorkload([3, 3, 2, 2, 2].enumerated().map { T(key: "x\($0.offset)", duration: Double($0.element)) })
        #expect(bruteForceOptimum(independent, processors: 2) == 6_000_000_000)
        // Chain of 1 + 2 + 3 with a side task of 5 on 2 processors: critical path 6.
        let chain = try makeWorkload([
            T(key: "a", duration: 1), T(key: "b", duration: 2, deps: ["a"]), T(key: "c", duration: 3, deps: ["b"]),
            T(key: "s", duration: 5),
        ])
        #expect(bruteForceOptimum(chain, processors: 2) == 6_000_000_000)
        #expect(bruteForceOptimum(chain, processors: 1) == 11_000_000_000)
    }

    /// Every plan is feasible (so never below the optimum) and within Graham's
    /// (2 - 1/m) x optimum, for m one-thread workers and for one worker with m threads.
    @Test(arguments: cases)
    func grahamBound(_ c: Case) throws {
        let workload = try randomDAG(seed: c.seed, tasks: c.tasks, edgeProbability: c.edgeProbability)
        let optimum = bruteForceOptimum(workload, processors: c.processors)
        let estimates = Estimates.exact(workload)
        for layout in [(c.processors, 1), (1, c.processors)] {
            let cluster = try Planning.PlanningCluster.uniform(workers: layout.0, nthreads: layout.1, network: .free)
            for planner in Planner.allCases {
                let plan = try planner.plan(workload, on: cluster, estimates: estimates)
                #expect(plan.problems(workload, on: cluster, estimates: estimates) == [], "\(planner) \(c)")
                let makespan = plan.makespan.nanoseconds
                #expect(makespan >= optimum, "\(planner) \(c): \(makespan) below the optimum \(optimum)")
                // makespan <= (2 - 1/m) * optimum, in integers: m * makespan <= (2m - 1) * optimum.
                let m = Int64(c.processors)
                #expect(m * makespan <= (2 * m - 1) * optimum,
                        "\(planner) \(c) \(layout.0)x\(layout.1): makespan \(plan.makespan) vs optimum \(Time(nanoseconds: optimum))")
            }
        }
    }

    /// On a chain plus independent work the list schedulers are optimal.
    @Test func chainsAreOptimal() throws {
        let workload = try makeWorkload([
            T(key: "a", duration: 1), T(key: "b", duration: 2, deps: ["a"]), T(key: "c", duration: 3, deps: ["b"]),
            T(key: "s", duration: 5),
        ])
        let cluster = try Planning.PlanningCluster.uniform(workers: 2, nthreads: 1, network: .free)
        for planner in Planner.allCases {
            let plan = try planner.plan(workload, on: cluster, estimates: .exact(workload))
            #expect(plan.makespan == .seconds(6), "\(planner)")
        }
    }
}

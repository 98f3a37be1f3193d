import Messages
import Planning
import Testing
import Workload

/// The worked example of docs/policies.md: a diamond a -> {b, c} -> d with
/// durations 2, 3, 4, 1 s and 100-byte outputs, on two one-thread workers
/// joined by a 100 B/s link (every cross-worker edge costs 1 s).
@Suite struct DiamondTests {
    let workload: Workload
    let cluster: PlanningCluster

    init() throws {
        workload = try makeWorkload([
            T(key: "a", duration: 2, bytes: 100),
            T(key: "b", duration: 3, bytes: 100, deps: ["a"]),
            T(key: "c", duration: 4, bytes: 100, deps: ["a"]),
            T(key: "d", duration: 1, bytes: 100, deps: ["b", "c"]),
        ])
        cluster = try Planning.PlanningCluster.uniform(workers: 2, nthreads: 1, network: .init(bandwidth: 100))
    }

    func plan(_ planner: Planner) throws -> Plan {
        let estimates = Estimates.exact(workload)
        let plan = try planner.plan(workload, on: cluster, estimates: estimates)
        #expect(plan.problems(workload, on: cluster, estimates: estimates) == [])
        return plan
    }

    // Upward ranks (mean comm 1 s): d 1, b 5, c 6, a 9 -> a, c, b, d.
    // a: EFT 2 on both, smaller index -> w0. c: w0 2..6 vs w1 3..7 -> w0.
    // b: w0 6..9 vs w1 3..6 -> w1. d: inputs ready at 7 on both -> w0 7..8.
    @Test func heft() throws {
        let plan = try plan(.heft)
        #expect(plan.decisions.map { workload[$0].key } == ["a", "c", "b", "d"])
        #expect(["a", "b", "c", "d"].map { plan.placement(workload, $0) } == ["w0 [0, 2]", "w1 [3, 6]", "w0 [2, 6]", "w0 [7, 8]"])
        #expect(plan.orderKeys(workload) == [["a", "c", "d"], ["b"]])
        #expect(plan.makespan == .seconds(8))
    }

    // Static b-levels a 7, c 5, b 4, d 1: the same choices as HEFT.
    @Test func blevel() throws {
        let plan = try plan(.blevel)
        #expect(plan.decisions.map { workload[$0].key } == ["a", "c", "b", "d"])
        #expect(["a", "b", "c", "d"].map { plan.placement(workload, $0) } == ["w0 [0, 2]", "w1 [3, 6]", "w0 [2, 6]", "w0 [7, 8]"])
        #expect(plan.makespan == .seconds(8))
    }

    // t-levels a 0, b 2, c 2, d 6; b and c tie -> smaller id b first.
    // b: w0 at 2. c: w0 at 5 vs w1 at 3 -> w1 3..7. d: w0 max(5, 7+1)=8, w1 max(5+1, 7)=7 -> w1 7..8.
    @Test func tlevel() throws {
        let plan = try plan(.tlevel)
        #expect(plan.decisions.map { workload[$0].key } == ["a", "b", "c", "d"])
        #expect(["a", "b", "c", "d"].map { plan.placement(workload, $0) } == ["w0 [0, 2]", "w0 [2, 5]", "w1 [3, 7]", "w1 [7, 8]"])
        #expect(plan.orderKeys(workload) == [["a", "b"], ["c", "d"]])
        #expect(plan.makespan == .seconds(8))
    }

    // ALAP = 9 - rank: a 0, c 3, b 4, d 8.
    @Test func mcp() throws {
        let plan = try plan(.mcp)
        #expect(plan.decisions.map { workload[$0].key } == ["a", "c", "b", "d"])
        #expect(["a", "b", "c", "d"].map { plan.placement(workload, $0) } == ["w0 [0, 2]", "w1 [3, 6]", "w0 [2, 6]", "w0 [7, 8]"])
    }

    // Step 2: pairs (c, w0) EST 2, (b, w0) EST 2, (b|c, w1) EST 3 -> EST 2 tie broken by SL: c.
    @Test func etf() throws {
        let plan = try plan(.etf)
        #expect(plan.decisions.map { workload[$0].key } == ["a", "c", "b", "d"])
        #expect(["a", "b", "c", "d"].map { plan.placement(workload, $0) } == ["w0 [0, 2]", "w1 [3, 6]", "w0 [2, 6]", "w0 [7, 8]"])
    }

    // Step 2: DL(c, w0) = 5 - 2 = 3 beats DL(b, w0) = 2, DL(c, w1) = 2, DL(b, w1) = 1.
    @Test func dls() throws {
        let plan = try plan(.dls)
        #expect(plan.decisions.map { workload[$0].key } == ["a", "c", "b", "d"])
        #expect(["a", "b", "c", "d"].map { plan.placement(workload, $0) } == ["w0 [0, 2]", "w1 [3, 6]", "w0 [2, 6]", "w0 [7, 8]"])
        #expect(plan.makespan == .seconds(8))
    }

    // Without communication cost, both children run in parallel: 2 + 4 + 1 = 7.
    @Test func freeNetworkReachesTheCriticalPath() throws {
        let free = try Planning.PlanningCluster.uniform(workers: 2, nthreads: 1, network: .free)
        for planner in Planner.allCases {
            let plan = try planner.plan(workload, on: free, estimates: .exact(workload))
            #expect(plan.makespan == .seconds(7), "\(planner)")
            #expect(plan.worker(of: workload.id(forKey: "b")!) != plan.worker(of: workload.id(forKey: "c")!), "\(planner)")
        }
    }
}

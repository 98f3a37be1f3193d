import Messages
import Planning
import Testing
import Workload

/// Hand-checked scenarios that separate the planners' rules: insertion,
/// heterogeneous speeds, thread slots, pure data, restrictions, MCP's tie rule.
@Suite struct PlacementTests {
    /// A (4 s) feeds B and C (4 s each), D (1 s) is independent; 100-byte outputs
    /// over a 100 B/s link. B goes after A on w0, C waits for A's data on w1
    /// (5..9), leaving w1 idle over [0, 5). HEFT inserts D there; b-level appends
    /// D to the worker that is free first (w0 at 8).
    @Test func insertionFillsIdleGaps() throws {
        let workload = try makeWorkload([
            T(key: "A", duration: 4, bytes: 100),
            T(key: "B", duration: 4, bytes: 100, deps: ["A"]),
            T(key: "C", duration: 4, bytes: 100, deps: ["A"]),
            T(key: "D", duration: 1, bytes: 100),
        ])
        let cluster = try cluster(2, bandwidth: 100)
        let estimates = Estimates.exact(workload)
        let heft = try Planner.heft.plan(workload, on: cluster, estimates: estimates)
        #expect(heft.decisions.map { workload[$0].key } == ["A", "B", "C", "D"])
        #expect(["A", "B", "C", "D"].map { heft.placement(workload, $0) } == ["w0 [0, 4]", "w0 [4, 8]", "w1 [5, 9]", "w1 [0, 1]"])
        #expect(heft.orderKeys(workload) == [["A", "B"], ["D", "C"]])
        #expect(heft.makespan == .seconds(9))

        let blevel = try Planner.blevel.plan(workload, on: cluster, estimates: estimates)
        #expect(["A", "B", "C", "D"].map { blevel.placement(workload, $0) } == ["w0 [0, 4]", "w0 [4, 8]", "w1 [5, 9]", "w0 [8, 9]"])
        #expect(blevel.orderKeys(workload) == [["A", "B", "D"], ["C"]])
        for plan in [heft, blevel] { #expect(plan.problems(workload, on: cluster, estimates: estimates) == []) }
    }

    /// One 4-second task, workers of speed 1 and 2, free network.
    /// HEFT minimises the finish (w1: 0..2). ETF minimises the start, which ties
    /// at 0, so the smaller worker index wins (w0: 0..4). DLS adds
    /// Δ = w̄ − duration: w̄ = 4 × mean(1/1, 1/2) = 3, so DL(w0) = 3 − 0 − 1 = 2 and
    /// DL(w1) = 3 − 0 + 1 = 4 → w1.
    @Test func heterogeneousSpeeds() throws {
        let workload = try makeWorkload([T(key: "x", duration: 4)])
        let cluster = try cluster(2, speeds: [1, 2])
        let estimates = Estimates.exact(workload)
        #expect(try Planner.heft.plan(workload, on: cluster, estimates: estimates).placement(workload, "x") == "w1 [0, 2]")
        #expect(try Planner.etf.plan(workload, on: cluster, estimates: estimates).placement(workload, "x") == "w0 [0, 4]")
        #expect(try Planner.dls.plan(workload, on: cluster, estimates: estimates).placement(workload, "x") == "w1 [0, 2]")
    }

    /// One worker with two threads, independent tasks of 3, 2, 2 s (b-level order).
    /// Slots: t0 -> slot 0 at 0, t1 -> slot 1 at 0, t2 -> slot 1 at 2 (free first).
    @Test func threadSlots() throws {
        let workload = try makeWorkload([T(key: "t0", duration: 3), T(key: "t1", duration: 2), T(key: "t2", duration: 2)])
        let cluster = try cluster(1, nthreads: 2)
        for planner in Planner.allCases {
            let plan = try planner.plan(workload, on: cluster, estimates: .exact(workload))
            #expect(plan.slot == [0, 1, 1], "\(planner)")
            #expect(plan.start.map(\.seconds) == [0, 0, 2], "\(planner)")
            #expect(plan.orderKeys(workload) == [["t0", "t1", "t2"]], "\(planner)")
            #expect(plan.makespan == .seconds(4), "\(planner)")
        }
    }

    /// Non-insertion slot choice: of the slots that give the same start, the one
    /// free last is used, keeping the earlier-free slot for later work.
    /// Slot 0 runs b (3 s), slot 1 runs a (1 s); c needs b's output (start 3):
    /// both slots give start 3, slot 0 (free at 3) is chosen, not slot 1 (free at 1).
    @Test func bestFitSlot() throws {
        let workload = try makeWorkload([
            T(key: "b", duration: 3), T(key: "a", duration: 1), T(key: "c", duration: 1, deps: ["b"]),
        ])
        let cluster = try cluster(1, nthreads: 2)
        let plan = try Planner.blevel.plan(workload, on: cluster, estimates: .exact(workload))
        #expect(plan.decisions.map { workload[$0].key } == ["b", "a", "c"])
        #expect(plan.slot == [0, 1, 0])
        #expect(plan.start.map(\.seconds) == [0, 0, 3])
    }

    /// Pure data is not planned: it sits at time 0 on its scatter worker, and its
    /// consumer prefers that worker (the other one pays 1 s of transfer).
    @Test func pureDataIsScatteredNotPlanned() throws {
        let workload = try makeWorkload([
            T(key: "d0", duration: 0, bytes: 100, kind: .data),
            T(key: "d1", duration: 0, bytes: 100, kind: .data),
            T(key: "use1", duration: 1, deps: ["d1"]),
        ])
        let cluster = try cluster(2, bandwidth: 100)
        for planner in Planner.allCases {
            // Round-robin by default: d0 -> w0, d1 -> w1.
            let plan = try planner.plan(workload, on: cluster, estimates: .exact(workload))
            #expect(plan.worker == [0, 1, 1], "\(planner)")
            #expect(plan.slot == [-1, -1, 0], "\(planner)")
            #expect(plan.decisions.map { workload[$0].key } == ["use1"], "\(planner)")
            #expect(plan.placement(workload, "use1") == "w1 [0, 1]", "\(planner)")
            // Placed by the caller: d1 on w0.
            let fixed = try planner.plan(workload, on: cluster, estimates: .exact(workload), dataPlacement: [1, 0, 0])
            #expect(fixed.worker == [1, 0, 0], "\(planner)")
        }
        #expect(throws: PlanningError.invalidDataPlacement(key: "d1", worker: 5, workers: 2)) {
            try Planner.heft.plan(workload, on: cluster, estimates: .exact(workload), dataPlacement: [0, 5, 0])
        }
    }

    /// `workers=` restrictions are honoured; loose ones fall back to any worker.
    @Test func restrictions() throws {
        let workload = try makeWorkload([
            T(key: "a", duration: 1, restrictions: Restrictions(workers: ["worker-1"])),
            T(key: "b", duration: 1, restrictions: Restrictions(hosts: ["host-2"])),
            T(key: "c", duration: 1, restrictions: Restrictions(workers: ["gone"], loose: true)),
        ])
        let cluster = try cluster(3)
        for planner in Planner.allCases {
            let plan = try planner.plan(workload, on: cluster, estimates: .exact(workload))
            #expect(plan.worker == [1, 2, 0], "\(planner)")
        }
        let strict = try makeWorkload([T(key: "z", duration: 1, restrictions: Restrictions(workers: ["gone"]))])
        #expect(throws: PlanningError.noAllowedWorker(key: "z", restriction: "worker 'gone'")) {
            try Planner.etf.plan(strict, on: cluster, estimates: .exact(strict))
        }
    }

    /// MCP's tie rule: y and x both have ALAP 0 (ranks 3 and 3), but x's child
    /// has the earlier ALAP (1 against 2), so x goes first although y has the
    /// smaller id. One worker: x 0..1, y 1..3, xa 3..5, ya 5..6.
    @Test func mcpBreaksALAPTiesByConsumers() throws {
        let workload = try makeWorkload([
            T(key: "y", duration: 2), T(key: "ya", duration: 1, deps: ["y"]),
            T(key: "x", duration: 1), T(key: "xa", duration: 2, deps: ["x"]),
        ])
        let cluster = try cluster(1)
        let plan = try Planner.mcp.plan(workload, on: cluster, estimates: .exact(workload))
        #expect(plan.decisions.map { workload[$0].key } == ["x", "y", "xa", "ya"])
        #expect(["x", "y", "xa", "ya"].map { plan.placement(workload, $0) } == ["w0 [0, 1]", "w0 [1, 3]", "w0 [3, 5]", "w0 [5, 6]"])
    }

    /// Same host: the same-host link; different hosts: the inter-host link;
    /// same worker: free.
    @Test func transferTimes() throws {
        let cluster = try PlanningCluster(
            workers: [
                .init(name: "a", host: "h0", nthreads: 1), .init(name: "b", host: "h0", nthreads: 1),
                .init(name: "c", host: "h1", nthreads: 1),
            ],
            network: .init(bandwidth: 1000, latency: 0.01, sameHostBandwidth: 4000, sameHostLatency: 0.001))
        #expect(cluster.transferTime(bytes: 1000, from: 0, to: 0) == 0)
        #expect(cluster.transferTime(bytes: 1000, from: 0, to: 1) == 251_000_000)
        #expect(cluster.transferTime(bytes: 1000, from: 1, to: 2) == 1_010_000_000)
        #expect(cluster.executionTime(seconds: 1.5, on: 2) == 1_500_000_000)
    }
}

/// A later `update-graph` from an external client is a release time.
@Suite struct ReleaseTimeTests {
    @Test func laterSubmissionsStartNoEarlier() throws {
        var builder = WorkloadBuilder(name: "two-clients", source: "test")
        let first = builder.addSubmission(client: "client-0", time: 0, wanted: nil, origin: "submissions[0]")
        let second = builder.addSubmission(client: "client-1", time: 5, wanted: nil, origin: "submissions[1]")
        builder.add(TaskSpec(key: "early", duration: 2, submission: first), dependencies: [], origin: "early")
        builder.add(TaskSpec(key: "late", duration: 1, submission: second), dependencies: [], origin: "late")
        builder.add(TaskSpec(key: "after", duration: 1, submission: second), dependencies: ["early"], origin: "after")
        let workload = try builder.build()
        let cluster = try cluster(1)
        for planner in Planner.allCases {
            let plan = try planner.plan(workload, on: cluster, estimates: .exact(workload))
            #expect(plan.problems(workload, on: cluster, estimates: .exact(workload)) == [], "\(planner)")
            #expect(plan.placement(workload, "early") == "w0 [0, 2]", "\(planner)")
            #expect(plan.start[1] >= .seconds(5) && plan.start[2] >= .seconds(5), "\(planner)")
            #expect(plan.makespan == .seconds(7), "\(planner)")
        }
        // The checker flags a start before the submission.
        var plan = try Planner.heft.plan(workload, on: cluster, estimates: .exact(workload))
        plan.start[1] = .seconds(2)
        plan.finish[1] = .seconds(3)
        #expect(plan.problems(workload, on: cluster, estimates: .exact(workload))
                == ["task 'late': starts at 2.000000000 before its submission at 5.000000000"])
    }
}

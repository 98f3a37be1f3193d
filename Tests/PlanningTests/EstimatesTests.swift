import Messages
import Stochastics
import Planning
import Testing
import Workload

/// Information modes and input errors.
@Suite struct EstimatesTests {
    let workload: Workload

    init() throws {
        workload = try makeWorkload([
            T(key: "x-1", duration: 1, bytes: 100),
            T(key: "x-2", duration: 3, bytes: 300),
            T(key: "y-1", duration: 5, bytes: 50, deps: ["x-1", "x-2"]),
        ])
    }

    @Test func exactIsTheTruth() {
        let e = Estimates.exact(workload)
        #expect(e.durations == [1, 3, 5])
        #expect(e.outputBytes == [100, 300, 50])
        #expect(e.edgeStart == [0, 0, 0, 2])
        #expect(e.edgeBytes == [100, 300])
    }

    /// Prefix x: mean duration 2, mean size 200; every edge out of an x task: 200 bytes.
    @Test func meanIsPerPrefix() {
        let e = Estimates.mean(workload)
        #expect(e.durations == [2, 2, 5])
        #expect(e.outputBytes == [200, 200, 50])
        #expect(e.edgeBytes == [200, 200])
    }

    /// u = 0.75 then 0.25, alternating: duration factors 1 + 0.2 × 0.5 = 1.1, size
    /// factors 1 − 0.1 = 0.9; edges scale with their producer's size factor.
    @Test func userIsNoisy() throws {
        var noise = Replay(values: [0.75, 0.25])
        let e = try Estimates.user(workload, error: 0.2, noise: &noise)
        #expect(e.durations.map { ($0 * 1000).rounded() / 1000 } == [1.1, 3.3, 5.5])
        #expect(e.outputBytes == [90, 270, 45])
        #expect(e.edgeBytes == [90, 270])
        #expect(noise.index == 6)
        #expect(e.mode == .user(error: 0.2))
    }

    /// The same seed gives the same estimates; a different seed different ones.
    @Test func userIsSeeded() throws {
        var a = SplitMix64(seed: 7), b = SplitMix64(seed: 7), c = SplitMix64(seed: 8)
        let ea = try Estimates.user(workload, error: 0.5, noise: &a)
        let eb = try Estimates.user(workload, error: 0.5, noise: &b)
        let ec = try Estimates.user(workload, error: 0.5, noise: &c)
        #expect(ea.durations == eb.durations && ea.edgeBytes == eb.edgeBytes)
        #expect(ea.durations != ec.durations)
        for (estimate, truth) in zip(ea.durations, [1.0, 3, 5]) { #expect(abs(estimate - truth) <= 0.5 * truth) }
    }

    @Test func modeErrors() {
        var noise = Replay(values: [0.5])
        #expect(throws: PlanningError.self) { try Estimates.make(workload, mode: .online, noise: &noise) }
        #expect(throws: PlanningError.invalidModeParameter(mode: "user", reason: "error 1.5 must be in 0...1")) {
            try Estimates.make(workload, mode: .user(error: 1.5), noise: &noise)
        }
        let online = PlanningError.modeNotApplicable(mode: "online", reason: "x")
        #expect(online.description.contains("static planner"))
    }

    /// The planner itself sees only the estimates: with mean estimates the plan
    /// differs from the exact one where prefix means hide the true durations.
    /// x-1 (1 s) and x-2 (3 s) on two workers, y-1 needs both: under `mean` both
    /// x tasks look like 2 s, so the plan predicts y-1 at 2..7 instead of 3..8.
    @Test func plannerSeesOnlyTheEstimates() throws {
        let cluster = try cluster(2)
        let exact = try Planner.heft.plan(workload, on: cluster, estimates: .exact(workload))
        let mean = try Planner.heft.plan(workload, on: cluster, estimates: .mean(workload))
        #expect(exact.placement(workload, "y-1") == "w0 [3, 8]")
        #expect(mean.placement(workload, "y-1") == "w0 [2, 7]")
        #expect(mean.mode == .mean)
    }

    @Test func badInputIsNamed() throws {
        #expect(throws: PlanningError.emptyCluster) { try PlanningCluster(workers: [], network: .free) }
        #expect(throws: PlanningError.invalidWorker(name: "w", reason: "nthreads 0 must be at least 1")) {
            try PlanningCluster(workers: [.init(name: "w", host: "h", nthreads: 0)], network: .free)
        }
        #expect(throws: PlanningError.invalidWorker(name: "w", reason: "speed nan must be a finite number > 0")) {
            try PlanningCluster(workers: [.init(name: "w", host: "h", nthreads: 1, speed: .nan)], network: .free)
        }
        #expect(throws: PlanningError.invalidNetwork(reason: "bandwidth 0.0 bytes/s must be > 0")) {
            try PlanningCluster(workers: [.init(name: "w", host: "h", nthreads: 1)], network: .init(bandwidth: 0))
        }
        #expect(throws: PlanningError.invalidNetwork(reason: "latency -1.0 s must be a finite number >= 0")) {
            try PlanningCluster(workers: [.init(name: "w", host: "h", nthreads: 1)], network: .init(bandwidth: 1, latency: -1))
        }
        var bad = Estimates.exact(workload)
        bad.durations[1] = -2
        let cluster = try cluster(1)
        #expect(throws: PlanningError.invalidEstimate(key: "x-2", reason: "estimated duration -2.0 is not a finite number of seconds >= 0")) {
            try Planner.heft.plan(workload, on: cluster, estimates: bad)
        }
        var short = Estimates.exact(workload)
        short.durations.removeLast()
        #expect(throws: PlanningError.estimatesMismatch(expectedTasks: 3, gotTasks: 2)) {
            try Planner.dls.plan(workload, on: cluster, estimates: short)
        }
        #expect(PlanningError.invalidEstimate(key: "x-2", reason: "r").description == "planning: task 'x-2': r")
        // A year-long task on a very slow worker: an error, not an overflow trap.
        let long = try makeWorkload((0..<3).map { T(key: "long-\($0)", duration: 365 * 24 * 3600, deps: $0 == 0 ? [] : ["long-\($0 - 1)"]) })
        let slow = try PlanningCluster(workers: [.init(name: "slow", host: "h", nthreads: 1, speed: 1e-3)], network: .free)
        #expect(throws: PlanningError.horizonTooLong(seconds: 3 * 365 * 24 * 3600 / 1e-3)) {
            try Planner.heft.plan(long, on: slow, estimates: .exact(long))
        }
        // Bytes at 1 B/s add up too.
        let heavy = try makeWorkload([T(key: "p", duration: 1, bytes: 1 << 50), T(key: "q", duration: 1, deps: ["p"])])
        let trickle = try PlanningCluster.uniform(workers: 2, nthreads: 1, network: .init(bandwidth: 1))
        #expect(throws: PlanningError.self) { try Planner.etf.plan(heavy, on: trickle, estimates: .exact(heavy)) }
    }
}

/// The `user` mode on the project's GSL streams: reproducible per run seed.
@Suite struct SeededEstimatesTests {
    @Test func runSeedGivesReproducibleEstimates() throws {
        let workload = try makeWorkload((0..<20).map { T(key: "t-\($0)", duration: 1, bytes: 1000) })
        let a = try Estimates.make(workload, mode: .user(error: 0.5), seed: 42)
        let b = try Estimates.make(workload, mode: .user(error: 0.5), seed: 42)
        let c = try Estimates.make(workload, mode: .user(error: 0.5), seed: 43)
        #expect(a.durations == b.durations && a.outputBytes == b.outputBytes)
        #expect(a.durations != c.durations)
        // The same numbers as drawing from the named stream by hand: duration, size, per task.
        let stream = Stochastics.RandomStream(seed: 42, name: "planning/estimates")
        let u0 = stream.uniform()
        #expect(a.durations[0] == 1 + 0.5 * (2 * u0 - 1))
        #expect(a.durations.allSatisfy { $0 >= 0.5 && $0 < 1.5 })
        #expect(try Estimates.make(workload, mode: .exact, seed: 1).durations == Array(repeating: 1, count: 20))
    }
}

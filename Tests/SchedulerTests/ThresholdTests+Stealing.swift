import Messages
import Testing
import Workload
@testable import Scheduler

/// `stealing.py`: the acceptance test
///     occ_thief + comm_thief + compute <= occ_victim - (comm_victim + compute) / 2
/// (`WorkStealing.balance`), the cost levels `round(log2(ratio) + 6)` of
/// `steal_time_ratio` and the order they are walked in (0 → 14, cheapest first).
@Suite struct StealingThresholdTests {
    /// w0 (1 thread) processes `s-0` (estimate 2 s, stealable) and `f-0` (estimate `f`,
    /// restricted to w0 so never stolen); an idle w1 joins. Victim occupancy V = 2 s + f,
    /// thief 0, no dependencies (comm 0): steal iff 0 + 0 + 2 ≤ V − 2/2, i.e. f ≥ 1 s.
    func stealAcceptance(f: String) -> [String] {
        let h = Harness([T("s-0", order: 0), T("f-0", workers: ["w0"], order: 1)]) {
            try? $0.set("default-task-durations", "s=2s,f=\(f)")
        }
        h.addWorker(0)
        h.submit()
        #expect(h.processing(0) == ["s-0", "f-0"])
        h.addWorker(1)
        return h.stealRequests(h.step(.balance))
    }

    /// f = 1 s: 2 ≤ 3 − 1 = 2 holds with equality → requested (so `≤`, not `<`).
    /// Without the `/ 2` it would read 2 ≤ 3 − 2 = 1 → no steal.
    @Test func stealAtTheBoundary() {
        #expect(stealAcceptance(f: "1s") == ["s-0"])
    }

    /// f = 999 ms: 2 ≤ 2.999 − 1 = 1.999 fails → nothing requested.
    @Test func noStealJustBelowTheBoundary() {
        #expect(stealAcceptance(f: "999ms") == [])
    }

    /// The thief's communication counts in full: `x` needs `d` (100 MB on w0: comm 1 s on
    /// the thief, 0 on the victim), estimate 2 s; victim also runs `f-0` (estimate f).
    /// Steal iff 0 + 1 + 2 ≤ (2 + f) − (0 + 2)/2 ⇔ f ≥ 2 s.
    func stealWithComm(f: String) -> [String] {
        let h = Harness([T("d", bytes: 100_000_000, workers: ["w0"], order: 0), T("x", ["d"], order: 1),
                         T("f-0", ["d"], workers: ["w0"], order: 2)]) {
            try? $0.set("default-task-durations", "x=2s,f=\(f)")
        }
        h.addWorker(0)
        h.submit()
        h.finish("d")
        #expect(h.processing(0) == ["x", "f-0"])
        h.addWorker(1)
        return h.stealRequests(h.step(.balance))
    }

    @Test func thiefCommunicationCountsInFull() {
        #expect(stealWithComm(f: "2s") == ["x"])
        #expect(stealWithComm(f: "1999ms") == [])
    }

    /// Levels (`steal_time_ratio`): Dask's examples 1 → 6, 2 → 7, 3.1 → 8, 6.1 → 9, 10.1 → 9,
    /// 20.1 → 10, 100 → 13, 300 → 14; the top: log2(362) + 6 = 14.4998 → 14, log2(363) + 6 =
    /// 14.5038 → 15 → never stolen; the bottom is clamped to 1 (0.01 → −0.64 → 1).
    @Test func levelFormulaAndItsEnds() {
        let cases: [(Double, Int?)] = [(1, 6), (2, 7), (3.1, 8), (6.1, 9), (10.1, 9), (20.1, 10), (100, 13),
                                       (300, 14), (362, 14), (363, nil), (400, nil), (0.01, 1), (0.03, 1), (0.04, 1), (0.05, 2)]
        for (ratio, level) in cases {
            #expect(WorkStealing.level(ratio: ratio) == level, "ratio \(ratio)")
        }
    }

    /// Levels are walked cheapest first. w0 (1 thread) runs `z-0` (no dependencies: level 0)
    /// and `y-0` (needs `d`, 100 B: ratio (1 µs + 0.1 s) / 0.5 s = 0.200002, log2 + 6 = 3.68
    /// → level 4). Both pass the test (0 + 0.5 ≤ 1.0 − 0.25); after the first request the thief
    /// holds 0.5 s ≥ 1 × (1.0 s / 2 threads) / 2 = 0.25 s and 1 task ≥ 1 thread: not
    /// unoccupied, so only one request: the level-0 task. Walking 14 → 0 would take `y-0`.
    @Test func lowerLevelsAreStolenFirst() throws {
        let h = Harness([T("d", order: 0), T("z-0", order: 1), T("y-0", ["d"], order: 2)])
        h.addWorker(0)
        h.submit()
        h.finish("d")
        #expect(h.processing(0) == ["z-0", "y-0"])
        let stealing = try #require((h.s.policy as? DaskPolicy)?.stealing)
        #expect(stealing.stealLevel(h.id("z-0"), in: h.s) == 0)
        #expect(stealing.stealLevel(h.id("y-0"), in: h.s) == 4)
        h.addWorker(1)
        #expect(h.stealRequests(h.step(.balance)) == ["z-0"])
    }
}

/// `check_idle_saturated` / `is_unoccupied`:
///     idle       ⇔ p < nthreads or occ < nthreads × (total_occupancy / total_nthreads) / 2
///     saturated  ⇔ p > nthreads and pending > 0.4 and pending > 1.9 × average,
///                  pending = occ × (p − nthreads) / (p × nthreads)   (seconds)
@Suite struct IdleSaturatedThresholdTests {
    /// Two 1-thread workers, `u` and `v` (0.5 s each): total 1 s over 2 threads, average 0.5 s,
    /// so the occupancy bound for a 1-thread worker is 0.5 / 2 = 0.25 s.
    @Test func unoccupiedBounds() {
        let h = Harness([T("u"), T("v")])
        h.addWorker(0)
        h.addWorker(1)
        h.submit()
        #expect(h.s.occupancy(of: WorkerID(0)) + h.s.occupancy(of: WorkerID(1)) == .seconds(1))
        let w = WorkerID(0)
        #expect(h.s.isUnoccupied(w, occupancy: 249_999_999, processing: 5))
        #expect(!h.s.isUnoccupied(w, occupancy: 250_000_000, processing: 5))
        // Fewer tasks than threads is idle whatever the occupancy; as many is not.
        #expect(h.s.isUnoccupied(w, occupancy: 10_000_000_000, processing: 0))
        #expect(!h.s.isUnoccupied(w, occupancy: 10_000_000_000, processing: 1))
    }

    /// w0 (1 thread) holds 3 co-assigned root tasks `r` (estimate `r`), w1 joins idle.
    func saturated(estimate: String, occupancy: Int64) -> Bool {
        let h = Harness((0..<3).map { (i: Int) in T("r-\(i)", order: i) }) {
            $0.workerSaturation = .infinity
            try? $0.set("default-task-durations", "r=\(estimate)")
        }
        h.addWorker(0)
        h.submit()
        h.addWorker(1)
        #expect(h.processing(0).count == 3)
        h.s.checkIdleSaturated(WorkerID(0), occupancy: occupancy)
        #expect(!h.s.isIdle(WorkerID(0)))
        return h.s.isSaturated(WorkerID(0))
    }

    /// Estimate 10 ms: average 30 ms / 2 threads = 15 ms (1.9 × = 28.5 ms), so the 0.4 s bound
    /// decides: pending = occ × 2/3 > 0.4 ⇔ occ > 0.6 s.
    @Test func pendingMustExceedFourTenths() {
        #expect(saturated(estimate: "10ms", occupancy: 600_000_003))
        #expect(!saturated(estimate: "10ms", occupancy: 599_999_997))
    }

    /// Estimate 1 s: average 3 s / 2 = 1.5 s, 1.9 × 1.5 = 2.85 s > 0.4, so pending > 2.85 ⇔
    /// occ > 4.275 s.
    @Test func pendingMustExceedNineteenTenthsOfTheAverage() {
        #expect(saturated(estimate: "1s", occupancy: 4_275_000_003))
        #expect(!saturated(estimate: "1s", occupancy: 4_274_999_997))
    }
}

/// `allowed-failures` (`remove_worker`): a task whose `suspicious` count exceeds it errs
/// with `KilledWorker`: with 3, the 4th worker dying under it.
@Suite struct FailureThresholdTests {
    func deaths(allowed: Int, expected: Bool = false) -> [String] {
        let h = Harness([T("x")]) { $0.allowedFailures = allowed }
        for i in 0..<6 { h.addWorker(i) }
        h.submit()
        var states: [String] = []
        for _ in 0..<5 {
            guard let w = h.s.processingOn(h.id("x")) else { break }
            h.step(.removeWorker(w, expected: expected))
            states.append("\(h.state("x"))/\(h.s.suspicious(of: h.id("x")))")
        }
        return states
    }

    @Test func killedWorkerOnTheDeathAfterTheAllowedOnes() {
        #expect(deaths(allowed: 3) == ["processing/1", "processing/2", "processing/3", "erred/4"])
        #expect(deaths(allowed: 0) == ["erred/1"])
        #expect(deaths(allowed: 1) == ["processing/1", "erred/2"])
    }

    /// An expected removal (retirement) does not count.
    @Test func expectedRemovalsDoNotCount() {
        #expect(deaths(allowed: 0, expected: true) == ["processing/0", "processing/0", "processing/0", "processing/0", "processing/0"])
    }
}

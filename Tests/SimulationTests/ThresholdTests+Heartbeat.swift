import Testing
@testable import Simulation

/// Dask's `heartbeat_interval(n)` (distributed/scheduler.py), which the scheduler sends
/// to each worker as its heartbeat period: 0.5 s while `n <= 10`, 1 s while `n < 50`,
/// 2 s while `n < 200`, then `n / 200 + 1` s. Each boundary is pinned from both sides,
/// so `<=` ↔ `<` and an off-by-one at any of the three steps fail here.
@Suite struct HeartbeatThresholdTests {
    @Test func halfASecondUpToTenWorkers() {
        #expect(Simulator.heartbeatInterval(workers: 0) == 500_000_000)
        #expect(Simulator.heartbeatInterval(workers: 1) == 500_000_000)
        #expect(Simulator.heartbeatInterval(workers: 10) == 500_000_000)  // n <= 10
        #expect(Simulator.heartbeatInterval(workers: 11) == 1_000_000_000)
    }

    @Test func oneSecondBelowFiftyTwoBelowTwoHundred() {
        #expect(Simulator.heartbeatInterval(workers: 49) == 1_000_000_000)  // n < 50
        #expect(Simulator.heartbeatInterval(workers: 50) == 2_000_000_000)
        #expect(Simulator.heartbeatInterval(workers: 199) == 2_000_000_000)  // n < 200
        // n = 200: 200 / 200 + 1 = 2 s, the same value the step below gives; 201 shows
        // the formula (201 / 200 + 1 = 2.005 s) and 1,000 its slope (6 s).
        #expect(Simulator.heartbeatInterval(workers: 200) == 2_000_000_000)
        #expect(Simulator.heartbeatInterval(workers: 201) == 2_005_000_000)
        #expect(Simulator.heartbeatInterval(workers: 1000) == 6_000_000_000)
    }
}

import Messages
import Simulation
import Testing

/// The chaos bugs of issue 18 that the random sweep did not pin down, each built by hand.
@Suite struct ChaosRegressionTests {
    static var dask: MachineFactory { DaskMachinesTests.dask }

    /// Bug 2: the client gathered a key from a worker that `retire` then closed. Retirement
    /// had copied the key to the other worker first, but the client only knew the holder
    /// of the first key-in-memory report and waited for ever (`stalled`). It now asks the
    /// scheduler who holds the key (Dask's client falls back to the scheduler's `gather`).
    ///
    /// a and c run on worker-0, b on worker-1 (1 s each, 1 GB each). From 1 s the client
    /// gathers all three over its 100 MB/s link (a third each); at 2 s worker-1 retires and
    /// copies b to worker-0, which finishes long before the client's gather of b and
    /// closes worker-1 in the middle of it.
    @Test func clientGathersAgainWhenRetirementClosesItsSource() throws {
        let workload = try Fixtures.workload([("a", 1, 1_000_000_000, []), ("b", 1, 1_000_000_000, []), ("c", 1, 1_000_000_000, [])])
        let result = Fixtures.run(workload, try Fixtures.cluster("2x2", .maxmin), factory: Self.dask) {
            $0.scenario = [ScenarioEvent(time: .seconds(2), action: .retire(worker: "worker-1"))]
        }
        #expect(result.outcome == .completed, "\(result.detail)")
        let rows = result.transferRows
        let copy = try #require(rows.first { $0.task == 1 && $0.to == "worker-0" })
        #expect(copy.from == "worker-1")
        // The only gather of b that arrived is from worker-0, started after the copy.
        let gathers = rows.filter { $0.task == 1 && $0.to == "client-0" }
        #expect(gathers.count == 1)
        #expect(gathers.first?.from == "worker-0")
        #expect((gathers.first?.start ?? 0) >= copy.end)
        #expect(result.makespan == Time(nanoseconds: gathers.first?.end ?? 0))
    }

    /// Tasks queued on a paused worker move only by stealing. A balance tick with nothing
    /// else pending used to stop the run (`stalled`, 2 tasks left); Dask's periodic
    /// `balance()` keeps stealing, and so does the simulator until a tick changes nothing.
    ///
    /// All four b-i depend on a (100 MB on worker-0) and queue on worker-0, which pauses at
    /// 1.1 s while running b-4. Stealing moves b-3 (tick at 2 s) and then b-2 (tick at 4 s,
    /// when nothing else was pending) to worker-2; b-1 stays: with b's measured 1 s its
    /// move fails Dask's test (0 + 0 + 1 <= 1 - (0 + 1) / 2 is false), as it would in Dask.
    @Test func idleBalanceTickStealsFromAPausedWorker() throws {
        var tasks: [(String, Double, Int64, [String])] = [("a", 1, 100_000_000, [])]
        for i in 1...4 { tasks.append(("b-\(i)", 1, 10, ["a"])) }
        let workload = try Fixtures.workload(tasks)
        func run(sampling: Bool) -> SimulationResult {
            Fixtures.run(workload, try! Fixtures.cluster("4x1"), factory: Self.dask) {
                $0.scenario = [ScenarioEvent(time: Time(nanoseconds: 1_100_000_000), action: .pause(worker: "worker-0"))]
                $0.sampleInterval = sampling ? .seconds(1) : .zero
                $0.recordTransitions = sampling
            }
        }
        let result = run(sampling: true)
        #expect(result.outcome == .stalled)
        #expect(result.detail.contains("1 of 4 wanted results never reached the client (1 processing)"), "\(result.detail)")
        let stolen = result.taskRows.filter { $0.key.hasPrefix("b-") && $0.worker == "worker-2" }.map(\.key)
        #expect(stolen.sorted() == ["b-2", "b-3"])
        // Bug 6: the outcome does not depend on whether workers.csv is sampled (--out).
        let quiet = run(sampling: false)
        #expect(quiet.outcome == result.outcome)
        #expect(quiet.detail == result.detail)
        #expect(quiet.makespan == result.makespan)
    }

    /// Ticks stopped by an idle moment resume on their grid when a real event comes.
    @Test func nextGridPoint() {
        #expect(Simulator.nextGridPoint(after: 0, every: 100) == 100)
        #expect(Simulator.nextGridPoint(after: 99, every: 100) == 100)
        #expect(Simulator.nextGridPoint(after: 100, every: 100) == 200)
        #expect(Simulator.nextGridPoint(after: Int64.max - 5, every: 100) == Int64.max)
    }
}

/// Issue 18 item 1: a chain of year-long tasks on workers at speed 0.01 reaches past the
/// Int64 clock (292 years); the run stops at the 100-year horizon with outcome
/// `time-limit` instead of wrapping to negative times.
@Suite struct TimeLimitTests {
    @Test func aRunBeyondTheClocksHorizonStopsWithTimeLimit() throws {
        let year = 31_536_000.0
        let workload = try Fixtures.workload([("a", year, 10, []), ("b", year, 10, ["a"]), ("c", year, 10, ["b"]), ("d", year, 10, ["c"])])
        let result = Fixtures.run(workload, try Fixtures.cluster("1x1@0.01"), factory: DaskMachinesTests.dask) {
            $0.heartbeats = false
            $0.balanceInterval = .zero
            $0.sampleInterval = .zero
        }
        #expect(result.outcome == .timeLimit)
        // a ends at 100 years of 365 days (3.1536e18 ns), just inside the horizon of 100
        // Julian years (3.15576e18 ns); b would end 100 such years later.
        // The stop comes a few milliseconds later, when a's completion (through Dask's
        // batched streams) makes the worker start b, whose end is past the horizon.
        #expect(result.detail.hasPrefix("stopped at 3153600000.00"), "\(result.detail)")
        #expect(result.detail.contains("s: the next event was due beyond the simulated clock's horizon of 100 years"), "\(result.detail)")
        let a = try #require(result.taskRows.first { $0.key == "a" })
        // A year on a worker at speed 0.01 is 100 years, exactly.
        #expect(a.end == (a.start ?? -1) + 3_153_600_000_000_000_000)
        #expect(result.tasksFinished == 1)
    }
}

import Messages
import Recording
import Simulation
import Testing

/// Makespans worked out by hand with the simple test scheduler (see
/// `ListScheduler`): every message takes 1 ms, links carry 100 MB/s.
@Suite struct HandComputedMakespanTests {
    /// a → b → c on one single-thread worker.
    /// update-graph reaches the scheduler at 1 ms; compute-task reaches the worker at 2 ms;
    /// a runs 2 ms → 1.002 s; task-finished 1.003; b 1.004 → 3.004; c 3.006 → 6.006;
    /// key-in-memory reaches the client at 6.008; gathering 1 MB takes 1 ms + 10 ms → 6.019.
    @Test(arguments: [NetworkModelKind.simple, .maxmin])
    func chain(model: NetworkModelKind) throws {
        let workload = try Fixtures.workload([("a", 1, 1_000_000, []), ("b", 2, 1_000_000, ["a"]), ("c", 3, 1_000_000, ["b"])])
        let result = Fixtures.run(workload, try Fixtures.cluster("1x1", model))
        #expect(result.outcome == .completed)
        #expect(result.makespan.nanoseconds == Fixtures.ns("6.019"))
        #expect(result.taskRows.map(\.start) == [Fixtures.ns("0.002"), Fixtures.ns("1.004"), Fixtures.ns("3.006")])
        #expect(result.taskRows.map(\.end) == [Fixtures.ns("1.002"), Fixtures.ns("3.004"), Fixtures.ns("6.006")])
        #expect(result.taskRows.map(\.submit) == [Fixtures.ns("0.001"), Fixtures.ns("0.001"), Fixtures.ns("0.001")])
        #expect(result.taskRows.map(\.ready) == [Fixtures.ns("0.001"), Fixtures.ns("1.002"), Fixtures.ns("3.004")])
        #expect(result.transferRows == [TransferRow(task: 2, from: "worker-0", to: "client-0", bytes: 1_000_000,
                                                    start: Fixtures.ns("6.008"), end: Fixtures.ns("6.019"))])
        // Without gathering, the run ends when the client learns the result exists.
        let noGather = Fixtures.run(workload, try Fixtures.cluster("1x1", model)) { $0.gather = false }
        #expect(noGather.makespan.nanoseconds == Fixtures.ns("6.008"))
        #expect(noGather.transfers == 0)
    }

    /// r (100 MB) fans out to x and y on two workers, which join in j.
    /// r on worker-0 until 1.002; x stays on worker-0 (holds r): 1.004 → 3.004;
    /// y goes to worker-1 and fetches r: get-data arrives 1.005, 1 ms + 1 s → 2.006; y 2.006 → 4.006;
    /// j: x and y are 1 MB each, tie → worker-0 at 4.008; fetch y: 4.009 + 1 ms + 10 ms → 4.020;
    /// j 4.020 → 5.020; client learns at 5.022; gathering 8 bytes: 1 ms + 80 ns → 5.023000080.
    @Test(arguments: [NetworkModelKind.simple, .maxmin])
    func forkJoinWithTransfers(model: NetworkModelKind) throws {
        let workload = try Fixtures.workload([
            ("r", 1, 100_000_000, []), ("x", 2, 1_000_000, ["r"]), ("y", 2, 1_000_000, ["r"]), ("j", 1, 8, ["x", "y"]),
        ])
        let result = Fixtures.run(workload, try Fixtures.cluster("2x1", model))
        #expect(result.outcome == .completed)
        #expect(result.makespan.nanoseconds == Fixtures.ns("5.023000080"))
        #expect(result.taskRows.map(\.worker) == ["worker-0", "worker-0", "worker-1", "worker-0"])
        #expect(result.taskRows.map(\.bytesFetched) == [0, 0, 100_000_000, 1_000_000])
        #expect(result.transferRows.map(\.bytes) == [100_000_000, 1_000_000, 8])
        #expect(result.transferRows[0] == TransferRow(task: 0, from: "worker-0", to: "worker-1", bytes: 100_000_000,
                                                      start: Fixtures.ns("1.005"), end: Fixtures.ns("2.006")))
        #expect(result.transferBytes == 101_000_008)
        // Busy: r 1 + x 2 + y 2 + j 1 = 6 thread-seconds over 2 threads × 5.023000080 s.
        #expect(result.busyTime == Fixtures.ns("6"))
        #expect(result.threadTime == 2 * Fixtures.ns("5.023000080"))
    }

    /// A diamond whose two middle tasks fetch the root from worker-0 at the same time.
    /// r (100 MB) on worker-0 until 1.002; x on worker-0, y on worker-1, z on worker-2 at 1.004.
    /// y and z ask worker-0 for r at 1.005. simple: each transfer 1 ms + 1 s → 2.006.
    /// maxmin: both flows start at 1.006 and share worker-0's 100 MB/s uplink → 2 s → 3.006.
    /// Then y, z run 1 s; j (all inputs 0 bytes) goes to worker-0, fetches 0 bytes in 2 ms,
    /// runs 1 s; the client learns 2 ms later and gathers 0 bytes in 1 ms.
    @Test(arguments: [(NetworkModelKind.simple, "4.013"), (.maxmin, "5.013")])
    func diamondUnderContention(model: NetworkModelKind, makespan: String) throws {
        let workload = try Fixtures.workload([
            ("r", 1, 100_000_000, []), ("x", 1, 0, ["r"]), ("y", 1, 0, ["r"]), ("z", 1, 0, ["r"]), ("j", 1, 0, ["x", "y", "z"]),
        ])
        let result = Fixtures.run(workload, try Fixtures.cluster("3x1", model))
        #expect(result.outcome == .completed)
        #expect(result.makespan.nanoseconds == Fixtures.ns(makespan))
        let fetchOfR = result.transferRows.filter { $0.task == 0 }
        #expect(fetchOfR.map(\.to) == ["worker-1", "worker-2"])
        #expect(fetchOfR.map(\.end) == Array(repeating: Fixtures.ns(model == .simple ? "2.006" : "3.006"), count: 2))
    }

    /// The scheduler as a single server taking 10 ms per message. add-worker (arrives 0)
    /// occupies it until 0.010, so update-graph (arrives 0.001) waits and is done at 0.020;
    /// then each of the three task-finished messages adds 10 ms:
    /// 6.019 + 0.019 + 3 × 0.010 = 6.068.
    @Test func schedulerServiceTimeAddsToEveryMessage() throws {
        let workload = try Fixtures.workload([("a", 1, 1_000_000, []), ("b", 2, 1_000_000, ["a"]), ("c", 3, 1_000_000, ["b"])])
        let result = Fixtures.run(workload, try Fixtures.cluster("1x1")) {
            $0.runtime.schedulerMessage = .milliseconds(10)
            $0.balanceInterval = .zero
        }
        #expect(result.makespan.nanoseconds == Fixtures.ns("6.068"))
        #expect(result.taskRows.map(\.submit) == Array(repeating: Fixtures.ns("0.020"), count: 3))
    }
}

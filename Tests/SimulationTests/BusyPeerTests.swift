import Messages
import Recording
import Scheduler
import Simulation
import Testing
import Worker
import Workload

/// A peer that answers `busy`: Dask's requester polls it every 0.15 s plus one round
/// trip; the simulator parks the requester and retries it at the grid point after the
/// peer's connection frees (`Simulator+BusyPeers.swift`), with the same timing.
@Suite struct BusyPeerTests {
    /// One `get_data` connection per worker (`connections.incoming = 1`), validation on.
    static func factory() -> MachineFactory {
        var scheduler = SchedulerConfig()
        scheduler.validate = true
        var worker = WorkerConfig()
        worker.connectionsIncoming = 1
        worker.validate = true
        return MachineFactory.dask(scheduler: scheduler, worker: worker)!
    }

    /// a (100 MB) on worker-0; b and c need it, pinned to worker-1 and worker-2.
    /// Priorities are pinned to trace order (a, r1, r2, …) so the readers ask in that
    /// order; dask.order would put the larger key first.
    static func workload(readers: Int) throws -> Workload {
        var builder = WorkloadBuilder(name: "busy", source: "test")
        builder.add(TaskSpec(key: "a", duration: 1, outputBytes: 100_000_000,
                             restrictions: Restrictions(workers: ["worker-0"]), order: 0), dependencies: [], origin: "a")
        for r in 1...readers {
            builder.add(TaskSpec(key: "r\(r)", duration: 1, outputBytes: 1, restrictions: Restrictions(workers: ["worker-\(r)"]), order: r),
                        dependencies: ["a"], origin: "r\(r)")
        }
        return try builder.build()
    }

    static func run(_ workload: Workload, _ flag: String) throws -> SimulationResult {
        Fixtures.run(workload, try Fixtures.cluster(flag), factory: factory()) {
            $0.gather = false
            $0.heartbeats = false
            $0.balanceInterval = .zero
            $0.sampleInterval = .zero
            $0.traceEvents = true
            $0.checkInvariantsAtEnd = true
        }
    }

    static func count(_ op: String, in result: SimulationResult) -> Int {
        let text = String(decoding: result.eventLines?.bytes ?? [], as: UTF8.self)
        return text.split(separator: "\n").filter { $0.contains("\"op\":\"\(op)\"") && $0.contains("\"direction\":\"in\"") }.count
    }

    /// By hand (1 ms per message, 100 MB/s): a ends at 1.002 s, b's and c's
    /// compute-task arrive at 1.004, both get-data reach worker-0 at 1.005. b's is
    /// served (1 ms + 1 s: b has a at 2.006, ends 3.006); c's is answered busy at
    /// 1.006, so c's worker retries at 1.156 + k × 0.152 s (0.15 s + a 2 ms round trip).
    /// The connection frees at 2.006; the first retry after it is k = 6, 2.068, whose
    /// get-data reaches worker-0 at 2.069: c has a at 3.070, ends at 4.070, and the
    /// client hears at 4.072. Dask polls six more times in between (all busy); here
    /// there is one busy answer and one retry.
    @Test func parkedRequesterRetriesOnItsGridAfterTheConnectionFrees() throws {
        let result = try Self.run(try Self.workload(readers: 2), "3x1")
        #expect(result.outcome == .completed)
        #expect(result.invariantViolations == [])
        let rows = result.taskRows
        #expect(rows[1].start == Fixtures.ns("2.006"))
        #expect(rows[2].start == Fixtures.ns("3.070"))
        #expect(result.makespan.nanoseconds == Fixtures.ns("4.072"))
        #expect(Self.count("gather-dep-busy", in: result) == 1)
        #expect(Self.count("retry-busy-worker", in: result) == 1)
        #expect(Self.count("get-data", in: result) == 3)
    }

    /// Three readers: worker-2 and worker-3 are both answered busy at 1.006 (same grid,
    /// 1.156 + k × 0.152). The free at 2.006 wakes the poll that reaches worker-0 first
    /// (worker-2, parked first). worker-1 now holds a too: its add-keys reaches the
    /// scheduler at 2.007, and worker-3, whose only known holder is busy, would learn
    /// it from the refresh of its next busy answer, so its poll is woken as well. Both
    /// retry at 2.068: worker-2 is served (a at 3.070, r2 ends 4.070); worker-3 is
    /// answered busy at 2.070, its refresh (2.071) is answered at 2.072 with
    /// [worker-0, worker-1], it asks worker-1 (2.073), has a at 3.074, r3 ends 4.074,
    /// the client hears at 4.076. The connection worker-0 frees at 3.070 wakes
    /// worker-3's last poll, whose retry asks for nothing: 3 busy answers, 3 retries
    /// (Dask: 1.006 ×2, then 2.070; the retries at 2.068 ×2 and 2.222 — one later here,
    /// with the same effect, none).
    @Test func aNewReplicaIsFoundThroughTheRefreshOfTheNextPoll() throws {
        let result = try Self.run(try Self.workload(readers: 3), "4x1")
        #expect(result.outcome == .completed)
        #expect(result.invariantViolations == [])
        let rows = result.taskRows
        #expect(rows[2].start == Fixtures.ns("3.070"))
        #expect(rows[3].start == Fixtures.ns("3.074"))
        #expect(result.transferRows.map(\.from) == ["worker-0", "worker-0", "worker-1"])
        #expect(result.makespan.nanoseconds == Fixtures.ns("4.076"))
        #expect(Self.count("gather-dep-busy", in: result) == 3)
        #expect(Self.count("retry-busy-worker", in: result) == 3)
        // Each busy answer finds every holder busy, so each sends a refresh.
        #expect(Self.count("request-refresh-who-has", in: result) == 3)
    }

    /// Same inputs, same output, byte for byte.
    @Test func repeatedRunsAreIdentical() throws {
        let workload = try Self.workload(readers: 3)
        let a = try Self.run(workload, "4x1"), b = try Self.run(workload, "4x1")
        #expect(a.eventLines?.bytes == b.eventLines?.bytes)
        #expect(a.events == b.events)
    }
}

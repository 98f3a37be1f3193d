import Messages
import Testing
import Workload
@testable import Scheduler

/// Dask's `SchedulerState.worker_objective`, tested in the scheduler's own target:
///     stack_time = ws.occupancy / ws.nthreads
///     start_time = stack_time + get_comm_cost(ts, ws)     # bytes of deps not on ws / bandwidth
///     return (start_time, ws.nbytes)                       # (+ our worker id as the last tie-break)
/// Bandwidth is the default 100 MB/s, so 100 MB of missing input cost 1 s.
@Suite struct ObjectiveThresholdTests {
    /// `a` (100 MB) is computed on w0, `b` (200 MB) on w1, `x` needs both.
    /// objective(x, w0) = (0 + 200 MB / 100 MB/s = 2 s, stored 100 MB);
    /// objective(x, w1) = (0 + 1 s, 200 MB) → w1, although w1 stores more.
    /// Without the communication term both start at 0 and the smaller store (w0) would win.
    @Test func communicationTermDecidesBetweenHolders() {
        let h = Harness([T("a", bytes: 100_000_000, workers: ["w0"]), T("b", bytes: 200_000_000, workers: ["w1"]),
                         T("x", ["a", "b"])])
        h.addWorker(0)
        h.addWorker(1)
        h.submit()
        h.finish("a")
        let out = h.finish("b")
        #expect(h.computes(out).map { "\($0.0):\($0.1)" } == ["1:x"])
        // After placement w1 also carries x: occupancy 0.5 s (unknown prefix) + 1 s for the
        // 100 MB it must fetch (`_network_occ`), and its start time adds the same 1 s of comm.
        #expect(String(describing: h.s.workerObjective(h.id("x"), WorkerID(0))) == "(0, 2000000000, 100000000, 0)")
        #expect(String(describing: h.s.workerObjective(h.id("x"), WorkerID(1))) == "(0, 2500000000, 200000000, 1)")
        #expect(h.s.commCost(h.id("x"), WorkerID(0)) == 2_000_000_000)
        #expect(h.s.commCost(h.id("x"), WorkerID(1)) == 1_000_000_000)
    }

    /// Equal start times break on stored bytes: `a` (100 B) and `c` (50 B) on w0, `b` (100 B)
    /// on w1; x needs a and b: comm 100 B / 100 MB/s = 1 µs on either worker, stored
    /// w0 = 150 B, w1 = 100 B → w1 (without the nbytes term the lower id, w0, would win).
    @Test func storedBytesBreakEqualStartTimes() {
        let h = Harness([T("a", bytes: 100, workers: ["w0"]), T("c", bytes: 50, workers: ["w0"]),
                         T("b", bytes: 100, workers: ["w1"]), T("x", ["a", "b"])])
        h.addWorker(0)
        h.addWorker(1)
        h.submit()
        h.finish("a")
        h.finish("c")
        // Before b finishes its size is unknown: `default-data-size` 1 KiB → 10,240 ns of comm.
        #expect(String(describing: h.s.workerObjective(h.id("x"), WorkerID(0))) == "(0, 10240, 150, 0)")
        let out = h.finish("b")
        #expect(h.computes(out).map { "\($0.0):\($0.1)" } == ["1:x"])
    }

    /// Equal start times and equal stored bytes: the lowest worker id (Dask: set order).
    @Test func equalObjectivesPickTheLowestID() {
        let h = Harness([T("a", bytes: 100, workers: ["w0"]), T("b", bytes: 100, workers: ["w1"]), T("x", ["a", "b"])])
        h.addWorker(0)
        h.addWorker(1)
        h.submit()
        h.finish("a")
        let out = h.finish("b")
        #expect(h.computes(out).map { "\($0.0):\($0.1)" } == ["0:x"])
    }

    /// The stack time divides by threads: w0 (1 thread) and w1 (2 threads) each run one
    /// restricted 0.5 s task; x needs `d` on both: w0 stack 0.5 s, w1 0.25 s → w1.
    @Test func stackTimeIsOccupancyPerThread() {
        let h = Harness([T("d", workers: ["w0"]), T("e", ["d"], workers: ["w1"]), T("p", ["d"], workers: ["w0"]),
                         T("q", ["e"], workers: ["w1"]), T("x", ["d", "e"])])
        h.addWorker(0)
        h.addWorker(1, threads: 2)
        h.submit()
        h.finish("d")  // e on w1, p on w0
        let out = h.finish("e")  // q on w1, then x: both hold one 100 B input
        let placed = h.computes(out).map { "\($0.0):\($0.1)" }
        #expect(placed.contains("1:x"), "\(placed)")
        #expect(h.s.occupancy(of: WorkerID(0)) == .milliseconds(500))
    }
}

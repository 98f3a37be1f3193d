import Messages
import Testing
@testable import Worker

/// `distributed.worker.memory.*` at their boundaries, memory limit 1000 bytes:
/// target 0.60 → 600 (SpillBuffer: spill while managed memory > target), spill 0.70 → 700,
/// pause 0.80 → 800, terminate 0.95 → 950 (the monitor acts when process memory > threshold).
/// Each threshold is tested alone (the others off), at the threshold and one byte above.
@Suite struct MemoryThresholdTests {
    func finish(_ w: WorkerState, _ k: Int, bytes: Int64) -> [String] {
        w.step(H.compute(k))
        return w.step(H.success(k, nbytes: bytes))
    }

    func only(_ keep: WritableKeyPath<WorkerConfig, Double?>) -> WorkerConfig {
        var cfg = WorkerConfig()
        for path in [\WorkerConfig.memoryTarget, \.memorySpill, \.memoryPause, \.memoryTerminate] where path != keep {
            cfg[keyPath: path] = nil
        }
        return cfg
    }

    /// 300 + 300 = 600 is not above the target: nothing spills; 300 + 301 = 601 spills k1.
    @Test func targetSpillsOnlyAboveIt() {
        let a = H.worker(memoryLimit: 1000, config: only(\.memoryTarget))
        _ = finish(a, 1, bytes: 300)
        #expect(finish(a, 2, bytes: 300) == ["task-finished k2 run=1 nbytes=300 0.000000000-1.000000000"])
        #expect(a.spilledBytes == 0)
        let b = H.worker(memoryLimit: 1000, config: only(\.memoryTarget))
        _ = finish(b, 1, bytes: 300)
        #expect(finish(b, 2, bytes: 301) == ["spill [k1] 300", "task-finished k2 run=1 nbytes=301 0.000000000-1.000000000"])
        #expect(b.memoryBytes == 301)
    }

    /// A key of exactly the target (600) stays in memory; 601 goes straight to disk.
    @Test func keyOfTheTargetSizeStaysInMemory() {
        let a = H.worker(memoryLimit: 1000, config: only(\.memoryTarget))
        #expect(finish(a, 1, bytes: 600) == ["task-finished k1 run=1 nbytes=600 0.000000000-1.000000000"])
        let b = H.worker(memoryLimit: 1000, config: only(\.memoryTarget))
        #expect(finish(b, 1, bytes: 601) == ["spill [k1] 601", "task-finished k1 run=1 nbytes=601 0.000000000-1.000000000"])
    }

    /// Thresholds are ⌊fraction × limit⌋: limit 999 → target ⌊599.4⌋ = 599; a 599-byte key
    /// stays, a 600-byte key goes to disk.
    @Test func thresholdBytesRoundDown() {
        let a = H.worker(memoryLimit: 999, config: only(\.memoryTarget))
        #expect(finish(a, 1, bytes: 599).count == 1)
        let b = H.worker(memoryLimit: 999, config: only(\.memoryTarget))
        #expect(finish(b, 1, bytes: 600).first == "spill [k1] 600")
    }

    /// Spill monitor (target off, so it spills down to the spill threshold itself):
    /// 400 + 300 = 700 is not above 700; 400 + 301 = 701 spills the oldest key (k1).
    @Test func monitorSpillsOnlyAboveTheSpillThreshold() {
        let a = H.worker(memoryLimit: 1000, config: only(\.memorySpill))
        _ = finish(a, 1, bytes: 400)
        #expect(finish(a, 2, bytes: 300) == ["task-finished k2 run=1 nbytes=300 0.000000000-1.000000000"])
        let b = H.worker(memoryLimit: 1000, config: only(\.memorySpill))
        _ = finish(b, 1, bytes: 400)
        #expect(finish(b, 2, bytes: 301) == ["task-finished k2 run=1 nbytes=301 0.000000000-1.000000000", "spill [k1] 400"])
        #expect(b.processMemory == 301)
    }

    /// With the target on, the monitor spills down to it, so `process = spill` must not spill:
    /// unmanaged 300 + 100 + 300 = 700 is not above 700 (managed 400 ≤ target 600 too);
    /// one byte more (301): process 701 > 700 → spill oldest first until process ≤ target 600:
    /// k1 (process 601, still above) then k2 → process 300.
    @Test func monitorSpillsToTheTargetOnlyAboveTheSpillThreshold() {
        var cfg = only(\.memorySpill)
        cfg.memoryTarget = 0.6
        cfg.unmanagedMemory = 300
        let a = H.worker(memoryLimit: 1000, config: cfg)
        _ = finish(a, 1, bytes: 100)
        #expect(finish(a, 2, bytes: 300) == ["task-finished k2 run=1 nbytes=300 0.000000000-1.000000000"])
        #expect(a.processMemory == 700)
        let b = H.worker(memoryLimit: 1000, config: cfg)
        _ = finish(b, 1, bytes: 100)
        #expect(finish(b, 2, bytes: 301) == ["task-finished k2 run=1 nbytes=301 0.000000000-1.000000000", "spill [k1,k2] 401"])
        #expect(b.processMemory == 300)
    }

    /// Pause at 801, not at 800.
    @Test func pauseOnlyAboveThePauseThreshold() {
        let a = H.worker(memoryLimit: 1000, config: only(\.memoryPause))
        #expect(finish(a, 1, bytes: 800) == ["task-finished k1 run=1 nbytes=800 0.000000000-1.000000000"])
        #expect(a.status == .running)
        let b = H.worker(memoryLimit: 1000, config: only(\.memoryPause))
        #expect(finish(b, 1, bytes: 801) == ["task-finished k1 run=1 nbytes=801 0.000000000-1.000000000", "status paused"])
        #expect(b.status == .paused)
    }

    /// Terminate at 951, not at 950; unmanaged memory counts (900 + 51 = 951).
    @Test func terminateOnlyAboveTheTerminateThreshold() {
        let a = H.worker(memoryLimit: 1000, config: only(\.memoryTerminate))
        #expect(finish(a, 1, bytes: 950) == ["task-finished k1 run=1 nbytes=950 0.000000000-1.000000000"])
        let b = H.worker(memoryLimit: 1000, config: only(\.memoryTerminate))
        #expect(finish(b, 1, bytes: 951) == ["task-finished k1 run=1 nbytes=951 0.000000000-1.000000000", "terminate"])
        var cfg = only(\.memoryTerminate)
        cfg.unmanagedMemory = 900
        let c = H.worker(memoryLimit: 1000, config: cfg)
        #expect(finish(c, 1, bytes: 50) == ["task-finished k1 run=1 nbytes=50 0.000000000-1.000000000"])
        #expect(finish(c, 2, bytes: 1) == ["task-finished k2 run=1 nbytes=1 0.000000000-1.000000000", "terminate"])
    }
}

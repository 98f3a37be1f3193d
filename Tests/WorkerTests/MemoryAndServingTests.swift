import Messages
import Testing
@testable import Worker

/// Memory thresholds (target / spill / pause / terminate) and the serving side of
/// peer transfers (`get_data` limits).
@Suite struct MemoryTests {
    /// Memory limit 1000: target 600, spill 700, pause 800, terminate 950.
    func finish(_ w: WorkerState, _ k: Int, bytes: Int64) -> [String] {
        w.step(H.compute(k))
        return w.step(H.success(k, nbytes: bytes))
    }

    @Test func targetSpillsLeastRecentlyUsed() {
        let w = H.worker(memoryLimit: 1000)
        #expect(finish(w, 1, bytes: 250) == ["task-finished k1 run=1 nbytes=250 0.000000000-1.000000000"])
        _ = finish(w, 2, bytes: 250)
        #expect(finish(w, 3, bytes: 250) == ["spill [k1] 250", "task-finished k3 run=1 nbytes=250 0.000000000-1.000000000"])
        #expect(w.memoryBytes == 500)
        #expect(w.spilledBytes == 250)
        #expect(w.managedBytes == 750)
        #expect(w.spilledKeys == [H.k(1)])
    }

    @Test func runningATaskReadsSpilledInputsBack() {
        let w = H.worker(memoryLimit: 1000)
        _ = finish(w, 1, bytes: 250)
        _ = finish(w, 2, bytes: 250)
        _ = finish(w, 3, bytes: 250)  // k1 spilled; LRU now k2, k3
        #expect(w.step(H.compute(4, deps: [(1, [0], 250)])) == ["unspill [k1] 250", "spill [k2] 250", "execute k4 run=1"])
        #expect(w.spilledKeys == [H.k(2)])
        #expect(w.memoryBytes == 500)
    }

    @Test func readingAnInputMakesItRecentlyUsed() {
        let w = H.worker(memoryLimit: 1000)
        _ = finish(w, 1, bytes: 250)
        _ = finish(w, 2, bytes: 250)
        w.step(H.compute(4, deps: [(1, [0], 250)]))  // touches k1: LRU k2, k1
        w.step(H.success(4, nbytes: 250))              // k2 is the oldest now
        #expect(w.spilledKeys == [H.k(2)])
    }

    @Test func keyLargerThanTargetGoesStraightToDisk() {
        let w = H.worker(memoryLimit: 1000)
        _ = finish(w, 1, bytes: 100)
        #expect(finish(w, 2, bytes: 650) == ["spill [k2] 650", "task-finished k2 run=1 nbytes=650 0.000000000-1.000000000"])
        #expect(w.memoryBytes == 100)
    }

    @Test func spillThresholdCountsUnmanagedMemory() {
        var cfg = WorkerConfig()
        cfg.unmanagedMemory = 300
        let w = H.worker(memoryLimit: 1000, config: cfg)
        _ = finish(w, 1, bytes: 200)
        // memory 450 < target 600, but process memory 750 > spill 700: spill to process <= 600.
        #expect(finish(w, 2, bytes: 250) == ["task-finished k2 run=1 nbytes=250 0.000000000-1.000000000", "spill [k1] 200"])
        #expect(w.processMemory == 550)
    }

    @Test func pauseAboveThresholdAndResumeBelow() {
        var cfg = WorkerConfig()
        cfg.memoryTarget = nil
        cfg.memorySpill = nil
        let w = H.worker(memoryLimit: 1000, config: cfg)
        #expect(finish(w, 1, bytes: 850) == ["task-finished k1 run=1 nbytes=850 0.000000000-1.000000000", "status paused"])
        #expect(w.status == .paused)
        #expect(w.step(H.compute(2)) == [])
        #expect(w.st(2) == .ready)
        #expect(w.step(H.free(1)) == ["release-worker-data k1", "status running", "execute k2 run=1"])
    }

    @Test func terminateOnce() {
        var cfg = WorkerConfig()
        cfg.memoryTarget = nil
        cfg.memorySpill = nil
        cfg.memoryPause = nil
        let w = H.worker(memoryLimit: 1000, config: cfg)
        #expect(finish(w, 1, bytes: 960) == ["task-finished k1 run=1 nbytes=960 0.000000000-1.000000000", "terminate"])
        #expect(w.step(H.compute(2)) == ["execute k2 run=1"])
    }

    @Test func noLimitNoThresholds() {
        let w = H.worker()
        #expect(finish(w, 1, bytes: 1 << 40) == ["task-finished k1 run=1 nbytes=1099511627776 0.000000000-1.000000000"])
    }
}

@Suite struct ServingTests {
    func holder(incoming: Int, hosts: [Int: String] = [:]) -> WorkerState {
        var cfg = WorkerConfig()
        cfg.connectionsIncoming = incoming
        let w = H.worker(config: cfg, hosts: hosts)
        w.step(H.compute(1))
        w.step(H.success(1, nbytes: 10))
        return w
    }

    @Test func sendsWhatItHas() {
        let w = holder(incoming: 10)
        #expect(w.step(.getData(from: H.w(3), keys: [H.k(1), H.k(2)])) == ["send-data w3 [k1:10]"])
        #expect(w.outgoingTransferCount == 1)
        #expect(w.step(.getDataDone(to: H.w(3))) == [])
        #expect(w.outgoingTransferCount == 0)
    }

    @Test func busyAboveTheIncomingLimit() {
        let w = holder(incoming: 1)
        #expect(w.step(.getData(from: H.w(3), keys: [H.k(1)])) == ["send-data w3 [k1:10]"])
        #expect(w.step(.getData(from: H.w(4), keys: [H.k(1)])) == ["busy w4 [k1]"])
        w.step(.getDataDone(to: H.w(3)))
        #expect(w.step(.getData(from: H.w(4), keys: [H.k(1)])) == ["send-data w4 [k1:10]"])
    }

    @Test func sameHostGetsTwiceTheLimit() {
        let w = holder(incoming: 1, hosts: [0: "A", 5: "A"])
        #expect(w.step(.getData(from: H.w(3), keys: [H.k(1)])) == ["send-data w3 [k1:10]"])
        #expect(w.step(.getData(from: H.w(5), keys: [H.k(1)])) == ["send-data w5 [k1:10]"])
        #expect(w.step(.getData(from: H.w(5), keys: [H.k(1)])) == ["busy w5 [k1]"])
    }

    @Test func pausedServesOneAtATime() {
        let w = holder(incoming: 10)
        w.step(.pause)
        #expect(w.step(.getData(from: H.w(3), keys: [H.k(1)])) == ["send-data w3 [k1:10]"])
        #expect(w.step(.getData(from: H.w(4), keys: [H.k(1)])) == ["busy w4 [k1]"])
    }

    @Test func servingASpilledKeyReadsItBack() {
        let w = H.worker(memoryLimit: 1000)
        w.step(H.compute(1))
        w.step(H.success(1, nbytes: 700))  // straight to disk
        // Read from disk, but too large for memory: it stays spilled.
        #expect(w.step(.getData(from: H.w(3), keys: [H.k(1)])) == ["unspill [k1] 700", "send-data w3 [k1:700]"])
        #expect(w.spilledKeys == [H.k(1)])
    }
}

import Messages
import Testing
@testable import Worker

/// The fetch path: batching per peer, limits, busy peers, missing replicas, peers
/// leaving, acquire-replicas; reference scenarios S22 and S23.
@Suite struct FetchTests {
    @Test func depsOnOnePeerGoInOneMessage() {
        let w = H.worker()
        // Recommendations run last in, first out, as Dask's popitem: k3 enters fetch first.
        #expect(w.step(H.compute(10, deps: [(1, [2], 10), (2, [2], 20), (3, [2], 30)])) == ["gather w2 [k3,k2,k1] 60"])
        #expect(w.incomingTransferCount == 1)
        #expect(w.inFlightCount == 3)
    }

    @Test func messageBytesLimitSplitsAfterTheFirstKey() {
        var cfg = WorkerConfig()
        cfg.messageBytesLimit = 100
        let w = H.worker(config: cfg)
        // The first key always fits; then the message is full, and the peer is in flight.
        #expect(w.step(H.compute(10, deps: [(1, [2], 60), (2, [2], 60)])) == ["gather w2 [k2] 60"])
        #expect(w.st(1) == .fetch)
        #expect(w.step(H.received(2, [(2, 60)], requested: [2])) == ["add-keys [k2]", "gather w2 [k1] 60"])
    }

    @Test func s23aCountLimit() {
        var cfg = WorkerConfig()
        cfg.connectionsOutgoing = 1
        cfg.incomingBytesThrottleThreshold = 1
        let w = H.worker(config: cfg)
        #expect(w.step(H.compute(10, deps: [(1, [2], 100), (2, [3], 100)])) == ["gather w2 [k1] 100"])
        #expect(w.st(2) == .fetch)
        #expect(w.incomingTransferBytes == 100)
        #expect(w.step(H.received(2, [(1, 100)], requested: [1])) == ["add-keys [k1]", "gather w3 [k2] 100"])
        #expect(w.incomingTransferBytes == 100)
    }

    @Test func s23bIncomingBytesLimitOnOnePeer() {
        // memory.transfer 0.1 × 2500 = 250 bytes may be in flight.
        var cfg = WorkerConfig()
        cfg.memoryTarget = nil
        cfg.memorySpill = nil
        cfg.memoryPause = nil
        cfg.memoryTerminate = nil
        let w = H.worker(memoryLimit: 2500, config: cfg)
        #expect(w.step(H.compute(10, deps: [(1, [2], 100), (2, [2], 100), (3, [2], 100)])) == ["gather w2 [k3,k2] 200"])
        #expect(w.st(1) == .fetch)
        #expect(w.step(H.received(2, [(3, 100), (2, 100)], requested: [3, 2]))
            == ["add-keys [k2]", "add-keys [k3]", "gather w2 [k1] 100"])
    }

    @Test func s23cFirstTransferIgnoresLimits() {
        var cfg = WorkerConfig()
        cfg.messageBytesLimit = 100
        cfg.incomingBytesThrottleThreshold = 100
        cfg.memoryTarget = nil
        cfg.memorySpill = nil
        cfg.memoryPause = nil
        cfg.memoryTerminate = nil
        let w = H.worker(memoryLimit: 1000, config: cfg)
        #expect(w.step(H.compute(10, deps: [(1, [2], 200)])) == ["gather w2 [k1] 200"])
    }

    @Test func s23dRemoveWorkerWhileInFetch() {
        let w = H.worker()
        w.step(H.compute(10))  // keeps the thread busy
        #expect(w.step(H.compute(11, deps: [(1, [2], 1)])) == ["gather w2 [k1] 1"])  // x
        #expect(w.step(H.compute(12, deps: [(2, [3], 1)])) == ["gather w3 [k2] 1"])  // y
        #expect(w.step(H.compute(13, deps: [(3, [2], 1)])) == [])  // w: ws2 is in flight
        #expect(w.step(H.compute(14, deps: [(4, [2, 3], 1)])) == [])  // z: both in flight
        #expect(w.step(.scheduler(.removeWorker(worker: H.w(2), stimulusID: H.sid()))) == [])
        #expect(w.st(3) == .missing)
        #expect(w.st(4) == .fetch)
        #expect(w.whoHas(H.k(4)) == [H.w(3)])
        #expect(w.dataNeeded(from: H.w(3)) == [H.k(4)])
        #expect(w.dataNeeded(from: H.w(2)) == [])
        #expect(w.hasWhat(H.w(3)) == [H.k(2), H.k(4)])
        #expect(w.hasWhat(H.w(2)) == [])
        #expect(w.st(1) == .flight)  // settled by its transfer
    }

    @Test func s22GatherOrdering() {
        // Worker 0 on host A; w1 is on host A too, the others on their own hosts.
        var cfg = WorkerConfig()
        cfg.connectionsOutgoing = 4
        let w = H.worker(config: cfg, hosts: [0: "A", 1: "A"])
        #expect(w.step(.pause) == ["status paused"])
        let mib4: Int64 = 4 * 1_048_576
        let x: [(Int, [Int])] = [(1, [2, 1]), (2, [2]), (3, [3]), (4, [3]), (5, [4]), (6, [5]), (7, [6]), (8, [7])]
        #expect(w.step(.scheduler(.acquireReplicas(replicas: H.replicas(x.map { ($0.0, $0.1, mib4) }),
                                                   stimulusID: H.sid()))) == [])
        #expect(w.priority(of: H.k(1)) == .replica)
        // z (k20, priority (0,)) needs y (k9, 1 byte) from w7.
        #expect(w.step(H.compute(20, deps: [(9, [7], 1)])) == [])
        #expect(w.step(.unpause) == [
            "gather w7 [k9,k8] \(mib4 + 1)",   // most urgent task; the peer's other key rides along
            "gather w1 [k1] \(mib4)",          // same host first
            "gather w3 [k4,k3] \(2 * mib4)",   // the peer with most wanted keys
            "gather w2 [k2] \(mib4)",          // tie among single-key peers: smallest worker id
            "status running",
        ])
        // 4 peers and >= 10 MB in flight: throttled.
        #expect(w.incomingTransferCount == 4)
        #expect(w.fetchCount == 3)
        #expect(w.step(.scheduler(.refreshWhoHas(replicas: [], stimulusID: H.sid()))) == [])
        #expect(w.step(H.received(1, [(1, mib4)], requested: [1])) == ["add-keys [k1]", "gather w4 [k5] \(mib4)"])
    }

    @Test func busyPeerIsRetriedLaterAndOthersUsedNow() {
        let w = H.worker()
        #expect(w.step(H.compute(10, deps: [(1, [2], 10)])) == ["gather w2 [k1] 10"])
        // Learn of a second holder while the first transfer runs.
        #expect(w.step(.scheduler(.refreshWhoHas(replicas: H.replicas([(1, [2, 3], 10)]), stimulusID: H.sid()))) == [])
        #expect(w.step(.gatherDepBusy(peer: H.w(2), requested: [H.k(1)], totalBytes: 10))
            == ["retry-later w2 0.150000000", "gather w3 [k1] 10"])
        #expect(w.step(.gatherDepBusy(peer: H.w(3), requested: [H.k(1)], totalBytes: 10))
            == ["retry-later w3 0.150000000", "request-refresh-who-has [k1]"])
        #expect(w.st(1) == .fetch)
        #expect(w.step(.retryBusyWorker(peer: H.w(2)), at: 0.15) == ["gather w2 [k1] 10"])
    }

    @Test func peerWithoutTheKeyIsReportedAndAnotherTried() {
        let w = H.worker()
        #expect(w.step(H.compute(10, deps: [(1, [2, 3], 10)])) == ["gather w2 [k1] 10"])
        #expect(w.step(H.received(2, [], requested: [1])) == ["missing-data k1 w2", "gather w3 [k1] 10"])
        #expect(w.whoHas(H.k(1)) == [H.w(3)])
        #expect(w.step(H.received(3, [], requested: [1])) == ["missing-data k1 w3"])
        #expect(w.st(1) == .missing)
        #expect(w.step(.findMissing) == ["request-refresh-who-has [k1]"])
        #expect(w.step(.scheduler(.refreshWhoHas(replicas: H.replicas([(1, [4], 10)]), stimulusID: H.sid())))
            == ["gather w4 [k1] 10"])
    }

    @Test func networkFailureStrikesEveryReplicaOfThePeer() {
        let w = H.worker()
        w.step(H.compute(10, deps: [(1, [2], 10)]))
        w.step(H.compute(11, deps: [(2, [2, 3], 10)]))  // w2 is in flight: k2 waits in fetch... no, w3 is free
        #expect(w.st(2) == .flight)
        w.step(H.compute(12, deps: [(3, [2], 10)]))
        #expect(w.st(3) == .fetch)
        #expect(w.step(.gatherDepNetworkFailure(peer: H.w(2), requested: [H.k(1)], totalBytes: 10)) == [])
        #expect(w.st(1) == .missing)
        #expect(w.st(3) == .missing)
        #expect(w.whoHas(H.k(2)) == [H.w(3)])
        #expect(w.hasWhat(H.w(2)) == [])
    }

    @Test func gatherDepFailureErrsTheKeys() {
        let w = H.worker()
        w.step(H.compute(10, deps: [(1, [2], 10)]))
        #expect(w.step(.gatherDepFailure(peer: H.w(2), requested: [H.k(1)], totalBytes: 10, exception: "bad pickle"))
            == ["task-erred k1 run=-1 bad pickle"])
        #expect(w.st(1) == .error)
    }

    @Test func staleTransferReportsAreIgnored() {
        let w = H.worker()
        #expect(w.step(H.received(2, [(1, 10)], requested: [1])) == [])
        #expect(w.step(.gatherDepBusy(peer: H.w(5), requested: [], totalBytes: 0)) == [])
    }

    @Test func acquireReplicasFetchesAfterComputeDependencies() {
        let w = H.worker()
        w.step(H.compute(9))  // thread busy
        w.step(.pause)
        w.step(.scheduler(.acquireReplicas(replicas: H.replicas([(1, [2], 10)]), stimulusID: H.sid())))
        w.step(H.compute(10, deps: [(2, [2], 10)]))
        // One message from w2, the compute dependency first.
        #expect(w.step(.unpause) == ["gather w2 [k2,k1] 20", "status running"])
        #expect(w.step(H.received(2, [(2, 10), (1, 10)], requested: [2, 1])) == ["add-keys [k1]", "add-keys [k2]"])
        #expect(w.st(1) == .memory)
        #expect(w.st(10) == .ready)
    }

    @Test func refreshWhoHasMovesFetchToMissing() {
        let w = H.worker()
        w.step(H.compute(9, deps: [(1, [2], 10)]))
        w.step(H.compute(10, deps: [(2, [2], 10)]))
        #expect(w.st(2) == .fetch)
        #expect(w.step(.scheduler(.refreshWhoHas(replicas: H.replicas([(2, [], 10)]), stimulusID: H.sid()))) == [])
        #expect(w.st(2) == .missing)
    }

    /// Issue 15 (a stall in `irw mapreduce`, 32x4, random policy, seed 4): a peer's
    /// `data_needed` heap full of stale entries is compacted in the middle of
    /// `_select_keys_for_gather`; popping after the removal then dropped a live task,
    /// which stayed in `fetch` with no heap entry and was never gathered.
    ///
    /// By hand: k0 needs k2...k5 from w2 only; w2 answers busy, so they are back in
    /// `fetch` (re-entered k2, k3, k4, k5: the busy handler recommends in flight order
    /// k5...k2, run last in, first out). k1 (less urgent) needs k6...k71 from w1 or
    /// w2; w2 is busy, so all 66 go to w1, leaving 66 stale entries in w2's heap
    /// (70 entries for 4 live tasks: below the compaction bound 2 × 4 + 64 = 72).
    /// On the retry, taking k3 leaves 69 entries for 2 live tasks (> 2 × 2 + 64 = 68):
    /// the heap is compacted then, and k4 must still be sent.
    @Test func compactingDataNeededMidGatherKeepsEveryTask() {
        let w = H.worker(workload: H.workload(72))
        let e = Array(2...5), d = Array(6...71)
        #expect(w.step(H.compute(0, order: 0, deps: e.map { ($0, [2], 10) })) == ["gather w2 [k5,k4,k3,k2] 40"])
        #expect(w.step(.gatherDepBusy(peer: H.w(2), requested: e.map(H.k), totalBytes: 40))
            == ["retry-later w2 0.150000000", "request-refresh-who-has [k5,k4,k3,k2]"])
        #expect(w.dataNeeded(from: H.w(2)) == [2, 3, 4, 5].map(H.k))
        let toW1 = "[" + d.reversed().map { "k\($0)" }.joined(separator: ",") + "]"
        #expect(w.step(H.compute(1, order: 1, deps: d.map { ($0, [1, 2], 10) })) == ["gather w1 \(toW1) 660"])
        #expect(w.dataNeeded(from: H.w(2)) == [2, 3, 4, 5].map(H.k))
        #expect(w.step(.retryBusyWorker(peer: H.w(2)), at: 0.15) == ["gather w2 [k2,k3,k4,k5] 40"])
        #expect(w.fetchCount == 0)
        #expect(w.inFlightCount == 70)
        #expect(w.dataNeeded(from: H.w(2)) == [])
    }
}

import Messages
import Testing
@testable import Worker

/// Transfer limits of `WorkerState._ensure_communicating` / `_select_keys_for_gather`:
/// * `_task_exceeds_transfer_limits`: the first key with nothing in flight always goes; a
///   further key must fit `min(transfer_incoming_bytes_limit − in flight, message-bytes-limit)
///   − bytes already in this message` (the first key of a later message: only the first term);
/// * `_should_throttle_incoming_transfers`: (peers in flight ≥ connections.outgoing and bytes in
///   flight ≥ 10 MB) or bytes in flight ≥ memory.transfer × memory limit;
/// * serving: at most `connections.incoming` concurrent `get_data`, ×2 for the same host.
@Suite struct TransferThresholdTests {
    func gathers(_ lines: [String]) -> [String] { lines.filter { $0.hasPrefix("gather") } }

    /// Two 50-byte inputs on w1: both fit a 100-byte message (50 + 50 = 100 is not above it);
    /// with a 99-byte limit the second does not (50 > 99 − 50 = 49).
    @Test func messageBytesLimitIsInclusive() {
        var cfg = WorkerConfig()
        cfg.messageBytesLimit = 100
        let a = H.worker(config: cfg)
        #expect(gathers(a.step(H.compute(10, deps: [(1, [1], 50), (2, [1], 50)]))).map { $0.suffix(4) } == [" 100"])
        cfg.messageBytesLimit = 99
        let b = H.worker(config: cfg)
        #expect(gathers(b.step(H.compute(10, deps: [(1, [1], 50), (2, [1], 50)]))).map { $0.suffix(3) } == [" 50"])
    }

    /// The first key always goes, even above the message limit.
    @Test func firstKeyIgnoresTheMessageLimit() {
        var cfg = WorkerConfig()
        cfg.messageBytesLimit = 10
        let w = H.worker(config: cfg)
        #expect(gathers(w.step(H.compute(10, deps: [(1, [1], 50)]))) == ["gather w1 [k1] 50"])
    }

    /// connections.outgoing 1, throttle threshold 100 B; inputs on w1 and w2 (w1 first: equal
    /// priority, both remote, one key each, lower id). After the first gather 1 peer is in
    /// flight: 99 B < 100 → not throttled, w2 too; 100 B ≥ 100 → throttled, w1 only.
    @Test func countLimitAppliesOnlyAboveTheByteThreshold() {
        var cfg = WorkerConfig()
        cfg.connectionsOutgoing = 1
        cfg.incomingBytesThrottleThreshold = 100
        let a = H.worker(config: cfg)
        #expect(gathers(a.step(H.compute(10, deps: [(1, [1], 99), (2, [2], 99)]))) == ["gather w1 [k1] 99", "gather w2 [k2] 99"])
        let b = H.worker(config: cfg)
        #expect(gathers(b.step(H.compute(10, deps: [(1, [1], 100), (2, [2], 100)]))) == ["gather w1 [k1] 100"])
    }

    /// Memory limit 1000 → incoming byte limit 0.10 × 1000 = 100. 60 B from w1 in flight: a
    /// 40-byte key from w2 fits (40 ≤ 100 − 60), a 41-byte key does not.
    @Test func incomingBytesLimitIsAFractionOfMemory() {
        let a = H.worker(memoryLimit: 1000)
        #expect(gathers(a.step(H.compute(10, deps: [(1, [1], 60), (2, [2], 40)]))) == ["gather w1 [k1] 60", "gather w2 [k2] 40"])
        let b = H.worker(memoryLimit: 1000)
        #expect(gathers(b.step(H.compute(10, deps: [(1, [1], 60), (2, [2], 41)]))) == ["gather w1 [k1] 60"])
    }

    /// Serving: connections.incoming 2 → the 3rd concurrent request from another host is busy;
    /// a requester on this host gets 2 × 2 = 4.
    @Test func servingLimitAndSameHostDoubling() {
        var cfg = WorkerConfig()
        cfg.connectionsIncoming = 2
        let w = H.worker(config: cfg, hosts: [0: "h0", 5: "h0"])
        w.step(H.compute(1))
        w.step(H.success(1))
        #expect(w.step(.getData(from: H.w(1), keys: [H.k(1)])) == ["send-data w1 [k1:10]"])
        #expect(w.step(.getData(from: H.w(2), keys: [H.k(1)])) == ["send-data w2 [k1:10]"])
        #expect(w.step(.getData(from: H.w(3), keys: [H.k(1)])) == ["busy w3 [k1]"])
        #expect(w.step(.getData(from: H.w(5), keys: [H.k(1)])) == ["send-data w5 [k1:10]"])
        #expect(w.step(.getData(from: H.w(5), keys: [H.k(1)])) == ["send-data w5 [k1:10]"])
        #expect(w.step(.getData(from: H.w(5), keys: [H.k(1)])) == ["busy w5 [k1]"])
    }
}

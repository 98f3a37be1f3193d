import Messages
import NIOCore
import Testing
import Workload
@testable import Executor

/// Every number a peer sends is bounded when decoded (WireBounds, WireReader): a
/// value outside its range is refused with the op, the field and the range named.
struct WireBoundsTests {
    static let limits = WireCodecTests.limits
    static let sid = StimulusID("compute-task", 1)

    static func decode(_ m: WireMessage) throws -> WireMessage { try WireCodecTests.roundTrip(m, limits: limits) }

    static func hello(nthreads: Int32 = 2, memoryLimit: Int64 = 1 << 30, dataPort: Int32 = 40000,
                      peerID: Int32 = -1) -> WireMessage {
        .hello(Hello(role: .worker, token: "", name: "w", nthreads: nthreads, memoryLimit: memoryLimit,
                     dataHost: "127.0.0.1", dataPort: dataPort, peerID: peerID))
    }

    @Test func helloThreadsAreBounded() throws {
        #expect(throws: WireError("'hello': field 'nthreads': 2147483647 is outside 0...100000")) {
            try Self.decode(Self.hello(nthreads: Int32.max))
        }
        #expect(throws: WireError("'hello': field 'nthreads': -1 is outside 0...100000")) {
            try Self.decode(Self.hello(nthreads: -1))
        }
        // The largest value allowed still decodes.
        guard case .hello(let h) = try Self.decode(Self.hello(nthreads: WireBounds.maximumThreads)) else {
            Issue.record("not a hello"); return
        }
        #expect(h.nthreads == 100_000)
    }

    @Test func helloSizesPortsAndPeerIDsAreBounded() {
        #expect(throws: WireError("'hello': field 'memory_limit': -5 is outside 0...\(Int64(1) << 50)")) {
            try Self.decode(Self.hello(memoryLimit: -5))
        }
        #expect(throws: WireError("'hello': field 'memory_limit': \((Int64(1) << 50) + 1) is outside 0...\(Int64(1) << 50)")) {
            try Self.decode(Self.hello(memoryLimit: (1 << 50) + 1))
        }
        #expect(throws: WireError("'hello': field 'data_port': 65536 is outside 0...65535")) {
            try Self.decode(Self.hello(dataPort: 65536))
        }
        #expect(throws: WireError("'hello': field 'peer_id': -2 is outside -1...999999")) {
            try Self.decode(Self.hello(peerID: -2))
        }
    }

    @Test func timesBytesAndCountsAreBounded() {
        let t1 = TaskID(1)
        #expect(throws: WireError("'task-finished': field 'nbytes': -1 is outside 0...\(Int64(1) << 50)")) {
            try Self.decode(.toScheduler(.taskFinished(key: t1, runID: 1, nbytes: -1, start: Time(nanoseconds: 1),
                                                       stop: Time(nanoseconds: 2), stimulusID: Self.sid)))
        }
        #expect(throws: WireError("'task-finished': field 'start': negative time -7 ns")) {
            try Self.decode(.toScheduler(.taskFinished(key: t1, runID: 1, nbytes: 8, start: Time(nanoseconds: -7),
                                                       stop: Time(nanoseconds: 2), stimulusID: Self.sid)))
        }
        #expect(throws: WireError("'heartbeat-worker': field 'busy_threads': 100001 is outside 0...100000")) {
            try Self.decode(.heartbeatWorker(HeartbeatReport(executing: [], busyThreads: 100_001, queued: 0, memoryBytes: 0)))
        }
        #expect(throws: WireError("'heartbeat-worker': field 'queued': -3 is outside 0...2147483647")) {
            try Self.decode(.heartbeatWorker(HeartbeatReport(executing: [], busyThreads: 0, queued: -3, memoryBytes: 0)))
        }
        #expect(throws: WireError("'worker-address': field 'port': -1 is outside 0...65535")) {
            try Self.decode(.workerAddress(PeerAddress(id: WorkerID(1), name: "w", host: "h", port: -1)))
        }
        #expect(throws: WireError("'transfer-log': field 'entries[0].from': -2 is outside -1...1000000")) {
            try Self.decode(.transferLog([TransferEntry(key: t1, from: -2, to: 1, bytes: 5, start: Time(nanoseconds: 1),
                                                        end: Time(nanoseconds: 2))]))
        }
    }

    @Test func stringsAreBounded() {
        let long = String(repeating: "x", count: WireBounds.maximumStringBytes + 1)
        #expect(throws: WireError("'refused': field 'reason': string of \(WireBounds.maximumStringBytes + 1) bytes exceeds the limit of \(WireBounds.maximumStringBytes)")) {
            try Self.decode(.refused(reason: long))
        }
        let fits = String(repeating: "y", count: WireBounds.maximumStringBytes)
        guard case .refused(let back)? = try? Self.decode(.refused(reason: fits)) else {
            Issue.record("a string of exactly the limit should decode"); return
        }
        #expect(back == fits)
    }
}

import Messages
import NIOCore
import Testing
import Workload
@testable import Executor

/// Encode/decode round trips for every message, a pinned byte layout, and a fuzz
/// of the decoder with garbage, truncated and bit-flipped frames.
struct WireCodecTests {
    static let limits = WireCodec.Limits(taskCount: 10, workerLimit: 8)

    static func body(_ m: WireMessage) -> ByteBuffer {
        var frame = WireCodec.encode(m)
        let length = frame.readInteger(endianness: .big, as: UInt32.self)
        precondition(Int(length ?? 0) == frame.readableBytes)
        return frame
    }

    static func roundTrip(_ m: WireMessage, limits: WireCodec.Limits = limits) throws -> WireMessage {
        try WireCodec.decode(body(m), limits: limits)
    }

    static let sid = StimulusID("compute-task", 42)
    static let t = (0..<10).map { TaskID($0) }
    static let w = (0..<8).map { WorkerID($0) }

    static var schedulerToWorker: [SchedulerToWorker] {
        [
            .computeTask(ComputeTask(
                key: t[3], runID: 17, priority: Priority(negatedUserPriority: -2, generation: 1, order: 9),
                durationEstimate: Time(nanoseconds: 123_456_789),
                dependencies: [DependencyReplicas(key: t[1], whoHas: [w[0], w[2]], nbytes: 4096),
                               DependencyReplicas(key: t[2], whoHas: [], nbytes: 0)],
                resources: [ResourceRequest(name: "GPU", amount: 1.5)], actor: true, stimulusID: sid)),
            .freeKeys(keys: [t[1], t[2]], stimulusID: StimulusID("free-keys", 1)),
            .stealRequest(key: t[4], stimulusID: StimulusID("steal", 2)),
            .acquireReplicas(replicas: [DependencyReplicas(key: t[5], whoHas: [w[7]], nbytes: 1)], stimulusID: sid),
            .removeReplicas(keys: [t[6]], stimulusID: sid),
            .refreshWhoHas(replicas: [], stimulusID: sid),
            .removeWorker(worker: w[3], stimulusID: StimulusID("remove-worker", 9)),
            .workerStatusChange(status: .closingGracefully, stimulusID: sid),
            .close(reason: "scheduler-close ✓"),
        ]
    }

    static var workerToScheduler: [WorkerToScheduler] {
        [
            .taskFinished(key: t[1], runID: 3, nbytes: 99, start: Time(nanoseconds: 5), stop: Time(nanoseconds: 7), stimulusID: sid),
            .taskErred(key: t[2], runID: 4, exception: "ZeroDivisionError", start: .zero, stop: .never, stimulusID: sid),
            .releaseWorkerData(key: t[3], stimulusID: sid),
            .addKeys(keys: [t[4], t[5]], stimulusID: sid),
            .longRunning(key: t[6], runID: 8, computeDuration: Time(nanoseconds: 1000), stimulusID: sid),
            .reschedule(key: t[7], stimulusID: sid),
            .stealResponse(key: t[8], state: .executing, stimulusID: sid),
            .stealResponse(key: t[8], state: nil, stimulusID: sid),
            .requestRefreshWhoHas(keys: [t[9]], stimulusID: sid),
            .missingData(key: t[0], errantWorker: w[5], stimulusID: sid),
            .workerStatusChange(status: .paused, stimulusID: sid),
        ]
    }

    static var clientToScheduler: [ClientToScheduler] {
        [
            .updateGraph(client: ClientID(0), submission: 2, tasks: [t[0], t[1]], wanted: [t[1]], submitter: t[4], stimulusID: sid),
            .updateGraph(client: ClientID(1), submission: 0, tasks: [], wanted: [], submitter: nil, stimulusID: sid),
            .updateData(client: ClientID(0), replicas: [DependencyReplicas(key: t[2], whoHas: [w[1]], nbytes: 12)], stimulusID: sid),
            .clientDesiresKeys(client: ClientID(0), keys: [t[3]], stimulusID: sid),
            .clientReleasesKeys(client: ClientID(0), keys: [t[3]], stimulusID: sid),
            .retry(client: ClientID(0), keys: [t[3]], stimulusID: sid),
        ]
    }

    static var schedulerToClient: [SchedulerToClient] {
        [
            .keyInMemory(key: t[1], workers: [w[0], w[1]]),
            .taskErred(key: t[2], exception: "boom"),
            .lostData(key: t[3]),
            .cancelledKeys(keys: [t[4], t[5]], reason: "client lost"),
            .taskRetried(key: t[6]),
        ]
    }

    static var control: [WireMessage] {
        var payload = ByteBufferAllocator().buffer(capacity: 5)
        payload.writeBytes([1, 2, 3, 4, 5])
        var records = RunRecords()
        records.runStart = Time(nanoseconds: 1_000)
        records.workerNames = ["w1", "w2"]
        records.workerThreads = [2, 2]
        var outcome = RunRecords.TaskOutcome()
        outcome.worker = 1
        outcome.start = Time(nanoseconds: 5)
        outcome.state = "memory"
        records.tasks = [outcome]
        records.transitions = [RunRecords.Transition(time: Time(nanoseconds: 9), key: t[0], from: "waiting", to: "processing", stimulus: "update-graph-1", worker: 1)]
        records.transfers = [TransferEntry(key: t[0], from: 0, to: 1, bytes: 10, start: Time(nanoseconds: 1), end: Time(nanoseconds: 2))]
        records.samples = [RunRecords.WorkerSample(time: Time(nanoseconds: 3), worker: 0, busyThreads: 2, queued: 1, memoryBytes: 10, occupancy: Time(nanoseconds: 4))]
        records.steals = 2
        records.stimuli = 30
        records.notes = ["worker lost"]
        return [
            .hello(Hello(role: .worker, token: "s3cret", name: "w1", nthreads: 2, memoryLimit: 2 << 30,
                         dataHost: "127.0.0.1", dataPort: 40000, peerID: -1)),
            .welcome(id: 3, runStart: Time(nanoseconds: 77)),
            .refused(reason: "wrong token"),
            .workerAddress(PeerAddress(id: w[2], name: "w3", host: "127.0.0.1", port: 1234)),
            .heartbeatWorker(HeartbeatReport(executing: [ExecutingTask(key: t[1], elapsed: Time(nanoseconds: 50))],
                                             busyThreads: 1, queued: 4, memoryBytes: 1 << 20)),
            .scatter(keys: [t[1]], target: .workers([w[1], w[2]])),
            .scatter(keys: [t[1]], target: .roundRobin),
            .scatter(keys: [], target: .broadcast),
            .scatterTo(placements: [DependencyReplicas(key: t[1], whoHas: [w[0]], nbytes: 5)]),
            .getData(keys: [t[1], t[2]]),
            .data(items: [DataItem(key: t[1], checksum: 0xdead_beef, payload: payload)]),
            .busy(keys: [t[3]]),
            .scatterData(items: [DataItem(key: t[2], checksum: 1, payload: payload)]),
            .scatterDone,
            .transferLog([TransferEntry(key: t[1], from: 0, to: 1, bytes: 5, start: Time(nanoseconds: 10), end: Time(nanoseconds: 20))]),
            .getLogs,
            .logs(records),
            .terminate,
        ]
    }

    static var allMessages: [WireMessage] {
        schedulerToWorker.map(WireMessage.toWorker) + workerToScheduler.map(WireMessage.toScheduler)
            + clientToScheduler.map(WireMessage.fromClient) + schedulerToClient.map(WireMessage.toClient) + control
    }

    @Test func stateMachineMessagesRoundTripExactly() throws {
        for m in Self.schedulerToWorker {
            guard case .toWorker(let back) = try Self.roundTrip(.toWorker(m)) else { Issue.record("\(m.op)"); continue }
            #expect(back == m)
        }
        for m in Self.workerToScheduler {
            guard case .toScheduler(let back) = try Self.roundTrip(.toScheduler(m)) else { Issue.record("\(m.op)"); continue }
            #expect(back == m)
        }
        for m in Self.clientToScheduler {
            guard case .fromClient(let back) = try Self.roundTrip(.fromClient(m)) else { Issue.record("\(m.op)"); continue }
            #expect(back == m)
        }
        for m in Self.schedulerToClient {
            guard case .toClient(let back) = try Self.roundTrip(.toClient(m)) else { Issue.record("\(m.op)"); continue }
            #expect(back == m)
        }
    }

    @Test func controlMessagesRoundTripByteForByte() throws {
        for m in Self.control {
            let back = try Self.roundTrip(m)
            #expect(back.op == m.op)
            #expect(WireCodec.encode(back) == WireCodec.encode(m), "\(m.op)")
        }
        guard case .hello(let h) = try Self.roundTrip(Self.control[0]) else { Issue.record("hello"); return }
        #expect(h == Hello(role: .worker, token: "s3cret", name: "w1", nthreads: 2, memoryLimit: 2 << 30,
                           dataHost: "127.0.0.1", dataPort: 40000, peerID: -1))
        guard case .logs(let records) = try Self.roundTrip(Self.control[16]) else { Issue.record("logs"); return }
        #expect(records.transitions.first?.stimulus == "update-graph-1")
        #expect(records.notes == ["worker lost"])
    }

    /// The documented layout of `free-keys` (docs/protocol.md), byte by byte.
    @Test func freeKeysFrameLayout() {
        let frame = WireCodec.encode(.toWorker(.freeKeys(keys: [TaskID(1), TaskID(258)], stimulusID: StimulusID("free-keys", 5))))
        let expected: [UInt8] = [0, 0, 0, 44,  // length
                                 1,  // stream: scheduler → worker
                                 9] + Array("free-keys".utf8) + [
                                 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 1, 2,  // keys
                                 0, 0, 0, 9] + Array("free-keys".utf8) + [0, 0, 0, 0, 0, 0, 0, 5]  // stimulus_id
        #expect(Array(frame.readableBytesView) == expected)
    }

    @Test func workloadRoundTripKeepsEveryField() throws {
        var b = WorkloadBuilder(name: "g", source: "s")
        b.add(TaskSpec(key: "x", kind: .data, outputBytes: 10, submission: 0), dependencies: [], origin: "x")
        b.add(TaskSpec(key: "('a', 1)", duration: 1.5, outputBytes: 20, dependencyBytes: [4], dependencyParts: [3],
                       restrictions: Restrictions(workers: ["w1"], hosts: ["h"], loose: true),
                       resources: [ResourceRequest(name: "GPU", amount: 2)], userPriority: -3, retries: 2, order: 7,
                       isActor: true, submission: 1), dependencies: ["x"], origin: "a")
        b.addSubmission(client: "client-0", time: 0, wanted: ["x"], origin: "s0")
        b.addSubmission(client: "client-1", time: 2.5, wanted: ["('a', 1)"], origin: "s1")
        let w = try b.build()
        guard case .graph(let back) = try Self.roundTrip(.graph(w), limits: .init(taskCount: 0)) else {
            Issue.record("not a graph"); return
        }
        #expect(back.tasks == w.tasks)
        #expect(back.submissions == w.submissions)
        #expect(back.name == "g")
    }

    @Test func idsOutOfRangeAreRejectedWithTheField() {
        let m = WireMessage.toWorker(.freeKeys(keys: [TaskID(12)], stimulusID: Self.sid))
        #expect(throws: WireError("'free-keys': field 'keys[0]': task id 12 out of range (the graph has 10 tasks)")) {
            try Self.roundTrip(m)
        }
        let r = WireMessage.toScheduler(.missingData(key: TaskID(1), errantWorker: WorkerID(9), stimulusID: Self.sid))
        #expect(throws: WireError("'missing-data': field 'errant_worker': worker id 9 out of range")) {
            try Self.roundTrip(r)
        }
    }

    @Test func unknownOpsAndStreamsAreErrors() {
        var b = ByteBufferAllocator().buffer(capacity: 16)
        b.writeInteger(UInt8(1))
        b.writeInteger(UInt8(7))
        b.writeString("explode")
        #expect(throws: WireError("unknown op 'explode' on the scheduler-to-worker stream")) {
            try WireCodec.decode(b, limits: Self.limits)
        }
        var s = ByteBufferAllocator().buffer(capacity: 16)
        s.writeInteger(UInt8(9))
        s.writeInteger(UInt8(1))
        s.writeString("x")
        #expect(throws: WireError("frame: unknown stream 9 (op 'x')")) { try WireCodec.decode(s, limits: Self.limits) }
    }

    @Test func wrongProtocolVersionIsRefused() {
        var h = Hello(role: .client, token: "", name: "c")
        h.version = 99
        #expect(throws: WireError("'hello': field 'version': protocol version 99 is not supported (this side speaks 2)")) {
            try Self.roundTrip(.hello(h))
        }
    }

    /// Every proper prefix of every valid frame body must throw (never crash, never decode).
    @Test func everyTruncationThrows() {
        for m in Self.allMessages {
            let full = Self.body(m)
            for length in 0..<full.readableBytes {
                let cut = full.getSlice(at: full.readerIndex, length: length)!
                #expect(throws: WireError.self, "\(m.op) cut at \(length)") { try WireCodec.decode(cut, limits: Self.limits) }
            }
            var extra = full
            extra.writeInteger(UInt8(0))
            #expect(throws: WireError.self, "\(m.op) with a trailing byte") { try WireCodec.decode(extra, limits: Self.limits) }
        }
    }

    /// Random garbage and random byte flips of valid frames: decoding may succeed or
    /// throw, but must never trap. Seeded, so a failure reproduces.
    @Test func fuzzedFramesNeverCrash() {
        var rng = SplitMix(seed: 20261127)
        var decoded = 0
        var rejected = 0
        let messages = Self.allMessages
        for i in 0..<20_000 {
            var b: ByteBuffer
            if i % 2 == 0 {
                let n = Int(rng.next() % 64)
                b = ByteBufferAllocator().buffer(capacity: n)
                for _ in 0..<n { b.writeInteger(UInt8(truncatingIfNeeded: rng.next())) }
                if n > 0, rng.next() % 2 == 0 { b.setInteger(UInt8(rng.next() % 5), at: 0) }  // a valid stream byte
            } else {
                b = Self.body(messages[Int(rng.next() % UInt64(messages.count))])
                let flips = 1 + Int(rng.next() % 3)
                for _ in 0..<flips where b.readableBytes > 0 {
                    let at = Int(rng.next() % UInt64(b.readableBytes))
                    b.setInteger(UInt8(truncatingIfNeeded: rng.next()), at: at)
                }
            }
            do {
                _ = try WireCodec.decode(b, limits: Self.limits)
                decoded += 1
            } catch {
                rejected += 1
            }
        }
        #expect(decoded + rejected == 20_000)
        #expect(rejected > 10_000)
    }
}

/// A tiny seeded generator for the fuzz test (splitmix64).
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

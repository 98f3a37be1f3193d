import Messages
import Testing
@testable import Worker

/// SplitMix64: a tiny seeded generator local to the tests.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
}

/// Random but plausible stimulus sequences (a scheduler, peers and an executor that
/// answer the worker's instructions in random order) with every invariant checked
/// after every stimulus, then a drain that must leave the worker empty.
@Suite struct RandomizedTests {
    static let keyCount = 40
    static let peerCount = 5

    final class Driver {
        var rng: SplitMix64
        let w: WorkerState
        var now = 0.0
        var executing: [(key: TaskID, run: Int64)] = []
        var gathers: [(peer: WorkerID, keys: [TaskID], bytes: Int64)] = []
        var serving: [WorkerID] = []
        var busyPeers: [WorkerID] = []
        var run: Int64 = 0
        var steps = 0
        var problems: [String] = []
        /// Every stimulus with its time and the instructions it produced.
        var history: [(stimulus: WorkerStimulus, now: Time, output: [WorkerInstruction])] = []
        /// Every instruction, as text, in order.
        var log: [String] = []
        /// How often each instruction kind came out (to check the run covered ground).
        var seen: [String: Int] = [:]
        /// Dependencies sent for each key (a union, as the worker links them).
        var depsOf: [Int: Set<Int>] = [:]

        /// A scheduler frees a key only together with everything that depends on it.
        func withDependents(_ k: Int) -> [TaskID] {
            var result = [k]
            var i = 0
            while i < result.count {
                let x = result[i]
                for (t, deps) in depsOf.sorted(by: { $0.key < $1.key }) where deps.contains(x) && !result.contains(t) {
                    result.append(t)
                }
                i += 1
            }
            return result.map(H.k)
        }

        /// A replica may be dropped only if nothing here still needs it.
        func needed(_ k: Int) -> Bool {
            depsOf.contains { t, deps in
                guard deps.contains(k), let s = w.state(of: H.k(t)) else { return false }
                return s != .memory && s != .error && s != .released && s != .fetch && s != .flight && s != .missing
            }
        }

        init(seed: UInt64) {
            rng = SplitMix64(state: seed)
            w = H.worker(threads: 2, memoryLimit: 4000, resources: [("R", 2)], hosts: [0: "A", 1: "A"])
        }

        func feed(_ s: WorkerStimulus) {
            now += 0.01
            steps += 1
            let out = w.handle(s, now: .seconds(now))
            history.append((s, .seconds(now), out))
            do { try w._checkInvariants() } catch {
                problems.append("step \(steps) \(s): \(error)")
            }
            // Liveness: with nothing in flight, every peer holding a wanted key must be
            // busy (otherwise its first key would have been requested).
            if w.running && w.incomingTransferCount == 0 {
                for p in 1...RandomizedTests.peerCount where !w.dataNeeded(from: H.w(p)).isEmpty {
                    if !busyPeers.contains(H.w(p)) && !out.contains(where: {
                        if case .retryBusyWorkerLater(let peer, _) = $0 { return peer == H.w(p) } else { return false }
                    }) {
                        problems.append("step \(steps): w\(p) holds wanted keys but nothing is in flight")
                    }
                }
            }
            log += out.map(H.text)
            for i in out {
                seen[String(H.text(i).prefix { $0 != " " }), default: 0] += 1
                for k in H.shared.ids.prefix(RandomizedTests.keyCount) where w.state(of: k) != nil {
                    seen["state " + (w.state(of: k)?.rawValue ?? ""), default: 0] += 1
                }
                switch i {
                case let .execute(key, runID): executing.append((key, runID))
                case let .gatherDep(peer, keys, bytes, _): gathers.append((peer, keys, bytes))
                case let .sendData(to, _): serving.append(to)
                case let .retryBusyWorkerLater(peer, _): busyPeers.append(peer)
                default: break
                }
            }
        }

        func key() -> TaskID { H.k(rng.below(RandomizedTests.keyCount)) }
        func peer() -> WorkerID { H.w(1 + rng.below(RandomizedTests.peerCount)) }
        func holders() -> [WorkerID] {
            var hs: [WorkerID] = []
            for _ in 0..<(1 + rng.below(2)) { hs.append(peer()) }
            if rng.chance(5) { hs.append(H.w(0)) }
            return hs
        }
        func bytes() -> Int64 { Int64(1 + rng.below(400)) }

        func randomStep() {
            switch rng.below(20) {
            case 0, 1, 2, 3:
                let k = rng.below(RandomizedTests.keyCount)
                var deps: [DependencyReplicas] = []
                for _ in 0..<rng.below(4) where k > 0 {
                    let d = H.k(rng.below(k))
                    if !deps.contains(where: { $0.key == d }) {
                        deps.append(DependencyReplicas(key: d, whoHas: holders(), nbytes: bytes()))
                    }
                }
                depsOf[k, default: []].formUnion(deps.map(\.key.index))
                run += 1
                let res = rng.chance(30) ? [ResourceRequest(name: "R", amount: Double(1 + rng.below(2)))] : []
                feed(.scheduler(.computeTask(ComputeTask(
                    key: H.k(k), runID: run, priority: Priority(order: Int32(rng.below(5))),
                    durationEstimate: .seconds(1), dependencies: deps, resources: res, stimulusID: H.sid()))))
            case 4, 5, 6:
                guard !executing.isEmpty else { return }
                let e = executing.remove(at: rng.below(executing.count))
                if rng.chance(85) {
                    feed(.executeSuccess(key: e.key, runID: e.run, start: .seconds(now - 0.005), stop: .seconds(now), nbytes: bytes()))
                } else {
                    feed(.executeFailure(key: e.key, runID: e.run, start: .seconds(now - 0.005), stop: .seconds(now), exception: "boom"))
                }
            case 7, 8, 9:
                guard !gathers.isEmpty else { return }
                let g = gathers.remove(at: rng.below(gathers.count))
                switch rng.below(10) {
                case 0: feed(.gatherDepBusy(peer: g.peer, requested: g.keys, totalBytes: g.bytes))
                case 1: feed(.gatherDepNetworkFailure(peer: g.peer, requested: g.keys, totalBytes: g.bytes))
                case 2: feed(.gatherDepFailure(peer: g.peer, requested: g.keys, totalBytes: g.bytes, exception: "bad"))
                default:
                    let got = g.keys.filter { _ in rng.chance(85) }.map { ReceivedKey(key: $0, nbytes: bytes()) }
                    feed(.gatherDepSuccess(peer: g.peer, received: got, requested: g.keys, totalBytes: g.bytes))
                }
            case 10:
                feed(.scheduler(.freeKeys(keys: withDependents(key().index), stimulusID: H.sid())))
            case 11:
                feed(.scheduler(.stealRequest(key: key(), stimulusID: H.sid())))
            case 12:
                if rng.chance(20) { feed(.scheduler(.removeWorker(worker: peer(), stimulusID: H.sid()))) }
                else { feed(rng.chance(50) ? .pause : .unpause) }
            case 13:
                guard !executing.isEmpty else { return }
                feed(.secede(key: executing[rng.below(executing.count)].key))
            case 14:
                feed(.scheduler(.acquireReplicas(replicas: [DependencyReplicas(key: key(), whoHas: holders(), nbytes: bytes())],
                                                 stimulusID: H.sid())))
            case 15:
                if rng.chance(50) { feed(.findMissing) }
                else {
                    feed(.scheduler(.refreshWhoHas(replicas: [DependencyReplicas(key: key(), whoHas: holders(), nbytes: bytes())],
                                                   stimulusID: H.sid())))
                }
            case 16:
                if !serving.isEmpty && rng.chance(50) { feed(.getDataDone(to: serving.removeFirst())) }
                else { feed(.getData(from: peer(), keys: [key(), key()])) }
            case 17:
                if !busyPeers.isEmpty { feed(.retryBusyWorker(peer: busyPeers.removeFirst())) }
            case 18:
                if rng.chance(50) { feed(.updateData(keys: [ReceivedKey(key: key(), nbytes: bytes())])) }
                else {
                    let k = key()
                    if !needed(k.index) { feed(.scheduler(.removeReplicas(keys: [k], stimulusID: H.sid()))) }
                }
            default:
                feed(.scheduler(.freeKeys(keys: withDependents(key().index), stimulusID: H.sid())))
            }
        }

        /// Answers everything outstanding, then frees every key, until nothing is left.
        func drain() {
            feed(.unpause)
            for _ in 0..<20 {
                while let e = executing.popLast() {
                    feed(.executeSuccess(key: e.key, runID: e.run, start: .seconds(now), stop: .seconds(now), nbytes: 1))
                }
                while let g = gathers.popLast() {
                    feed(.gatherDepSuccess(peer: g.peer, received: g.keys.map { ReceivedKey(key: $0, nbytes: 1) },
                                           requested: g.keys, totalBytes: g.bytes))
                }
                while let p = busyPeers.popLast() { feed(.retryBusyWorker(peer: p)) }
                feed(.scheduler(.freeKeys(keys: (0..<RandomizedTests.keyCount).map(H.k), stimulusID: H.sid())))
                if executing.isEmpty && gathers.isEmpty && w.knownTaskCount == 0 { return }
            }
        }
    }

    @Test(arguments: 1...16)
    func randomStimuliKeepInvariants(seed: Int) {
        let d = Driver(seed: UInt64(seed))
        for _ in 0..<400 { d.randomStep() }
        d.drain()
        #expect(d.problems.isEmpty, "\(d.problems.prefix(3))")
        #expect(d.w.knownTaskCount == 0)
        #expect(d.w.executingCount == 0)
        #expect(d.w.managedBytes == 0)
        #expect(d.w.incomingTransferBytes == 0)
        #expect(d.w.availableResourceAmounts.map(\.amount) == [2])
    }

    @Test func randomRunsCoverTheStateMachine() {
        var seen: [String: Int] = [:]
        for seed in 1...8 {
            let d = Driver(seed: UInt64(seed))
            for _ in 0..<400 { d.randomStep() }
            d.drain()
            seen.merge(d.seen, uniquingKeysWith: +)
        }
        for kind in ["execute", "gather", "task-finished", "task-erred", "add-keys", "release-worker-data",
                     "long-running", "steal-response", "missing-data", "request-refresh-who-has", "retry-later",
                     "send-data", "status", "state cancelled", "state resumed", "state missing", "state constrained",
                     "state long-running", "state error", "state fetch", "state flight", "state waiting"] {
            #expect(seen[kind, default: 0] > 0, "never saw \(kind)")
        }
    }

    @Test func invariantCheckerCatchesCorruption() throws {
        let w = H.worker()
        w.step(H.compute(1))
        try w._checkInvariants()
        w.executingTasks += 1
        #expect(throws: WorkerInvariantError.self) { try w._checkInvariants() }
        w.executingTasks -= 1
        w.step(H.compute(3, deps: [(2, [4], 10)]))
        try w._checkInvariants()
        w.incomingBytes += 1
        #expect(throws: WorkerInvariantError.self) { try w._checkInvariants() }
    }

    @Test func sameSeedSameInstructions() {
        func trace(_ seed: UInt64) -> [String] {
            let d = Driver(seed: seed)
            for _ in 0..<300 { d.randomStep() }
            d.drain()
            return d.log
        }
        let first = trace(7)
        #expect(first.count > 200)
        #expect(first == trace(7))
        #expect(first != trace(8))
    }

    @Test func appendingToABufferGivesTheSameInstructions() {
        let d = Driver(seed: 11)
        for _ in 0..<300 { d.randomStep() }
        // Replay the same stimuli on a twin through the buffer API.
        let twin = H.worker(threads: 2, memoryLimit: 4000, resources: [("R", 2)], hosts: [0: "A", 1: "A"])
        var buffer: [WorkerInstruction] = [.terminate(reason: "already in the buffer")]
        var expected = buffer
        for record in d.history {
            twin.handle(record.stimulus, now: record.now, appendingTo: &buffer)
            expected += record.output
        }
        #expect(buffer == expected)
        #expect(buffer.count > 100)
    }

    @Test func workerStateFollowsKnownTasksNotTheWorkload() {
        // A 20k-task workload, 10 tasks seen: per-task storage stays at a few slots.
        let big = H.workload(20_000)
        let w = H.worker(workload: big)
        for k in 0..<10 {
            w.step(H.compute(10_000 + k))
            w.step(H.success(10_000 + k))
            w.step(H.free(10_000 + k))
        }
        #expect(w.records.count == 1)
        #expect(w.knownTaskCount == 0)
    }
}

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Messages
import Testing
import Workload
@testable import Scheduler

/// A small local seeded PRNG (SplitMix64), so the test does not depend on Stochastics.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
    mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }
}

/// Thousands of seeded random but legal stimulus sequences: graphs with
/// restrictions, resources, retries, scattered data and two submissions;
/// workers joining, leaving (expected or not), pausing and retiring mid-run;
/// failures, stale results, stealing. Invariants are validated after every
/// stimulus, and at the end every task that can finish has finished.
@Suite struct RandomizedTests {
    static let names = ["w0", "w1", "w2", "w3", "w4", "w5"]

    struct Run {
        var rng: SplitMix64
        let h: Harness
        var nextWorker = 0
        var nameOf: [Int: String] = [:]
        /// Failures injected per task (retries consumed or erred).
        var failed = Set<TaskID>()
        var pendingSteals: [(WorkerID, TaskID, StimulusID)] = []
        var pendingReplicas: [(WorkerID, [TaskID])] = []
        /// Keys a client released: no longer required to finish.
        var releasedByClient = Set<TaskID>()

        mutating func freeName() -> String? {
            let used = Set(h.s.presentWorkers.compactMap { nameOf[$0.index] })
            return RandomizedTests.names.first { !used.contains($0) }
        }

        mutating func addWorker(gpu: Bool? = nil) {
            guard let name = freeName() else { return }
            let id = nextWorker
            nextWorker += 1
            nameOf[id] = name
            let hasGPU = gpu ?? rng.chance(0.5)
            collect(h.addWorker(id, threads: 1 + rng.int(3), name: name,
                                resources: hasGPU ? [ResourceRequest(name: "GPU", amount: 1)] : []))
        }

        mutating func collect(_ out: [SchedulerInstruction]) {
            for instruction in out {
                switch instruction {
                case .toWorker(let w, .stealRequest(let key, let stim)):
                    pendingSteals.append((w, key, stim))
                case .toWorker(let w, .acquireReplicas(let replicas, _)):
                    pendingReplicas.append((w, replicas.map(\.key)))
                default:
                    break
                }
            }
        }

        func processingTasks() -> [TaskID] {
            h.s.presentWorkers.flatMap { h.s.processing(on: $0) }.sorted()
        }

        var verbose = false
        mutating func step(_ stimulus: SchedulerStimulus) {
            let out = h.s.handle(stimulus, now: h.now)
            if verbose {
                print("STIMULUS \(stimulus)")
                for r in h.s.drainTransitionLog() { print("   \(h.workload.tasks[r.key.index].key) \(r.from)->\(r.to) \(String(describing: r.worker))") }
                for i in out { print("   -> \(i)") }
                if !h.s.validationErrors.isEmpty { print("   !! \(h.s.validationErrors.last!)") }
            }
            collect(out)
        }

        mutating func finishOne(stale: Bool = false) {
            let processing = processingTasks()
            guard !processing.isEmpty else { return }
            let t = processing[rng.int(processing.count)]
            guard let w = h.s.processingOn(t) else { return }
            let run = h.s.runID(of: t) - (stale ? 1 : 0)
            let d = Time(nanoseconds: Int64(1 + rng.int(2_000_000_000)))
            step(.worker(w, .taskFinished(key: t, runID: run, nbytes: Int64(rng.int(5000)), start: h.now, stop: h.now + d, stimulusID: h.stim("task-finished"))))
        }

        mutating func failOne() {
            let processing = processingTasks()
            guard !processing.isEmpty else { return }
            let t = processing[rng.int(processing.count)]
            guard let w = h.s.processingOn(t) else { return }
            failed.insert(t)
            step(.worker(w, .taskErred(key: t, runID: h.s.runID(of: t), exception: "ValueError: random", start: h.now, stop: h.now, stimulusID: h.stim("task-erred"))))
        }

        mutating func answerSteal() {
            guard !pendingSteals.isEmpty else { return }
            let (w, t, stim) = pendingSteals.remove(at: rng.int(pendingSteals.count))
            let state: WorkerTaskStateName?
            if h.s.processingOn(t) == w {
                state = [.ready, .executing, .waiting, .constrained, .memory, .released][rng.int(6)]
            } else {
                state = rng.chance(0.5) ? nil : .released
            }
            step(.worker(w, .stealResponse(key: t, state: state, stimulusID: stim)))
        }

        mutating func answerReplica() {
            guard !pendingReplicas.isEmpty else { return }
            let (w, keys) = pendingReplicas.removeFirst()
            guard h.s.status(of: w) != nil else { return }
            step(.worker(w, .addKeys(keys: keys, stimulusID: h.stim("add-keys"))))
        }

        mutating func randomEvent() {
            h.now = h.now + .milliseconds(Int64(1 + rng.int(300)))
            let workers = h.s.presentWorkers
            let roll = rng.int(100)
            func anyWorker() -> WorkerID? { workers.isEmpty ? nil : workers[rng.int(workers.count)] }
            switch roll {
            case 0..<50: finishOne()
            case 50..<55: failOne()
            case 55..<58: finishOne(stale: true)
            case 58..<62: addWorker()
            case 62..<65:
                if let w = anyWorker() { step(.removeWorker(w, expected: rng.chance(0.3))) }
            case 65..<69:
                if let w = anyWorker() {
                    let status: WorkerStatus = h.s.status(of: w) == .paused ? .running : .paused
                    step(.worker(w, .workerStatusChange(status: status, stimulusID: h.stim("worker-status-change"))))
                }
            case 69..<71:
                if let w = anyWorker() { step(.retireWorkers([w])) }
            case 71..<79: step(.balance)
            case 79..<87: answerSteal()
            case 87..<91: answerReplica()
            case 91..<93:
                if let w = anyWorker() {
                    let t = TaskID(rng.int(h.workload.count))
                    step(.heartbeatExecuting(w, bandwidth: Double(50_000_000 + rng.int(100_000_000)),
                                             executing: h.s.isKnown(t) ? [ExecutingTask(key: t, elapsed: .milliseconds(Int64(rng.int(5000))))] : []))
                }
            case 93:
                if let w = anyWorker() {
                    step(.worker(w, .releaseWorkerData(key: TaskID(rng.int(h.workload.count)), stimulusID: h.stim("release-worker-data"))))
                }
            case 94..<96:
                // a running task secedes (long-running)
                let processing = processingTasks()
                if !processing.isEmpty {
                    let t = processing[rng.int(processing.count)]
                    if let w = h.s.processingOn(t) {
                        step(.worker(w, .longRunning(key: t, runID: h.s.runID(of: t), computeDuration: .milliseconds(Int64(rng.int(1000))), stimulusID: h.stim("long-running"))))
                    }
                }
            case 96..<98:
                // the client retries an erred key
                let erred = (0..<h.workload.count).map(TaskID.init).filter { h.s.state(of: $0) == .erred }
                if !erred.isEmpty {
                    let t = erred[rng.int(erred.count)]
                    step(.client(.retry(client: ClientID(h.workload.tasks[t.index].submission), keys: [t], stimulusID: h.stim("retry"))))
                }
            default:
                // the client lets go of a key it wanted
                let c = rng.int(2)
                let wanted = h.workload.submissions[c].wanted
                if !wanted.isEmpty {
                    let t = wanted[rng.int(wanted.count)]
                    releasedByClient.insert(t)
                    step(.client(.clientReleasesKeys(client: ClientID(c), keys: [t], stimulusID: h.stim("client-releases-keys"))))
                }
            }
        }
    }

    static func randomWorkload(_ rng: inout SplitMix64) -> Workload {
        let n = 8 + rng.int(22)
        var tasks: [T] = []
        var wanted0: [String] = [], wanted1: [String] = []
        let dataCount = rng.int(3)
        for i in 0..<dataCount {
            tasks.append(T("data-\(i)", bytes: Int64(rng.int(10_000)), kind: .data))
        }
        let firstSecond = dataCount + (n - dataCount) / 2 + rng.int(3)
        for i in dataCount..<n {
            var deps: [String] = []
            if i > 0 {
                for _ in 0..<rng.int(4) {
                    let d = rng.int(i)
                    // a task of the first submission never depends on one of the second
                    if i < firstSecond && d >= firstSecond { continue }
                    if !deps.contains(tasks[d].key) { deps.append(tasks[d].key) }
                }
            }
            let prefix = ["inc", "sum", "load", "mul"][rng.int(4)]
            var t = T("\(prefix)-\(i)", deps, duration: Double(rng.int(1000)) / 1000, bytes: Int64(rng.int(100_000)),
                      retries: rng.chance(0.2) ? 1 + rng.int(2) : 0, submission: i >= firstSecond ? 1 : 0)
            if rng.chance(0.1) {
                t.workers = [RandomizedTests.names[rng.int(6)]]
                t.loose = rng.chance(0.5)
            }
            if rng.chance(0.08) { t.resources = [ResourceRequest(name: "GPU", amount: 1)] }
            if rng.chance(0.1) { t.priority = rng.int(3) - 1 }
            tasks.append(t)
            if rng.chance(0.4) { (i >= firstSecond ? { wanted1.append(t.key) } : { wanted0.append(t.key) })() }
        }
        // Sometimes an actor in the first submission with method calls in both.
        if rng.chance(0.3) {
            tasks.append(T("actor-a", isActor: true))
            wanted0.append("actor-a")
            for j in 0..<(1 + rng.int(3)) {
                let sub = rng.int(2)
                tasks.append(T("call-\(j)", actor: "actor-a", submission: sub))
                if sub == 0 { wanted0.append("call-\(j)") } else { wanted1.append("call-\(j)") }
            }
        }
        let leaves0 = tasks.filter { t in t.submission == 0 && t.kind == .compute && !tasks.contains { $0.deps.contains(t.key) && $0.submission == 0 } }.map(\.key)
        let leaves1 = tasks.filter { t in t.submission == 1 && !tasks.contains { $0.deps.contains(t.key) } }.map(\.key)
        return makeWorkload(tasks, submissions: [
            Sub(client: "c0", wanted: Array(Set(wanted0 + leaves0)).sorted()),
            Sub(client: "c1", wanted: Array(Set(wanted1 + leaves1)).sorted()),
        ])
    }

    static func runOne(seed: UInt64, verbose: Bool = false) -> String? {
        var rng = SplitMix64(state: seed)
        let workload = randomWorkload(&rng)
        let saturation = [1.0, 1.1, 2.0, Double.infinity][rng.int(4)]
        let h = Harness(workload) { $0.workerSaturation = saturation }
        var run = Run(rng: rng, h: h)
        run.verbose = verbose
        if verbose { for t in workload.tasks { print("TASK \(t.key) deps \(t.dependencies.map { workload.tasks[$0.index].key }) sub \(t.submission) restr \(t.restrictions.workers) res \(t.resources.count) retries \(t.retries)") }; print("WANTED \(workload.submissions.map { $0.wanted.map { workload.tasks[$0.index].key } })") }
        for _ in 0..<(1 + run.rng.int(3)) { run.addWorker() }
        // scatter pure data first, then the two submissions at random moments
        let data = workload.tasks.indices.filter { workload.tasks[$0].kind == .data }.map(TaskID.init)
        if !data.isEmpty, !h.s.runningWorkers.isEmpty {
            let out = h.s.handle(.scatter(client: ClientID(0), keys: data, target: .roundRobin), now: h.now)
            if case .scatterTo(_, let placements)? = out.first {
                run.step(.client(.updateData(client: ClientID(0), replicas: placements, stimulusID: h.stim("update-data"))))
            }
        }
        h.submit(0, client: 0)
        let steps = 40 + run.rng.int(80)
        let secondAt = run.rng.int(steps)
        for i in 0..<steps {
            if i == secondAt { h.submit(1, client: 1) }
            run.randomEvent()
            if !h.s.validationErrors.isEmpty { return "seed \(seed) step \(i): \(h.s.validationErrors[0])" }
        }
        if secondAt >= steps { h.submit(1, client: 1) }
        // Settle: every name present again, nobody paused, all answers delivered, run to the end.
        for w in h.s.presentWorkers where h.s.status(of: w) == .paused {
            run.step(.worker(w, .workerStatusChange(status: .running, stimulusID: h.stim("worker-status-change"))))
        }
        // Workers without the GPU resource leave (cleanly); every name comes back with a GPU,
        // so every restriction can be met.
        for w in h.s.presentWorkers where !(h.s.workers[w.index]?.spec.resources.isEmpty == false) {
            run.step(.removeWorker(w, expected: true))
        }
        while run.freeName() != nil { run.addWorker(gpu: true) }
        var guardCount = 0
        while guardCount < 5000 {
            guardCount += 1
            if !run.pendingSteals.isEmpty { run.answerSteal(); continue }
            if !run.pendingReplicas.isEmpty { run.answerReplica(); continue }
            let processing = run.processingTasks()
            guard let t = processing.first, let w = h.s.processingOn(t) else {
                // A retired worker may have freed a name some restriction needs.
                if run.freeName() != nil && !h.s.unrunnableTasks.isEmpty { run.addWorker(gpu: true); continue }
                break
            }
            run.step(.worker(w, .taskFinished(key: t, runID: h.s.runID(of: t), nbytes: 10, start: h.now, stop: h.now, stimulusID: h.stim("task-finished"))))
        }
        if !h.s.validationErrors.isEmpty { return "seed \(seed) settle: \(h.s.validationErrors[0])" }
        // Every wanted task has an outcome: in memory, or erred because a
        // failure or dying workers were injected upstream (or its data was
        // scattered and lost, which forgets it).
        for sub in workload.submissions {
            for t in sub.wanted where !run.releasedByClient.contains(t) {
                let state = h.s.state(of: t)
                switch state {
                case .memory, .forgotten:
                    continue
                case .erred:
                    if h.s.exceptionBlame(of: t) == nil { return "seed \(seed): \(workload.tasks[t.index].key) erred without blame" }
                default:
                    return "seed \(seed): wanted \(workload.tasks[t.index].key) stuck in \(state)"
                }
            }
        }
        return nil
    }

    @Test func thousandsOfRandomSequencesKeepInvariantsAndFinish() {
        var failures: [String] = []
        // SCHED_SEEDS=first-last runs another range by hand (e.g. 1001-20000).
        for seed in ProcessInfoLite.seedRange ?? 1...1000 {
            if let failure = RandomizedTests.runOne(seed: UInt64(seed)) {
                failures.append(failure)
                if failures.count >= 3 { break }
            }
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test func sameSeedSameInstructions() {
        func trace(_ seed: UInt64) -> [String] {
            var rng = SplitMix64(state: seed)
            let workload = RandomizedTests.randomWorkload(&rng)
            let h = Harness(workload)
            var run = Run(rng: rng, h: h)
            run.addWorker(gpu: true)
            run.addWorker(gpu: false)
            var lines: [String] = []
            lines += h.submit(0, client: 0).map { "\($0)" }
            for _ in 0..<60 {
                run.randomEvent()
            }
            lines += h.s.transitionLog.map { "\($0.key) \($0.from) \($0.to) \($0.stimulus) \(String(describing: $0.worker))" }
            return lines
        }
        #expect(trace(42) == trace(42))
        #expect(trace(42) != trace(43))
    }
}

/// Replays one seed with its full transition log: `SCHED_SEED=22 swift test --filter debugOneSeed`.
@Test(.enabled(if: ProcessInfoLite.seed != nil)) func debugOneSeed() {
    let seed = ProcessInfoLite.seed ?? 0
    print(RandomizedTests.runOne(seed: seed, verbose: true) ?? "seed \(seed) ok")
}

enum ProcessInfoLite {
    static var seedRange: ClosedRange<Int>? {
        guard let raw = getenv("SCHED_SEEDS") else { return nil }
        let parts = String(cString: raw).split(separator: "-").compactMap { Int($0) }
        return parts.count == 2 && parts[0] <= parts[1] ? parts[0]...parts[1] : nil
    }

    static var seed: UInt64? {
        guard let raw = getenv("SCHED_SEED") else { return nil }
        return UInt64(String(cString: raw))
    }
}

/// Swift's `Set`/`Dictionary` order changes with every process, so a golden
/// digest of a whole run (every instruction and transition) compared across
/// test runs catches any decision that leaks hash order.
@Suite struct CrossProcessDeterminismTests {
    static func digest(seed: UInt64) -> UInt64 {
        var rng = SplitMix64(state: seed)
        let workload = RandomizedTests.randomWorkload(&rng)
        let h = Harness(workload)
        var run = RandomizedTests.Run(rng: rng, h: h)
        var text = ""
        run.addWorker(gpu: true)
        run.addWorker(gpu: false)
        run.addWorker(gpu: true)
        text += h.submit(0, client: 0).map { "\($0)" }.joined(separator: "\n")
        for i in 0..<150 {
            if i == 40 { text += h.submit(1, client: 1).map { "\($0)" }.joined(separator: "\n") }
            run.randomEvent()
        }
        text += h.s.transitionLog.map { "\($0.time) \($0.key) \($0.from) \($0.to) \($0.stimulus) \(String(describing: $0.worker))" }.joined(separator: "\n")
        text += "\(h.s.counters)"
        // FNV-1a over the UTF-8 bytes
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return hash
    }

    @Test func goldenDigestsAreStableAcrossProcesses() {
        let digests = [7, 8, 9].map { CrossProcessDeterminismTests.digest(seed: $0) }
        #expect(digests == CrossProcessDeterminismTests.golden)
    }

    /// Recorded from three separate test processes; a change in scheduling behaviour
    /// also changes them (update deliberately, after checking why).
    // Re-recorded on 2026-12-03 when the static order became the port of dask.order.order.
    static let golden: [UInt64] = [14_606_435_529_848_706_971, 17_841_386_342_823_649_635, 14_279_081_840_942_848_105]
}

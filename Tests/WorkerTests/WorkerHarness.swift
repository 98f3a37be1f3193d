import Messages
import Testing
import Workload
@testable import Worker

/// Test helpers: a workload of `n` independent keys `k0 ... k{n-1}` (the worker learns
/// dependencies from `compute-task`, not from the workload), short builders for
/// stimuli, and a one-line text form of each instruction so that tests compare
/// exact instruction sequences readably.
enum H {
    static func workload(_ n: Int = 64) -> Workload {
        var builder = WorkloadBuilder(name: "worker-tests", source: "tests")
        for i in 0..<n {
            builder.add(TaskSpec(key: "k\(i)", duration: 1, outputBytes: 10), dependencies: [], origin: "k\(i)")
        }
        do { return try builder.build() } catch { fatalError("test workload: \(error)") }
    }

    static let shared = workload(64)

    /// Worker 0 on host "h0"; worker i on host "h\(hostOf[i] ?? i)". Validation on.
    static func worker(
        id: Int = 0, threads: Int = 1, memoryLimit: Int64 = 0, resources: [(String, Double)] = [],
        config: WorkerConfig = WorkerConfig(), hosts: [Int: String] = [:], workload: Workload = H.shared
    ) -> WorkerState {
        var cfg = config
        cfg.validate = true
        let spec = WorkerSpec(id: WorkerID(id), name: "w\(id)", host: hosts[id] ?? "h\(id)", nthreads: threads,
                              memoryLimit: memoryLimit,
                              resources: resources.map { ResourceRequest(name: $0.0, amount: $0.1) })
        return WorkerState(id: WorkerID(id), spec: spec, workload: workload,
                           peers: { hosts[$0.index] ?? "h\($0.index)" }, config: cfg)
    }

    static func k(_ i: Int) -> TaskID { TaskID(i) }
    static func w(_ i: Int) -> WorkerID { WorkerID(i) }

    nonisolated(unsafe) static var sequence: UInt64 = 0
    static func sid() -> StimulusID {
        sequence &+= 1
        return StimulusID("test", sequence)
    }

    /// A `compute-task` message; `deps` are (key, holders, nbytes).
    static func compute(
        _ key: Int, order: Int32 = 0, user: Int32 = 0, generation: Int32 = 0, run: Int64 = 1,
        deps: [(Int, [Int], Int64)] = [], resources: [(String, Double)] = [], actor: Bool = false
    ) -> WorkerStimulus {
        .scheduler(.computeTask(ComputeTask(
            key: k(key), runID: run,
            priority: Priority(negatedUserPriority: -user, generation: generation, order: order),
            durationEstimate: .seconds(1),
            dependencies: deps.map { DependencyReplicas(key: k($0.0), whoHas: $0.1.map(w), nbytes: $0.2) },
            resources: resources.map { ResourceRequest(name: $0.0, amount: $0.1) }, actor: actor,
            stimulusID: sid())))
    }

    static func success(_ key: Int, run: Int64 = 1, start: Double = 0, stop: Double = 1, nbytes: Int64 = 10) -> WorkerStimulus {
        .executeSuccess(key: k(key), runID: run, start: .seconds(start), stop: .seconds(stop), nbytes: nbytes)
    }

    static func failure(_ key: Int, run: Int64 = 1, start: Double = 0, stop: Double = 1) -> WorkerStimulus {
        .executeFailure(key: k(key), runID: run, start: .seconds(start), stop: .seconds(stop), exception: "ZeroDivisionError")
    }

    static func free(_ keys: Int...) -> WorkerStimulus { .scheduler(.freeKeys(keys: keys.map(k), stimulusID: sid())) }

    static func received(_ peer: Int, _ items: [(Int, Int64)], requested: [Int]) -> WorkerStimulus {
        .gatherDepSuccess(peer: w(peer), received: items.map { ReceivedKey(key: k($0.0), nbytes: $0.1) },
                          requested: requested.map(k), totalBytes: items.reduce(0) { $0 + $1.1 })
    }

    static func replicas(_ items: [(Int, [Int], Int64)]) -> [DependencyReplicas] {
        items.map { DependencyReplicas(key: k($0.0), whoHas: $0.1.map(w), nbytes: $0.2) }
    }

    static func keys(_ ids: [TaskID]) -> String { "[" + ids.map { "k\($0.index)" }.joined(separator: ",") + "]" }

    /// One instruction as text, without stimulus ids.
    static func text(_ i: WorkerInstruction) -> String {
        switch i {
        case let .execute(key, runID): return "execute k\(key.index) run=\(runID)"
        case let .gatherDep(peer, ks, bytes, _): return "gather w\(peer.index) \(keys(ks)) \(bytes)"
        case let .retryBusyWorkerLater(peer, after): return "retry-later w\(peer.index) \(after)"
        case let .sendData(to, ks): return "send-data w\(to.index) [" + ks.map { "k\($0.key.index):\($0.nbytes)" }.joined(separator: ",") + "]"
        case let .busy(to, ks): return "busy w\(to.index) \(keys(ks))"
        case let .spill(ks, bytes): return "spill \(keys(ks)) \(bytes)"
        case let .unspill(ks, bytes): return "unspill \(keys(ks)) \(bytes)"
        case .terminate: return "terminate"
        case .toScheduler(let m):
            switch m {
            case let .taskFinished(key, runID, nbytes, start, stop, _):
                return "task-finished k\(key.index) run=\(runID) nbytes=\(nbytes) \(start)-\(stop)"
            case let .taskErred(key, runID, exception, _, _, _): return "task-erred k\(key.index) run=\(runID) \(exception)"
            case let .releaseWorkerData(key, _): return "release-worker-data k\(key.index)"
            case let .addKeys(ks, _): return "add-keys \(keys(ks))"
            case let .longRunning(key, runID, duration, _): return "long-running k\(key.index) run=\(runID) \(duration)"
            case let .reschedule(key, _): return "reschedule k\(key.index)"
            case let .stealResponse(key, state, _): return "steal-response k\(key.index) \(state?.rawValue ?? "none")"
            case let .requestRefreshWhoHas(ks, _): return "request-refresh-who-has \(keys(ks))"
            case let .missingData(key, errant, _): return "missing-data k\(key.index) w\(errant.index)"
            case let .workerStatusChange(status, _): return "status \(status.rawValue)"
            }
        }
    }
}

extension WorkerState {
    /// Feeds one stimulus, checks every invariant, returns the instructions as text.
    @discardableResult
    func step(_ stimulus: WorkerStimulus, at seconds: Double = 0,
              sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
        let out = handle(stimulus, now: .seconds(seconds))
        do { try _checkInvariants() } catch {
            Issue.record("invariants broken after \(stimulus): \(error)", sourceLocation: sourceLocation)
        }
        return out.map(H.text)
    }

    func st(_ key: Int) -> WorkerTaskStateName? { state(of: H.k(key)) }
}

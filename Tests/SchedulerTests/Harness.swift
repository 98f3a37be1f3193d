import Messages
import Testing
import Workload
@testable import Scheduler

/// One task of a hand-written test workload.
struct T {
    var key: String
    var deps: [String] = []
    var duration: Double = 1
    var bytes: Int64 = 100
    var kind: TaskKind = .compute
    var workers: [String] = []
    var hosts: [String] = []
    var loose = false
    var resources: [ResourceRequest] = []
    var priority = 0
    var retries = 0
    var order: Int? = nil
    var isActor = false
    var actor: String? = nil
    var submission = 0

    init(_ key: String, _ deps: [String] = [], duration: Double = 1, bytes: Int64 = 100, kind: TaskKind = .compute,
         workers: [String] = [], hosts: [String] = [], loose: Bool = false, resources: [ResourceRequest] = [],
         priority: Int = 0, retries: Int = 0, order: Int? = nil, isActor: Bool = false, actor: String? = nil, submission: Int = 0) {
        self.key = key
        self.deps = deps
        self.duration = duration
        self.bytes = bytes
        self.kind = kind
        self.workers = workers
        self.hosts = hosts
        self.loose = loose
        self.resources = resources
        self.priority = priority
        self.retries = retries
        self.order = order
        self.isActor = isActor
        self.actor = actor
        self.submission = submission
    }
}

/// A submission: client name, wanted keys (nil = the leaves), submitting task.
struct Sub {
    var client = "client-0"
    var wanted: [String]? = nil
    var submitter: String? = nil
}

func makeWorkload(_ tasks: [T], submissions: [Sub] = [Sub()]) -> Workload {
    var builder = WorkloadBuilder(name: "test", source: "test")
    for t in tasks {
        let spec = TaskSpec(
            key: t.key, kind: t.kind, duration: t.kind == .data ? 0 : t.duration, outputBytes: t.bytes,
            restrictions: Restrictions(workers: t.workers, hosts: t.hosts, loose: t.loose), resources: t.resources,
            userPriority: t.priority, retries: t.retries, order: t.order, isActor: t.isActor, submission: t.submission)
        builder.add(spec, dependencies: t.deps, actor: t.actor, origin: t.key)
    }
    for s in submissions {
        builder.addSubmission(client: s.client, submitter: s.submitter, wanted: s.wanted, origin: s.client)
    }
    do {
        return try builder.build()
    } catch {
        Issue.record("bad test workload: \(error)")
        preconditionFailure("bad test workload")
    }
}

/// Drives a `SchedulerState` with invariant validation on, remembering the
/// last `compute-task` sent for each key so tests can answer it.
final class Harness {
    let workload: Workload
    let s: SchedulerState
    var now = Time.zero
    /// Latest compute-task per task: (worker, message).
    var sent: [TaskID: (WorkerID, ComputeTask)] = [:]
    var seq: UInt64 = 0

    init(_ workload: Workload, policy: any SchedulingPolicy = DaskPolicy(), configure: (inout SchedulerConfig) -> Void = { _ in }) {
        var config = SchedulerConfig()
        config.validate = true
        configure(&config)
        self.workload = workload
        self.s = SchedulerState(workload: workload, config: config, policy: policy)
    }

    convenience init(_ tasks: [T], submissions: [Sub] = [Sub()], configure: (inout SchedulerConfig) -> Void = { _ in }) {
        self.init(makeWorkload(tasks, submissions: submissions), configure: configure)
    }

    func id(_ key: String) -> TaskID {
        guard let id = workload.id(forKey: key) else {
            Issue.record("no key \(key)")
            return TaskID(0)
        }
        return id
    }

    func keys(_ ids: [TaskID]) -> [String] { ids.map { workload.tasks[$0.index].key } }
    func state(_ key: String) -> SchedulerTaskStateName { s.state(of: id(key)) }
    func stim(_ name: StaticString) -> StimulusID {
        seq += 1
        return StimulusID(name, 1_000_000 + seq)
    }

    @discardableResult
    func step(_ stimulus: SchedulerStimulus, sourceLocation: SourceLocation = #_sourceLocation) -> [SchedulerInstruction] {
        let out = s.handle(stimulus, now: now)
        for case .toWorker(let w, .computeTask(let msg)) in out { sent[msg.key] = (w, msg) }
        #expect(s.validationErrors.isEmpty, "\(s.validationErrors.prefix(3))", sourceLocation: sourceLocation)
        return out
    }

    @discardableResult
    func addWorker(_ i: Int, threads: Int = 1, name: String? = nil, host: String = "127.0.0.1",
                   resources: [ResourceRequest] = [], memoryLimit: Int64 = 0) -> [SchedulerInstruction] {
        step(.addWorker(WorkerSpec(id: WorkerID(i), name: name ?? "w\(i)", host: host, nthreads: threads,
                                   memoryLimit: memoryLimit, resources: resources)))
    }

    @discardableResult
    func submit(_ submission: Int = 0, client: Int = 0) -> [SchedulerInstruction] {
        let sub = workload.submissions[submission]
        return step(.client(.updateGraph(
            client: ClientID(client), submission: submission, tasks: workload.tasks(inSubmission: submission),
            wanted: sub.wanted, submitter: sub.submitter, stimulusID: stim("update-graph"))))
    }

    /// The worker reports the task finished (with the run id it was sent).
    @discardableResult
    func finish(_ key: String, nbytes: Int64? = nil, duration: Double? = nil, on worker: Int? = nil, runID: Int64? = nil) -> [SchedulerInstruction] {
        let t = id(key)
        let (w, msg) = sent[t] ?? (WorkerID(worker ?? 0), ComputeTask(key: t, runID: -1, priority: Priority(), durationEstimate: .zero, dependencies: [], stimulusID: stim("none")))
        let d = duration ?? workload.tasks[t.index].duration
        return step(.worker(worker.map(WorkerID.init) ?? w, .taskFinished(
            key: t, runID: runID ?? msg.runID, nbytes: nbytes ?? workload.tasks[t.index].outputBytes,
            start: now, stop: now + Time(seconds: d), stimulusID: stim("task-finished"))))
    }

    @discardableResult
    func fail(_ key: String, exception: String = "ZeroDivisionError: boom") -> [SchedulerInstruction] {
        let t = id(key)
        guard let (w, msg) = sent[t] else {
            Issue.record("\(key) was never sent")
            return []
        }
        return step(.worker(w, .taskErred(key: t, runID: msg.runID, exception: exception, start: now, stop: now, stimulusID: stim("task-erred"))))
    }

    /// Finishes every task that is processing, repeatedly, until nothing is processing.
    func drain(limit: Int = 10_000) {
        var rounds = 0
        while rounds < limit {
            let processing = s.presentWorkers.flatMap { s.processing(on: $0) }.sorted()
            guard let t = processing.first else { return }
            finish(workload.tasks[t.index].key)
            rounds += 1
        }
    }

    func processing(_ w: Int) -> [String] { keys(s.processing(on: WorkerID(w))) }
    func hasWhat(_ w: Int) -> [String] { keys(s.hasWhat(WorkerID(w))) }
    func whoHas(_ key: String) -> [Int] { s.whoHas(id(key)).map(\.index) }
    var queued: [String] { keys(s.queuedTasks) }

    /// compute-task messages in `out`, as (worker index, key).
    func computes(_ out: [SchedulerInstruction]) -> [(Int, String)] {
        var result: [(Int, String)] = []
        for case .toWorker(let w, .computeTask(let msg)) in out { result.append((w.index, workload.tasks[msg.key.index].key)) }
        return result
    }

    /// Transitions recorded since the last call, as "key from->to".
    func transitions() -> [String] {
        s.drainTransitionLog().map { "\(workload.tasks[$0.key.index].key) \($0.from)->\($0.to)" }
    }
}

func computeKeys(_ h: Harness, _ out: [SchedulerInstruction]) -> [String] { h.computes(out).map(\.1) }

extension Harness {
    /// Scatter: ask the scheduler where to put the keys, then report them stored there (`update-data`).
    @discardableResult
    func scatter(_ keys: [String], to target: ScatterTarget, client: Int = 0) -> [DependencyReplicas] {
        let out = step(.scatter(client: ClientID(client), keys: keys.map(id), target: target))
        guard case .scatterTo(_, let placements)? = out.first else {
            Issue.record("scatter answered \(out)")
            return []
        }
        step(.client(.updateData(client: ClientID(client), replicas: placements, stimulusID: stim("update-data"))))
        return placements
    }

    func pause(_ w: Int) { step(.worker(WorkerID(w), .workerStatusChange(status: .paused, stimulusID: stim("worker-status-change")))) }
    func unpause(_ w: Int) { step(.worker(WorkerID(w), .workerStatusChange(status: .running, stimulusID: stim("worker-status-change")))) }

    /// The worker answers a steal request with the task's state on the worker.
    @discardableResult
    func stealResponses(_ out: [SchedulerInstruction], state: (TaskID) -> WorkerTaskStateName?) -> [SchedulerInstruction] {
        var all: [SchedulerInstruction] = []
        for case .toWorker(let w, .stealRequest(let key, let stim)) in out {
            all += step(.worker(w, .stealResponse(key: key, state: state(key), stimulusID: stim)))
        }
        return all
    }

    func stealRequests(_ out: [SchedulerInstruction]) -> [String] {
        var keys: [String] = []
        for case .toWorker(_, .stealRequest(let key, _)) in out { keys.append(workload.tasks[key.index].key) }
        return keys
    }
}

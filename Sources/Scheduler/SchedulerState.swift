import HeapModule
import Messages
import OrderedCollections

/// Dask's scheduler as a sans-I/O state machine (`scheduler.py::SchedulerState`
/// plus the stimulus handlers of `Scheduler`).
///
/// The driver (simulator or real executor) feeds stimuli with the current time
/// and carries out the instructions returned:
///
///     let scheduler = SchedulerState(workload: w, policy: DaskPolicy())
///     var out = scheduler.handle(.addWorker(spec), now: .zero)
///     out += scheduler.handle(.client(.updateGraph(...)), now: .zero)
///
/// `handle` is a pure function of the state and the stimulus: no clock, no
/// randomness, no dependence on `Set`/`Dictionary` order. Per-task state lives
/// in arrays indexed by `TaskID.index`, per-worker state in arrays indexed by
/// `WorkerID.index`.
public final class SchedulerState {
    public let workload: Workload
    public let config: SchedulerConfig
    public let policy: any SchedulingPolicy
    let graph: TaskGraph

    // MARK: tasks
    @exclusivity(unchecked) var tasks: [TaskRecord]
    /// Per dependency edge: `EdgeFlag` bits.
    @exclusivity(unchecked) var edgeFlags: [UInt8]
    @exclusivity(unchecked) var prefixes: [PrefixRecord]
    /// Per prefix: the workers whose `prefixCount` has it (any order), so a changed
    /// estimate updates only their `taskOccupancy`.
    var prefixWorkers: [[Int32]]
    @exclusivity(unchecked) var groups: [GroupRecord]
    /// Exception text of erred tasks (Dask's `exception`), by task.
    var exceptions: [TaskID: String] = [:]
    /// Dask's `erred_on`, by task, sorted.
    var erredOn: [TaskID: [WorkerID]] = [:]

    // MARK: workers
    /// Indexed by `WorkerID.index`; `nil` for ids never seen.
    @exclusivity(unchecked) var workers: [WorkerRecord?] = []
    /// `workers[i]?.present` as a dense flag, so hot paths test presence without
    /// copying a `WorkerRecord` (and retaining all its sets) out of the array.
    @exclusivity(unchecked) var workerPresent: [Bool] = []
    /// Membership flags of Dask's `running`, `idle`, `idle_task_count`, `saturated`, by worker index.
    @exclusivity(unchecked) var inRunning: [Bool] = []
    @exclusivity(unchecked) var inIdle: [Bool] = []
    @exclusivity(unchecked) var inIdleTaskCount: [Bool] = []
    @exclusivity(unchecked) var inSaturated: [Bool] = []
    var runningCount = 0
    var idleCount = 0
    var idleTaskCountCount = 0
    /// Members of Dask's `idle_task_count` as a dense list (unordered; swap-remove),
    /// with each worker's position in it (-1 when not a member). Lets
    /// `stimulus_queue_slots_maybe_opened` and `decide_worker_rootish_queuing_enabled`
    /// visit only workers with open slots instead of scanning every worker.
    var idleTaskCountMembers: [Int32] = []
    var idleTaskCountPosition: [Int32] = []
    var saturatedCount = 0
    /// Present (not removed) workers.
    var workerCount = 0
    /// Dask's `total_nthreads` over present workers.
    var totalNthreads = 0
    /// Worker names of present workers → id (restrictions name workers).
    var workerByName: [String: WorkerID] = [:]

    // MARK: clients
    var clients: [ClientRecord] = []

    // MARK: scheduler-wide collections
    /// Dask's `queued` HeapSet; entries whose task left the queue are skipped lazily.
    @exclusivity(unchecked) var queue = Heap<QueueEntry>()
    var queuedCount = 0
    var queueSeqCounter: UInt32 = 0
    /// Dask's `unrunnable`: task → time it entered `no-worker` (insertion-ordered).
    var unrunnable = OrderedDictionary<TaskID, Time>()
    /// Dask's `_no_workers_since`: when the cluster last had queued or unrunnable
    /// tasks and no running worker.
    var noWorkersSince: Time?
    /// Dask's `bandwidth` estimate, bytes/s.
    var bandwidth: Double
    /// Dask's `_network_occ_global`.
    var networkOccGlobal: Int64 = 0
    /// Σ over prefixes of `globalCount × duration` (ns), kept exact incrementally.
    var totalTaskOccupancy: Int64 = 0
    /// Dask's `generation` and `_last_time`.
    var generation: Int32 = 0
    var lastGenerationTime = Time(nanoseconds: Int64.min / 2)
    var runIDCounter: Int64 = 0
    /// Dask's `n_tasks`: tasks ever placed into processing (round-robin start).
    var nTasks = 0
    /// Keys whose copy was requested for a retirement, and from which recipient.
    var retirementRequested: [TaskID: WorkerID] = [:]
    /// Workers being retired.
    var retiringCount = 0
    /// Dask's `_round_robin_counter` for scatter.
    var scatterCounter = 0

    // MARK: outputs
    /// Every transition, when `config.recordTransitions`. The driver may `removeAll()` after copying.
    public var transitionLog: [TransitionRecord] = []
    public var counters = SchedulerCounters()
    /// Invariant violations found after stimuli when `config.validate` is on (empty in a correct run).
    public private(set) var validationErrors: [String] = []

    // MARK: per-stimulus scratch
    /// Pending recommendations: popped last-in-first-out; re-recommending a key keeps its position (Python dict semantics).
    @exclusivity(unchecked) var recs: Recommendations
    @exclusivity(unchecked) var out: [SchedulerInstruction] = []
    var now = Time.zero
    var stimulusID = StimulusID("init", 0)
    var stimulusCounter: UInt64 = 0
    /// Problems the engine met that Dask would raise for (impossible transitions).
    var engineErrors: [String] = []
    /// Reused buffer for sorting dependents by priority.
    var scratchTasks: [TaskID] = []
    @exclusivity(unchecked) var scratchEdges: [(task: TaskID, edge: Int)] = []
    var scratchMask: [Bool] = []

    public init(workload: Workload, config: SchedulerConfig = .init(), policy: any SchedulingPolicy) {
        self.workload = workload
        self.config = config
        self.policy = policy
        self.graph = TaskGraph(workload: workload)
        self.tasks = [TaskRecord](repeating: TaskRecord(), count: workload.count)
        self.recs = Recommendations(taskCount: workload.count)
        self.edgeFlags = [UInt8](repeating: 0, count: graph.deps.count)
        self.prefixes = [PrefixRecord](repeating: PrefixRecord(), count: graph.prefixNames.count)
        self.prefixWorkers = [[Int32]](repeating: [], count: graph.prefixNames.count)
        for (p, name) in graph.prefixNames.enumerated() {
            if let d = config.defaultDuration(prefix: name) { prefixes[p].durationAverage = d.nanoseconds }
        }
        self.groups = [GroupRecord](repeating: GroupRecord(), count: graph.groupNames.count)
        self.bandwidth = config.bandwidth
        policy.attach(to: self)
    }

    /// Handles one stimulus at time `now` and returns the instructions for the driver.
    public func handle(_ stimulus: SchedulerStimulus, now: Time) -> [SchedulerInstruction] {
        self.now = now
        out.removeAll(keepingCapacity: true)
        counters.stimuli += 1
        dispatch(stimulus)
        if retiringCount > 0 { checkRetirements() }
        if config.noWorkersTimeout != nil { checkNoWorkers() }
        if config.validate {
            let problems = invariantViolations()
            if !problems.isEmpty {
                validationErrors.append("after \(stimulus.op) (\(stimulusID)) at \(now): " + problems.prefix(5).joined(separator: "; "))
            }
        }
        return out
    }

    /// Hands over the transition log and empties it.
    public func drainTransitionLog() -> [TransitionRecord] {
        let log = transitionLog
        transitionLog.removeAll(keepingCapacity: true)
        return log
    }

    /// The task's scheduler state. A task whose `update-graph` has not arrived
    /// (or that was forgotten) is `forgotten`: the scheduler does not know it.
    public func state(of key: TaskID) -> SchedulerTaskStateName { TS.name(tasks[key.index].state) }

    /// Whether the scheduler currently knows the task (its graph arrived and it is not forgotten).
    public func isKnown(_ key: TaskID) -> Bool { isLive(key) }

    /// Throws `SchedulerInvariantError` listing every broken cross-reference (Dask's `validate_state`).
    public func _checkInvariants() throws {
        let problems = invariantViolations()
        if !problems.isEmpty { throw SchedulerInvariantError(violations: problems) }
    }

    @inline(__always) func isLive(_ t: TaskID) -> Bool {
        let s = tasks[t.index].state
        return s != TS.unknown && s != TS.forgotten
    }

    func nextStimulusID(_ name: StaticString) -> StimulusID {
        stimulusCounter += 1
        return StimulusID(name, stimulusCounter)
    }

    @inline(__always) func emit(_ instruction: SchedulerInstruction) { out.append(instruction) }

    @inline(__always) func send(_ worker: WorkerID, _ message: SchedulerToWorker) {
        out.append(.toWorker(worker, message))
    }

    @inline(__always) func report(_ client: ClientID, _ message: SchedulerToClient) {
        out.append(.toClient(client, message))
    }

    func key(_ t: TaskID) -> String { workload.tasks[t.index].key }
}

/// The scheduler's state broke one of its own invariants (a bug, not bad input).
public struct SchedulerInvariantError: Error, CustomStringConvertible {
    public var violations: [String]
    public var description: String { "scheduler invariants broken:\n" + violations.joined(separator: "\n") }
}

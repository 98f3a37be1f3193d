import Messages
import Recording

/// What the simulator needs from a scheduler state machine. `SchedulerState`
/// conforms; tests may plug in a simpler scheduler to check the driver alone.
public protocol SimulatedScheduler: AnyObject {
    func handle(_ stimulus: SchedulerStimulus, now: Time) -> [SchedulerInstruction]
    /// Appends the transitions made since the last call (scheduler-side task states).
    func drainTransitions(into sink: inout TransitionSink)
    /// Work-stealing moves the scheduler confirmed so far.
    var confirmedSteals: Int { get }
    /// Transitions made so far, recorded or not (the runtime model charges for each).
    var transitionCount: Int { get }
    /// The scheduler's estimate of the work queued on a worker (Dask's `occupancy`).
    func occupancy(of worker: WorkerID) -> Time
    /// The task's scheduler state now ("" if the scheduler does not know it), or nil
    /// if this scheduler cannot say. Run outcomes read it instead of the transition
    /// log, which is empty when transitions are not recorded (no `--out`).
    func currentState(of key: TaskID) -> String?
    /// Broken invariants (Dask's `validate_state`), recomputed now; empty if sound
    /// or if this scheduler has no checks.
    func invariantProblems() -> [String]
}

extension SimulatedScheduler {
    public func currentState(of key: TaskID) -> String? { nil }
    public func invariantProblems() -> [String] { [] }
}

/// What the simulator needs from a worker state machine. `WorkerState` conforms.
public protocol SimulatedWorker: AnyObject {
    func handle(_ stimulus: WorkerStimulus, now: Time) -> [WorkerInstruction]
    /// Bytes of task results held in memory.
    var memoryBytes: Int64 { get }
    /// Tasks waiting for a thread (`ready` + `constrained`).
    var queuedTasks: Int { get }
    /// Dependencies no known peer holds (Dask's `missing`); while > 0 the
    /// simulator sends `find-missing` every second.
    var missingTasks: Int { get }
    /// Broken invariants (Dask's `validate_state`), recomputed now; empty if sound
    /// or if this worker has no checks.
    func invariantProblems() -> [String]
    /// The known holders of `key` if the worker is fetching it (Dask's `fetch` state),
    /// else nil. The simulator asks it to retry a parked busy poll when a new replica
    /// appears (`Simulator+BusyPeers.swift`).
    func fetchHolders(of key: TaskID) -> [WorkerID]?
}

extension SimulatedWorker {
    public func invariantProblems() -> [String] { [] }
    public func fetchHolders(of key: TaskID) -> [WorkerID]? { nil }
}

/// Collects transitions reported by the scheduler: the final state of every
/// task, and (when recording) every transition for `transitions.csv`.
public struct TransitionSink: Sendable {
    struct Entry: Sendable {
        var time: Int64
        var task: Int32
        var worker: Int32
        var from: String
        var to: String
        var stimulus: StimulusID
    }

    /// The last state the scheduler reported for each task ("" if never mentioned).
    public internal(set) var lastState: [String]
    var entries: [Entry] = []
    public let recording: Bool

    init(tasks: Int, recording: Bool) {
        lastState = [String](repeating: "", count: tasks)
        self.recording = recording
    }

    /// Records one transition of `task` at `time`.
    public mutating func add(time: Time, task: TaskID, from: String, to: String, stimulus: StimulusID, worker: WorkerID?) {
        lastState[task.index] = to
        if recording {
            entries.append(Entry(
                time: time.nanoseconds, task: task.rawValue, worker: worker?.rawValue ?? -1,
                from: from, to: to, stimulus: stimulus))
        }
    }

    /// The log rows, with worker names resolved.
    func rows(workerNames: [String]) -> [TransitionRow] {
        entries.map { entry in
            TransitionRow(
                time: entry.time, task: entry.task, from: entry.from, to: entry.to,
                stimulus: entry.stimulus.description,
                worker: entry.worker >= 0 && Int(entry.worker) < workerNames.count ? workerNames[Int(entry.worker)] : "")
        }
    }
}

/// Builds the state machines of a run.
public struct MachineFactory {
    public var makeScheduler: (Workload) -> any SimulatedScheduler
    /// `(id, spec, workload, host of a peer)`; the host lookup also knows workers that join later.
    public var makeWorker: (WorkerID, WorkerSpec, Workload, @escaping (WorkerID) -> String?) -> any SimulatedWorker

    public init(
        makeScheduler: @escaping (Workload) -> any SimulatedScheduler,
        makeWorker: @escaping (WorkerID, WorkerSpec, Workload, @escaping (WorkerID) -> String?) -> any SimulatedWorker
    ) {
        self.makeScheduler = makeScheduler
        self.makeWorker = makeWorker
    }
}

import Messages

/// The eight scheduler-side task states, spelled as Dask spells them
/// (`scheduler.py::TaskStateState`).
public enum SchedulerTaskStateName: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case released
    case waiting
    case queued
    case noWorker = "no-worker"
    case processing
    case memory
    case erred
    case forgotten

    public var description: String { rawValue }

    /// Dense code used in the per-task arrays.
    @inlinable var code: UInt8 {
        switch self {
        case .released: 0
        case .waiting: 1
        case .queued: 2
        case .noWorker: 3
        case .processing: 4
        case .memory: 5
        case .erred: 6
        case .forgotten: 7
        }
    }

    static let byCode: [SchedulerTaskStateName] = [.released, .waiting, .queued, .noWorker, .processing, .memory, .erred, .forgotten]
}

/// One scheduler transition, as Dask's `Transition(key, start, finish, ..., stimulus_id, timestamp)`.
/// `to` is the state actually reached; `worker` is the task's worker after the
/// transition (processing) or the worker involved (memory: where it finished).
public struct TransitionRecord: Sendable, Hashable {
    public var time: Time
    public var key: TaskID
    public var from: SchedulerTaskStateName
    public var to: SchedulerTaskStateName
    public var stimulus: StimulusID
    public var worker: WorkerID?

    public init(time: Time, key: TaskID, from: SchedulerTaskStateName, to: SchedulerTaskStateName, stimulus: StimulusID, worker: WorkerID?) {
        self.time = time
        self.key = key
        self.from = from
        self.to = to
        self.stimulus = stimulus
        self.worker = worker
    }
}

/// Running totals of what the scheduler did; cheap to keep, useful in summaries.
public struct SchedulerCounters: Sendable, Hashable {
    /// Dask's `transition_counter`: every transition, counting both legs of a move via `released`.
    public var transitions: Int = 0
    /// Stimuli handled.
    public var stimuli: Int = 0
    /// `compute-task` messages sent (including re-sends after steals).
    public var tasksSent: Int = 0
    /// Dask's `n_tasks`: tasks placed into `processing`.
    public var tasksPlaced: Int = 0
    public var tasksCompleted: Int = 0
    public var tasksErred: Int = 0
    public var stealsRequested: Int = 0
    public var stealsConfirmed: Int = 0
    /// The worker refused (task already executing, finished or cancelled there).
    public var stealsRefused: Int = 0
    /// The worker no longer had the task (or the thief left): rescheduled.
    public var stealsRescheduled: Int = 0
    /// Responses that arrived after the task had moved on (Dask's `stale-response` / `already-aborted`).
    public var stealsStale: Int = 0
    public var workersAdded: Int = 0
    public var workersRemoved: Int = 0
    /// Tasks released because their worker died while they were processing.
    public var tasksLostToWorkerDeath: Int = 0
    public var replicasLost: Int = 0

    public init() {}
}

/// One entry of the scheduler's `stealing` event log (Dask's `log_event("stealing", ...)`).
public struct StealEvent: Sendable, Hashable {
    public enum Outcome: String, Sendable, Hashable {
        case request, confirm
        case alreadyComputing = "already-computing"
        case reschedule
        case staleResponse = "stale-response"
        case alreadyAborted = "already-aborted"
    }
    public var time: Time
    public var key: TaskID
    public var level: Int
    public var victim: WorkerID
    public var thief: WorkerID
    public var outcome: Outcome
    public var stimulus: StimulusID
}

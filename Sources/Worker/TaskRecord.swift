import Messages

/// How much of one of the worker's resources a task holds while it runs.
struct ResourceUse: Hashable {
    /// Index into `WorkerState.resourceNames`; -1 for a resource this worker does not offer
    /// (such a task can never start here and stays `constrained`).
    var index: Int32
    var amount: Double
}

/// A recommendation: the state a task should move to next, with the arguments of
/// Dask's tuple recommendations (`("flight", peer)`, `("memory", value, run_id)`, ...).
enum Recommendation: Equatable {
    case released, forgotten, waiting, ready, constrained, executing, fetch, missing
    case flight(peer: WorkerID)
    /// The result is in memory; `runID` goes into `task-finished`.
    case memory(runID: Int64)
    /// The task failed; the exception text is in the task's record.
    case error(runID: Int64)
    case longRunning(computeDuration: Time)

    var target: WorkerTaskStateName {
        switch self {
        case .released: .released
        case .forgotten: .forgotten
        case .waiting: .waiting
        case .ready: .ready
        case .constrained: .constrained
        case .executing: .executing
        case .fetch: .fetch
        case .missing: .missing
        case .flight: .flight
        case .memory: .memory
        case .error: .error
        case .longRunning: .longRunning
        }
    }
}

/// Everything the worker knows about one task: Dask's worker-side `TaskState`.
/// Stored in `WorkerState.records`, indexed by a local slot (not by `TaskID`, so a
/// worker only pays for the tasks it has seen). Links to other tasks are slots.
struct TaskRecord {
    var id: TaskID
    var state: WorkerTaskStateName = .released
    /// For `cancelled` / `resumed`: what the task is really doing (executing, long-running, flight).
    var previous: WorkerTaskStateName? = nil
    /// For `resumed`: what the scheduler wants once that finishes (fetch or waiting).
    var next: WorkerTaskStateName? = nil
    var runID: Int64 = -1
    var priority = WorkerPriority(scheduler: Priority(), generation: 0)
    var hasPriority = false
    /// Bytes of the result; -1 while unknown (Dask's `nbytes = None`).
    var nbytes: Int64 = -1
    /// Size of a result that has just arrived (execution, transfer, scatter), applied when
    /// the task enters memory; kept apart from `nbytes` because a transition through
    /// `released` on the way clears `nbytes`.
    var resultBytes: Int64 = -1
    var dependencies = SlotList()
    var dependents = SlotList()
    /// Dependencies not yet in memory here (Dask's `waiting_for_data`).
    var waitingForData = SlotList()
    /// Dependents waiting for this task's data (Dask's `waiters`).
    var waiters = SlotList()
    /// Peers that hold a replica, sorted by id; never this worker.
    var whoHas: [WorkerID] = []
    var resources: [ResourceUse] = []
    /// The peer a `flight` transfer comes from.
    var comingFrom: WorkerID? = nil
    /// Dask's `done`: the execution or transfer that started for this task has finished.
    var done = false
    var isActor = false
    /// Non-zero while the task sits in the `data_needed` heaps of its holders; entries
    /// with another stamp are stale.
    var fetchStamp: UInt64 = 0
    /// Non-zero while the task sits in the `ready` or `constrained` heap.
    var queueStamp: UInt64 = 0
    /// Membership of Dask's `executing`, `long_running` and `in_flight_tasks` sets. They
    /// are flags rather than states because cancelled / resumed tasks stay in them.
    var inExecuting = false
    var inLongRunning = false
    var inFlight = false
    /// `now` when the task started executing (for `long-running`'s compute duration).
    var executeStart: Time = .zero
    /// Compute start and stop as reported by the driver (`task-finished`'s startstops).
    var start: Time = .zero
    var stop: Time = .zero
    var exception: String? = nil
    /// The result is on disk (spilled), not in memory.
    var spilled = false
    /// Position in the least-recently-used list of in-memory keys.
    var inLRU = false
    var lruPrev: Int32 = -1
    var lruNext: Int32 = -1
    /// Position of this task's pending recommendation in the recommendation stack, or -1.
    var recPos: Int32 = -1

    init(id: TaskID) { self.id = id }
}

/// What the worker knows about one peer worker.
struct PeerRecord {
    let id: WorkerID
    /// Same host as this worker: preferred for fetching, served with twice the limit.
    let sameHost: Bool
    /// Dask's `data_needed[peer]`: tasks in `fetch` this peer holds, by priority (lazy heap).
    var dataNeeded = SlotHeap()
    /// Number of live entries in `dataNeeded`.
    var dataNeededCount = 0
    /// The peer is listed in `WorkerState.neededPeers`.
    var listedAsNeeded = false
    /// Dask's `in_flight_workers[peer]`: the keys of the one transfer in progress.
    var inFlight = false
    var inFlightKeys: [Int32] = []
    var inFlightBytes: Int64 = 0
    /// Dask's `busy_workers`: answered busy, not asked again until `retryBusyWorker`.
    var busy = false

    init(id: WorkerID, sameHost: Bool) {
        self.id = id
        self.sameHost = sameHost
    }
}

extension WorkerTaskStateName {
    /// Dense index for per-state counters.
    @inline(__always)
    var counterIndex: Int {
        switch self {
        case .released: 0
        case .waiting: 1
        case .fetch: 2
        case .missing: 3
        case .flight: 4
        case .ready: 5
        case .constrained: 6
        case .executing: 7
        case .longRunning: 8
        case .rescheduled: 9
        case .cancelled: 10
        case .resumed: 11
        case .memory: 12
        case .error: 13
        case .forgotten: 14
        }
    }
}

import HeapModule
import Messages

/// Internal task-state codes: the eight Dask states plus "never seen" (the
/// task's `update-graph` has not arrived, so the scheduler does not know it).
enum TS {
    static let released: UInt8 = 0
    static let waiting: UInt8 = 1
    static let queued: UInt8 = 2
    static let noWorker: UInt8 = 3
    static let processing: UInt8 = 4
    static let memory: UInt8 = 5
    static let erred: UInt8 = 6
    static let forgotten: UInt8 = 7
    static let unknown: UInt8 = 255

    @inline(__always) static func name(_ code: UInt8) -> SchedulerTaskStateName {
        code < 8 ? SchedulerTaskStateName.byCode[Int(code)] : .forgotten
    }
}

/// Per-edge flag bits (an edge is "task t depends on d", indexed as in `TaskGraph.deps`).
enum EdgeFlag {
    /// Both ends are live and linked (Dask: `d in t.dependencies`).
    static let linked: UInt8 = 1
    /// Dask: `t in d.waiters`.
    static let waiter: UInt8 = 2
    /// Dask: `d in t.waiting_on`.
    static let waitingOn: UInt8 = 4
}

/// The scheduler's per-task state (Dask's `scheduler.py::TaskState`), one per
/// `TaskID`, kept in an array. Sets of Dask's TaskState that relate two tasks
/// (`waiters`, `waiting_on`, `dependencies`) are per-edge flags plus counts.
struct TaskRecord {
    var state: UInt8 = TS.unknown
    /// Dask's `has_lost_dependencies`.
    var hasLostDependencies = false
    /// Dask's `actor`.
    var actor = false
    var priority = Priority()
    /// Dask's `processing_on`; -1 when not processing.
    var processingOn: Int32 = -1
    /// Dask's `nbytes`; -1 until known.
    var nbytes: Int64 = -1
    /// Dask's `retries` (remaining).
    var retries: Int32 = 0
    /// Dask's `suspicious`: workers that died while this task was processing on them.
    var suspicious: Int32 = 0
    /// The run id of the last `compute-task` sent.
    var runID: Int64 = 0
    /// `len(waiting_on)`.
    var waitingOnCount: Int32 = 0
    /// `len(waiters)`.
    var waitersCount: Int32 = 0
    /// `len(dependents)` (linked, live dependents).
    var dependentsCount: Int32 = 0
    /// Dask's `exception_blame`; -1 when none.
    var exceptionBlame: Int32 = -1
    /// Sequence number of this task's live entry in the queue.
    var queueSeq: UInt32 = 0
    /// Dask's `who_has`, sorted by worker id.
    var whoHas: [WorkerID] = []
    /// Dask's `who_wants`, sorted by client id.
    var whoWants: [ClientID] = []
}

/// The scheduler's view of a worker (Dask's `scheduler.py::WorkerState`).
struct WorkerRecord {
    var spec: WorkerSpec
    var status: WorkerStatus
    /// False once removed (Dask deletes it from `workers`; the id is never reused).
    var present = true
    /// Dask's `processing`.
    var processing = Set<TaskID>()
    /// Dask's `long_running` (a subset of `processing`).
    var longRunning = Set<TaskID>()
    /// Dask's `has_what`.
    var hasWhat = Set<TaskID>()
    /// Dask's `nbytes`: sum of `get_nbytes()` of `has_what`.
    var nbytes: Int64 = 0
    /// Dask's `task_prefix_count` (prefix id → processing tasks that are not long-running).
    var prefixCount: [Int32: Int32] = [:]
    /// Σ over `prefixCount` of count × the prefix's duration estimate (ns), kept
    /// exact on every count and estimate change, so `occupancy` is O(1) instead of
    /// O(distinct prefixes here) (a fan-in of 200,000 one-task prefixes made that
    /// quadratic). Integer sums: the value equals Dask's recomputed sum exactly.
    var taskOccupancy: Int64 = 0
    /// Dask's `needs_what`: dependency → processing tasks here needing it (deps not held here).
    var needsWhat: [TaskID: Int32] = [:]
    /// Dask's `_network_occ`: bytes of the `needs_what` keys.
    var networkOcc: Int64 = 0
    /// Dask's `actors`.
    var actors = Set<TaskID>()
    /// Dask's `used_resources`, parallel to `spec.resources`.
    var usedResources: [Double]
    /// Being retired (`retire_workers`): waiting for its unique data to be replicated.
    var retiring = false

    init(spec: WorkerSpec) {
        self.spec = spec
        self.status = .running
        self.usedResources = [Double](repeating: 0, count: spec.resources.count)
    }

    var nthreads: Int { spec.nthreads }
}

/// One live entry of the `queued` heap: ordered by priority, ties FIFO (Dask's `HeapSet`).
struct QueueEntry: Comparable {
    var priority: Priority
    var seq: UInt32
    var task: TaskID

    static func < (a: QueueEntry, b: QueueEntry) -> Bool {
        if a.priority != b.priority { return a.priority < b.priority }
        return a.seq < b.seq
    }
    static func == (a: QueueEntry, b: QueueEntry) -> Bool { a.seq == b.seq && a.task == b.task }
}

/// Dask's `TaskPrefix` fields the scheduler uses: duration estimates, all in ns.
struct PrefixRecord {
    /// `duration_average`; -1 = unknown.
    var durationAverage: Int64 = -1
    /// `max_exec_time` from heartbeats.
    var maxExecTime: Int64 = 0
    var suspicious: Int32 = 0
    /// `_task_prefix_count_global`.
    var globalCount: Int32 = 0
}

/// Dask's `TaskGroup` fields used for root-ish detection and co-assignment.
struct GroupRecord {
    /// `len(group)`: tasks added since the group was (re)created.
    var size: Int32 = 0
    /// Tasks of the group that are known and not forgotten; at 0 Dask deletes the group.
    var live: Int32 = 0
    /// `states["released"] + states["waiting"]`.
    var releasedOrWaiting: Int32 = 0
    /// `dependencies`: groups this group's tasks depend on, sorted.
    var dependencies: [Int32] = []
    /// `last_worker` / `last_worker_tasks_left` (co-assignment with queuing off).
    var lastWorker: Int32 = -1
    var lastWorkerTasksLeft: Int = 0
}

/// Dask's scheduler-side `ClientState`.
struct ClientRecord {
    /// `len(wants_what)`.
    var wantsCount: Int = 0
}

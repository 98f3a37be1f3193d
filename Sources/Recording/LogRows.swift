/// One row of `tasks.csv`: what happened to one task over the whole run.
/// Times are nanoseconds since the start of the run; `nil` prints as an empty field.
public struct TaskRow: Sendable, Hashable {
    public var key: String
    public var prefix: String
    /// The worker that ran the task's last attempt (or holds the scattered data); empty if none.
    public var worker: String
    /// When the scheduler received the task (`update-graph` or `update-data`).
    public var submit: Int64?
    /// When the last of its dependencies first reached memory (its submit time if it has none).
    public var ready: Int64?
    /// Start and end of the last execution attempt on a worker.
    public var start: Int64?
    public var end: Int64?
    public var outputBytes: Int64
    /// Bytes of this task's inputs the executing worker received over the network.
    public var bytesFetched: Int64
    /// The task's final scheduler state (`memory`, `forgotten`, `erred`, ...).
    public var state: String
    /// How many times a worker was told to execute it.
    public var attempts: Int

    public init(
        key: String, prefix: String, worker: String, submit: Int64?, ready: Int64?, start: Int64?, end: Int64?,
        outputBytes: Int64, bytesFetched: Int64, state: String, attempts: Int
    ) {
        self.key = key
        self.prefix = prefix
        self.worker = worker
        self.submit = submit
        self.ready = ready
        self.start = start
        self.end = end
        self.outputBytes = outputBytes
        self.bytesFetched = bytesFetched
        self.state = state
        self.attempts = attempts
    }
}

/// One row of `transitions.csv`: one scheduler-side task transition (Dask's `Transition`).
public struct TransitionRow: Sendable, Hashable {
    public var time: Int64
    /// Dense task index; the key is looked up when the file is written.
    public var task: Int32
    public var from: String
    public var to: String
    /// Dask's `stimulus_id`, e.g. `task-finished-42`.
    public var stimulus: String
    /// The worker the transition concerns (processing/memory), empty if none.
    public var worker: String

    public init(time: Int64, task: Int32, from: String, to: String, stimulus: String, worker: String) {
        self.time = time
        self.task = task
        self.from = from
        self.to = to
        self.stimulus = stimulus
        self.worker = worker
    }
}

/// One row of `transfers.csv`: one key moved over the network.
public struct TransferRow: Sendable, Hashable {
    public var task: Int32
    /// A worker name, or a client name for scatter (from) and gather (to).
    public var from: String
    public var to: String
    public var bytes: Int64
    public var start: Int64
    public var end: Int64

    public init(task: Int32, from: String, to: String, bytes: Int64, start: Int64, end: Int64) {
        self.task = task
        self.from = from
        self.to = to
        self.bytes = bytes
        self.start = start
        self.end = end
    }
}

/// One row of `workers.csv`: a sample of one worker's load.
public struct WorkerSampleRow: Sendable, Hashable {
    public var time: Int64
    public var worker: String
    /// Threads running a task at that instant (seceded tasks excluded).
    public var busyThreads: Int
    /// Tasks waiting for a thread on the worker (`ready` + `constrained`).
    public var queued: Int
    /// Bytes of task results held in the worker's memory.
    public var memoryBytes: Int64
    /// The scheduler's estimate of the worker's remaining work, nanoseconds.
    public var occupancy: Int64

    public init(time: Int64, worker: String, busyThreads: Int, queued: Int, memoryBytes: Int64, occupancy: Int64) {
        self.time = time
        self.worker = worker
        self.busyThreads = busyThreads
        self.queued = queued
        self.memoryBytes = memoryBytes
        self.occupancy = occupancy
    }
}

/// The one row of `summary.csv` for a run.
public struct SummaryRow: Sendable, Hashable {
    public var trace: String
    public var policy: String
    public var cluster: String
    public var seed: UInt64
    /// `sim` for the simulator, `real` for the executor.
    public var backend: String
    public var makespan: Int64
    /// Compute tasks that finished (each counted once).
    public var tasks: Int
    /// Busy thread-time over (threads × makespan), in [0, 1].
    public var utilisation: Double
    public var transfers: Int
    public var transferBytes: Int64
    public var steals: Int
    /// Events the simulator processed.
    public var events: Int
    /// Wall-clock seconds of the run; `nil` (empty) unless asked for, so logs stay byte-identical.
    public var wallSeconds: Double?
    public var network: String
    /// Lower bound 1: the duration-weighted critical path, nanoseconds.
    public var criticalPath: Int64
    /// Lower bound 2: total work / total threads, nanoseconds.
    public var workBound: Int64
    /// `completed`, or `stalled` / `failed` with the reason in `detail`.
    public var outcome: String
    public var detail: String
    /// The runtime-cost profile of a simulated run (`dask`, `ideal`, a file's name; docs/runtime.md); empty for real runs.
    public var runtime: String

    public init(
        trace: String, policy: String, cluster: String, seed: UInt64, backend: String, makespan: Int64,
        tasks: Int, utilisation: Double, transfers: Int, transferBytes: Int64, steals: Int, events: Int,
        wallSeconds: Double?, network: String, criticalPath: Int64, workBound: Int64, outcome: String, detail: String,
        runtime: String = ""
    ) {
        self.trace = trace
        self.policy = policy
        self.cluster = cluster
        self.seed = seed
        self.backend = backend
        self.makespan = makespan
        self.tasks = tasks
        self.utilisation = utilisation
        self.transfers = transfers
        self.transferBytes = transferBytes
        self.steals = steals
        self.events = events
        self.wallSeconds = wallSeconds
        self.network = network
        self.criticalPath = criticalPath
        self.workBound = workBound
        self.outcome = outcome
        self.detail = detail
        self.runtime = runtime
    }
}

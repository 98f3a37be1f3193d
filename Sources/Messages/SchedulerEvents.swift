/// What the scheduler knows about a worker when it joins (`register-worker`).
public struct WorkerSpec: Hashable, Sendable {
    public var id: WorkerID
    /// Human-readable name (`--name`), used by restrictions and logs.
    public var name: String
    public var host: String
    public var nthreads: Int
    /// Bytes; 0 means no limit.
    public var memoryLimit: Int64
    /// Abstract resources the worker offers, sorted by name.
    public var resources: [ResourceRequest]

    public init(id: WorkerID, name: String, host: String, nthreads: Int, memoryLimit: Int64 = 0, resources: [ResourceRequest] = []) {
        self.id = id
        self.name = name
        self.host = host
        self.nthreads = nthreads
        self.memoryLimit = memoryLimit
        self.resources = resources.sorted { $0.name < $1.name }
    }
}

/// Where a scatter puts pure-data keys.
public enum ScatterTarget: Hashable, Sendable {
    /// Onto these workers, round-robin over the keys.
    case workers([WorkerID])
    /// Round-robin over all running workers.
    case roundRobin
    /// A copy on every running worker.
    case broadcast
}

/// One entry of a heartbeat's `executing`: a task and how long it has been running.
public struct ExecutingTask: Hashable, Sendable {
    public var key: TaskID
    public var elapsed: Time
    public init(key: TaskID, elapsed: Time) {
        self.key = key
        self.elapsed = elapsed
    }
}

/// Every stimulus the scheduler state machine accepts. Each carries no time of
/// its own: the driver passes `now` with it.
public enum SchedulerStimulus: Hashable, Sendable {
    /// `register-worker`
    case addWorker(WorkerSpec)
    /// `remove_worker(expected:)`: the worker is gone (closed connection, killed, or retired).
    case removeWorker(WorkerID, expected: Bool)
    /// `retire_workers`: move unique data off these workers, then remove them gracefully.
    case retireWorkers([WorkerID])
    /// A message on a worker's stream.
    case worker(WorkerID, WorkerToScheduler)
    /// A message on a client's stream.
    case client(ClientToScheduler)
    /// `scatter`: the client asks where to put pure-data keys; the scheduler answers
    /// with `SchedulerInstruction.scatterTo` and later receives `update-data`.
    case scatter(client: ClientID, keys: [TaskID], target: ScatterTarget)
    /// `heartbeat_worker`: measured bandwidth (bytes/s, 0 = no measurement) and executing keys.
    case heartbeat(WorkerID, bandwidth: Double)
    /// The periodic `WorkStealing.balance()` tick (every `work-stealing-interval`).
    case balance
    /// `gather`: a client wants the data of these keys; the scheduler answers
    /// with `SchedulerInstruction.gatherFrom` (Dask's `gather` RPC / `who_has`).
    case gather(client: ClientID, keys: [TaskID])
    /// `heartbeat_worker` with the tasks executing on the worker and for how long
    /// (Dask's `executing` metric; feeds `TaskPrefix.add_exec_time`).
    case heartbeatExecuting(WorkerID, bandwidth: Double, executing: [ExecutingTask])

    public var op: String {
        switch self {
        case .addWorker: "add-worker"
        case .removeWorker: "remove-worker"
        case .retireWorkers: "retire-workers"
        case .worker(_, let message): message.op
        case .client(let message): message.op
        case .scatter: "scatter"
        case .heartbeat: "heartbeat"
        case .balance: "balance"
        case .heartbeatExecuting: "heartbeat"
        case .gather: "gather"
        }
    }
}

/// Everything the scheduler state machine asks its driver to do.
public enum SchedulerInstruction: Hashable, Sendable {
    case toWorker(WorkerID, SchedulerToWorker)
    case toClient(ClientID, SchedulerToClient)
    /// Answer to `scatter`: the client should send each key's data to these workers.
    case scatterTo(client: ClientID, placements: [DependencyReplicas])
    /// The worker may be closed now (end of `retire_workers`).
    case closeWorker(WorkerID, reason: String)
    /// Answer to `gather`: where each key in memory can be fetched from; `missing`
    /// lists keys not in memory (Dask answers `{"status": "error", "keys": missing}`).
    case gatherFrom(client: ClientID, replicas: [DependencyReplicas], missing: [TaskID])
}

/// The holders of one dependency, as `compute-task` and `acquire-replicas` carry them.
public struct DependencyReplicas: Hashable, Sendable {
    public var key: TaskID
    /// Workers holding the key, in the order the scheduler lists them (sorted by id).
    public var whoHas: [WorkerID]
    public var nbytes: Int64

    public init(key: TaskID, whoHas: [WorkerID], nbytes: Int64) {
        self.key = key
        self.whoHas = whoHas
        self.nbytes = nbytes
    }
}

/// Dask's `compute-task` message (`_task_to_msg`).
public struct ComputeTask: Hashable, Sendable {
    public var key: TaskID
    /// Fresh per message; results carrying an older run id are stale.
    public var runID: Int64
    public var priority: Priority
    /// The scheduler's duration estimate for the task (seconds in Dask; ns here).
    public var durationEstimate: Time
    /// Every dependency with its holders and size.
    public var dependencies: [DependencyReplicas]
    public var resources: [ResourceRequest]
    public var actor: Bool
    public var stimulusID: StimulusID

    public init(
        key: TaskID, runID: Int64, priority: Priority, durationEstimate: Time,
        dependencies: [DependencyReplicas], resources: [ResourceRequest] = [], actor: Bool = false,
        stimulusID: StimulusID
    ) {
        self.key = key
        self.runID = runID
        self.priority = priority
        self.durationEstimate = durationEstimate
        self.dependencies = dependencies
        self.resources = resources
        self.actor = actor
        self.stimulusID = stimulusID
    }
}

/// Messages the scheduler sends to one worker (Dask's worker stream ops).
public enum SchedulerToWorker: Hashable, Sendable {
    /// `compute-task`
    case computeTask(ComputeTask)
    /// `free-keys`: forget these keys unless something else on the worker needs them.
    case freeKeys(keys: [TaskID], stimulusID: StimulusID)
    /// `steal-request`: give the task back if it has not started.
    case stealRequest(key: TaskID, stimulusID: StimulusID)
    /// `acquire-replicas`: fetch copies of these keys (replication, retirement).
    case acquireReplicas(replicas: [DependencyReplicas], stimulusID: StimulusID)
    /// `remove-replicas`: drop these copies (they exist elsewhere).
    case removeReplicas(keys: [TaskID], stimulusID: StimulusID)
    /// `refresh-who-has`: fresh holder lists for keys the worker asked about.
    case refreshWhoHas(replicas: [DependencyReplicas], stimulusID: StimulusID)
    /// `remove-worker`: a peer left; stop fetching from it.
    case removeWorker(worker: WorkerID, stimulusID: StimulusID)
    /// `worker-status-change` from the scheduler (e.g. `closing_gracefully` on retirement).
    case workerStatusChange(status: WorkerStatus, stimulusID: StimulusID)
    /// `close`
    case close(reason: String)

    /// Dask's op name, for logs and the wire protocol.
    public var op: String {
        switch self {
        case .computeTask: "compute-task"
        case .freeKeys: "free-keys"
        case .stealRequest: "steal-request"
        case .acquireReplicas: "acquire-replicas"
        case .removeReplicas: "remove-replicas"
        case .refreshWhoHas: "refresh-who-has"
        case .removeWorker: "remove-worker"
        case .workerStatusChange: "worker-status-change"
        case .close: "close"
        }
    }
}

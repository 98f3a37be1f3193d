/// Messages a client sends to the scheduler.
public enum ClientToScheduler: Hashable, Sendable {
    /// `update-graph`: these tasks (one `Workload.submissions` entry), wanting `wanted`.
    /// `submitter` is the running task that acts as the client (Dask's `worker_client`).
    case updateGraph(client: ClientID, submission: Int, tasks: [TaskID], wanted: [TaskID], submitter: TaskID?, stimulusID: StimulusID)
    /// `update-data` after a scatter: the client put these pure-data keys on these workers.
    case updateData(client: ClientID, replicas: [DependencyReplicas], stimulusID: StimulusID)
    /// `client-desires-keys`
    case clientDesiresKeys(client: ClientID, keys: [TaskID], stimulusID: StimulusID)
    /// `client-releases-keys`
    case clientReleasesKeys(client: ClientID, keys: [TaskID], stimulusID: StimulusID)
    /// `retry` (Dask's `Client.retry` → `stimulus_retry`): recompute these erred keys.
    case retry(client: ClientID, keys: [TaskID], stimulusID: StimulusID)

    /// The client the message comes from.
    public var client: ClientID {
        switch self {
        case .updateGraph(let client, _, _, _, _, _), .updateData(let client, _, _), .clientDesiresKeys(let client, _, _),
             .clientReleasesKeys(let client, _, _), .retry(let client, _, _):
            client
        }
    }

    public var op: String {
        switch self {
        case .updateGraph: "update-graph"
        case .updateData: "update-data"
        case .clientDesiresKeys: "client-desires-keys"
        case .clientReleasesKeys: "client-releases-keys"
        case .retry: "retry"
        }
    }
}

/// Reports the scheduler sends to a client (Dask's `report` stream).
public enum SchedulerToClient: Hashable, Sendable {
    /// `key-in-memory`, with the workers holding it (so the client can gather directly).
    case keyInMemory(key: TaskID, workers: [WorkerID])
    /// `task-erred`
    case taskErred(key: TaskID, exception: String)
    /// `lost-data`
    case lostData(key: TaskID)
    /// `cancelled-keys`
    case cancelledKeys(keys: [TaskID], reason: String)
    /// `task-retried`
    case taskRetried(key: TaskID)

    public var op: String {
        switch self {
        case .keyInMemory: "key-in-memory"
        case .taskErred: "task-erred"
        case .lostData: "lost-data"
        case .cancelledKeys: "cancelled-keys"
        case .taskRetried: "task-retried"
        }
    }
}

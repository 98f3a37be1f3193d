/// Worker-side task state names, as Dask spells them; `steal-response` carries one.
public enum WorkerTaskStateName: String, Hashable, Sendable, CaseIterable {
    case released, waiting, fetch, missing, flight, ready, constrained, executing
    case longRunning = "long-running"
    case rescheduled, cancelled, resumed, memory, error, forgotten
}

/// Messages a worker sends to the scheduler (Dask's worker → scheduler stream ops).
/// The driver knows which worker sent each message and passes it alongside.
public enum WorkerToScheduler: Hashable, Sendable {
    /// `task-finished`: the result is in memory; `start`/`stop` bound the compute.
    case taskFinished(key: TaskID, runID: Int64, nbytes: Int64, start: Time, stop: Time, stimulusID: StimulusID)
    /// `task-erred`
    case taskErred(key: TaskID, runID: Int64, exception: String, start: Time, stop: Time, stimulusID: StimulusID)
    /// `release-worker-data`: the worker dropped its replica.
    case releaseWorkerData(key: TaskID, stimulusID: StimulusID)
    /// `add-keys`: the worker now holds replicas of these keys (after a fetch).
    case addKeys(keys: [TaskID], stimulusID: StimulusID)
    /// `long-running`: the task seceded; it no longer occupies a thread slot.
    case longRunning(key: TaskID, runID: Int64, computeDuration: Time, stimulusID: StimulusID)
    /// `reschedule`
    case reschedule(key: TaskID, stimulusID: StimulusID)
    /// `steal-response`: the task's state on the worker when the request arrived
    /// (`nil` when the worker no longer knows the task).
    case stealResponse(key: TaskID, state: WorkerTaskStateName?, stimulusID: StimulusID)
    /// `request-refresh-who-has`: the worker could not find any holder of these keys.
    case requestRefreshWhoHas(keys: [TaskID], stimulusID: StimulusID)
    /// `missing-data`: a peer the scheduler listed did not have the key.
    case missingData(key: TaskID, errantWorker: WorkerID, stimulusID: StimulusID)
    /// `worker-status-change` (paused / running).
    case workerStatusChange(status: WorkerStatus, stimulusID: StimulusID)

    public var op: String {
        switch self {
        case .taskFinished: "task-finished"
        case .taskErred: "task-erred"
        case .releaseWorkerData: "release-worker-data"
        case .addKeys: "add-keys"
        case .longRunning: "long-running"
        case .reschedule: "reschedule"
        case .stealResponse: "steal-response"
        case .requestRefreshWhoHas: "request-refresh-who-has"
        case .missingData: "missing-data"
        case .workerStatusChange: "worker-status-change"
        }
    }
}

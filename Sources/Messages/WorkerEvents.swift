/// One key received in a dependency transfer.
public struct ReceivedKey: Hashable, Sendable {
    public var key: TaskID
    public var nbytes: Int64
    public init(key: TaskID, nbytes: Int64) {
        self.key = key
        self.nbytes = nbytes
    }
}

/// Every stimulus the worker state machine accepts (Dask's `StateMachineEvent`
/// subclasses). The driver passes `now` with each.
public enum WorkerStimulus: Hashable, Sendable {
    /// A message on the scheduler stream (`ComputeTaskEvent`, `FreeKeysEvent`, ...).
    case scheduler(SchedulerToWorker)
    /// `ExecuteSuccessEvent`: the task's function returned.
    case executeSuccess(key: TaskID, runID: Int64, start: Time, stop: Time, nbytes: Int64)
    /// `ExecuteFailureEvent`
    case executeFailure(key: TaskID, runID: Int64, start: Time, stop: Time, exception: String)
    /// `SecedeEvent`: the running task called `secede()` (e.g. a worker-client task waiting on its sub-graph).
    case secede(key: TaskID)
    /// `GatherDepSuccessEvent`: the peer sent these keys (a subset of those asked for;
    /// the rest it did not have).
    case gatherDepSuccess(peer: WorkerID, received: [ReceivedKey], requested: [TaskID], totalBytes: Int64)
    /// `GatherDepBusyEvent`: the peer was serving too many requests.
    case gatherDepBusy(peer: WorkerID, requested: [TaskID], totalBytes: Int64)
    /// `GatherDepNetworkFailureEvent`: the peer could not be reached.
    case gatherDepNetworkFailure(peer: WorkerID, requested: [TaskID], totalBytes: Int64)
    /// `GatherDepFailureEvent`: the transfer arrived but could not be used (e.g. the data
    /// failed to deserialise); the requested keys go to `error`.
    case gatherDepFailure(peer: WorkerID, requested: [TaskID], totalBytes: Int64, exception: String)
    /// `FindMissingEvent`: the driver's periodic timer (Dask: every heartbeat interval,
    /// 1 s at start) while the worker has `missing` keys; answered by `request-refresh-who-has`.
    case findMissing
    /// `RetryBusyWorkerEvent`: the driver's timer after `retryBusyWorkerLater` fired.
    case retryBusyWorker(peer: WorkerID)
    /// `UpdateDataEvent`: a client scattered these pure-data keys here.
    case updateData(keys: [ReceivedKey])
    /// `PauseEvent` / `UnpauseEvent` (the driver's memory monitor decides).
    case pause
    case unpause
    /// `RefreshWhoHasEvent` arrives via `.scheduler(.refreshWhoHas)`; peer loss via `.scheduler(.removeWorker)`.
    /// A peer asks for data (`get_data`); the worker answers through `WorkerInstruction.sendData` or `.busy`.
    case getData(from: WorkerID, keys: [TaskID])
    /// The outgoing transfer started by `sendData` finished (frees an incoming-connection slot).
    case getDataDone(to: WorkerID)
}

/// Everything the worker state machine asks its driver to do (Dask's `Instruction` subclasses).
public enum WorkerInstruction: Hashable, Sendable {
    /// `Execute`: run the task; report `executeSuccess`/`executeFailure` when it ends.
    case execute(key: TaskID, runID: Int64)
    /// `GatherDep`: fetch these keys from `peer` in one message of `totalBytes`.
    case gatherDep(peer: WorkerID, keys: [TaskID], totalBytes: Int64, stimulusID: StimulusID)
    /// `RetryBusyWorkerLater`: send `retryBusyWorker(peer)` after `worker.connections` retry delay (0.15 s).
    case retryBusyWorkerLater(peer: WorkerID, after: Time)
    /// A message to the scheduler.
    case toScheduler(WorkerToScheduler)
    /// Answer to `getData`: send these keys (total bytes) to the requesting peer.
    case sendData(to: WorkerID, keys: [ReceivedKey])
    /// Answer to `getData`: too many concurrent requests; the peer sees `gatherDepBusy`.
    case busy(to: WorkerID, keys: [TaskID])
    /// The worker moved these in-memory keys to disk (Dask's `SpillBuffer` evicting the
    /// least recently used keys). The driver models the disk write of `bytes`.
    case spill(keys: [TaskID], bytes: Int64)
    /// The worker read these spilled keys from disk (a task about to run needs them, or a
    /// peer asked for them); they move back to memory unless larger than the memory
    /// target. The driver models the disk read of `bytes`.
    case unspill(keys: [TaskID], bytes: Int64)
    /// Process memory passed the `terminate` threshold: the driver should kill the worker
    /// (Dask's nanny does this). Emitted once.
    case terminate(reason: String)
}

/// One `update-graph`: a client (or a running task acting as a client, Dask's
/// `worker_client`) submits some tasks at some time and wants some of them back.
public struct Submission: Sendable, Hashable {
    /// Client name, e.g. `client-0`.
    public var client: String
    /// For an external client: seconds after the run starts. For a task-submitted
    /// workload: seconds after the submitting task starts.
    public var time: Double
    /// The task that submits this workload while it runs, or `nil` for an external client.
    public var submitter: TaskID?
    /// Keys the client holds futures for (Dask's `keys=` of `update-graph`).
    public var wanted: [TaskID]

    public init(client: String, time: Double = 0, submitter: TaskID? = nil, wanted: [TaskID] = []) {
        self.client = client
        self.time = time
        self.submitter = submitter
        self.wanted = wanted
    }
}

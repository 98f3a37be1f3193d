import Messages

/// What the scheduler process records about a run, sent to the client at the end
/// (`logs`) and turned into the CSV logs there. Times are on the shared monotonic
/// clock; the CSV writer subtracts `runStart`.
public struct RunRecords: Sendable, Hashable {
    /// One scheduler-side transition (a row of `transitions.csv`).
    public struct Transition: Sendable, Hashable {
        public var time: Time
        public var key: TaskID
        public var from: String
        public var to: String
        public var stimulus: String
        /// -1 when the transition concerns no worker.
        public var worker: Int32
        public init(time: Time, key: TaskID, from: String, to: String, stimulus: String, worker: Int32) {
            self.time = time
            self.key = key
            self.from = from
            self.to = to
            self.stimulus = stimulus
            self.worker = worker
        }
    }

    /// What the scheduler saw of one task. `Time.never` means "did not happen".
    public struct TaskOutcome: Sendable, Hashable {
        public var worker: Int32 = -1
        public var submit: Time = .never
        public var ready: Time = .never
        public var start: Time = .never
        public var end: Time = .never
        public var attempts: Int32 = 0
        public var state: String = "released"
        public init() {}
    }

    /// A sample of one worker's load, taken at each heartbeat (a row of `workers.csv`).
    public struct WorkerSample: Sendable, Hashable {
        public var time: Time
        public var worker: Int32
        public var busyThreads: Int32
        public var queued: Int32
        public var memoryBytes: Int64
        public var occupancy: Time
        public init(time: Time, worker: Int32, busyThreads: Int32, queued: Int32, memoryBytes: Int64, occupancy: Time) {
            self.time = time
            self.worker = worker
            self.busyThreads = busyThreads
            self.queued = queued
            self.memoryBytes = memoryBytes
            self.occupancy = occupancy
        }
    }

    public var runStart: Time = .zero
    /// Worker names by `WorkerID.index`.
    public var workerNames: [String] = []
    public var workerThreads: [Int32] = []
    public var tasks: [TaskOutcome] = []
    public var transitions: [Transition] = []
    public var transfers: [TransferEntry] = []
    public var samples: [WorkerSample] = []
    public var steals: Int64 = 0
    public var stimuli: Int64 = 0
    /// Problems the scheduler logged (closed connections, removed workers), in order.
    public var notes: [String] = []

    public init() {}
}

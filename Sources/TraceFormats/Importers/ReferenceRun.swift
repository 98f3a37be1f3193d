import Workload

/// The real run a trace recorded (a Dask capture): where each task ran, when,
/// what moved between workers and how long it all took. `validate` compares a
/// simulation of the same workload against it.
public struct ReferenceRun: Sendable, Equatable {
    /// One transfer from the workers' `transfer_incoming_log`: a gather of one
    /// or more keys from a peer.
    public struct Transfer: Sendable, Equatable {
        /// Index into `workers` of the sender (`who`) and the receiver.
        public var from: Int
        public var to: Int
        /// Tasks whose data moved (keys of the gather that are in the workload).
        public var tasks: [TaskID]
        public var bytes: Int64
        /// Seconds after the run's first start.
        public var start: Double
        public var stop: Double

        public init(from: Int, to: Int, tasks: [TaskID], bytes: Int64, start: Double, stop: Double) {
            self.from = from
            self.to = to
            self.tasks = tasks
            self.bytes = bytes
            self.start = start
            self.stop = stop
        }
    }

    /// A task entering (`-> memory`) or leaving (`memory ->`) the scheduler's `memory`
    /// state, seconds after the run's first start.
    public struct MemoryChange: Sendable, Equatable {
        public var time: Double
        public var task: TaskID
        public var enters: Bool

        public init(time: Double, task: TaskID, enters: Bool) {
            self.time = time
            self.task = task
            self.enters = enters
        }
    }

    /// Worker addresses, sorted, so indices are stable.
    public var workers: [String]
    /// Threads per worker, parallel to `workers`.
    public var threads: [Int]
    /// Per task (indexed by `TaskID`): the worker index it computed on, or nil if it never ran.
    public var placement: [Int?]
    /// Per task: compute start and stop in seconds after the run's first start (nil if it never ran).
    public var start: [Double?]
    public var stop: [Double?]
    /// Tasks computed per worker, parallel to `workers`.
    public var tasksPerWorker: [Int]
    /// Seconds of compute per worker, parallel to `workers`.
    public var busySeconds: [Double]
    /// Transfers in start order (ties by receiver, then sender).
    public var transfers: [Transfer]
    /// Last stop minus first start over every recorded start/stop (Dask's
    /// `summary.makespan_s` definition).
    public var makespan: Double
    /// Per task: when the scheduler last sent it to a worker (its last `-> processing`
    /// transition), seconds after the run's first start; nil if never.
    public var processing: [Double?] = []
    /// Every scheduler transition into or out of `memory`, in log order: what the
    /// scheduler held over time (`validate --against dask` reads the peak from it).
    public var memoryChanges: [MemoryChange] = []
    /// Every scheduler transition's time (seconds after the first start), in log order,
    /// and the dense index of its stimulus id (`transitionStimuli[i]`): `calibrate` reads
    /// the scheduler's time per transition from them.
    public var transitionTimes: [Double] = []
    public var transitionStimuli: [Int32] = []
    /// Distinct `update-graph` stimuli: more than one means the client submitted in steps
    /// (waiting in between), which a replay of the whole graph at once cannot reproduce.
    public var updateGraphs: Int = 0
    /// When the client submitted the graph (`meta.submit_time_epoch`), seconds after the first start (negative).
    public var submitTime: Double?
    /// The capture's `meta.workload` (what was run, whichever file it was saved as).
    public var workloadName: String?
    /// The Dask settings the run used, from `meta.config` (nil when not recorded).
    public var workerSaturation: Double?
    public var workStealing: Bool?

    public init(
        workers: [String], threads: [Int], placement: [Int?], start: [Double?], stop: [Double?],
        tasksPerWorker: [Int], busySeconds: [Double], transfers: [Transfer], makespan: Double
    ) {
        self.workers = workers
        self.threads = threads
        self.placement = placement
        self.start = start
        self.stop = stop
        self.tasksPerWorker = tasksPerWorker
        self.busySeconds = busySeconds
        self.transfers = transfers
        self.makespan = makespan
    }

    /// Total bytes over all transfers.
    public var transferBytes: Int64 { transfers.reduce(0) { $0 + $1.bytes } }
}

import Messages

/// What a Dask-like runtime spends besides task compute: batched streams, the
/// scheduler's and the workers' event loops, serialisation of transfers, the
/// client's submission. Every parameter is named after the Dask mechanism it
/// models (docs/runtime.md gives each one's source in `distributed/`).
///
/// The `ideal` profile (every cost zero, no batching) is the pure-policy model:
/// messages are handled the instant they arrive and tasks start the instant a
/// thread is free. `dask` is fitted from real Dask captures by `schedsim
/// calibrate` (docs/runtime.md).
public struct RuntimeProfile: Sendable, Hashable {
    /// The profile's name as printed in summaries (`ideal`, `dask`, a file name, …).
    public var name: String
    /// Where the values come from (a sentence; recorded with the run's logs).
    public var source: String

    // MARK: BatchedSend (distributed/batched.py): at most one write per interval per stream.
    /// `Scheduler.add_worker`: `BatchedSend(interval="5ms")` to each worker.
    public var schedulerToWorkerInterval: Time
    /// `Worker.batched_stream`: `BatchedSend(interval="2ms")` to the scheduler.
    public var workerToSchedulerInterval: Time
    /// `Scheduler.add_client`: `BatchedSend(interval="2ms")` to each client.
    public var schedulerToClientInterval: Time
    /// `Client._ensure_connected`: `BatchedSend(interval="10ms")` to the scheduler.
    public var clientToSchedulerInterval: Time

    // MARK: The scheduler's event loop (one server).
    /// Per incoming batch (`handle_stream` reading and decoding one wire message).
    public var schedulerBatch: Time
    /// Per message of a batch (the op's handler besides its transitions).
    public var schedulerMessage: Time
    /// Per scheduler transition the batch causes (`_transitions`).
    public var schedulerTransition: Time
    /// Per task of an `update-graph` (materialisation, ordering, `TaskState`s).
    public var schedulerUpdateGraphTask: Time

    // MARK: Each worker's event loop (one server per worker).
    /// Per incoming batch from the scheduler.
    public var workerBatch: Time
    /// Per message handled (`handle_stimulus` of a scheduler op or a transfer result).
    public var workerMessage: Time
    /// Per finished task: the thread pool's result back on the loop,
    /// `ExecuteSuccessEvent`, `task-finished`, and starting the next `Execute`.
    public var workerTask: Time
    /// Throughput of producing a finished task's result on the worker loop, bytes/s
    /// (0 = free). Dask's task computes its own result (part of its duration); schedsim's
    /// executor writes and checksums every result buffer on the loop after the task's time.
    public var workerOutputBandwidth: Double

    // MARK: Transfers between workers (`gather_dep` → `get_data`).
    /// Per `get_data` request, on top of the network's latency.
    public var transferRequest: Time
    /// Serialisation + deserialisation throughput in bytes/s, in series with the
    /// network (0 = unlimited).
    public var transferBandwidth: Double

    // MARK: The client.
    /// Per task the client packs into an `update-graph` before sending it.
    public var clientSubmitTask: Time

    // MARK: What-if knobs.
    /// Multiplies every scheduler cost (0.1 = a 10× faster scheduler).
    public var schedulerScale: Double
    /// Multiplies every worker cost.
    public var workerScale: Double

    public init(
        name: String, source: String,
        schedulerToWorkerInterval: Time = .zero, workerToSchedulerInterval: Time = .zero,
        schedulerToClientInterval: Time = .zero, clientToSchedulerInterval: Time = .zero,
        schedulerBatch: Time = .zero, schedulerMessage: Time = .zero, schedulerTransition: Time = .zero,
        schedulerUpdateGraphTask: Time = .zero,
        workerBatch: Time = .zero, workerMessage: Time = .zero, workerTask: Time = .zero,
        workerOutputBandwidth: Double = 0,
        transferRequest: Time = .zero, transferBandwidth: Double = 0,
        clientSubmitTask: Time = .zero,
        schedulerScale: Double = 1, workerScale: Double = 1
    ) {
        self.name = name
        self.source = source
        self.schedulerToWorkerInterval = schedulerToWorkerInterval
        self.workerToSchedulerInterval = workerToSchedulerInterval
        self.schedulerToClientInterval = schedulerToClientInterval
        self.clientToSchedulerInterval = clientToSchedulerInterval
        self.schedulerBatch = schedulerBatch
        self.schedulerMessage = schedulerMessage
        self.schedulerTransition = schedulerTransition
        self.schedulerUpdateGraphTask = schedulerUpdateGraphTask
        self.workerBatch = workerBatch
        self.workerMessage = workerMessage
        self.workerTask = workerTask
        self.workerOutputBandwidth = workerOutputBandwidth
        self.transferRequest = transferRequest
        self.transferBandwidth = transferBandwidth
        self.clientSubmitTask = clientSubmitTask
        self.schedulerScale = schedulerScale
        self.workerScale = workerScale
    }

    /// Every cost zero, no batching: the pure-policy model (schedsim before the runtime model).
    public static let ideal = RuntimeProfile(name: "ideal", source: "every cost zero (pure-policy model)")

    /// Whether the scheduler is modelled as a busy event loop (any scheduler cost).
    var schedulerLoop: Bool {
        schedulerBatch.nanoseconds > 0 || schedulerMessage.nanoseconds > 0 || schedulerTransition.nanoseconds > 0
            || schedulerUpdateGraphTask.nanoseconds > 0
    }

    /// Whether each worker is modelled as a busy event loop (any worker cost).
    var workerLoop: Bool {
        workerBatch.nanoseconds > 0 || workerMessage.nanoseconds > 0 || workerTask.nanoseconds > 0 || workerOutputBandwidth > 0
    }

    /// Whether any stream batches.
    var batching: Bool {
        schedulerToWorkerInterval.nanoseconds > 0 || workerToSchedulerInterval.nanoseconds > 0
            || schedulerToClientInterval.nanoseconds > 0 || clientToSchedulerInterval.nanoseconds > 0
    }

    /// Whether every cost is zero (the simulator then takes its fastest paths).
    public var isIdeal: Bool {
        !schedulerLoop && !workerLoop && !batching && transferRequest.nanoseconds == 0 && transferBandwidth == 0
            && clientSubmitTask.nanoseconds == 0
    }

    /// A scheduler cost after `scheduler-scale`.
    @inline(__always) func scheduler(_ t: Time, times n: Int = 1) -> Int64 {
        Self.scaled(t.nanoseconds, n, schedulerScale)
    }

    /// A worker cost after `worker-scale`.
    @inline(__always) func worker(_ t: Time, times n: Int = 1) -> Int64 {
        Self.scaled(t.nanoseconds, n, workerScale)
    }

    /// `ns × n × scale`, rounded, saturating far below `Int64.max` (a cost of centuries is already absurd).
    @inline(__always) static func scaled(_ ns: Int64, _ n: Int, _ scale: Double) -> Int64 {
        if ns == 0 || n == 0 { return 0 }
        let value = Double(ns) * Double(n) * scale
        return value < 4e18 ? Int64(value.rounded()) : 4_000_000_000_000_000_000
    }
}

import Messages

/// Tunables of one worker, named after Dask's `distributed.worker.*` configuration.
/// The defaults are Dask's defaults (reference §4.2).
public struct WorkerConfig: Sendable, Hashable {
    /// `distributed.worker.connections.outgoing`: at most this many peers are fetched
    /// from at the same time (Dask's `WorkerState.transfer_incoming_count_limit`).
    public var connectionsOutgoing: Int = 50
    /// `distributed.worker.connections.incoming`: at most this many `get_data` requests
    /// are served at the same time (doubled for a requester on the same host, 1 while
    /// paused); the rest are answered `busy`.
    public var connectionsIncoming: Int = 10
    /// `distributed.worker.transfer.message-bytes-limit`: bytes batched into one
    /// `gather-dep` from one peer (the first key of a message is always allowed).
    public var messageBytesLimit: Int64 = 50_000_000
    /// `WorkerState.transfer_incoming_bytes_throttle_threshold`: the count limit only
    /// applies once at least this many bytes are in flight.
    public var incomingBytesThrottleThreshold: Int64 = 10_000_000
    /// `distributed.worker.memory.transfer`: in-flight bytes are limited to this fraction
    /// of the memory limit. `nil` (or no memory limit) means unlimited.
    public var transferFraction: Double? = 0.10
    /// Delay before a busy peer is tried again (`Worker.retry_busy_worker_later`).
    public var busyRetryDelay: Time = .milliseconds(150)
    /// `distributed.scheduler.default-data-size`: the size assumed for a key of unknown size.
    public var defaultDataSize: Int64 = 1024

    /// `distributed.worker.memory.target`: managed memory above this fraction of the
    /// memory limit is spilled to disk, least recently used first. `nil` disables it.
    public var memoryTarget: Double? = 0.60
    /// `distributed.worker.memory.spill`: process memory above this fraction spills until
    /// process memory is back under `memoryTarget` (or under `memorySpill` if target is off).
    public var memorySpill: Double? = 0.70
    /// `distributed.worker.memory.pause`: process memory above this fraction pauses the
    /// worker (no new executions or fetches; it tells the scheduler).
    public var memoryPause: Double? = 0.80
    /// `distributed.worker.memory.terminate`: process memory above this fraction asks the
    /// driver to kill the worker.
    public var memoryTerminate: Double? = 0.95
    /// Bytes the process holds besides task results (interpreter, libraries, buffers).
    /// Dask measures it; the simulator takes a constant. Counts towards process memory.
    public var unmanagedMemory: Int64 = 0

    /// Check every invariant after each stimulus (Dask's `validate=True`). Expensive:
    /// violations are collected in `WorkerState.invariantViolations`. Use in tests.
    public var validate: Bool = false

    public init() {}
}

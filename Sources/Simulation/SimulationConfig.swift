import Messages

/// Everything about a run besides the workload, the cluster and the machines.
public struct SimulationConfig: Sendable {
    /// The run seed; every random stream (duration noise) is derived from it.
    public var seed: UInt64 = 1
    /// What the runtime spends besides compute: batched streams, the scheduler's
    /// and workers' event loops, serialisation, submission (docs/runtime.md).
    /// `.ideal` (the default here; the CLI defaults to `dask`) charges nothing.
    public var runtime: RuntimeProfile = .ideal
    /// Gather wanted results to the client at the end (Dask's `client.gather`).
    public var gather = true
    /// Keep every scheduler transition for `transitions.csv`.
    public var recordTransitions = true
    /// Keep every stimulus and instruction for `events.jsonl`.
    public var traceEvents = false
    /// Period of the `workers.csv` samples; zero disables sampling.
    public var sampleInterval: Time = .seconds(1)
    /// Period of the scheduler's `balance` tick (Dask's `work-stealing-interval`); zero disables it.
    public var balanceInterval: Time = .seconds(1)
    /// Send Dask's worker heartbeats (measured bandwidth, executing tasks) at Dask's
    /// interval: 0.5 s up to 10 workers, 1 s below 50, 2 s below 200, else n/200 + 1 s.
    public var heartbeats = true
    /// Coefficient of variation of the multiplicative lognormal noise on task
    /// durations (mean 1); zero means every task takes exactly its trace duration.
    public var durationNoiseCV: Double = 0
    /// Scenario events (faults, elasticity), in any order.
    public var scenario: [ScenarioEvent] = []
    /// Bytes per second a worker reads spilled data back from disk (Dask's spill-to-disk).
    public var diskBandwidth: Double = 500e6
    /// Stop after this many events (a safety net against livelock); 0 = no limit.
    public var eventLimit: Int = 0
    /// Stop when `workers.csv` holds this many samples (a tiny `sampleInterval` on a
    /// long run would fill the memory); 0 = no limit.
    public var sampleLimit: Int = 0
    /// Recompute every machine's invariants once when the run ends and report them in
    /// `SimulationResult.invariantViolations` (a stalled run is always checked). Cheap:
    /// one pass per machine, unlike the per-stimulus `validate` of the machines' configs.
    public var checkInvariantsAtEnd = false
    /// Recompute the invariants of the machine that handled each stimulus right after it
    /// (Dask's `validate=True`; `--validate`). Slow — every check walks the machine's whole
    /// state — so for tests, chaos runs and bug hunts. The first violations, with the
    /// stimulus and time after which they appeared, go to `SimulationResult.invariantViolations`.
    public var validate = false

    public init() {}
}

/// Something that happens to the cluster at a given time.
public struct ScenarioEvent: Sendable, Hashable {
    public enum Action: Sendable, Hashable {
        /// A new worker joins.
        case addWorker(ClusterWorker)
        /// `retire_workers`: the scheduler moves the worker's unique data away, then closes it.
        case retire(worker: String)
        /// The worker process dies: its memory is lost, its running tasks are lost.
        case kill(worker: String)
        case pause(worker: String)
        case unpause(worker: String)
        /// The worker's speed is multiplied by `factor` (0.5 = tasks take twice as long), for tasks starting from now.
        case slow(worker: String, factor: Double)
    }

    public var time: Time
    public var action: Action

    public init(time: Time, action: Action) {
        self.time = time
        self.action = action
    }

    public var name: String {
        switch action {
        case .addWorker: "add-worker"
        case .retire: "retire"
        case .kill: "kill"
        case .pause: "pause"
        case .unpause: "unpause"
        case .slow: "slow"
        }
    }
}

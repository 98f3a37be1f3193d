/// Bounds on simulation inputs, so that no flag or cluster file can make a run
/// overflow its integer-nanosecond clock or run away (issue 18). Each is far
/// outside any real cluster; a value beyond one is a unit mistake. Listed in
/// docs/cli.md#limits.
public enum SimulationLimits {
    /// Worker speed (a factor on every duration): 0.01...1000. A year-long task
    /// on the slowest worker still fits Int64 nanoseconds 290 times over.
    public static let speeds: ClosedRange<Double> = 0.01...1000
    /// Link latency and scheduler service time: at most one day.
    public static let maximumLatency: Int64 = 86_400 * 1_000_000_000
    /// Slowest bandwidth: 1 MB/s, so 1 PiB moves in 1.1e18 ns (< Int64.max).
    public static let minimumBandwidth: Double = 1e6
    /// Largest coefficient of variation for duration noise.
    public static let maximumNoiseCV: Double = 10
    /// Shortest sampling period for workers.csv (0 turns sampling off).
    public static let minimumSampleInterval: Int64 = 1_000
    /// Default of `--event-limit`: 2^31 events (a million-task bag takes 5-9 M).
    public static let defaultEventLimit = 1 << 31
    /// Workers and threads per worker.
    public static let maximumWorkers = 1_000_000
    public static let maximumThreads = 100_000
    /// Threads one real executor worker may run (each is an OS thread).
    public static let maximumExecutorThreads = 1_024
    /// Cluster and scenario files: 64 MiB.
    public static let maximumFileBytes = 64 << 20

    /// A duration flag within 0...1 day, or nil.
    public static func boundedDuration(_ ns: Int64?) -> Int64? {
        guard let ns, ns >= 0, ns <= maximumLatency else { return nil }
        return ns
    }
}

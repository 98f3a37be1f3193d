/// Bounds on simulation inputs, so that no flag or cluster file can make a run
/// overflow its integer-nanosecond clock or run away (issue 18). Each is far
/// outside any real cluster; a value beyond one is a unit mistake. Listed in
/// docs/cli.md#limits.
public enum SimulationLimits {
    /// Worker speed (a factor on every duration): 0.01...1000. A year-long task
    /// on the slowest worker still fits Int64 nanoseconds 290 times over.
    public static let speeds: ClosedRange<Double> = 0.01...1000
    /// Link latency in a cluster file: at most one day.
    public static let maximumLatency: Int64 = 86_400 * 1_000_000_000
    /// Slowest bandwidth: 1 MB/s, so 1 PiB moves in 1.1e18 ns (< Int64.max).
    public static let minimumBandwidth: Double = 1e6
    /// Workers and threads per worker.
    public static let maximumWorkers = 1_000_000
    public static let maximumThreads = 100_000
    /// Cluster files: 64 MiB.
    public static let maximumFileBytes = 64 << 20
}

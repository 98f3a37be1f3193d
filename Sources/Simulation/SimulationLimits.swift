/// Bounds on simulation inputs, so that no flag or cluster file can make a run
/// overflow its integer-nanosecond clock or run away (issue 18). Each is far
/// outside any real cluster; a value beyond one is a unit mistake. Listed in
/// docs/cli.md#limits.
public enum SimulationLimits {
    /// Worker speed (a factor on every duration): 0.01...1000. A year-long task
    /// (the longest a trace may hold) on the slowest worker takes 100 years, which
    /// fits Int64 nanoseconds (292 years) 2.9 times.
    public static let speeds: ClosedRange<Double> = 0.01...1000
    /// Link latency in a cluster file: at most one day.
    public static let maximumLatency: Int64 = 86_400 * 1_000_000_000
    /// Slowest bandwidth: 1 MB/s, so 1 PiB moves in 1.1e18 ns (< Int64.max).
    public static let minimumBandwidth: Double = 1e6
    /// The simulated clock's horizon: 100 years (3.16e18 ns). An event due later
    /// stops the run with outcome `time-limit` instead of letting the Int64 clock
    /// wrap: every single step (a year-long task at speed 0.01, a day of latency,
    /// 1 PiB at 1 MB/s) is below it, so `now + step` cannot overflow while the
    /// clock is inside it. Only long chains of such steps reach it.
    public static let maximumSimulatedTime: Int64 = 100 * 31_557_600 * 1_000_000_000
    /// Workers and threads per worker.
    public static let maximumWorkers = 1_000_000
    public static let maximumThreads = 100_000
    /// Cluster and scenario files: 64 MiB.
    public static let maximumFileBytes = 64 << 20
    /// Duration noise: a coefficient of variation of at most 10 (at 10 one task in
    /// a thousand already takes over 20 times its mean; beyond, the lognormal's
    /// tail gives durations that overflow the clock).
    public static let maximumNoiseCV = 10.0
    /// `workers.csv` samples at most once a microsecond: a 1 ns period on an
    /// hour-long run is 3.6e12 sample events, a run that never ends.
    public static let minimumSampleInterval: Int64 = 1_000
    /// The CLI's default `--event-limit`: 2^31 events is hours of simulation work,
    /// far beyond any real trace's run, and stops a livelock with a message.
    public static let defaultEventLimit = 1 << 31
    /// The CLI's default `--sample-limit`: 10 million `workers.csv` rows (about
    /// 600 MB of CSV) before the run stops instead of filling the memory.
    public static let defaultSampleLimit = 10_000_000
}

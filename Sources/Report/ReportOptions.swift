/// Knobs of `schedsim report`.
public struct ReportOptions: Sendable {
    /// Above this many task bars the task stream shows per-lane utilisation instead of bars,
    /// so the file stays small and opens quickly.
    public var maxBars: Int = 20_000
    /// Time buckets of the aggregated task stream.
    public var streamBuckets: Int = 600
    /// Time buckets of the charts over time.
    public var chartBuckets: Int = 500
    /// A title for the page; defaults to the directory name.
    public var title: String?

    public init(maxBars: Int = 20_000, streamBuckets: Int = 600, chartBuckets: Int = 500, title: String? = nil) {
        self.maxBars = maxBars
        self.streamBuckets = streamBuckets
        self.chartBuckets = chartBuckets
        self.title = title
    }
}

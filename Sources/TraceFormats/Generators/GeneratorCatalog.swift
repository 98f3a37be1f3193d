import Workload

/// Every workload generator by name, for `schedsim generate KIND`.
public enum GeneratorCatalog {
    public struct Entry: Sendable {
        public var kind: String
        /// Parameters with their defaults, for `--help` and docs.
        public var parameters: String
        public var summary: String
        let generate: @Sendable (GeneratorRequest) throws(GeneratorError) -> Workload
    }

    public static let entries: [Entry] = [
        Entry(kind: "array-sum", parameters: "blocks=8 (or rows=, columns=), split-every=4",
              summary: "x.sum() over a blocked random array: tree reduction like dask.array",
              generate: ArrayGenerators.sum),
        Entry(kind: "array-matmul", parameters: "blocks=8, split-every=4",
              summary: "x @ x.T: chunk_sum per block triple, tree reduction over the inner index",
              generate: ArrayGenerators.matmul),
        Entry(kind: "array-transpose-add", parameters: "blocks=8",
              summary: "x + x.T", generate: ArrayGenerators.transposeAdd),
        Entry(kind: "rechunk", parameters: "blocks=8",
              summary: "rows-to-columns rechunk (all-to-all through split pieces)",
              generate: ArrayGenerators.rechunk),
        Entry(kind: "groupby-tree", parameters: "partitions=30, split-every=8, group-bytes=10000",
              summary: "dataframe groupby-aggregate with split_out=1 (tree reduction)",
              generate: DataFrameGenerators.groupbyTree),
        Entry(kind: "shuffle-tasks", parameters: "partitions=16, max-branch=32",
              summary: "dataframe task-based shuffle (all-to-all in log_b(n) stages)",
              generate: DataFrameGenerators.shuffleTasks),
        Entry(kind: "map-reduce", parameters: "mappers=16, reducers=4",
              summary: "every reducer reads its share of every map output",
              generate: BasicGenerators.mapReduce),
        Entry(kind: "bag", parameters: "partitions=100, steps=1",
              summary: "embarrassingly parallel chains from_sequence -> map",
              generate: BasicGenerators.bag),
        Entry(kind: "layered", parameters: "tasks=100, layers=10, edge-probability=0.3, connect=previous|all",
              summary: "layered random DAG", generate: BasicGenerators.layered),
        Entry(kind: "fork-join", parameters: "width=10, stages=3",
              summary: "repeated fork -> width parallel tasks -> join", generate: BasicGenerators.forkJoin),
        Entry(kind: "elementary", parameters: "graph=triplets (\(EsteeGenerators.elementaryGraphs.map(\.0).joined(separator: "|"))), count=<Estee's>, cpus=4",
              summary: "Estee's elementary benchmark graphs", generate: EsteeGenerators.elementary),
        Entry(kind: "irw", parameters: "graph=crossv (\(EsteeGenerators.irwGraphs.map(\.0).joined(separator: "|"))), count=<Estee's>, outer=4",
              summary: "Estee's graphs inspired by real workflows", generate: EsteeGenerators.irw),
    ]

    public static var kinds: [String] { entries.map(\.kind) }

    /// Generates the workload a request describes.
    public static func generate(_ request: GeneratorRequest) throws(GeneratorError) -> Workload {
        guard let entry = entries.first(where: { $0.kind == request.kind }) else {
            throw GeneratorError("unknown generator '\(request.kind)'; known: \(kinds.joined(separator: ", "))")
        }
        // A mean beyond one task's limit would be clamped on nearly every draw: a trace
        // of identical 1 PiB outputs (or year-long tasks) nobody asked for. Single draws
        // of a heavy tail beyond the limit are still clamped, as documented.
        if let mean = request.size.mean, !(mean <= Double(WorkloadBuilder.maximumBytes)) {
            throw GeneratorError("--size \(request.size): mean \(mean) bytes is above the limit of one output, \(WorkloadBuilder.maximumBytes) bytes (1 PiB)")
        }
        if let mean = request.duration.mean, !(mean <= WorkloadBuilder.maximumDuration) {
            throw GeneratorError("--duration \(request.duration): mean \(mean) s is above the limit of one task, \(Int(WorkloadBuilder.maximumDuration)) s (365 days)")
        }
        return try entry.generate(request)
    }
}

import Workload

/// dask.dataframe-like graphs: a tree-reduction groupby and the task-based
/// (all-to-all) shuffle. Partition sizes draw from the size distribution;
/// every task but getitem-like splits draws its duration.
enum DataFrameGenerators {
    // MARK: groupby-tree

    /// `df.groupby(col).agg(..., split_out=1)` over `partitions` partitions:
    /// read, a per-partition chunk aggregation (`_groupby_apply_funcs`, output
    /// `group-bytes`), then a tree combining `split-every` results per task
    /// (Dask's default for dataframes: 8). With 30 partitions this is the shape
    /// of `dataframe_groupby.json` minus its dtype-conversion step: 30 + 30 + 4 + 1 tasks.
    static func groupbyTree(_ request: GeneratorRequest) throws(GeneratorError) -> Workload {
        var params = ParameterReader(request)
        let partitions = try params.int("partitions", default: 30, in: 1...5_000_000)
        let splitEvery = try params.int("split-every", default: 8, in: 2...1_000_000)
        let groupBytes = try params.int("group-bytes", default: 10_000, in: 0...(1 << 40))
        try params.finish()
        try GraphAssembler.checkSize(3 * partitions + 1, request.kind)
        var g = GraphAssembler(request)
        let read = "timeseries-" + DaskToken.make(request, "timeseries")
        let chunk = "_groupby_apply_funcs-" + DaskToken.make(request, "chunk")
        let tree = "decomposablegroupbyaggregation-tree-" + DaskToken.make(request, "tree")
        var level: [String] = []
        for i in 0..<partitions {
            g.add(tupleKey(read, i), duration: g.drawDuration(), output: g.drawSize())
            g.add(tupleKey(chunk, i), duration: g.drawDuration(), output: Int64(groupBytes), dependencies: [tupleKey(read, i)])
            level.append(tupleKey(chunk, i))
        }
        // Intermediate levels are numbered by their distance from the final task (0), as Dask does.
        let depth = ArrayGenerators.depth(partitions, splitEvery)
        for d in stride(from: depth - 1, through: 1, by: -1) {
            var next: [String] = []
            for j in stride(from: 0, to: level.count, by: splitEvery) {
                let key = tupleKey(tree, d, j / splitEvery)
                g.add(key, duration: g.drawDuration(), output: Int64(groupBytes),
                      dependencies: Array(level[j..<min(j + splitEvery, level.count)]))
                next.append(key)
            }
            level = next
        }
        g.add(tupleKey(tree, 0), duration: g.drawDuration(), output: Int64(groupBytes), dependencies: level)
        return try g.build()
    }

    // MARK: shuffle-tasks

    /// Dask's task-based shuffle (`shuffle_method="tasks"`): with `partitions`
    /// n and `max-branch` b it runs `stages = ceil(log_b n)` rounds, each with
    /// k = ceil(n^(1/stages)) way splits over m = k^stages partition slots
    /// (Dask pads to m the same way; padded slots start empty). In each round a
    /// `shuffle-group` task per slot splits its data, a `shuffle-split` getitem
    /// takes each of the k pieces, and a `shuffle-join` per slot concatenates
    /// the k pieces whose slot numbers differ from its own only in that round's
    /// base-k digit. Keys use the slot number where Dask uses its digit tuple.
    static func shuffleTasks(_ request: GeneratorRequest) throws(GeneratorError) -> Workload {
        var params = ParameterReader(request)
        let n = try params.int("partitions", default: 16, in: 1...1_000_000)
        let maxBranch = try params.int("max-branch", default: 32, in: 2...100_000)
        try params.finish()
        var stages = 1
        while ArrayGenerators.power(maxBranch, stages) < n { stages += 1 }
        var k = 2
        while ArrayGenerators.power(k, stages) < n { k += 1 }
        let m = ArrayGenerators.power(k, stages)
        try GraphAssembler.checkSize(n + stages * m * (k + 2), request.kind)

        var g = GraphAssembler(request)
        let source = "from_pandas-" + DaskToken.make(request, "from_pandas")
        var previous: [String?] = []
        var bytes = [Int64](repeating: 0, count: m)
        for i in 0..<m {
            if i < n {
                bytes[i] = g.drawSize()
                g.add(tupleKey(source, i), duration: g.drawDuration(), output: bytes[i])
                previous.append(tupleKey(source, i))
            } else {
                previous.append(nil)
            }
        }
        var place = 1
        for stage in 1...stages {
            let group = "shuffle-group-" + DaskToken.make(request, "group-\(stage)")
            let split = "shuffle-split-" + DaskToken.make(request, "split-\(stage)")
            let join = "shuffle-join-" + DaskToken.make(request, "join-\(stage)")
            var pieces = [Int64](repeating: 0, count: m * k)
            for slot in 0..<m {
                g.add(tupleKey(group, stage, slot), duration: g.drawDuration(), output: bytes[slot],
                      dependencies: previous[slot].map { [$0] } ?? [])
                for piece in 0..<k {
                    pieces[slot * k + piece] = bytes[slot] / Int64(k) + (Int64(piece) < bytes[slot] % Int64(k) ? 1 : 0)
                    g.add(tupleKey(split, stage, piece, slot), duration: 0, output: pieces[slot * k + piece],
                          dependencies: [tupleKey(group, stage, slot)])
                }
            }
            var next: [String?] = []
            var nextBytes = [Int64](repeating: 0, count: m)
            for slot in 0..<m {
                let digit = (slot / place) % k
                let base = slot - digit * place
                var deps: [String] = []
                for d in 0..<k {
                    let from = base + d * place
                    deps.append(tupleKey(split, stage, digit, from))
                    nextBytes[slot] += pieces[from * k + digit]
                }
                g.add(tupleKey(join, stage, slot), duration: g.drawDuration(), output: nextBytes[slot], dependencies: deps)
                next.append(tupleKey(join, stage, slot))
            }
            previous = next
            bytes = nextBytes
            place *= k
        }
        return try g.build()
    }
}

extension ArrayGenerators {
    /// Integer power, saturating at Int.max so size checks cannot overflow.
    static func power(_ base: Int, _ exponent: Int) -> Int {
        var result = 1
        for _ in 0..<exponent {
            let (product, overflow) = result.multipliedReportingOverflow(by: base)
            if overflow { return Int.max }
            result = product
        }
        return result
    }
}

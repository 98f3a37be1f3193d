import Workload

/// Blocked dask.array algorithms. Shapes, key names and the tree reduction
/// follow what Dask's scheduler receives (checked against the captures in
/// `traces/dask/`): `array-sum` with 8×8 blocks and `split-every=4` gives the
/// 150 tasks and 149 edges of `array_sum.json`, `array-matmul` with 8×8 blocks
/// the 769 tasks and 1,664 edges of `array_matmul.json`.
///
/// Sizes: the random input blocks draw their size from the size distribution;
/// a block computed from blocks (a product, a transpose, a sum of blocks) has
/// the size of the block it is shaped like; a full reduction (`sum`) produces
/// a float64 scalar of 8 bytes. Durations: every task draws from the duration
/// distribution, except the `finalize` task (an alias) and getitem-like
/// `rechunk-split` tasks, which take 0 s.
enum ArrayGenerators {
    static let scalarBytes: Int64 = 8

    /// How many blocks along one axis a tree reduction level combines, from a
    /// total `split_every` over `axes` reduced axes (Dask: `max(int(s ** (1/axes)), 2)`).
    static func perAxisSplit(_ splitEvery: Int, axes: Int) -> Int {
        var k = 2
        while power(k + 1, axes) <= splitEvery { k += 1 }
        return k
    }


    /// Number of tree levels to reduce `n` blocks combining `k` at a time
    /// (Dask's `ceil(log(n, k))`, at least 1).
    static func depth(_ n: Int, _ k: Int) -> Int {
        var levels = 0
        var remaining = 1
        while remaining < n {
            remaining *= k
            levels += 1
        }
        return max(levels, 1)
    }

    // MARK: array-sum

    /// `x.sum()` over a `rows × columns`-block random array.
    static func sum(_ request: GeneratorRequest) throws(GeneratorError) -> Workload {
        var params = ParameterReader(request)
        let blocks = try params.int("blocks", default: 8, in: 1...100_000)
        let rows = try params.int("rows", default: blocks, in: 1...100_000)
        let columns = try params.int("columns", default: blocks, in: 1...100_000)
        let splitEvery = try params.int("split-every", default: 4, in: 2...1_000_000)
        try params.finish()
        try GraphAssembler.checkSize(rows * columns * 3, request.kind)

        var g = GraphAssembler(request)
        let random = "random_sample-" + DaskToken.make(request, "random_sample")
        let chunk = "sum-" + DaskToken.make(request, "sum")
        for i in 0..<rows {
            for j in 0..<columns {
                let root = tupleKey(random, i, j)
                g.add(root, duration: g.drawDuration(), output: g.drawSize())
                g.add(tupleKey(chunk, i, j), duration: g.drawDuration(), output: scalarBytes, dependencies: [root])
            }
        }
        let k = perAxisSplit(splitEvery, axes: 2)
        let levels = max(depth(rows, k), depth(columns, k))
        var name = chunk
        var (r, c) = (rows, columns)
        for level in 0..<levels {
            let isLast = level == levels - 1
            let next = isLast ? "sum-aggregate-" + DaskToken.make(request, "sum-aggregate")
                              : "sum-partial-" + DaskToken.make(request, "sum-partial-\(level)")
            let (nr, nc) = isLast ? (1, 1) : ((r + k - 1) / k, (c + k - 1) / k)
            let (kr, kc) = isLast ? (r, c) : (k, k)
            for i in 0..<nr {
                for j in 0..<nc {
                    var deps: [String] = []
                    for a in (i * kr)..<min((i + 1) * kr, r) {
                        for b in (j * kc)..<min((j + 1) * kc, c) { deps.append(tupleKey(name, a, b)) }
                    }
                    g.add(tupleKey(next, i, j), duration: g.drawDuration(), output: scalarBytes, dependencies: deps)
                }
            }
            (name, r, c) = (next, nr, nc)
        }
        g.add("finalize-" + DaskToken.make(request, "finalize"), duration: 0, output: scalarBytes,
              dependencies: [tupleKey(name, 0, 0)], prefix: "finalize")
        return try g.build()
    }

    // MARK: array-matmul

    /// `x @ x.T` over an `n × n`-block random array: one `chunk_sum` per
    /// (i, k, j) multiplying blocks x[i,k] and x[j,k] (one dependency when
    /// i == j), a tree reduction over k, and a `finalize` gathering all blocks.
    static func matmul(_ request: GeneratorRequest) throws(GeneratorError) -> Workload {
        var params = ParameterReader(request)
        let n = try params.int("blocks", default: 8, in: 1...2_000)
        let splitEvery = try params.int("split-every", default: 4, in: 2...1_000_000)
        try params.finish()
        try GraphAssembler.checkSize(n * n * n + 3 * n * n, request.kind)

        var g = GraphAssembler(request)
        let random = "random_sample-" + DaskToken.make(request, "random_sample")
        var blockBytes = [Int64](repeating: 0, count: n * n)
        for i in 0..<n {
            for k in 0..<n {
                blockBytes[i * n + k] = g.drawSize()
                g.add(tupleKey(random, i, k), duration: g.drawDuration(), output: blockBytes[i * n + k])
            }
        }
        let chunk = "chunk_sum-" + DaskToken.make(request, "chunk_sum")
        for i in 0..<n {
            for k in 0..<n {
                for j in 0..<n {
                    let deps = i == j ? [tupleKey(random, i, k)] : [tupleKey(random, i, k), tupleKey(random, j, k)]
                    g.add(tupleKey(chunk, i, k, j), duration: g.drawDuration(), output: blockBytes[i * n + k], dependencies: deps)
                }
            }
        }
        // Tree reduction over k, Dask's partial_reduce: (i, kk, j) keys at each level.
        let levels = depth(n, splitEvery)
        var name = chunk
        var width = n
        var aggregate = ""
        for level in 0..<levels {
            let isLast = level == levels - 1
            let next = isLast ? "_chunk_sum-aggregate-" + DaskToken.make(request, "aggregate")
                              : "_chunk_sum-partial-" + DaskToken.make(request, "partial-\(level)")
            let nextWidth = isLast ? 1 : (width + splitEvery - 1) / splitEvery
            let fan = isLast ? width : splitEvery
            for i in 0..<n {
                for kk in 0..<nextWidth {
                    for j in 0..<n {
                        let deps = (kk * fan..<min((kk + 1) * fan, width)).map { tupleKey(name, i, $0, j) }
                        let key = isLast ? tupleKey(next, i, j) : tupleKey(next, i, kk, j)
                        g.add(key, duration: g.drawDuration(), output: blockBytes[i * n], dependencies: deps)
                    }
                }
            }
            if isLast { aggregate = next }
            (name, width) = (next, nextWidth)
        }
        var all: [String] = []
        for i in 0..<n { for j in 0..<n { all.append(tupleKey(aggregate, i, j)) } }
        g.add("finalize-" + DaskToken.make(request, "finalize"), duration: g.drawDuration(),
              output: blockBytes.reduce(0, +), dependencies: all, prefix: "finalize")
        return try g.build()
    }

    // MARK: array-transpose-add

    /// `x + x.T` over an `n × n`-block random array.
    static func transposeAdd(_ request: GeneratorRequest) throws(GeneratorError) -> Workload {
        var params = ParameterReader(request)
        let n = try params.int("blocks", default: 8, in: 1...5_000)
        try params.finish()
        try GraphAssembler.checkSize(3 * n * n + 1, request.kind)
        var g = GraphAssembler(request)
        let random = "random_sample-" + DaskToken.make(request, "random_sample")
        let transpose = "transpose-" + DaskToken.make(request, "transpose")
        let add = "add-" + DaskToken.make(request, "add")
        var bytes = [Int64](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                bytes[i * n + j] = g.drawSize()
                g.add(tupleKey(random, i, j), duration: g.drawDuration(), output: bytes[i * n + j])
            }
        }
        var adds: [String] = []
        for i in 0..<n {
            for j in 0..<n {
                g.add(tupleKey(transpose, i, j), duration: g.drawDuration(), output: bytes[j * n + i],
                      dependencies: [tupleKey(random, j, i)])
                g.add(tupleKey(add, i, j), duration: g.drawDuration(), output: bytes[i * n + j],
                      dependencies: [tupleKey(random, i, j), tupleKey(transpose, i, j)])
                adds.append(tupleKey(add, i, j))
            }
        }
        g.add("finalize-" + DaskToken.make(request, "finalize"), duration: g.drawDuration(),
              output: bytes.reduce(0, +), dependencies: adds, prefix: "finalize")
        return try g.build()
    }

    // MARK: rechunk

    /// Rechunking `n` row slabs into `n` column slabs (an all-to-all): input
    /// block i is cut by `rechunk-split` into n pieces of 1/n of its size, and
    /// output block j (`rechunk-merge`) concatenates piece j of every input.
    static func rechunk(_ request: GeneratorRequest) throws(GeneratorError) -> Workload {
        var params = ParameterReader(request)
        let n = try params.int("blocks", default: 8, in: 1...4_000)
        try params.finish()
        try GraphAssembler.checkSize(n * n + 2 * n + 1, request.kind)
        var g = GraphAssembler(request)
        let random = "random_sample-" + DaskToken.make(request, "random_sample")
        let split = "rechunk-split-" + DaskToken.make(request, "rechunk-split")
        let merge = "rechunk-merge-" + DaskToken.make(request, "rechunk-merge")
        var pieces = [Int64](repeating: 0, count: n * n)
        for i in 0..<n {
            let bytes = g.drawSize()
            g.add(tupleKey(random, i, 0), duration: g.drawDuration(), output: bytes)
            for j in 0..<n {
                // Pieces of one block add up to the block exactly.
                pieces[i * n + j] = bytes / Int64(n) + (Int64(j) < bytes % Int64(n) ? 1 : 0)
                g.add(tupleKey(split, i * n + j), duration: 0, output: pieces[i * n + j],
                      dependencies: [tupleKey(random, i, 0)])
            }
        }
        var merges: [String] = []
        for j in 0..<n {
            let deps = (0..<n).map { tupleKey(split, $0 * n + j) }
            let bytes = (0..<n).reduce(Int64(0)) { $0 + pieces[$1 * n + j] }
            g.add(tupleKey(merge, 0, j), duration: g.drawDuration(), output: bytes, dependencies: deps)
            merges.append(tupleKey(merge, 0, j))
        }
        g.add("finalize-" + DaskToken.make(request, "finalize"), duration: g.drawDuration(),
              output: pieces.reduce(0, +), dependencies: merges, prefix: "finalize")
        return try g.build()
    }
}

import Workload

/// The benchmark graph families of Estee (Beránek et al., "Analysis of
/// workflow schedulers in simulated distributed environments", 2020;
/// github.com/It4innovations/estee, `estee/generators/`): `elementary`
/// (16 small synthetic shapes) and `irw` (graphs inspired by real workflows).
/// Select one graph with `graph=NAME` and its size with `count=N` (default:
/// the size of Estee's own `elementary`/`irw` benchmark set).
///
/// Durations and sizes follow the paper's definitions (their own normal and
/// exponential draws, seconds and MiB) rather than `--duration`/`--size`.
/// A task's `cpus` becomes an annotation (Dask has no per-task core count).
enum EsteeGenerators {
    static let elementaryGraphs: [(String, Int)] = [
        ("plain1n", 380), ("plain1e", 380), ("plain1cpus", 380), ("triplets", 110),
        ("merge_neighbours", 107), ("merge_triplets", 111), ("merge_small_big", 80),
        ("fork1", 100), ("fork2", 100), ("bigmerge", 320), ("duration_stairs", 190),
        ("size_stairs", 190), ("splitters", 7), ("conflux", 7), ("grid", 19), ("fern", 200),
    ]
    static let irwGraphs: [(String, Int)] = [
        ("gridcat", 20), ("crossv", 8), ("crossvx", 4), ("fastcrossv", 8), ("mapreduce", 160), ("nestedcrossv", 5),
    ]

    static func elementary(_ request: GeneratorRequest) throws(GeneratorError) -> Workload {
        try generate(request, family: elementaryGraphs, defaultGraph: "triplets")
    }

    static func irw(_ request: GeneratorRequest) throws(GeneratorError) -> Workload {
        try generate(request, family: irwGraphs, defaultGraph: "crossv")
    }

    private static func generate(
        _ request: GeneratorRequest, family: [(String, Int)], defaultGraph: String
    ) throws(GeneratorError) -> Workload {
        var params = ParameterReader(request)
        let name = try params.choice("graph", default: defaultGraph, from: family.map(\.0))
        let defaultCount = family.first { $0.0 == name }?.1 ?? 1
        // Depth-like sizes (splitters, conflux) grow as 2^count; keep them sane.
        let limit = ["splitters", "conflux"].contains(name) ? 20 : ["grid"].contains(name) ? 3_000 : 1_000_000
        let count = try params.int("count", default: defaultCount, in: 1...limit)
        let cpus = try params.int("cpus", default: 4, in: 1...1_024)
        let outer = try params.int("outer", default: 4, in: 1...10_000)
        try params.finish()
        var assembler = GraphAssembler(request)
        var e = EsteeGraph(assembler)
        try build(name, count: count, cpus: cpus, outer: outer, into: &e, kind: request.kind)
        try GraphAssembler.checkSize(e.tasks.count, request.kind)
        e.emit(into: &assembler, request: request)
        return try assembler.build()
    }

    private static func build(_ name: String, count: Int, cpus: Int, outer: Int, into e: inout EsteeGraph, kind: String) throws(GeneratorError) {
        switch name {
        case "plain1n", "plain1cpus":
            for i in 0..<count {
                let t = [10.0, 20, 60, 180][e.structure.uniformInt(below: 4)]
                let c = name == "plain1cpus" ? 1 + e.structure.uniformInt(below: 3) : 1
                e.task("t\(i)", e.normal(t, t / 10), cpus: c)
            }
        case "plain1e":
            for i in 0..<count { e.task("t\(i)", e.exponential(60)) }
        case "triplets":
            for i in 0..<count {
                let a = e.task("a\(i)", e.normal(5, 1.5), outputs: [40])
                let b = e.task("b\(i)", e.normal(120, 20), outputs: [120], cpus: cpus)
                e.input(b, a)
                let c = e.task("c\(i)", e.normal(32, 3))
                e.input(c, b)
            }
        case "merge_neighbours", "merge_triplets":
            if name == "merge_triplets" && count % 3 != 0 {
                throw GeneratorError("\(kind): graph merge_triplets needs count divisible by 3, got \(count)")
            }
            let first = (0..<count).map { e.task("a\($0)", e.normal(15, 3), outputs: [e.normal(99, 2.5, sizes: true)]) }
            if name == "merge_neighbours" {
                for i in 0..<count {
                    let t = e.task("b\(i)", e.normal(15, 2))
                    e.input(t, first[i])
                    e.input(t, first[(i + 1) % count])
                }
            } else {
                for i in stride(from: 0, to: count, by: 3) {
                    let t = e.task("b\(i)", e.normal(15, 2))
                    for j in 0..<3 { e.input(t, first[i + j]) }
                }
            }
        case "merge_small_big":
            let small = (0..<count).map { e.task("a\($0)", e.normal(11, 3), outputs: [0.5]) }
            let big = (0..<count).map { e.task("b\($0)", e.normal(15, 3), outputs: [e.normal(99, 2.5, sizes: true)]) }
            for i in 0..<count {
                let t = e.task("c\(i)", e.normal(10, 1))
                e.input(t, small[i])
                e.input(t, big[i])
            }
        case "fork1", "fork2":
            let two = name == "fork2"
            let first = (0..<count).map { e.task("a\($0)", e.normal(17, 3), outputs: two ? [100, 100] : [100]) }
            for i in 0..<count {
                let b = e.task("b\(i)", e.normal(15, 2))
                e.input(b, first[i], output: two ? 0 : nil)
                let c = e.task("c\(i)", e.normal(15, 2))
                e.input(c, first[i], output: two ? 1 : nil)
            }
        case "bigmerge":
            let first = (0..<count).map { e.task("a\($0)", e.normal(17, 3), outputs: [100]) }
            let m = e.task("m1", 40)
            for t in first { e.input(m, t) }
        case "duration_stairs":
            for i in 0..<count {
                e.task("a\(i)", Double(i))
                e.task("b\(i)", Double(i))
            }
        case "size_stairs":
            let a = e.task("a", 0.1, outputs: (0..<count).map(Double.init))
            for i in 0..<count {
                let b = e.task("b\(i)", 20)
                e.input(b, a, output: i)
            }
        case "splitters":
            var level = [e.task("root", 1, outputs: [512])]
            for i in 0..<count {
                var next: [Int] = []
                for j in 0..<(level.count * 2) {
                    let t = e.task("a\(i)-\(j)", e.normal(20, 1), outputs: [128])
                    e.input(t, level[j / 2])
                    next.append(t)
                }
                level = next
            }
        case "conflux":
            var level = (0..<(1 << count)).map { e.task("top\($0)", e.normal(20, 1.5), outputs: [128]) }
            for i in 0..<count {
                var next: [Int] = []
                for j in 0..<(level.count / 2) {
                    let t = e.task("a\(i)-\(j)", e.normal(20, 1), outputs: [128])
                    e.input(t, level[j * 2])
                    e.input(t, level[j * 2 + 1])
                    next.append(t)
                }
                level = next
            }
        case "grid":
            var row = (0..<count).map { _ in e.task("a", e.normal(20, 1), outputs: [128]) }
            for j in 1..<max(count, 1) where j < row.count { e.input(row[j], row[j - 1]) }
            for i in 0..<(count - 1) {
                let next = (0..<count).map { j in e.task("a\(i)-\(j)", e.normal(20, 1), outputs: [128]) }
                for (above, below) in zip(row, next) { e.input(below, above) }
                for j in 1..<max(count, 1) where j < next.count { e.input(next[j], next[j - 1]) }
                row = next
            }
        case "fern":
            var previous = e.task("init", e.normal(20, 1), outputs: [5])
            for i in 0..<count {
                let x = Double(i)
                let a = e.task("a\(i)", e.normal(17 + x / 10, 3), outputs: [e.normal(5 + x / 10, x / 100, sizes: true)])
                let b = e.task("b\(i)", e.normal(35, 3), outputs: [e.normal(42, 2, sizes: true)])
                e.input(a, previous)
                e.input(a, b)
                previous = a
            }
        case "gridcat":
            let opens = (0..<count).map { e.task("input\($0)", e.normal(0.01, 0.001), outputs: [e.normal(300, 25, sizes: true)]) }
            var hashes: [Int] = []
            for i in 0..<count {
                for j in (i + 1)..<max(count, i + 1) {
                    let size = e.tasks[opens[i]].outputs[0] + e.tasks[opens[j]].outputs[0]
                    let cat = e.task("cat", e.normal(0.2, 0.01) + size / 1000, outputs: [size])
                    e.input(cat, opens[i])
                    e.input(cat, opens[j])
                    let hash = e.task("hash", e.normal(0.2, 0.01) + size / 500, outputs: [16.0 / 1024 / 1024])
                    e.input(hash, cat)
                    hashes.append(hash)
                }
            }
            let merge = e.task("merge", 0.1, outputs: [16.0 / 1024 / 1024])
            for h in hashes { e.input(merge, h) }
        case "crossv", "fastcrossv":
            let fast = name == "fastcrossv"
            crossValidation(&e, inner: count, trainCPUs: fast ? 1 : 4, evalCPUs: fast ? 1 : 4, factor: fast ? 0.02 : 1)
        case "crossvx":
            for _ in 0..<outer { crossValidation(&e, inner: count, trainCPUs: 4, evalCPUs: 4, factor: 1) }
        case "nestedcrossv":
            nestedCrossValidation(&e, parameters: count)
        case "mapreduce":
            let splitter = e.task("splitter", 10, outputs: [Double](repeating: 2.5 * 1024, count: count))
            var maps: [Int] = []
            for i in 0..<count {
                let outputs = (0..<count).map { _ in e.normal(250 / Double(count), 20 / Double(count), sizes: true) }
                let m = e.task("map\(i)", e.normal(50, 10), outputs: outputs)
                e.input(m, splitter, output: i)
                maps.append(m)
            }
            for i in 0..<count {
                let total = maps.reduce(0.0) { $0 + e.tasks[$1].outputs[i] / 25 }
                let r = e.task("reduce\(i)", e.normal(total, 5))
                for m in maps { e.input(r, m, output: i) }
            }
        default:
            throw GeneratorError("\(kind): unknown graph '\(name)'")
        }
    }

    /// Estee's `crossv`: a generator of 5 chunks, 5 merges of 4 chunks each,
    /// and `inner` rounds of 5 train/evaluate pairs with a final average.
    private static func crossValidation(_ e: inout EsteeGraph, inner: Int, trainCPUs: Int, evalCPUs: Int, factor: Double) {
        let chunkSize = 320.0
        let chunks = 5
        let generator = e.task("generator", e.normal(5, 0.5), outputs: [Double](repeating: chunkSize, count: chunks))
        var merges: [Int] = []
        for i in 0..<chunks {
            let merge = e.task("merge\(i)", e.normal(1.1, 0.02), outputs: [chunkSize * Double(chunks - 1)])
            for j in 0..<chunks where j != i { e.input(merge, generator, output: j) }
            merges.append(merge)
        }
        for _ in 0..<inner {
            var results: [Int] = []
            for i in 0..<chunks {
                let train = e.task("train\(i)", e.exponential(680 * factor), outputs: [18], cpus: trainCPUs)
                e.input(train, merges[i])
                let evaluate = e.task("eval\(i)", e.normal(34 * factor, 3), outputs: [0.0001], cpus: evalCPUs)
                e.input(evaluate, train)
                e.input(evaluate, generator, output: i)
                results.append(evaluate)
            }
            let final = e.task("final", 0.2)
            for r in results { e.input(final, r) }
        }
    }

    /// Estee's `nestedcrossv`: for each of 5 folds left out, an inner 4-fold
    /// cross-validation over `parameters` settings, a best-parameter choice,
    /// then a final train/evaluate on the left-out fold.
    private static func nestedCrossValidation(_ e: inout EsteeGraph, parameters: Int) {
        let foldSize = 320.0
        let folds = 5
        let innerFolds = folds - 1
        let generator = e.task("generator", e.normal(5, 0.5), outputs: [Double](repeating: foldSize, count: folds))
        for leftOut in 0..<folds {
            let inner = (0..<folds).filter { $0 != leftOut }
            var merges: [Int] = []
            for i in 0..<innerFolds {
                let merge = e.task("merge\(i)", e.normal(1.1, 0.02), outputs: [foldSize * Double(innerFolds - 1)])
                for (j, fold) in inner.enumerated() where j != i { e.input(merge, generator, output: fold) }
                merges.append(merge)
            }
            var averages: [Int] = []
            for p in 1...max(parameters, 1) {
                var results: [Int] = []
                for i in 0..<innerFolds {
                    let train = e.task("train\(i)", e.exponential(680 * Double(p)), outputs: [18], cpus: 4)
                    e.input(train, merges[i])
                    let evaluate = e.task("eval\(i)", e.normal(35, 3), outputs: [0.0001], cpus: 4)
                    e.input(evaluate, train)
                    e.input(evaluate, generator, output: inner[i])
                    results.append(evaluate)
                }
                let average = e.task("avg_score", 0.2, outputs: [0.0001])
                for r in results { e.input(average, r) }
                averages.append(average)
            }
            let best = e.task("best_param", 0.2, outputs: [0.0001])
            for a in averages { e.input(best, a) }
            let merge = e.task("merge", e.normal(1, 0.02), outputs: [foldSize * Double(innerFolds)])
            for fold in inner { e.input(merge, generator, output: fold) }
            let train = e.task("train", e.exponential(680), outputs: [18], cpus: 4)
            e.input(train, merge)
            e.input(train, best)
            let evaluate = e.task("eval", e.normal(38, 3), outputs: [0.0001], cpus: 4)
            e.input(evaluate, train)
            e.input(evaluate, generator, output: leftOut)
        }
    }
}

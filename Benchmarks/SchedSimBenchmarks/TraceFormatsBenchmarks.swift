import Benchmark
import TraceFormats
import Workload

/// A 100,000-task schedsim-trace in memory: 50,000 loads and a binary tree
/// reduction over them (plus padding to exactly 100k), as `NativeTraceWriter` writes it.
func nativeTraceBytes(tasks: Int = 100_000) -> [UInt8] {
    var builder = WorkloadBuilder(name: "bag-tree", source: "benchmark")
    let leaves = tasks / 2
    var level: [String] = []
    for i in 0..<leaves {
        let key = "('load-5a3c', \(i))"
        builder.add(TaskSpec(key: key, duration: 0.5 + Double(i % 97) / 100, outputBytes: 1_000_000 + Int64(i % 4096)),
                    dependencies: [], origin: "load \(i)")
        level.append(key)
    }
    var count = leaves
    var depth = 0
    while level.count > 1 {
        depth += 1
        var next: [String] = []
        for j in stride(from: 0, to: level.count, by: 2) {
            let key = "('sum-\(depth)-5a3c', \(j / 2))"
            builder.add(TaskSpec(key: key, duration: 0.01, outputBytes: 8),
                        dependencies: Array(level[j..<min(j + 2, level.count)]), origin: key)
            next.append(key)
            count += 1
        }
        level = next
    }
    while count < tasks {
        builder.add(TaskSpec(key: "extra-\(count)", duration: 1, outputBytes: 10), dependencies: [], origin: "extra")
        count += 1
    }
    guard let workload = try? builder.build() else { return [] }
    return NativeTraceWriter.encode(workload)
}

/// Parsing and building from an in-memory trace (no file I/O), the JSON tree
/// alone, and writing.
func traceFormatsBenchmarks() {
    let bytes = nativeTraceBytes()

    Benchmark("NativeTraceReader.read 100k tasks (parse + build)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try NativeTraceReader.read(bytes: bytes, path: "bench.json"))
        }
    }

    Benchmark("JSONParser.parse 100k-task document (tree only)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try JSONParser.parse(bytes, file: "bench.json"))
        }
    }

    let workload = try? NativeTraceReader.read(bytes: bytes, path: "bench.json").workload
    Benchmark("NativeTraceWriter.encode 100k tasks") { benchmark in
        guard let workload else { return }
        for _ in benchmark.scaledIterations {
            blackHole(NativeTraceWriter.encode(workload))
        }
    }
}

import Benchmark
import Workload

/// Building and validating a 100,000-task tree reduction (keys, dependency
/// resolution, cycle check, topological order).
func workloadBenchmarks() {
    Benchmark("Workload.build tree reduction 100k") { benchmark in
        for _ in benchmark.scaledIterations {
            var builder = WorkloadBuilder(name: "tree", source: "benchmark")
            let leaves = 50_000
            for i in 0..<leaves {
                builder.add(TaskSpec(key: "('x-0', \(i))", duration: 1, outputBytes: 1000), dependencies: [], origin: "leaf \(i)")
            }
            var level = (0..<leaves).map { "('x-0', \($0))" }
            var depth = 0
            while level.count > 1 {
                depth += 1
                var next: [String] = []
                for j in stride(from: 0, to: level.count, by: 2) {
                    let key = "('sum-\(depth)', \(j / 2))"
                    builder.add(TaskSpec(key: key, duration: 0.1, outputBytes: 8), dependencies: Array(level[j..<min(j + 2, level.count)]), origin: key)
                    next.append(key)
                }
                level = next
            }
            blackHole(try! builder.build())
        }
    }
}

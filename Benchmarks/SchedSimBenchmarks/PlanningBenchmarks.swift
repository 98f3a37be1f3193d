import Benchmark
import Planning
import Workload

/// Static planners on 100,000-task graphs, 16 workers x 4 threads, 100 MB/s
/// links with 1 ms latency (so every cross-worker edge costs something).
/// The graphs are built once, outside the measured loop.
func planningBenchmarks() {
    for (name, workload) in [("tree reduction", PlanningGraphs.tree), ("layered", PlanningGraphs.layered)] {
        for planner in Planner.allCases {
            Benchmark("Planning.\(planner) \(name) 100k on 16x4",
                      configuration: .init(maxDuration: .seconds(20), maxIterations: 3)) { benchmark in
                let estimates = Estimates.exact(workload)
                for _ in benchmark.scaledIterations {
                    blackHole(try planner.plan(workload, on: PlanningGraphs.cluster, estimates: estimates))
                }
            }
        }
    }
}

enum PlanningGraphs {
    static let cluster: PlanningCluster = {
        do {
            return try PlanningCluster.uniform(workers: 16, nthreads: 4, network: .init(bandwidth: 100e6, latency: 0.001))
        } catch {
            fatalError("benchmark cluster: \(error)")
        }
    }()

    /// 50,000 leaves (1 s, 1 MB) summed pairwise (0.1 s, 8 bytes): 99,999 tasks.
    static let tree: Workload = {
        var builder = WorkloadBuilder(name: "tree", source: "benchmark")
        let leaves = 50_000
        var level: [String] = []
        for i in 0..<leaves {
            let key = "('x-0', \(i))"
            builder.add(TaskSpec(key: key, duration: 1, outputBytes: 1_000_000), dependencies: [], origin: key)
            level.append(key)
        }
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
        return build(builder)
    }()

    /// 100 layers of 1,000 tasks; each task after the first layer reads 3
    /// tasks of the previous layer (a fixed pseudo-random pattern), durations
    /// 0.05-1 s, outputs 10 kB-1 MB: 100,000 tasks, 297,000 edges.
    static let layered: Workload = {
        var builder = WorkloadBuilder(name: "layered", source: "benchmark")
        var state: UInt64 = 12345
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        let width = 1_000
        for layer in 0..<100 {
            for i in 0..<width {
                var deps: [String] = []
                if layer > 0 {
                    for _ in 0..<3 { deps.append("('l-\(layer - 1)', \(next(width)))") }
                }
                let key = "('l-\(layer)', \(i))"
                builder.add(TaskSpec(key: key, duration: 0.05 + Double(next(20)) * 0.05, outputBytes: Int64(10_000 * (1 + next(100)))),
                            dependencies: deps, origin: key)
            }
        }
        return build(builder)
    }()

    private static func build(_ builder: WorkloadBuilder) -> Workload {
        do {
            return try builder.build()
        } catch {
            fatalError("benchmark graph: \(error)")
        }
    }
}

import Benchmark
import Messages
import Policies
import Scheduler
import Simulation
import TraceFormats
import Workload

/// The simulator end to end with Dask's scheduler and workers (release build):
/// - a bag of 1,000,000 independent tasks on 1,000 workers × 8 threads, simple network
///   (target: under 5 s on one core, under 2 GiB);
/// - a 100,000-task binary tree reduction on 64 × 4 with the max-min network;
/// - issue 15: Estee's `irw mapreduce` (321 tasks, a 400 GiB splitter output read by
///   all 160 maps) on 32 × 4 at 128 MiB/s with max-min and HEFT: an 18-hour
///   transfer-bound run whose peers answer `busy` for hours (31.3 M events before
///   busy polls were parked, 0.41 M after, most of them per-second ticks).
/// Workload construction is outside the measured region.
func simulationBenchmarks() {
    let once = Benchmark.Configuration(
        metrics: [.wallClock, .throughput, .peakMemoryResident], warmupIterations: 0,
        maxDuration: .seconds(120), maxIterations: 1)

    Benchmark("Simulation bag of tasks 1M on 1000x8 (dask, simple)", configuration: once) { benchmark in
        let workload = try SimulationBenchmarkWorkloads.bag(tasks: 1_000_000)
        let cluster = try Cluster.parse(flag: "1000x8")
        benchmark.startMeasurement()
        let result = SimulationBenchmarkWorkloads.run(workload, cluster)
        benchmark.stopMeasurement()
        precondition(result.outcome == .completed, result.detail)
        blackHole(result.makespan)
    }

    // Issue 16: the runtime model's cost (batched streams, event loops) on the same bag;
    // target: at most 20 % slower than the ideal profile above.
    Benchmark("Simulation bag of tasks 1M on 1000x8 (dask, simple, runtime dask)", configuration: once) { benchmark in
        let workload = try SimulationBenchmarkWorkloads.bag(tasks: 1_000_000)
        let cluster = try Cluster.parse(flag: "1000x8")
        benchmark.startMeasurement()
        let result = SimulationBenchmarkWorkloads.run(workload, cluster, runtime: .dask)
        benchmark.stopMeasurement()
        precondition(result.outcome == .completed, result.detail)
        blackHole(result.makespan)
    }

    Benchmark("Simulation irw mapreduce on 32x4 at 128 MiB/s (heft, maxmin)", configuration: once) { benchmark in
        let workload = try GeneratorCatalog.generate(GeneratorRequest(kind: "irw", seed: 1, parameters: ["graph": "mapreduce"]))
        let bandwidth = 128.0 * 1_048_576
        let network = NetworkConfig(
            model: .maxmin,
            sameHost: LinkParameters(latency: 20_000, bandwidth: bandwidth),
            sameRack: LinkParameters(latency: 100_000, bandwidth: bandwidth),
            crossRack: LinkParameters(latency: 250_000, bandwidth: bandwidth),
            hostUplink: bandwidth, hostDownlink: bandwidth)
        let cluster = try Cluster.parse(flag: "32x4", network: network)
        var prepared = try PolicyRegistry.prepare("heft", context: PolicyContext(workload: workload, cluster: cluster, seed: 1))
        prepared.config.recordTransitions = false
        var config = SimulationConfig()
        config.recordTransitions = false
        config.sampleInterval = .zero
        config.balanceInterval = prepared.config.workStealingInterval
        benchmark.startMeasurement()
        let result = Simulator(workload: prepared.workload, cluster: cluster, factory: .policy(prepared), config: config).run()
        benchmark.stopMeasurement()
        precondition(result.outcome == .completed, result.detail)
        blackHole(result.events)
    }

    Benchmark("Simulation tree reduction 100k on 64x4 (dask, maxmin)", configuration: once) { benchmark in
        let workload = try SimulationBenchmarkWorkloads.treeReduction(leaves: 50_000)
        var cluster = try Cluster.parse(flag: "64x4")
        cluster.network.model = .maxmin
        benchmark.startMeasurement()
        let result = SimulationBenchmarkWorkloads.run(workload, cluster)
        benchmark.stopMeasurement()
        precondition(result.outcome == .completed, result.detail)
        blackHole(result.makespan)
    }
}

enum SimulationBenchmarkWorkloads {
    static func run(_ workload: Workload, _ cluster: Cluster, runtime: RuntimeProfile = .ideal) -> SimulationResult {
        var config = SimulationConfig()
        config.runtime = runtime
        config.recordTransitions = false
        config.sampleInterval = .zero
        var scheduler = SchedulerConfig()
        scheduler.recordTransitions = false  // as `replay` without --out
        guard let factory = MachineFactory.dask(policy: "dask", scheduler: scheduler) else {
            preconditionFailure("the dask policy exists")
        }
        return Simulator(workload: workload, cluster: cluster, factory: factory, config: config).run()
    }

    /// `tasks` independent tasks of 1.0–1.6 s with 1 kB results, all wanted.
    static func bag(tasks: Int) throws -> Workload {
        var builder = WorkloadBuilder(name: "bag", source: "benchmark")
        for i in 0..<tasks {
            builder.add(TaskSpec(key: "('task-0', \(i))", duration: 1.0 + Double(i % 7) / 10, outputBytes: 1000),
                        dependencies: [], origin: "task \(i)")
        }
        return try builder.build()
    }

    /// A binary tree reduction: `leaves` leaves of 1 s and 1 MB, then sums of 0.1 s and 1 MB.
    static func treeReduction(leaves: Int) throws -> Workload {
        var builder = WorkloadBuilder(name: "tree", source: "benchmark")
        var level = (0..<leaves).map { "('x-0', \($0))" }
        for key in level {
            builder.add(TaskSpec(key: key, duration: 1, outputBytes: 1_000_000), dependencies: [], origin: key)
        }
        var depth = 0
        while level.count > 1 {
            depth += 1
            var next: [String] = []
            for j in stride(from: 0, to: level.count, by: 2) {
                let key = "('sum-\(depth)', \(j / 2))"
                builder.add(TaskSpec(key: key, duration: 0.1, outputBytes: 1_000_000),
                            dependencies: Array(level[j..<min(j + 2, level.count)]), origin: key)
                next.append(key)
            }
            level = next
        }
        return try builder.build()
    }
}

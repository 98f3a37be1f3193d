import Benchmark
import Workload

// One file per subsystem adds its benchmarks through a function called here.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .peakMemoryResident, .mallocCountTotal],
                                           warmupIterations: 1, maxDuration: .seconds(10), maxIterations: 20)
    workloadBenchmarks()
    orderingBenchmarks()
    traceFormatsBenchmarks()
    stochasticsBenchmarks()
    workerBenchmarks()
    planningBenchmarks()
    schedulerBenchmarks()
    simulationBenchmarks()
    importerBenchmarks()
    reportBenchmarks()
}

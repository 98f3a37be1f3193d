import Benchmark
import TraceFormats
import Workload

/// `dask.order.order` (schedsim's port, `Workload.staticOrder`) on generated
/// graphs: a bag of 1M tasks and tree reductions of 1.0M and 2.0M tasks
/// (target: a 1M-task graph in < 2 s, issue 17), a layered random DAG and a
/// matmul of ~100k. Generating the graph is outside the measured region.
func orderingBenchmarks() {
    let once = Benchmark.Configuration(
        metrics: [.wallClock, .throughput, .peakMemoryResident], warmupIterations: 0,
        maxDuration: .seconds(60), maxIterations: 1)
    let cases: [(name: String, request: GeneratorRequest)] = [
        ("bag 1M", GeneratorRequest(kind: "bag", parameters: ["partitions": "500000", "steps": "1"])),
        ("array-sum 1M", GeneratorRequest(kind: "array-sum", parameters: ["rows": "500", "columns": "875", "split-every": "8"])),
        ("array-sum 2M", GeneratorRequest(kind: "array-sum", parameters: ["rows": "1000", "columns": "875", "split-every": "8"])),
        ("layered 100k", GeneratorRequest(kind: "layered", parameters: ["tasks": "100000", "layers": "100", "edge-probability": "0.002"])),
        ("array-matmul 100k", GeneratorRequest(kind: "array-matmul", parameters: ["blocks": "40", "split-every": "4"])),
    ]
    for c in cases {
        Benchmark("Ordering dask.order \(c.name)", configuration: once) { benchmark in
            let workload = try GeneratorCatalog.generate(c.request)
            benchmark.startMeasurement()
            let order = workload.staticOrder(method: .dask, ignoreRecorded: true)
            benchmark.stopMeasurement()
            blackHole(order)
        }
    }
}

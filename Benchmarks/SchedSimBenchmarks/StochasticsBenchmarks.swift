import Benchmark
import Stochastics

/// Cost of random draws and summary statistics, the per-task work that
/// generators and noise models add to a simulation.
func stochasticsBenchmarks() {
    let draws = 1_000_000

    Benchmark("Stochastics.nextUInt32 1M") { benchmark in
        let stream = RandomStream(seed: 1, name: "bench")
        for _ in benchmark.scaledIterations {
            var acc: UInt32 = 0
            for _ in 0..<draws { acc &+= stream.nextUInt32() }
            blackHole(acc)
        }
    }

    for spec in ["uniform:low=0.5,high=2", "lognormal:mean=1,cv=0.5", "gamma:shape=2,scale=1",
                 "discrete:weights=1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16"] {
        Benchmark("Stochastics.sample \(spec.prefix(while: { $0 != ":" })) 1M") { benchmark in
            let stream = RandomStream(seed: 1, name: "bench")
            guard let distribution = Distribution(spec) else { return }
            for _ in benchmark.scaledIterations {
                var acc = 0.0
                for _ in 0..<draws { acc += distribution.sample(stream) }
                blackHole(acc)
            }
        }
    }

    Benchmark("Stochastics.derive 10k streams") { benchmark in
        let root = RandomStream(seed: 1, name: "simulation")
        for _ in benchmark.scaledIterations {
            for worker in 0..<10_000 {
                blackHole(root.derived("worker-\(worker)").nextUInt32())
            }
        }
    }

    Benchmark("Stochastics.Summary 1M") { benchmark in
        let stream = RandomStream(seed: 1, name: "bench")
        let values = (0..<draws).map { _ in stream.uniform() }
        benchmark.startMeasurement() // leave the 1M draws above out of the numbers
        for _ in benchmark.scaledIterations {
            let summary = Summary(values)
            blackHole(summary.p99)
        }
    }
}

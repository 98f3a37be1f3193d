import Messages

/// Cluster-wide averages that rank-based planners use before they know where a
/// task will run (HEFT's mean computation and communication costs).
extension PlanningCluster {
    /// Mean of `1 / speed` over all thread slots (each thread is a processor, as in
    /// Topcuoglu et al.'s mean computation cost `w̄ᵢ = Σⱼ wᵢⱼ / q`).
    var meanInverseSpeed: Double {
        var sum = 0.0
        var threads = 0
        for worker in workers {
            sum += Double(worker.nthreads) / worker.speed
            threads += worker.nthreads
        }
        return sum / Double(threads)
    }

    /// Topcuoglu et al.'s mean communication cost `c̄ = L̄ + bytes / B̄`, where `L̄`
    /// and `B̄` are the mean latency and mean bandwidth over ordered pairs of
    /// *distinct* workers. Zero when the cluster has a single worker (every edge
    /// is local). Threads of one worker share memory, so they are not pairs here.
    struct MeanTransfer: Sendable {
        var latencyNs: Int64
        var nsPerByte: Double

        @inline(__always)
        func time(bytes: Int64) -> Int64 {
            latencyNs + PlanningCluster.nanoseconds(Double(bytes) * nsPerByte)
        }
    }

    var meanTransfer: MeanTransfer {
        let w = workers.count
        guard w > 1 else { return MeanTransfer(latencyNs: 0, nsPerByte: 0) }
        var perHost: [Int] = []
        for host in hostIndex {
            while perHost.count <= Int(host) { perHost.append(0) }
            perHost[Int(host)] += 1
        }
        let pairs = Double(w * (w - 1))
        let samePairs = Double(perHost.reduce(0) { $0 + $1 * ($1 - 1) })
        let crossPairs = pairs - samePairs
        let latency = (samePairs * network.sameHostLatency + crossPairs * network.latency) / pairs
        let bandwidth = (samePairs * network.sameHostBandwidth + crossPairs * network.bandwidth) / pairs
        return MeanTransfer(latencyNs: Time(seconds: latency).nanoseconds, nsPerByte: 1e9 / bandwidth)
    }
}

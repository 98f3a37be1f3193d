extension Cluster {
    /// Parses the compact `--cluster` flag: comma-separated groups
    /// `COUNTxTHREADS[@SPEED][:mem=SIZE][:perhost=K][:rack=NAME]`, e.g. `8x4`,
    /// `4x8@2.0,4x8`, `16x4:mem=4GiB:perhost=4`.
    ///
    /// Workers are named `worker-0`, `worker-1`, ... in order. Each worker gets
    /// its own host (`host-0`, ...) unless `perhost=K` packs K workers per host.
    /// All hosts are in `rack-0` unless a group says `rack=NAME`.
    public static func parse(flag text: String, network: NetworkConfig = NetworkConfig()) throws(ClusterSpecError) -> Cluster {
        let source = "--cluster '\(text)'"
        var cluster = Cluster(label: text, network: network)
        let groups = text.split(separator: ",", omittingEmptySubsequences: false)
        var hostCount = 0
        for (g, rawGroup) in groups.enumerated() {
            let group = rawGroup.trimmingSpaces
            let place = "group \(g + 1) ('\(group)')"
            func fail(_ message: String) -> ClusterSpecError { ClusterSpecError(source: source, place: place, message) }
            let parts = group.split(separator: ":", omittingEmptySubsequences: false).map { $0.trimmingSpaces }
            guard let shape = parts.first, !shape.isEmpty else { throw fail("empty group; expected COUNTxTHREADS like 8x4") }
            let shapeAndSpeed = shape.split(separator: "@", omittingEmptySubsequences: false)
            guard shapeAndSpeed.count <= 2 else { throw fail("more than one '@'") }
            let dims = shapeAndSpeed[0].lowercased().split(separator: "x", omittingEmptySubsequences: false)
            guard dims.count == 2 else { throw fail("expected COUNTxTHREADS like 8x4, got '\(shapeAndSpeed[0])'") }
            guard let count = Int(dims[0]), count > 0 else { throw fail("worker count '\(dims[0])' is not a positive integer") }
            guard let threads = Int(dims[1]), threads > 0 else { throw fail("threads per worker '\(dims[1])' is not a positive integer") }
            var speed = 1.0
            if shapeAndSpeed.count == 2 {
                guard let value = Double(shapeAndSpeed[1]), value.isFinite, value > 0 else {
                    throw fail("speed '\(shapeAndSpeed[1])' is not a positive number")
                }
                guard SimulationLimits.speeds.contains(value) else {
                    throw fail("speed \(value) is outside \(SimulationLimits.speeds)")
                }
                speed = value
            }
            var memory: Int64 = 0
            var perHost = 1
            var rack = "rack-0"
            for option in parts.dropFirst() {
                let pair = option.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard pair.count == 2 else { throw fail("option '\(option)' is not NAME=VALUE") }
                let value = String(pair[1])
                switch pair[0].lowercased() {
                case "mem", "memory":
                    guard let bytes = Units.bytes(value) else { throw fail("memory '\(value)' is not a size like 4GiB") }
                    memory = bytes
                case "perhost":
                    guard let k = Int(value), k > 0 else { throw fail("perhost '\(value)' is not a positive integer") }
                    perHost = k
                case "rack":
                    guard !value.isEmpty else { throw fail("rack name is empty") }
                    rack = value
                default:
                    throw fail("unknown option '\(pair[0])' (known: mem, perhost, rack)")
                }
            }
            // The total, not only each group: "1000000x1,1000000x1,..." is as large.
            guard count <= SimulationLimits.maximumWorkers - cluster.workers.count, threads <= SimulationLimits.maximumThreads else {
                throw fail("cluster too large: at most \(SimulationLimits.maximumWorkers) workers of at most \(SimulationLimits.maximumThreads) threads")
            }
            for i in 0..<count {
                if i % perHost == 0 { hostCount += 1 }
                let index = cluster.workers.count
                cluster.add(ClusterWorker(
                    name: "worker-\(index)", host: "host-\(hostCount - 1)", rack: rack,
                    nthreads: threads, speed: speed, memoryLimit: memory))
            }
        }
        return cluster
    }
}

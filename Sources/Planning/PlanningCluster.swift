import Messages

/// The cluster as a static planner sees it: workers with thread counts and
/// speeds, and a network model that prices a transfer between two workers.
///
/// Planning unit: a planner places each task on a *worker* and, inside it, on one
/// of the worker's `nthreads` thread slots. Each slot runs one task at a time,
/// so a worker with 4 threads is four processors that share data for free.
/// Transfers between slots of the same worker cost nothing; Dask workers share
/// one memory between their threads.
public struct PlanningCluster: Sendable {
    /// One worker: what a planner needs to know about it.
    public struct Worker: Sendable, Hashable {
        /// Name used by `workers=` restrictions and in output (Dask's worker `--name`).
        public var name: String
        /// Host name; transfers between workers of one host use the faster same-host link.
        public var host: String
        /// Thread slots, each a processor for planning. At least 1.
        public var nthreads: Int
        /// Relative compute speed: a task of duration `d` runs `d / speed` seconds here.
        public var speed: Double

        public init(name: String, host: String, nthreads: Int, speed: Double = 1) {
            self.name = name
            self.host = host
            self.nthreads = nthreads
            self.speed = speed
        }
    }

    /// How long moving `bytes` from one worker to another takes:
    /// `0` on the same worker, `sameHostLatency + bytes / sameHostBandwidth` between
    /// workers of one host, `latency + bytes / bandwidth` otherwise.
    public struct Network: Sendable, Hashable {
        /// Bytes per second between workers on different hosts.
        public var bandwidth: Double
        /// Seconds of fixed cost per transfer between hosts.
        public var latency: Double
        /// Bytes per second between two workers of the same host.
        public var sameHostBandwidth: Double
        /// Seconds of fixed cost per transfer inside one host.
        public var sameHostLatency: Double

        /// Same-host transfers default to the inter-host link (one flat network).
        public init(bandwidth: Double, latency: Double = 0, sameHostBandwidth: Double? = nil, sameHostLatency: Double? = nil) {
            self.bandwidth = bandwidth
            self.latency = latency
            self.sameHostBandwidth = sameHostBandwidth ?? bandwidth
            self.sameHostLatency = sameHostLatency ?? latency
        }

        /// A network where every transfer is free: the classic "no communication cost" setting.
        public static let free = Network(bandwidth: .infinity, latency: 0)
    }

    public let workers: [Worker]
    public let network: Network

    // Derived, dense-indexed data for the planners' hot loops.
    /// Host index per worker (hosts numbered in order of first appearance).
    let hostIndex: [Int32]
    /// First slot index of each worker in a flat slot array; `slotStart[workers.count]` = total slots.
    let slotStart: [Int]
    let latencyNs: Int64
    let sameHostLatencyNs: Int64
    let nsPerByte: Double
    let sameHostNsPerByte: Double

    /// Validates the description: at least one worker, `nthreads >= 1`, speeds finite
    /// and positive, bandwidths positive (infinity allowed), latencies finite and >= 0.
    public init(workers: [Worker], network: Network) throws(PlanningError) {
        guard !workers.isEmpty else { throw .emptyCluster }
        for worker in workers {
            if worker.nthreads < 1 {
                throw .invalidWorker(name: worker.name, reason: "nthreads \(worker.nthreads) must be at least 1")
            }
            if !(worker.speed.isFinite && worker.speed > 0) {
                throw .invalidWorker(name: worker.name, reason: "speed \(worker.speed) must be a finite number > 0")
            }
        }
        for (label, value) in [("bandwidth", network.bandwidth), ("same-host bandwidth", network.sameHostBandwidth)]
        where !(value > 0) {
            throw .invalidNetwork(reason: "\(label) \(value) bytes/s must be > 0")
        }
        for (label, value) in [("latency", network.latency), ("same-host latency", network.sameHostLatency)]
        where !(value.isFinite && value >= 0) {
            throw .invalidNetwork(reason: "\(label) \(value) s must be a finite number >= 0")
        }
        self.workers = workers
        self.network = network
        var hosts: [String: Int32] = [:]
        var hostIndex: [Int32] = []
        var slotStart: [Int] = [0]
        for worker in workers {
            let next = Int32(hosts.count)
            let index = hosts[worker.host] ?? next
            if index == next { hosts[worker.host] = next }
            hostIndex.append(index)
            slotStart.append(slotStart[slotStart.count - 1] + worker.nthreads)
        }
        self.hostIndex = hostIndex
        self.slotStart = slotStart
        self.latencyNs = Time(seconds: network.latency).nanoseconds
        self.sameHostLatencyNs = Time(seconds: network.sameHostLatency).nanoseconds
        self.nsPerByte = 1e9 / network.bandwidth
        self.sameHostNsPerByte = 1e9 / network.sameHostBandwidth
    }

    /// A cluster of `count` identical workers named `worker-0`, `worker-1`, ...,
    /// each on its own host.
    public static func uniform(
        workers count: Int, nthreads: Int, speed: Double = 1, network: Network
    ) throws(PlanningError) -> PlanningCluster {
        let workers = (0..<max(count, 0)).map {
            Worker(name: "worker-\($0)", host: "host-\($0)", nthreads: nthreads, speed: speed)
        }
        return try PlanningCluster(workers: workers, network: network)
    }

    /// Builds the planning view of the workers the scheduler knows (`WorkerSpec`),
    /// with one speed per worker (default 1).
    /// `speeds`, when given, has one entry per spec.
    public init(specs: [WorkerSpec], speeds: [Double]? = nil, network: Network) throws(PlanningError) {
        if let speeds, speeds.count != specs.count, let first = specs.first {
            throw .invalidWorker(name: first.name, reason: "\(speeds.count) speeds given for \(specs.count) workers")
        }
        let workers = specs.enumerated().map { i, spec in
            Worker(name: spec.name, host: spec.host, nthreads: spec.nthreads, speed: speeds?[safe: i] ?? 1)
        }
        try self.init(workers: workers, network: network)
    }

    /// Number of workers.
    @inlinable public var count: Int { workers.count }
    /// Total thread slots over all workers.
    public var totalSlots: Int { slotStart[workers.count] }

    /// Nanoseconds to move `bytes` from worker `from` to worker `to` (0 when they are the same worker).
    @inline(__always)
    public func transferTime(bytes: Int64, from: Int, to: Int) -> Int64 {
        if from == to { return 0 }
        if hostIndex[from] == hostIndex[to] {
            return sameHostLatencyNs + Self.nanoseconds(Double(bytes) * sameHostNsPerByte)
        }
        return latencyNs + Self.nanoseconds(Double(bytes) * nsPerByte)
    }

    /// Nanoseconds a task of `seconds` (on a speed-1 worker) takes on worker `worker`.
    @inline(__always)
    public func executionTime(seconds: Double, on worker: Int) -> Int64 {
        Time(seconds: seconds / workers[worker].speed).nanoseconds
    }

    /// Rounds a non-negative nanosecond amount, saturating far below `Int64.max`
    /// so sums of a few such values cannot overflow.
    @inline(__always)
    static func nanoseconds(_ value: Double) -> Int64 {
        value < 1e17 ? Int64(value.rounded(.toNearestOrAwayFromZero)) : 100_000_000_000_000_000
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}

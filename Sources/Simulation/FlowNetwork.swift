/// The `maxmin` network model: flow-level sharing of host network interfaces.
///
/// Every host has an uplink (bytes leaving it) and a downlink (bytes arriving),
/// each a resource with a capacity. A flow between two different hosts uses the
/// source's uplink and the destination's downlink; a flow within one host uses
/// neither. Each flow also has its own cap (the bandwidth of its link class).
///
/// Whenever a flow starts or ends, every flow's rate is recomputed by
/// *progressive filling*: all unfrozen flows grow at the same rate until a
/// resource is saturated or a flow reaches its cap; those flows freeze at that
/// rate; repeat. The result is the max-min fair allocation (no flow can get
/// more without taking from a flow that has no more than it).
///
/// Exactness: remaining bytes are integers. Between two recomputations a flow
/// at rate r moves ⌊r·Δt⌋ bytes (Δt in ns; the fraction of a byte lost to the
/// floor is at most one byte per recomputation), and its finish time is
/// `now + ⌈remaining / r⌉` ns. A flow completes exactly at its finish time.
public struct FlowNetwork {
    public struct Flow {
        /// The driver's handle for the transfer.
        public var tag: Int
        /// Resource indices (uplink `2·host`, downlink `2·host+1`), or -1 for none.
        var up: Int32
        var down: Int32
        /// Bytes per nanosecond.
        var cap: Double
        var remaining: Int64
        var rate: Double = 0
        var finish: Int64 = .max
    }

    /// Bytes per nanosecond of each resource.
    private var capacity: [Double]
    public private(set) var flows: [Flow] = []
    private var lastUpdate: Int64 = 0
    // Scratch space for progressive filling, kept to avoid allocation per recomputation.
    private var used: [Double]
    private var unfrozenCount: [Int32]
    private var frozen: [Bool] = []
    /// How many times rates were recomputed (for benchmarks).
    public private(set) var recomputations = 0

    /// `hosts` hosts, each with the given uplink and downlink capacity in bytes per second.
    public init(hosts: Int, uplink: Double, downlink: Double) {
        capacity = []
        capacity.reserveCapacity(2 * hosts)
        for _ in 0..<hosts {
            capacity.append(uplink / 1e9)
            capacity.append(downlink / 1e9)
        }
        used = [Double](repeating: 0, count: 2 * hosts)
        unfrozenCount = [Int32](repeating: 0, count: 2 * hosts)
    }

    /// Registers one more host (a worker joining on a new machine).
    public mutating func addHost(uplink: Double, downlink: Double) {
        capacity.append(uplink / 1e9)
        capacity.append(downlink / 1e9)
        used.append(0)
        used.append(0)
        unfrozenCount.append(0)
        unfrozenCount.append(0)
    }

    public var isEmpty: Bool { flows.isEmpty }

    /// The earliest finish time of any flow, or `nil` when no flow is active.
    public var nextFinish: Int64? {
        var best: Int64?
        for flow in flows where best == nil || flow.finish < best! { best = flow.finish }
        return best
    }

    /// Current rate of the flow with `tag`, bytes per second (for tests and logs).
    public func rate(of tag: Int) -> Double? {
        flows.first { $0.tag == tag }.map { $0.rate * 1e9 }
    }

    /// Starts a flow of `bytes` from host `source` to host `destination` at time `now`,
    /// never faster than `cap` bytes per second. Rates of all flows are recomputed.
    public mutating func start(tag: Int, from source: Int, to destination: Int, bytes: Int64, cap: Double, now: Int64) {
        progress(to: now)
        let crossesHosts = source != destination
        flows.append(Flow(
            tag: tag,
            up: crossesHosts ? Int32(2 * source) : -1,
            down: crossesHosts ? Int32(2 * destination + 1) : -1,
            cap: cap / 1e9,
            remaining: max(bytes, 0)))
        recompute(now: now)
    }

    /// Advances to `now` and removes the flows that have finished by then; returns
    /// their tags in the order they were started. Rates are recomputed if any finished.
    public mutating func finish(upTo now: Int64, into done: inout [Int]) {
        progress(to: now)
        var kept = 0
        var any = false
        for i in flows.indices {
            if flows[i].finish <= now {
                done.append(flows[i].tag)
                any = true
            } else {
                flows[kept] = flows[i]
                kept += 1
            }
        }
        if any {
            flows.removeLast(flows.count - kept)
            recompute(now: now)
        }
    }

    /// Removes flows for which `shouldCancel(tag)` is true (a worker died), as of `now`.
    public mutating func cancel(now: Int64, where shouldCancel: (Int) -> Bool) {
        progress(to: now)
        let before = flows.count
        flows.removeAll { shouldCancel($0.tag) }
        if flows.count != before { recompute(now: now) }
    }

    /// Moves every flow's bytes forward to `now` at its current rate.
    private mutating func progress(to now: Int64) {
        let elapsed = now - lastUpdate
        if elapsed > 0 {
            for i in flows.indices {
                let moved = FlowNetwork.wholeBytes(flows[i].rate * Double(elapsed))
                flows[i].remaining = max(0, flows[i].remaining - moved)
            }
        }
        lastUpdate = now
    }

    /// Progressive filling, then new finish times.
    private mutating func recompute(now: Int64) {
        recomputations += 1
        let n = flows.count
        if n == 0 { return }
        if frozen.count < n { frozen = [Bool](repeating: false, count: n) }
        for i in 0..<n {
            frozen[i] = false
            let f = flows[i]
            if f.up >= 0 {
                used[Int(f.up)] = 0
                used[Int(f.down)] = 0
                unfrozenCount[Int(f.up)] = 0
                unfrozenCount[Int(f.down)] = 0
            }
        }
        for f in flows where f.up >= 0 {
            unfrozenCount[Int(f.up)] += 1
            unfrozenCount[Int(f.down)] += 1
        }
        var remainingFlows = n
        while remainingFlows > 0 {
            // The level at which the next constraint binds: a saturated resource or a flow cap.
            var level = Double.infinity
            for i in 0..<n where !frozen[i] {
                let f = flows[i]
                level = min(level, f.cap)
                if f.up >= 0 {
                    let u = Int(f.up), d = Int(f.down)
                    level = min(level, (capacity[u] - used[u]) / Double(unfrozenCount[u]))
                    level = min(level, (capacity[d] - used[d]) / Double(unfrozenCount[d]))
                }
            }
            level = max(level, 0)
            let tolerance = level * 1e-12
            // Freeze every flow that meets a binding constraint at this level.
            var toFreeze: [Int] = []
            for i in 0..<n where !frozen[i] {
                let f = flows[i]
                var binds = f.cap <= level + tolerance
                if !binds && f.up >= 0 {
                    let u = Int(f.up), d = Int(f.down)
                    binds = (capacity[u] - used[u]) / Double(unfrozenCount[u]) <= level + tolerance
                        || (capacity[d] - used[d]) / Double(unfrozenCount[d]) <= level + tolerance
                }
                if binds { toFreeze.append(i) }
            }
            for i in toFreeze {
                frozen[i] = true
                flows[i].rate = level
                remainingFlows -= 1
                let f = flows[i]
                if f.up >= 0 {
                    used[Int(f.up)] += level
                    used[Int(f.down)] += level
                    unfrozenCount[Int(f.up)] -= 1
                    unfrozenCount[Int(f.down)] -= 1
                }
            }
        }
        for i in 0..<n {
            flows[i].finish = FlowNetwork.finishTime(now: now, remaining: flows[i].remaining, rate: flows[i].rate)
        }
    }

    /// ⌊bytes⌋, treating a value within floating-point noise (1e-12 relative, at
    /// least 1e-6 absolute) of an integer as that integer,
    /// so that 0.05 bytes/ns × 2e9 ns moves exactly 1e8 bytes despite binary fractions.
    static func wholeBytes(_ bytes: Double) -> Int64 {
        let nearest = bytes.rounded()
        let whole = abs(bytes - nearest) <= max(1e-6, 1e-12 * nearest) ? nearest : bytes.rounded(.down)
        return whole >= 9e18 ? Int64.max : Int64(whole)
    }

    /// `now + ⌈remaining / rate⌉`, treating a quotient within floating-point noise of an integer as that integer
    /// (so 1e8 bytes at 0.05 bytes/ns finishes after exactly 2e9 ns).
    static func finishTime(now: Int64, remaining: Int64, rate: Double) -> Int64 {
        if remaining <= 0 { return now }
        guard rate > 0 else { return .max }
        let exact = Double(remaining) / rate
        let nearest = exact.rounded()
        let span = abs(exact - nearest) <= max(1e-6, 1e-12 * nearest) ? nearest : exact.rounded(.up)
        guard span < 9e18 else { return .max }
        return now + Int64(span)
    }
}

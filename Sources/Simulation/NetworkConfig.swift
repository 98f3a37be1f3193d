/// How far apart two endpoints are; each class has its own latency and bandwidth.
public enum LinkClass: Int, Sendable, Hashable, CaseIterable {
    /// Both on one host: loopback, no network interface involved.
    case sameHost
    /// Different hosts in one rack (one switch hop).
    case sameRack
    /// Hosts in different racks (through the aggregation layer).
    case crossRack

    public var name: String {
        switch self {
        case .sameHost: "same-host"
        case .sameRack: "same-rack"
        case .crossRack: "cross-rack"
        }
    }
}

/// Latency and bandwidth of one link class.
public struct LinkParameters: Sendable, Hashable {
    /// One-way latency of a message or the first byte of a transfer, nanoseconds.
    public var latency: Int64
    /// Bytes per second one transfer can reach on this class of link.
    public var bandwidth: Double

    public init(latency: Int64, bandwidth: Double) {
        self.latency = latency
        self.bandwidth = bandwidth
    }
}

/// Which network model moves the bytes.
public enum NetworkModelKind: String, Sendable, Hashable, CaseIterable {
    /// latency + bytes / bandwidth, no contention.
    case simple
    /// Flow-level max-min fair sharing of host uplinks and downlinks.
    case maxmin
}

/// The network between hosts. Defaults (see `docs/network.md`) describe a
/// 10 Gbit/s Ethernet cluster: a transfer within a host goes through loopback
/// at 4 GB/s after 20 µs; within a rack 1.25 GB/s after 100 µs; across racks
/// 1.25 GB/s after 250 µs; every host's interface carries 1.25 GB/s each way.
public struct NetworkConfig: Sendable, Hashable {
    public var model: NetworkModelKind
    public var sameHost: LinkParameters
    public var sameRack: LinkParameters
    public var crossRack: LinkParameters
    /// Capacity of each host's interface towards the network (bytes/s), `maxmin` only.
    public var hostUplink: Double
    /// Capacity of each host's interface from the network (bytes/s), `maxmin` only.
    public var hostDownlink: Double

    public init(
        model: NetworkModelKind = .simple,
        sameHost: LinkParameters = LinkParameters(latency: 20_000, bandwidth: 4e9),
        sameRack: LinkParameters = LinkParameters(latency: 100_000, bandwidth: 1.25e9),
        crossRack: LinkParameters = LinkParameters(latency: 250_000, bandwidth: 1.25e9),
        hostUplink: Double = 1.25e9,
        hostDownlink: Double = 1.25e9
    ) {
        self.model = model
        self.sameHost = sameHost
        self.sameRack = sameRack
        self.crossRack = crossRack
        self.hostUplink = hostUplink
        self.hostDownlink = hostDownlink
    }

    public func parameters(_ link: LinkClass) -> LinkParameters {
        switch link {
        case .sameHost: sameHost
        case .sameRack: sameRack
        case .crossRack: crossRack
        }
    }

    public mutating func setParameters(_ link: LinkClass, _ value: LinkParameters) {
        switch link {
        case .sameHost: sameHost = value
        case .sameRack: sameRack = value
        case .crossRack: crossRack = value
        }
    }
}

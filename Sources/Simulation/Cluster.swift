import Messages

/// One simulated worker process.
public struct ClusterWorker: Sendable, Hashable {
    /// Worker name, as restrictions in traces refer to it (`worker-3` by default).
    public var name: String
    /// Host (machine) name; workers on one host share its network interface.
    public var host: String
    /// Rack name; hosts in one rack talk at same-rack latency and bandwidth.
    public var rack: String
    public var nthreads: Int
    /// Task durations on this worker are `duration / speed`.
    public var speed: Double
    /// Bytes; 0 means no limit.
    public var memoryLimit: Int64
    public var resources: [ResourceRequest]

    public init(
        name: String, host: String, rack: String = "rack-0", nthreads: Int, speed: Double = 1,
        memoryLimit: Int64 = 0, resources: [ResourceRequest] = []
    ) {
        self.name = name
        self.host = host
        self.rack = rack
        self.nthreads = nthreads
        self.speed = speed
        self.memoryLimit = memoryLimit
        self.resources = resources.sorted { $0.name < $1.name }
    }
}

/// The cluster a run starts with: workers, the hosts they live on and the
/// racks the hosts sit in, plus the network between them.
///
/// Hosts and racks get dense indices in order of first appearance, so every
/// derived array has a fixed order.
public struct Cluster: Sendable {
    public private(set) var workers: [ClusterWorker] = []
    /// Host names; index = host id.
    public private(set) var hosts: [String] = []
    /// Rack names; index = rack id.
    public private(set) var racks: [String] = []
    /// Host id of each worker.
    public private(set) var hostOfWorker: [Int] = []
    /// Rack id of each host.
    public private(set) var rackOfHost: [Int] = []
    // Name → id, so registering N workers is O(N), not a linear search per worker.
    // Lookups only: ids still come from `hosts`/`racks` order, never from dictionary order.
    private var hostIndex: [String: Int] = [:]
    private var rackIndex: [String: Int] = [:]
    /// The description the cluster was given as (flag text or file path), for logs.
    public var label: String
    public var network: NetworkConfig

    public init(label: String, network: NetworkConfig = NetworkConfig()) {
        self.label = label
        self.network = network
    }

    public init(_ workers: [ClusterWorker], label: String, network: NetworkConfig = NetworkConfig()) {
        self.init(label: label, network: network)
        for worker in workers { add(worker) }
    }

    /// Adds a worker (and its host and rack if new); returns its index.
    @discardableResult
    public mutating func add(_ worker: ClusterWorker) -> Int {
        workers.append(worker)
        hostOfWorker.append(hostID(worker.host, rack: worker.rack))
        return workers.count - 1
    }

    /// The id of a registered host, by a dictionary look-up (the cluster-file reader
    /// asks once per worker; a scan of `hosts` was quadratic in the workers).
    func existingHostID(_ host: String) -> Int? { hostIndex[host] }

    /// The id of a host, registering it (in `rack`) if new.
    public mutating func hostID(_ host: String, rack: String) -> Int {
        if let existing = hostIndex[host] { return existing }
        hosts.append(host)
        hostIndex[host] = hosts.count - 1
        let rackID: Int
        if let existing = rackIndex[rack] {
            rackID = existing
        } else {
            racks.append(rack)
            rackID = racks.count - 1
            rackIndex[rack] = rackID
        }
        rackOfHost.append(rackID)
        return hosts.count - 1
    }

    public var totalThreads: Int { workers.reduce(0) { $0 + $1.nthreads } }

    /// What the scheduler is told when worker `index` registers.
    public func spec(_ index: Int) -> WorkerSpec {
        let worker = workers[index]
        return WorkerSpec(
            id: WorkerID(index), name: worker.name, host: worker.host, nthreads: worker.nthreads,
            memoryLimit: worker.memoryLimit, resources: worker.resources)
    }

    /// The link class between two hosts.
    public func linkClass(_ a: Int, _ b: Int) -> LinkClass {
        if a == b { return .sameHost }
        return rackOfHost[a] == rackOfHost[b] ? .sameRack : .crossRack
    }
}

/// A problem in a `--cluster` flag or cluster file, naming where it is.
public struct ClusterSpecError: Error, Sendable, CustomStringConvertible {
    /// The flag or file, e.g. `--cluster '4x8@x'` or `cluster.json`.
    public var source: String
    /// Where inside it: `group 2 ('4x8@x')`, `workers[1].nthreads`.
    public var place: String
    public var message: String

    public init(source: String, place: String, _ message: String) {
        self.source = source
        self.place = place
        self.message = message
    }

    public var description: String {
        place.isEmpty ? "\(source): \(message)" : "\(source): \(place): \(message)"
    }
}

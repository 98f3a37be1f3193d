import Messages
import NIOCore
import Workload

/// The protocol version a peer announces in `hello`; a mismatch is refused.
public let wireProtocolVersion: UInt16 = 2

/// Who opens a connection (the `role` of `hello`).
public enum ConnectionRole: UInt8, Sendable, Hashable {
    /// A worker process registering with the scheduler.
    case worker = 1
    /// A client (submit) talking to the scheduler.
    case client = 2
    /// A worker or client asking a worker for data (`get-data`) or scattering to it.
    case peer = 3
}

/// `hello`: the first frame on every connection (see docs/protocol.md).
public struct Hello: Sendable, Hashable {
    public var version: UInt16 = wireProtocolVersion
    public var role: ConnectionRole
    /// The shared secret (`--token`); empty when none is set.
    public var token: String
    /// Worker name (`--name`) or client name.
    public var name: String
    public var nthreads: Int32 = 0
    public var memoryLimit: Int64 = 0
    /// Where a worker serves `get-data` (host and port of its data listener).
    public var dataHost: String = ""
    public var dataPort: Int32 = 0
    /// For `peer` connections: the requesting worker's id, or -1 for a client.
    public var peerID: Int32 = -1
    /// The host a worker stands for in the cluster description (same-host rules);
    /// empty means `dataHost`.
    public var hostName: String = ""

    public init(role: ConnectionRole, token: String, name: String, nthreads: Int32 = 0, memoryLimit: Int64 = 0,
                dataHost: String = "", dataPort: Int32 = 0, peerID: Int32 = -1) {
        self.role = role
        self.token = token
        self.name = name
        self.nthreads = nthreads
        self.memoryLimit = memoryLimit
        self.dataHost = dataHost
        self.dataPort = dataPort
        self.peerID = peerID
    }
}

/// A worker's address, as the scheduler tells everyone (`worker-address`).
public struct PeerAddress: Sendable, Hashable {
    public var id: WorkerID
    public var name: String
    public var host: String
    public var port: Int32
    /// The host it stands for in the cluster description (Dask's same-host rules).
    public var hostName: String
    public init(id: WorkerID, name: String, host: String, port: Int32, hostName: String? = nil) {
        self.id = id
        self.name = name
        self.host = host
        self.port = port
        self.hostName = hostName ?? host
    }
}

/// One key's data on the wire: its size, the sender's checksum, and the bytes.
public struct DataItem: Sendable, Hashable {
    public var key: TaskID
    public var checksum: UInt64
    public var payload: ByteBuffer
    public init(key: TaskID, checksum: UInt64, payload: ByteBuffer) {
        self.key = key
        self.checksum = checksum
        self.payload = payload
    }
}

/// A worker's periodic report (`heartbeat-worker`): Dask's `executing` metric plus
/// the load figures that `workers.csv` samples.
public struct HeartbeatReport: Sendable, Hashable {
    public var executing: [ExecutingTask]
    public var busyThreads: Int32
    public var queued: Int32
    public var memoryBytes: Int64
    public init(executing: [ExecutingTask], busyThreads: Int32, queued: Int32, memoryBytes: Int64) {
        self.executing = executing
        self.busyThreads = busyThreads
        self.queued = queued
        self.memoryBytes = memoryBytes
    }
}

/// One finished dependency transfer, reported by the receiving worker for `transfers.csv`.
/// Times are the shared monotonic clock (nanoseconds).
public struct TransferEntry: Sendable, Hashable {
    public var key: TaskID
    /// Sending worker, or -1 for a client (scatter).
    public var from: Int32
    public var to: Int32
    public var bytes: Int64
    public var start: Time
    public var end: Time
    public init(key: TaskID, from: Int32, to: Int32, bytes: Int64, start: Time, end: Time) {
        self.key = key
        self.from = from
        self.to = to
        self.bytes = bytes
        self.start = start
        self.end = end
    }
}

/// Every frame of the protocol. The `stream` byte of a frame says which of the
/// message families follows, so Dask's op names can repeat across families
/// (`task-erred` goes worker → scheduler and scheduler → client).
public enum WireMessage: Sendable {
    // stream 0: control
    case hello(Hello)
    /// The scheduler accepts: the id it gave the worker or client, and the run's start on the shared clock.
    case welcome(id: Int32, runStart: Time)
    case refused(reason: String)
    /// The task graph (client → scheduler, scheduler → worker).
    case graph(Workload)
    case workerAddress(PeerAddress)
    case heartbeatWorker(HeartbeatReport)
    case scatter(keys: [TaskID], target: ScatterTarget)
    case scatterTo(placements: [DependencyReplicas])
    case getData(keys: [TaskID])
    case data(items: [DataItem])
    case busy(keys: [TaskID])
    /// A client puts pure-data keys onto a worker (the data half of Dask's scatter).
    case scatterData(items: [DataItem])
    /// The worker stored them (answer to `scatter-data`).
    case scatterDone
    case transferLog([TransferEntry])
    /// Client → scheduler: send me the run's records; scheduler → client: here they are.
    case getLogs
    case logs(RunRecords)
    /// Client → scheduler: close every worker and exit.
    case terminate
    // streams 1-4: the state machines' messages, with Dask's op names
    case toWorker(SchedulerToWorker)
    case toScheduler(WorkerToScheduler)
    case fromClient(ClientToScheduler)
    case toClient(SchedulerToClient)

    /// Which message family the frame carries (docs/protocol.md, "streams").
    public var stream: UInt8 {
        switch self {
        case .toWorker: 1
        case .toScheduler: 2
        case .fromClient: 3
        case .toClient: 4
        default: 0
        }
    }

    /// The op name written into the frame.
    public var op: String {
        switch self {
        case .hello: "hello"
        case .welcome: "welcome"
        case .refused: "refused"
        case .graph: "update-graph-spec"
        case .workerAddress: "worker-address"
        case .heartbeatWorker: "heartbeat-worker"
        case .scatter: "scatter"
        case .scatterTo: "scatter-to"
        case .getData: "get_data"
        case .data: "data"
        case .busy: "busy"
        case .scatterData: "scatter-data"
        case .scatterDone: "scatter-done"
        case .transferLog: "transfer-log"
        case .getLogs: "get-logs"
        case .logs: "logs"
        case .terminate: "terminate"
        case .toWorker(let m): m.op
        case .toScheduler(let m): m.op
        case .fromClient(let m): m.op
        case .toClient(let m): m.op
        }
    }
}

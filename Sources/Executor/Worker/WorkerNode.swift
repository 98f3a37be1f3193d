import Messages
import NIOCore
import NIOPosix
import Worker
import Workload

/// A worker process: connects to the scheduler, serves `get_data` to peers on its
/// own listener, and drives one `WorkerState` with wall-clock time. Every
/// connection, timer and the state machine live on one event loop (`spin` work runs
/// on a thread pool and hops back), so the state machine sees one stimulus at a time.
///
/// `@unchecked Sendable`: every mutable field is touched only on `loop`.
public final class WorkerNode: FrameReceiver, @unchecked Sendable {
    enum Kind {
        case scheduler
        /// Our connection to a peer we fetch from.
        case fetchFrom(WorkerID)
        /// A connection to our data listener, before its `hello`.
        case inboundUnknown
        case inboundPeer(WorkerID)
        case inboundClient
    }

    struct Gather {
        var keys: [TaskID]
        var totalBytes: Int64
        var start: Time
    }

    struct Stored {
        var data: ByteBuffer
        var checksum: UInt64
    }

    public let config: WorkerNodeConfig
    let loop: any EventLoop
    let pool: NIOThreadPool?
    var kinds: [ObjectIdentifier: Kind] = [:]
    var schedulerChannel: (any Channel)?
    var dataServer: (any Channel)?
    var dataPort = 0
    public private(set) var id: WorkerID?
    var workload: Workload?
    var state: WorkerState?
    var addresses: [PeerAddress?] = []
    var store: [TaskID: Stored] = [:]
    var executing: [TaskID: Time] = [:]
    var fetchChannels: [WorkerID: any Channel] = [:]
    var connecting: [WorkerID: Bool] = [:]
    var gathers: [WorkerID: Gather] = [:]
    var servingChannels: [WorkerID: any Channel] = [:]
    var sendLink: LinkShaper
    var receiveLink: LinkShaper
    var timers: [RepeatedTask] = []
    var feeding = false
    var pendingStimuli: [WorkerStimulus] = []
    var stopped = false
    let exitPromise: EventLoopPromise<String>
    let registeredPromise: EventLoopPromise<WorkerID>

    /// Completes with the reason when the worker stops (scheduler gone, `close`, `terminate`).
    public var exitFuture: EventLoopFuture<String> { exitPromise.futureResult }

    public init(config: WorkerNodeConfig, loop: any EventLoop) {
        self.config = config
        self.loop = loop
        if config.work == .spin {
            let pool = NIOThreadPool(numberOfThreads: max(1, config.nthreads))
            pool.start()
            self.pool = pool
        } else {
            pool = nil
        }
        sendLink = LinkShaper(bandwidth: config.bandwidth, latency: config.latency)
        receiveLink = LinkShaper(bandwidth: config.bandwidth, latency: .zero)
        exitPromise = loop.makePromise(of: String.self)
        registeredPromise = loop.makePromise(of: WorkerID.self)
    }

    /// Completes with the id the scheduler gave this worker (`welcome`).
    public var registeredFuture: EventLoopFuture<WorkerID> { registeredPromise.futureResult }

    /// Opens the data listener, connects to the scheduler and says hello.
    public func start() throws {
        let limits = config.connectionLimits
        let server = try ServerBootstrap(group: loop)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            // A connection without an entry in `kinds` is an inbound one before its hello.
            .childChannelInitializer { [self] channel in channel.addFrameHandlers(receiver: self, limits: limits, inbound: true) }
            .bind(host: config.listenHost, port: config.listenPort).wait()
        dataServer = server
        dataPort = server.localAddress?.port ?? config.listenPort
        let channel = try ClientBootstrap(group: loop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(10))
            .channelInitializer { [self] channel in channel.addFrameHandlers(receiver: self, limits: limits, inbound: false) }
            .connect(host: config.scheduler.host, port: config.scheduler.port).wait()
        var hello = Hello(role: .worker, token: config.token, name: config.name, nthreads: Int32(config.nthreads),
                          memoryLimit: config.memoryLimit, dataHost: config.listenHost, dataPort: Int32(dataPort))
        hello.hostName = config.hostName
        let helloWithHost = hello
        try loop.submit { [self] in
            schedulerChannel = channel
            kinds[ObjectIdentifier(channel)] = .scheduler
            channel.send(.hello(helloWithHost))
            let beat = TimeAmount(config.heartbeatInterval)
            timers.append(loop.scheduleRepeatedTask(initialDelay: beat, delay: beat) { [self] _ in heartbeat() })
            timers.append(loop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { [self] _ in
                if let state, state.missingCount > 0 { feed(.findMissing) }
            })
        }.wait()
    }

    /// Stops everything (idempotent); `exitFuture` completes with `reason`.
    public func stop(_ reason: String) {
        loop.execute { [self] in
            guard !stopped else { return }
            stopped = true
            config.log("worker '\(config.name)': stopping: \(reason)")
            for t in timers { t.cancel() }
            timers.removeAll()
            schedulerChannel?.close(promise: nil)
            dataServer?.close(promise: nil)
            for c in fetchChannels.values { c.close(promise: nil) }
            for c in servingChannels.values { c.close(promise: nil) }
            try? pool?.syncShutdownGracefully()
            registeredPromise.fail(WireError(reason))
            exitPromise.succeed(reason)
        }
    }

    // MARK: FrameReceiver

    func limits(for channel: any Channel) -> WireCodec.Limits {
        WireCodec.Limits(taskCount: workload?.count ?? 0)
    }

    func received(_ message: WireMessage, on channel: any Channel) {
        guard !stopped else { return }
        let key = ObjectIdentifier(channel)
        switch kinds[key] {
        case .scheduler: fromScheduler(message)
        case .fetchFrom(let peer): fromFetchPeer(message, peer: peer, channel: channel)
        case .inboundUnknown, .none: inboundHello(message, channel: channel)
        case .inboundPeer(let peer): fromServedPeer(message, peer: peer, channel: channel)
        case .inboundClient: fromClient(message, channel: channel)
        }
    }

    func closed(_ channel: any Channel, reason: String?) {
        let key = ObjectIdentifier(channel)
        let kind = kinds.removeValue(forKey: key)
        if let reason { config.log("worker '\(config.name)': connection closed: \(reason)") }
        switch kind {
        case .scheduler:
            stop("the scheduler connection closed")
        case .fetchFrom(let peer):
            if let c = fetchChannels[peer], c === channel { fetchChannels[peer] = nil }
            if let g = gathers.removeValue(forKey: peer) {
                feed(.gatherDepNetworkFailure(peer: peer, requested: g.keys, totalBytes: g.totalBytes))
            }
        case .inboundPeer(let peer):
            if let c = servingChannels[peer], c === channel { servingChannels[peer] = nil }
        default:
            break
        }
    }

    // MARK: the scheduler stream

    func fromScheduler(_ message: WireMessage) {
        switch message {
        case .welcome(let raw, _):
            id = WorkerID(Int(raw))
            registeredPromise.succeed(WorkerID(Int(raw)))
            config.log("worker '\(config.name)': registered as \(WorkerID(Int(raw))), data on port \(dataPort)")
        case .refused(let reason):
            stop("the scheduler refused this worker: \(reason)")
        case .graph(let graph):
            guard let id else { return }
            workload = graph
            let spec = WorkerSpec(id: id, name: config.name, host: config.hostName.isEmpty ? config.listenHost : config.hostName,
                                  nthreads: config.nthreads,
                                  memoryLimit: config.memoryLimit)
            state = WorkerState(id: id, spec: spec, workload: graph, peers: { [self] w in
                w.index < addresses.count ? addresses[w.index]?.hostName : nil
            }, config: config.worker)
        case .workerAddress(let address):
            while addresses.count <= address.id.index { addresses.append(nil) }
            addresses[address.id.index] = address
        case .toWorker(let m):
            if case .close = m {
                feed(.scheduler(m))
                stop("the scheduler closed this worker")
                return
            }
            feed(.scheduler(m))
            switch m {
            case .freeKeys(let keys, _), .removeReplicas(let keys, _): dropUnheld(keys)
            default: break
            }
        default:
            config.log("worker '\(config.name)': unexpected op '\(message.op)' from the scheduler")
        }
    }

    /// Sent also before the graph arrives, so the scheduler knows the worker is alive.
    func heartbeat() {
        guard let channel = schedulerChannel, !stopped else { return }
        guard let state else {
            channel.send(.heartbeatWorker(HeartbeatReport(executing: [], busyThreads: 0, queued: 0, memoryBytes: 0)))
            return
        }
        let now = ExecutorClock.now()
        let running = executing.sorted { $0.key < $1.key }.map { ExecutingTask(key: $0.key, elapsed: now - $0.value) }
        channel.send(.heartbeatWorker(HeartbeatReport(
            executing: running, busyThreads: Int32(state.executingCount), queued: Int32(state.readyCount),
            memoryBytes: state.memoryBytes)))
    }

    /// Forgets the bytes of keys the state machine no longer holds in memory.
    func dropUnheld(_ keys: [TaskID]) {
        guard let state else { return }
        for key in keys where store[key] != nil && state.state(of: key) != .memory {
            store[key] = nil
        }
    }
}

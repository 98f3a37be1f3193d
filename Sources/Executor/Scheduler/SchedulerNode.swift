import Messages
import NIOCore
import NIOPosix
import Scheduler
import Workload

/// Settings of the scheduler process (`schedsim scheduler`).
public struct SchedulerNodeConfig: Sendable {
    public var listen: Endpoint = Endpoint(host: "127.0.0.1", port: 8786)
    /// Shared secret required in every `hello`; empty means none.
    public var token: String = ""
    public var frameLimit: Int = WireCodec.defaultFrameLimit
    /// A connection without an accepted `hello` after this long is closed.
    public var handshakeTimeout: Time = ConnectionLimits.defaultHandshakeTimeout
    /// A connection that stops sending in the middle of a frame is closed after this long.
    public var stallTimeout: Time = ConnectionLimits.defaultStallTimeout
    public var scheduler: SchedulerConfig = SchedulerConfig()
    /// A worker silent for this long is removed (closed connections are noticed at once).
    public var heartbeatTimeout: Time = .seconds(10)
    /// Where log lines go (stderr in the CLI; captured in tests).
    public var log: @Sendable (String) -> Void = { _ in }
    public init() {}
}

/// The scheduler process: a TCP server that drives one `SchedulerState` with wall-clock
/// time. Every connection, timer and the state machine live on one event loop, so
/// stimuli are handled one at a time in arrival order, as in Dask's single-threaded
/// scheduler. The state machine is created when the first client sends the graph.
///
/// `@unchecked Sendable`: every mutable field is touched only on `loop`.
public final class SchedulerNode: FrameReceiver, @unchecked Sendable {
    struct WorkerConnection {
        var channel: any Channel
        var hello: Hello
        var address: PeerAddress
        var lastSeen: Time
        var present: Bool
        var joined: Bool
    }

    enum Peer {
        case unknown
        case worker(WorkerID)
        case client(ClientID)
    }

    public let config: SchedulerNodeConfig
    let loop: any EventLoop
    let makePolicy: @Sendable () -> any SchedulingPolicy
    var serverChannel: (any Channel)?
    var peers: [ObjectIdentifier: Peer] = [:]
    var workers: [WorkerConnection] = []
    var clients: [any Channel] = []
    var state: SchedulerState?
    var workload: Workload?
    var records = RunRecords()
    var terminating = false
    var feeding = false
    var lastHeartbeatCheck = ExecutorClock.now()
    var pendingStimuli: [SchedulerStimulus] = []
    var timers: [RepeatedTask] = []
    /// Called once when a client sends `terminate` (the CLI exits the process).
    public var onTerminate: (@Sendable () -> Void)?

    public init(config: SchedulerNodeConfig, loop: any EventLoop, policy: @escaping @Sendable () -> any SchedulingPolicy) {
        self.config = config
        self.loop = loop
        self.makePolicy = policy
    }

    /// Binds the listener and returns the address it is bound to (port 0 picks a free port).
    public func start() throws -> Endpoint {
        let limits = ConnectionLimits(frameLimit: config.frameLimit, handshakeTimeout: config.handshakeTimeout,
                                      stallTimeout: config.stallTimeout)
        let bootstrap = ServerBootstrap(group: loop)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { [self] channel in
                channel.addFrameHandlers(receiver: self, limits: limits, inbound: true)
            }
        let channel = try bootstrap.bind(host: config.listen.host, port: config.listen.port).wait()
        serverChannel = channel
        let port = channel.localAddress?.port ?? config.listen.port
        loop.execute { [self] in
            timers.append(loop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { [self] _ in
                checkHeartbeats()
            })
        }
        return Endpoint(host: config.listen.host, port: port)
    }

    /// Closes the listener and every connection.
    public func stop() -> EventLoopFuture<Void> {
        loop.flatSubmit { [self] in
            terminating = true
            for t in timers { t.cancel() }
            timers.removeAll()
            for w in workers where w.present { w.channel.close(promise: nil) }
            for c in clients { c.close(promise: nil) }
            return serverChannel?.close() ?? loop.makeSucceededVoidFuture()
        }
    }

    /// A future for the listener's closing (the CLI waits on it).
    public var closeFuture: EventLoopFuture<Void> { serverChannel?.closeFuture ?? loop.makeSucceededVoidFuture() }

    // MARK: FrameReceiver

    func limits(for channel: any Channel) -> WireCodec.Limits {
        WireCodec.Limits(taskCount: workload?.count ?? 0, workerLimit: workers.count)
    }

    func received(_ message: WireMessage, on channel: any Channel) {
        let id = ObjectIdentifier(channel)
        switch peers[id] ?? .unknown {
        case .unknown:
            guard case .hello(let hello) = message else {
                reject(channel, "expected 'hello' as the first frame, got '\(message.op)'")
                return
            }
            handshake(hello, on: channel)
        case .worker(let w):
            workers[w.index].lastSeen = ExecutorClock.now()
            workerSent(message, from: w, on: channel)
        case .client(let c):
            clientSent(message, from: c, on: channel)
        }
    }

    func closed(_ channel: any Channel, reason: String?) {
        let id = ObjectIdentifier(channel)
        let peer = peers.removeValue(forKey: id)
        if let reason { note("connection \(describe(channel)) closed: \(reason)") }
        if case .worker(let w) = peer, workers[w.index].present {
            workers[w.index].present = false
            if !terminating {
                note("worker '\(workers[w.index].hello.name)' (\(w)) lost: connection closed; removing it")
                feed(.removeWorker(w, expected: false))
            }
        }
    }

    // MARK: handshake

    func reject(_ channel: any Channel, _ reason: String) {
        note("refusing \(describe(channel)): \(reason)")
        channel.writeAndFlush(WireCodec.encode(.refused(reason: reason))).whenComplete { _ in
            channel.close(promise: nil)
        }
    }

    func handshake(_ hello: Hello, on channel: any Channel) {
        guard config.token.isEmpty || hello.token == config.token else {
            reject(channel, "wrong or missing token")
            return
        }
        switch hello.role {
        case .worker:
            guard hello.nthreads > 0 else {
                reject(channel, "worker '\(hello.name)': nthreads must be positive")
                return
            }
            let w = WorkerID(workers.count)
            let address = PeerAddress(id: w, name: hello.name.isEmpty ? "worker-\(w.rawValue)" : hello.name,
                                      host: hello.dataHost, port: hello.dataPort,
                                      hostName: hello.hostName.isEmpty ? hello.dataHost : hello.hostName)
            workers.append(WorkerConnection(channel: channel, hello: hello, address: address,
                                            lastSeen: ExecutorClock.now(), present: true, joined: false))
            peers[ObjectIdentifier(channel)] = .worker(w)
            channel.acceptHandshake()
            channel.send(.welcome(id: w.rawValue, runStart: records.runStart))
            note("worker '\(address.name)' registered as \(w) (\(hello.nthreads) threads, data at \(address.host):\(address.port))")
            for c in clients { c.send(.workerAddress(address)) }
            if workload != nil { join(w) }
        case .client:
            let c = ClientID(clients.count)
            clients.append(channel)
            peers[ObjectIdentifier(channel)] = .client(c)
            channel.acceptHandshake()
            channel.send(.welcome(id: c.rawValue, runStart: records.runStart))
            note("client '\(hello.name)' connected as \(c)")
            for w in workers where w.present { channel.send(.workerAddress(w.address)) }
        case .peer:
            reject(channel, "role 'peer' is for worker data connections, not the scheduler")
        }
    }

    /// A worker enters the state machine: it gets the graph and every address,
    /// everyone gets its address, then `add-worker`.
    func join(_ w: WorkerID) {
        guard let workload, workers[w.index].present, !workers[w.index].joined else { return }
        workers[w.index].joined = true
        workers[w.index].lastSeen = ExecutorClock.now()
        let me = workers[w.index]
        me.channel.send(.graph(workload))
        for other in workers where other.present && other.joined {
            me.channel.send(.workerAddress(other.address))
            if other.address.id != w { other.channel.send(.workerAddress(me.address)) }
        }
        while records.workerNames.count <= w.index {
            records.workerNames.append("")
            records.workerThreads.append(0)
        }
        records.workerNames[w.index] = me.address.name
        records.workerThreads[w.index] = me.hello.nthreads
        feed(.addWorker(WorkerSpec(id: w, name: me.address.name, host: me.address.hostName,
                                   nthreads: Int(me.hello.nthreads), memoryLimit: me.hello.memoryLimit)))
    }

    func describe(_ channel: any Channel) -> String {
        switch peers[ObjectIdentifier(channel)] ?? .unknown {
        case .worker(let w): "worker '\(workers[w.index].hello.name)'"
        case .client(let c): "\(c)"
        case .unknown: "\(channel.remoteAddress.map { "\($0)" } ?? "unknown peer")"
        }
    }

    func note(_ text: String) {
        records.notes.append(text)
        config.log(text)
    }
}

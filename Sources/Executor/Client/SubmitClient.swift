import Messages
import NIOCore
import NIOPosix
import Workload

/// Settings of a client (`schedsim submit`).
public struct SubmitOptions: Sendable {
    public var scheduler: Endpoint
    public var token: String = ""
    public var frameLimit: Int = WireCodec.defaultFrameLimit
    /// A connection stuck inside a frame for this long is closed.
    public var stallTimeout: Time = ConnectionLimits.defaultStallTimeout
    /// The whole run must finish within this (wall clock).
    public var timeout: Time = .seconds(600)
    /// After the logs arrive, ask the scheduler to close every worker and exit.
    public var terminateCluster: Bool = false
    /// Send the graph only once this many workers are known (so placement does not
    /// depend on how fast the workers started).
    public var waitForWorkers: Int = 0
    public var log: @Sendable (String) -> Void = { _ in }
    public init(scheduler: Endpoint) { self.scheduler = scheduler }
}

/// What a finished submission returns.
public struct SubmitResult: Sendable {
    public var records: RunRecords
    /// Wanted keys gathered with a correct checksum.
    public var gathered: Int
    /// Wanted keys that erred, with the exception.
    public var erred: [String]
    /// Data that failed checksum or size checks (must be empty in a correct run).
    public var corrupt: [String]
    /// Wanted keys the run can no longer produce, with why (`cancelled-keys`: a
    /// dependency was lost for good; `lost-data` of a scattered key). Erred keys are in `erred`.
    public var failed: [String] = []
    /// Keys of every wanted key that did not reach the client (erred or failed), in the order they were settled.
    public var unresolvedKeys: [String] = []
    /// Scattered (pure-data) keys whose every replica was lost: only the client had
    /// them, so nothing that needs them can run again (the simulator's "lost scattered data").
    public var lostScattered: [String] = []
    /// Wanted keys of all submissions.
    public var wanted: Int = 0
    /// When the client held the last wanted result (shared monotonic clock).
    public var lastHeld: Time
}

/// A client: sends the graph and `update-graph` per submission (scattering pure-data
/// tasks straight to workers first), waits for every wanted key, gathers each from
/// a worker holding it, verifies its checksum, then fetches the run's records.
///
/// `@unchecked Sendable`: every mutable field is touched only on `loop`.
public final class SubmitClient: FrameReceiver, @unchecked Sendable {
    enum KeyStatus { case notWanted, pending, gathering, held, failed }
    enum Kind { case scheduler, worker(WorkerID) }

    struct Scatter {
        var submission: Int
        var compute: [TaskID]
        var placements: [DependencyReplicas] = []
        var outstanding = 0
    }

    let workload: Workload
    let options: SubmitOptions
    let loop: any EventLoop
    let promise: EventLoopPromise<SubmitResult>
    var scheduler: (any Channel)?
    var kinds: [ObjectIdentifier: Kind] = [:]
    var clientID = ClientID(0)
    var addresses: [PeerAddress?] = []
    var workerChannels: [WorkerID: EventLoopFuture<any Channel>] = [:]
    /// Keys asked of each worker, in order (the worker answers in order).
    var asked: [WorkerID: [[TaskID]]] = [:]
    var status: [KeyStatus]
    var unresolved = 0
    var submissionsLeft = 0
    var scatters: [Scatter] = []
    var erred: [String] = []
    var corrupt: [String] = []
    var failed: [String] = []
    var unresolvedKeys: [String] = []
    var lostScattered: [TaskID] = []
    var wanted = 0
    var gathered = 0
    var sequence: UInt64 = 0
    var finished = false
    var welcomed = false
    var lastHeld = Time.zero
    var started = false

    public init(workload: Workload, options: SubmitOptions, loop: any EventLoop) {
        self.workload = workload
        self.options = options
        self.loop = loop
        self.promise = loop.makePromise(of: SubmitResult.self)
        self.status = [KeyStatus](repeating: .notWanted, count: workload.count)
    }

    /// Starts the submission; the future completes when the records have arrived.
    public func run() -> EventLoopFuture<SubmitResult> {
        if let task = workload.submissions.compactMap(\.submitter).first {
            promise.fail(WireError("task '\(workload[task].key)' submits a sub-graph (worker_client); the real executor does not run task-submitted graphs"))
            return promise.futureResult
        }
        let limits = ConnectionLimits(frameLimit: options.frameLimit, stallTimeout: options.stallTimeout)
        ClientBootstrap(group: loop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(10))
            .channelInitializer { [self] channel in channel.addFrameHandlers(receiver: self, limits: limits, inbound: false) }
            .connect(host: options.scheduler.host, port: options.scheduler.port)
            .whenComplete { [self] result in
                switch result {
                case .success(let channel):
                    scheduler = channel
                    kinds[ObjectIdentifier(channel)] = .scheduler
                    channel.send(.hello(Hello(role: .client, token: options.token, name: "client-0")))
                case .failure(let error):
                    fail("cannot connect to the scheduler at \(options.scheduler): \(error)")
                }
            }
        loop.scheduleTask(in: TimeAmount(options.timeout)) { [self] in
            fail("timed out after \(options.timeout) s with \(unresolved) wanted key(s) unresolved")
        }
        return promise.futureResult
    }

    func fail(_ reason: String) {
        guard !finished else { return }
        finished = true
        scheduler?.close(promise: nil)
        promise.fail(WireError(reason))
    }

    func nextStimulus(_ name: StaticString) -> StimulusID {
        sequence += 1
        return StimulusID(name, sequence)
    }

    // MARK: FrameReceiver

    func limits(for channel: any Channel) -> WireCodec.Limits { WireCodec.Limits(taskCount: workload.count) }

    func received(_ message: WireMessage, on channel: any Channel) {
        guard !finished else { return }
        switch kinds[ObjectIdentifier(channel)] {
        case .scheduler: fromScheduler(message)
        case .worker(let w): fromWorker(message, worker: w, channel: channel)
        case .none: channel.close(promise: nil)
        }
    }

    func closed(_ channel: any Channel, reason: String?) {
        switch kinds.removeValue(forKey: ObjectIdentifier(channel)) {
        case .scheduler:
            fail("the scheduler closed the connection\(reason.map { ": \($0)" } ?? "")")
        case .worker(let w):
            workerChannels[w] = nil
            // Keys being gathered from a lost worker wait for the next key-in-memory.
            for keys in asked.removeValue(forKey: w) ?? [] {
                for key in keys where status[key.index] == .gathering {
                    status[key.index] = .pending
                }
            }
        case .none:
            break
        }
    }

    // MARK: scheduler

    func fromScheduler(_ message: WireMessage) {
        switch message {
        case .welcome(let id, _):
            clientID = ClientID(Int(id))
            welcomed = true
            startWhenReady()
        case .refused(let reason):
            fail("the scheduler refused this client: \(reason)")
        case .workerAddress(let address):
            while addresses.count <= address.id.index { addresses.append(nil) }
            addresses[address.id.index] = address
            startWhenReady()
        default:
            fromSchedulerAfterStart(message)
        }
    }

    /// Sends the graph and schedules the submissions once enough workers are known.
    func startWhenReady() {
        guard welcomed, !started, addresses.compactMap({ $0 }).count >= options.waitForWorkers else { return }
        started = true
        scheduler?.send(.graph(workload))
            let external = workload.submissions.indices
            submissionsLeft = external.count
            for s in external {
                for key in workload.submissions[s].wanted where status[key.index] == .notWanted {
                    status[key.index] = .pending
                    unresolved += 1
                    wanted += 1
                }
                let delay = Time(seconds: workload.submissions[s].time)
                if delay.nanoseconds <= 0 {
                    submit(s)
                } else {
                    loop.scheduleTask(in: TimeAmount(delay)) { [self] in submit(s) }
                }
            }
    }

    func fromSchedulerAfterStart(_ message: WireMessage) {
        switch message {
        case .scatterTo(let placements):
            guard let i = scatters.firstIndex(where: { $0.placements.isEmpty && $0.outstanding == 0 }) else { return }
            scatters[i].placements = placements
            sendScatter(i)
        case .toClient(let report):
            switch report {
            case let .keyInMemory(key, workers):
                guard status[key.index] == .pending, let holder = workers.first else { return }
                status[key.index] = .gathering
                ask(holder, [key])
            case let .taskErred(key, exception):
                guard status[key.index] == .pending || status[key.index] == .gathering else { return }
                status[key.index] = .failed
                erred.append("\(workload[key].key): \(exception)")
                unresolvedKeys.append(workload[key].key)
                resolvedOne()
            case .lostData(let key):
                if workload[key].kind == .data {
                    // The scheduler forgets a scattered key with no replica left: it cannot
                    // be recomputed, and what needs it is cancelled next.
                    lostScatteredData(key)
                    settleAsFailed(key, "lost scattered data")
                } else if status[key.index] == .gathering {
                    // A computed key is recomputed; wait for the next key-in-memory.
                    status[key.index] = .pending
                }
            case let .cancelledKeys(keys, reason):
                for key in keys {
                    if workload[key].kind == .data { lostScatteredData(key) }
                    settleAsFailed(key, "cancelled (\(reason))")
                }
            case .taskRetried:
                break
            }
        case .logs(let records):
            finished = true
            if options.terminateCluster { scheduler?.send(.terminate) }
            var result = SubmitResult(records: records, gathered: gathered, erred: erred, corrupt: corrupt, lastHeld: lastHeld)
            result.failed = failed
            result.unresolvedKeys = unresolvedKeys
            result.lostScattered = lostScattered.map { workload[$0].key }
            result.wanted = wanted
            promise.succeed(result)
        default:
            options.log("client: unexpected op '\(message.op)' from the scheduler")
        }
    }

    /// A submission is due: scatter its pure-data keys (if any), then `update-graph`.
    func submit(_ s: Int) {
        var data: [TaskID] = []
        var compute: [TaskID] = []
        for task in workload.tasks(inSubmission: s) {
            if workload[task].kind == .data { data.append(task) } else { compute.append(task) }
        }
        if data.isEmpty {
            updateGraph(s, compute)
        } else {
            scatters.append(Scatter(submission: s, compute: compute))
            scheduler?.send(.scatter(keys: data, target: .roundRobin))
        }
    }

    func updateGraph(_ s: Int, _ tasks: [TaskID]) {
        scheduler?.send(.fromClient(.updateGraph(
            client: clientID, submission: s, tasks: tasks, wanted: workload.submissions[s].wanted,
            submitter: nil, stimulusID: nextStimulus("update-graph"))))
        submissionsLeft -= 1
        checkDone()
    }

    func sendScatter(_ i: Int) {
        var byWorker: [WorkerID: [DataItem]] = [:]
        var order: [WorkerID] = []
        for p in scatters[i].placements {
            for w in p.whoHas {
                let spec = workload[p.key]
                let made = TaskData.makeWithChecksum(key: spec.key, nbytes: Int(spec.outputBytes))
                if byWorker[w] == nil { order.append(w) }
                byWorker[w, default: []].append(DataItem(key: p.key, checksum: made.checksum, payload: made.data))
            }
        }
        scatters[i].outstanding = order.count
        for w in order {
            let items = byWorker[w] ?? []
            connect(w).whenComplete { [self] result in
                switch result {
                case .success(let channel):
                    asked[w, default: []].append([])  // a scatter-done answer takes a slot in the order
                    channel.send(.scatterData(items: items))
                case .failure(let error):
                    fail("scatter to \(w) failed: \(error)")
                }
            }
        }
        if order.isEmpty { scatterDone(i) }
    }

    func scatterDone(_ i: Int) {
        let batch = scatters[i]
        scheduler?.send(.fromClient(.updateData(client: clientID, replicas: batch.placements, stimulusID: nextStimulus("update-data"))))
        updateGraph(batch.submission, batch.compute)
    }

    // MARK: workers

    func connect(_ w: WorkerID) -> EventLoopFuture<any Channel> {
        if let existing = workerChannels[w] { return existing }
        guard w.index < addresses.count, let address = addresses[w.index] else {
            return loop.makeFailedFuture(WireError("no address known for \(w)"))
        }
        let limits = ConnectionLimits(frameLimit: options.frameLimit, stallTimeout: options.stallTimeout)
        let hello = Hello(role: .peer, token: options.token, name: "client-0", peerID: -1)
        let future = ClientBootstrap(group: loop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(5))
            .channelInitializer { [self] channel in channel.addFrameHandlers(receiver: self, limits: limits, inbound: false) }
            .connect(host: address.host, port: Int(address.port))
            .map { [self] (channel: any Channel) -> any Channel in
                kinds[ObjectIdentifier(channel)] = .worker(w)
                channel.send(.hello(hello))
                return channel
            }
        workerChannels[w] = future
        future.whenFailure { [self] _ in workerChannels[w] = nil }
        return future
    }

    func ask(_ w: WorkerID, _ keys: [TaskID]) {
        connect(w).whenComplete { [self] result in
            switch result {
            case .success(let channel):
                asked[w, default: []].append(keys)
                channel.send(.getData(keys: keys))
            case .failure:
                for key in keys where status[key.index] == .gathering { status[key.index] = .pending }
            }
        }
    }

    func fromWorker(_ message: WireMessage, worker w: WorkerID, channel: any Channel) {
        guard var queue = asked[w], !queue.isEmpty else { return }
        let keys = queue.removeFirst()
        asked[w] = queue
        switch message {
        case .scatterDone:
            if let i = scatters.firstIndex(where: { $0.outstanding > 0 && $0.placements.contains { $0.whoHas.contains(w) } }) {
                scatters[i].outstanding -= 1
                if scatters[i].outstanding == 0 { scatterDone(i) }
            }
        case .data(let items):
            var got = Set<TaskID>()
            for item in items {
                let spec = workload[item.key]
                if let problem = TaskData.verify(key: spec.key, expectedBytes: spec.outputBytes, item: item) {
                    corrupt.append(problem)
                    continue
                }
                got.insert(item.key)
            }
            for key in keys where status[key.index] == .gathering {
                if got.contains(key) {
                    status[key.index] = .held
                    gathered += 1
                    lastHeld = max(lastHeld, ExecutorClock.now())
                    resolvedOne()
                } else {
                    status[key.index] = .pending  // the worker no longer had it; wait for the next report
                }
            }
        case .refused(let reason):
            fail("\(w) refused the client's data connection: \(reason)")
        default:
            options.log("client: unexpected op '\(message.op)' from \(w)")
        }
    }

    /// A wanted key that will never arrive: the run goes on to its end (and its logs)
    /// instead of waiting for the timeout.
    func settleAsFailed(_ key: TaskID, _ why: String) {
        guard status[key.index] == .pending || status[key.index] == .gathering else { return }
        status[key.index] = .failed
        failed.append("\(workload[key].key): \(why)")
        unresolvedKeys.append(workload[key].key)
        options.log("client: wanted key '\(workload[key].key)' \(why)")
        resolvedOne()
    }

    func lostScatteredData(_ key: TaskID) {
        guard !lostScattered.contains(key) else { return }
        lostScattered.append(key)
        options.log("client: scattered key '\(workload[key].key)' lost: its only holder is gone")
    }

    func resolvedOne() {
        unresolved -= 1
        checkDone()
    }

    func checkDone() {
        if unresolved == 0, submissionsLeft == 0, !finished {
            scheduler?.send(.getLogs)
        }
    }
}

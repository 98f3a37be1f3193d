import DequeModule
import Messages
import Recording

/// The discrete-event simulator: drives one scheduler state machine and one
/// worker state machine per worker with modeled time.
///
/// Every instruction a machine emits becomes a future stimulus after a modeled
/// delay: message latency between hosts, task duration / worker speed, data
/// transfer through the network model, the scheduler's service time. A run is
/// a pure function of (workload, cluster, machines, configuration, seed): time
/// is integer nanoseconds, ties are broken by scheduling order, and nothing
/// iterates a `Set` or `Dictionary` to make a decision.
public final class Simulator {
    public let workload: Workload
    @exclusivity(unchecked) public internal(set) var cluster: Cluster
    public let config: SimulationConfig
    let factory: MachineFactory
    let scheduler: any SimulatedScheduler
    @exclusivity(unchecked) var workers: [any SimulatedWorker] = []

    // MARK: Per worker (index = WorkerID)
    enum Life: UInt8 { case running, dead, closed }
    @exclusivity(unchecked) var life: [Life] = []
    @exclusivity(unchecked) var speed: [Double] = []
    /// Threads running a (non-seceded) task now.
    @exclusivity(unchecked) var busyThreads: [Int] = []
    @exclusivity(unchecked) var joinTime: [Int64] = []
    @exclusivity(unchecked) var leaveTime: [Int64] = []
    /// Whether the scheduler has been told the worker is gone.
    @exclusivity(unchecked) var removalSent: [Bool] = []
    @exclusivity(unchecked) var findMissingArmed: [Bool] = []
    /// The scheduler has handled the worker's `add-worker` (and may be asked about it).
    @exclusivity(unchecked) var registered: [Bool] = []
    /// Executions occupying a thread on each worker, for the heartbeat's `executing`.
    @exclusivity(unchecked) var running: [[Int32]] = []
    /// Each worker's bandwidth estimate (bytes/s), Dask's EWMA over fetches of more than 1 MB.
    @exclusivity(unchecked) var measuredBandwidth: [Double] = []
    /// Disk-read time owed before the worker's next task starts (unspilled inputs).
    @exclusivity(unchecked) var pendingDiskRead: [Int64] = []
    static let findMissingInterval: Int64 = 1_000_000_000

    // MARK: Hosts
    @exclusivity(unchecked) var schedulerHost = 0
    @exclusivity(unchecked) var clientHost = 0

    // MARK: Events
    @usableFromInline @exclusivity(unchecked) var queue = EventQueue<Event>()
    @exclusivity(unchecked) public internal(set) var now: Int64 = 0
    @exclusivity(unchecked) public internal(set) var eventsProcessed = 0
    /// Pending events other than the periodic ticks; when it reaches zero nothing more can happen.
    @exclusivity(unchecked) var pendingRealEvents = 0
    /// Real events handled so far (the idle balance probe compares it across ticks).
    @exclusivity(unchecked) var realEventsHandled = 0
    /// `realEventsHandled` at the last balance tick that ran with nothing real pending.
    @exclusivity(unchecked) var realEventsAtIdleBalance = -1
    /// Periodic ticks that stopped because nothing real was pending; `schedule`
    /// restarts them when a real event appears (Simulator+Ticks.swift).
    @exclusivity(unchecked) var stoppedTicks: PeriodicTicks = []
    @exclusivity(unchecked) var lastRealEventTime: Int64 = 0
    @exclusivity(unchecked) var stimulusCounter: UInt64 = 0

    @exclusivity(unchecked) var schedulerMessages = Slab<SchedulerStimulus>()
    /// Heartbeats that reach the scheduler at one instant, in the order they were sent.
    @exclusivity(unchecked) var heartbeatBatches = Slab<[SchedulerStimulus]>()
    @exclusivity(unchecked) var workerMessages = Slab<WorkerStimulus>()
    @exclusivity(unchecked) var clientMessages = Slab<ClientInbox>()
    @exclusivity(unchecked) var executions = Slab<Execution>()
    @exclusivity(unchecked) var requests = Slab<FetchRequest>()
    @exclusivity(unchecked) var transfers = Slab<Transfer>()

    // MARK: Runtime model (Simulator+Runtime.swift)
    let runtime: RuntimeProfile
    /// The scheduler is a busy event loop (some scheduler cost is non-zero).
    let modelSchedulerLoop: Bool
    /// Each worker is a busy event loop (some worker cost is non-zero).
    let modelWorkerLoop: Bool
    @exclusivity(unchecked) var schedulerJobs = Deque<SchedulerJob>()
    @exclusivity(unchecked) var schedulerPhase = SchedulerLoopPhase.idle
    /// The scheduler's loop is busy with a job's transitions until then.
    @exclusivity(unchecked) var schedulerBusyUntil: Int64 = 0
    /// Each worker's loop is busy until then.
    @exclusivity(unchecked) var workerBusyUntil: [Int64] = []
    @exclusivity(unchecked) var workerJobs: [Deque<WorkerJob>] = []
    @exclusivity(unchecked) var workerLoopBusy: [Bool] = []
    @exclusivity(unchecked) var workerToScheduler: [BatchedStream<SchedulerStimulus>] = []
    @exclusivity(unchecked) var schedulerToWorker: [BatchedStream<WorkerStimulus>] = []
    @exclusivity(unchecked) var clientToScheduler: [BatchedStream<SchedulerStimulus>] = []
    @exclusivity(unchecked) var schedulerToClient: [BatchedStream<ClientInbox>] = []
    @exclusivity(unchecked) var schedulerBatches = Slab<[SchedulerStimulus]>()
    @exclusivity(unchecked) var workerBatches = Slab<[WorkerStimulus]>()
    /// Client messages waiting for the client to finish packing them (`client-submit-task`).
    @exclusivity(unchecked) var deferredClientMessages = Slab<(client: Int, stimulus: SchedulerStimulus)>()

    // MARK: Network
    @exclusivity(unchecked) var flows: FlowNetwork?
    @exclusivity(unchecked) var wakeGeneration: UInt32 = 0
    @exclusivity(unchecked) var scheduledWake: Int64 = -1

    // MARK: Busy peers (Simulator+BusyPeers.swift)
    @exclusivity(unchecked) var busyPolls = Slab<BusyPoll>()
    @exclusivity(unchecked) var busyPollSerial: UInt32 = 0
    /// Parked polls by peer and by requester, oldest first; entries go stale lazily.
    @exclusivity(unchecked) var pollsOnPeer: [[PollRef]] = []
    @exclusivity(unchecked) var pollsOfRequester: [[PollRef]] = []
    @exclusivity(unchecked) var requesterListed: [Bool] = []
    @exclusivity(unchecked) var requestersWithPolls: [Int32] = []
    /// The not yet woken poll of a (requester, peer) pair; looked up only, never iterated.
    @exclusivity(unchecked) var pollOfPair: [Int64: Int32] = [:]
    @exclusivity(unchecked) var parkedPolls = 0
    /// The retry delay workers last armed (Dask: 0.15 s), for a poll not yet armed.
    @exclusivity(unchecked) var lastRetryDelay: Int64 = 150_000_000
    /// While a woken poll's retry is delivered: did the requester ask the peer again?
    @exclusivity(unchecked) var gatherWatch: (requester: Int, peer: Int, sent: Bool)?

    // MARK: Clients
    @exclusivity(unchecked) var clients: [ClientModel] = []
    @exclusivity(unchecked) var clientByName: [String: Int] = [:]
    /// Status of each key for external clients: `externalStatus[row][task]` (dense; there are few external clients).
    @exclusivity(unchecked) var externalStatus: [[ClientModel.KeyStatus]] = []
    @exclusivity(unchecked) var clientOfSubmitter: [Int32: Int] = [:]
    /// Submissions each task makes while it runs (worker-client tasks).
    @exclusivity(unchecked) var submissionsByTask: [Int32: [Int]] = [:]
    @exclusivity(unchecked) var unresolvedExternal = 0
    @exclusivity(unchecked) var wantedExternal = 0
    @exclusivity(unchecked) var failedExternal: [TaskID] = []
    @exclusivity(unchecked) var submissionsPending = 0
    /// Tasks of each submission, in id order.
    @exclusivity(unchecked) var tasksBySubmission: [[TaskID]]

    // MARK: Per task (copied out of `TaskSpec` once, so hot paths never copy a whole spec)
    let taskDuration: [Double]
    let taskOutputBytes: [Int64]
    /// The actor a task calls, or -1.
    let taskActor: [Int32]
    let taskSecedes: [Bool]
    let taskIsData: [Bool]
    @exclusivity(unchecked) var submitTime: [Int64]
    @exclusivity(unchecked) var startTime: [Int64]
    @exclusivity(unchecked) var endTime: [Int64]
    @exclusivity(unchecked) var firstMemory: [Int64]
    @exclusivity(unchecked) var lastWorker: [Int32]
    @exclusivity(unchecked) var attempts: [Int32]
    @exclusivity(unchecked) var bytesFetched: [Int64]
    /// Bytes of key `task` that reached worker `w` over the network, keyed by `w << 32 | task`.
    @exclusivity(unchecked) var fetchedBytes: [Int64: Int64] = [:]
    @exclusivity(unchecked) var actorBusy: [Int32: Bool] = [:]
    @exclusivity(unchecked) var actorBacklog: [Int32: Deque<Int32>] = [:]

    // MARK: Accounting and logs
    @exclusivity(unchecked) var busyNanoseconds: Int64 = 0
    @exclusivity(unchecked) var computeCompletions = 0
    @exclusivity(unchecked) var transferCount = 0
    @exclusivity(unchecked) var transferBytes: Int64 = 0
    @exclusivity(unchecked) var transferRows: [TransferRow] = []
    @exclusivity(unchecked) var sampleRows: [WorkerSampleRow] = []
    /// `config.sampleLimit` samples were taken: the run stops after this event.
    var sampleLimitReached = false
    /// When an event was due beyond `SimulationLimits.maximumSimulatedTime` (or its
    /// time wrapped): the event is dropped and the run stops after the current one.
    var timeLimitHit = false
    @exclusivity(unchecked) var sink: TransitionSink
    @exclusivity(unchecked) var events = JSONLines()
    @exclusivity(unchecked) var lostScattered: [TaskID] = []
    /// Violations found by the per-stimulus checks of `config.validate` (Simulator+Validation.swift).
    @exclusivity(unchecked) var validationViolations: [String] = []
    @exclusivity(unchecked) var validatedStimuli = 0
    @exclusivity(unchecked) var spilledBytes: Int64 = 0
    @exclusivity(unchecked) var unspilledBytes: Int64 = 0
    @exclusivity(unchecked) var noise: DurationNoise?
    @exclusivity(unchecked) var finished = false
    @exclusivity(unchecked) var endTimeOfRun: Int64 = 0

    /// Sets up a run. Check `Workload.restrictionIssues(workerNames:)` and
    /// `Simulator.scenarioIssues(_:cluster:)` first: the simulator assumes valid names.
    public init(workload: Workload, cluster: Cluster, factory: MachineFactory, config: SimulationConfig = .init()) {
        self.workload = workload
        self.cluster = cluster
        self.config = config
        self.factory = factory
        runtime = config.runtime
        modelSchedulerLoop = config.runtime.schedulerLoop
        modelWorkerLoop = config.runtime.workerLoop
        let n = workload.count
        var durations = [Double](repeating: 0, count: n)
        var outputs = [Int64](repeating: 0, count: n)
        var actors = [Int32](repeating: -1, count: n)
        var secedes = [Bool](repeating: false, count: n)
        var isData = [Bool](repeating: false, count: n)
        workload.tasks.withUnsafeBufferPointer { specs in
            for i in 0..<n {
                durations[i] = specs[i].duration
                outputs[i] = specs[i].outputBytes
                actors[i] = specs[i].actor?.rawValue ?? -1
                secedes[i] = specs[i].secedes
                isData[i] = specs[i].kind == .data
            }
        }
        taskDuration = durations
        taskOutputBytes = outputs
        taskActor = actors
        taskSecedes = secedes
        taskIsData = isData
        submitTime = [Int64](repeating: -1, count: n)
        startTime = [Int64](repeating: -1, count: n)
        endTime = [Int64](repeating: -1, count: n)
        firstMemory = [Int64](repeating: -1, count: n)
        lastWorker = [Int32](repeating: -1, count: n)
        attempts = [Int32](repeating: 0, count: n)
        bytesFetched = [Int64](repeating: 0, count: n)
        sink = TransitionSink(tasks: n, recording: config.recordTransitions)
        var bySubmission = [[TaskID]](repeating: [], count: workload.submissions.count)
        // By index, reading one field: enumerating the specs would copy (and retain) each whole `TaskSpec`.
        for i in 0..<n where workload.tasks[i].submission < bySubmission.count {
            bySubmission[workload.tasks[i].submission].append(TaskID(i))
        }
        tasksBySubmission = bySubmission
        scheduler = factory.makeScheduler(workload)
        let firstRack = cluster.racks.first ?? "rack-0"
        schedulerHost = self.cluster.hostID("scheduler", rack: firstRack)
        clientHost = self.cluster.hostID("client", rack: firstRack)
        if cluster.network.model == .maxmin {
            flows = FlowNetwork(
                hosts: self.cluster.hosts.count,
                uplink: cluster.network.hostUplink, downlink: cluster.network.hostDownlink)
        }
        if config.durationNoiseCV > 0 {
            noise = DurationNoise(cv: config.durationNoiseCV, seed: config.seed)
        }
        for (i, submission) in workload.submissions.enumerated() {
            if let submitter = submission.submitter {
                submissionsByTask[submitter.rawValue, default: []].append(i)
            }
        }
    }

    /// The names of the workers, by id.
    var workerNames: [String] { cluster.workers.map(\.name) }

    // MARK: - Running

    /// Where a run is, for progress reports.
    public struct Progress: Sendable {
        public var now: Time
        public var events: Int
        public var tasksFinished: Int
        public var totalTasks: Int
    }

    /// Runs until the client holds every wanted result or nothing more can happen.
    /// `progress` (if any) is called every `progressEvery` events; it must not
    /// influence the run (the CLI uses it to print a progress line).
    public func run(progressEvery: Int = 1 << 16, progress: ((Progress) -> Void)? = nil) -> SimulationResult {
        startRun()
        var untilReport = progressEvery
        while !finished {
            guard let (time, event) = queue.pop() else { break }
            now = time
            eventsProcessed += 1
            if !event.isPeriodic {
                pendingRealEvents -= 1
                realEventsHandled += 1
                lastRealEventTime = time
            }
            handle(event)
            // Polls are parked while nothing real is pending: retry them now. (Waiting for
            // the queue to drain instead made the retry time depend on which periodic
            // ticks were queued, e.g. on whether workers.csv was sampled.)
            if pendingRealEvents == 0 && parkedPolls > 0 { wakeAllParkedPolls() }
            if config.eventLimit > 0 && eventsProcessed >= config.eventLimit { break }
            if sampleLimitReached { break }
            if timeLimitHit { break }
            if let progress {
                untilReport -= 1
                if untilReport <= 0 {
                    untilReport = progressEvery
                    progress(Progress(now: Time(nanoseconds: now), events: eventsProcessed,
                                      tasksFinished: computeCompletions, totalTasks: workload.count))
                }
            }
        }
        return finishRun()
    }

    func startRun() {
        for i in cluster.workers.indices {
            joinWorker(i, announceAt: 0)
        }
        for (i, submission) in workload.submissions.enumerated() where submission.submitter == nil {
            submissionsPending += 1
            schedule(.submit(Int32(i)), at: Time(seconds: submission.time).nanoseconds)
        }
        for (i, event) in config.scenario.enumerated() {
            schedule(.scenario(Int32(i)), at: max(0, event.time.nanoseconds))
        }
        if config.balanceInterval.nanoseconds > 0 {
            schedule(.balance, at: config.balanceInterval.nanoseconds)
        }
        if config.sampleInterval.nanoseconds > 0 {
            schedule(.sample, at: 0)
        }
        if config.heartbeats {
            schedule(.heartbeat, at: heartbeatInterval())
        }
    }

    /// Adds the machine for cluster worker `i` and tells the scheduler at `announceAt`.
    func joinWorker(_ i: Int, announceAt time: Int64) {
        let spec = cluster.spec(i)
        workers.append(factory.makeWorker(spec.id, spec, workload) { [weak self] peer in
            guard let self, peer.index >= 0, peer.index < self.cluster.workers.count else { return nil }
            return self.cluster.workers[peer.index].host
        })
        life.append(.running)
        speed.append(cluster.workers[i].speed)
        busyThreads.append(0)
        joinTime.append(now)  // the process exists from now; the scheduler hears of it at `time`
        leaveTime.append(-1)
        removalSent.append(false)
        findMissingArmed.append(false)
        registered.append(false)
        running.append([])
        measuredBandwidth.append(Simulator.initialBandwidth)
        pendingDiskRead.append(0)
        workerJobs.append(Deque())
        workerLoopBusy.append(false)
        workerBusyUntil.append(0)
        workerToScheduler.append(BatchedStream())
        schedulerToWorker.append(BatchedStream())
        pollsOnPeer.append([])
        pollsOfRequester.append([])
        requesterListed.append(false)
        let slot = schedulerMessages.put(.addWorker(spec))
        schedule(.toScheduler(slot), at: time)
    }

    @inline(__always)
    func schedule(_ event: Event, at time: Int64) {
        // Times are sums of non-negative steps with wrapping `+`, so an overflow shows
        // as a negative time; either way the event cannot be placed on the clock.
        if time < 0 || time > SimulationLimits.maximumSimulatedTime {
            timeLimitHit = true
            return
        }
        if !event.isPeriodic {
            pendingRealEvents += 1
            if !stoppedTicks.isEmpty { resumeTicks() }
        }
        queue.push(event, at: time)
    }

    func nextStimulusID(_ name: StaticString) -> StimulusID {
        stimulusCounter += 1
        return StimulusID(name, stimulusCounter)
    }

    func handle(_ event: Event) {
        switch event {
        case .toScheduler(let slot):
            arriveAtScheduler(SchedulerJob(stimuli: [schedulerMessages.take(slot)], tick: false))
        case .tickToScheduler(let slot):
            arriveAtScheduler(SchedulerJob(stimuli: [schedulerMessages.take(slot)], tick: true))
        case .batchToScheduler(let slot):
            arriveAtScheduler(SchedulerJob(stimuli: schedulerBatches.take(slot), tick: false))
        case .heartbeatsToScheduler(let slot):
            // One event for a round's heartbeats; each is its own RPC at the scheduler.
            for stimulus in heartbeatBatches.take(slot) { arriveAtScheduler(SchedulerJob(stimuli: [stimulus], tick: true)) }
        case .schedulerFree, .schedulerFreeTick:
            schedulerLoopStep()
        case .toWorker(let worker, let slot):
            let stimulus = workerMessages.take(slot)
            if life[Int(worker)] == .running { deliver(stimulus, to: Int(worker)) }
        case .batchToWorker(let worker, let slot):
            let batch = workerBatches.take(slot)
            if life[Int(worker)] == .running { deliverFromScheduler(batch, to: Int(worker)) }
        case .workerLoopDone(let worker):
            startWorkerJob(Int(worker))  // the worker's loop is free again
        case .flushFromWorker, .flushFromClient, .flushToWorker, .flushToClient:
            flush(event)
        case .clientSends(let slot):
            let (client, stimulus) = deferredClientMessages.take(slot)
            sendToScheduler(stimulus, fromHost: clients[client].host, stream: .client(client))
        case .executeDone(let slot):
            executionFinished(slot)
        case .beginExecution(let slot):
            admit(slot)
        case .findMissing(let worker):
            let w = Int(worker)
            findMissingArmed[w] = false
            if life[w] == .running && workers[w].missingTasks > 0 { deliver(.findMissing, to: w) }
        case .terminate(let worker):
            if life[Int(worker)] == .running { workerLeaves(Int(worker), as: .dead) }
        case .getData(let slot):
            getDataArrived(requests.take(slot))
        case .flowStart(let slot):
            flowStarts(slot)
        case .transferDone(let slot):
            transferArrived(slot)
        case .networkWake(let generation):
            if generation == wakeGeneration { networkWake() }
        case .retryBusy(let worker, let peer):
            if life[Int(worker)] == .running { deliver(.retryBusyWorker(peer: WorkerID(Int(peer))), to: Int(worker)) }
        case .pollRetry(let slot):
            pollRetryDue(slot)
        case .toClient(let slot):
            clientReceives(clientMessages.take(slot))
        case .submit(let index):
            submit(Int(index))
        case .scenario(let index):
            apply(config.scenario[Int(index)])
        case .balance:
            balanceTick()
        case .heartbeat:
            if pendingRealEvents > 0 {
                sendHeartbeats()
                schedule(.heartbeat, at: now + heartbeatInterval())
            } else {
                stoppedTicks.insert(.heartbeat)
            }
        case .sample:
            takeSample()
            if pendingRealEvents > 0 {
                schedule(.sample, at: now + config.sampleInterval.nanoseconds)
            } else {
                stoppedTicks.insert(.sample)
            }
        }
    }

    /// One-way message latency between two hosts.
    @inline(__always)
    func latency(_ a: Int, _ b: Int) -> Int64 {
        cluster.network.parameters(cluster.linkClass(a, b)).latency
    }

    @inline(__always)
    func host(ofWorker w: Int) -> Int { cluster.hostOfWorker[w] }

    func takeSample() {
        guard !sampleLimitReached else { return }
        defer { if config.sampleLimit > 0 && sampleRows.count >= config.sampleLimit { sampleLimitReached = true } }
        for w in workers.indices where life[w] == .running {
            sampleRows.append(WorkerSampleRow(
                time: now, worker: cluster.workers[w].name, busyThreads: busyThreads[w],
                queued: workers[w].queuedTasks, memoryBytes: workers[w].memoryBytes,
                occupancy: registered[w] ? scheduler.occupancy(of: WorkerID(w)).nanoseconds : 0))
        }
    }
}

/// One pending event. Payloads live in the simulator's slabs; the event holds slot numbers.
@usableFromInline
enum Event {
    case toScheduler(Int32)
    /// A message from a periodic tick (balance, heartbeat).
    case tickToScheduler(Int32)
    /// Heartbeats of one round that arrive at the same time (`heartbeatBatches` slot).
    case heartbeatsToScheduler(Int32)
    case schedulerFree
    /// The scheduler finished serving a tick's message.
    case schedulerFreeTick
    case toWorker(Int32, Int32)
    /// A batch written on a stream arrives (slot in `schedulerBatches` / `workerBatches`).
    case batchToScheduler(Int32)
    case batchToWorker(Int32, Int32)
    /// A stream's `BatchedSend` writes (worker or client index).
    case flushFromWorker(Int32)
    case flushFromClient(Int32)
    case flushToWorker(Int32)
    case flushToClient(Int32)
    /// A worker's event loop finished its current job.
    case workerLoopDone(Int32)
    /// The client finished packing a message (slot in `deferredClientMessages`).
    case clientSends(Int32)
    case executeDone(Int32)
    case beginExecution(Int32)
    case findMissing(Int32)
    case terminate(Int32)
    case getData(Int32)
    case flowStart(Int32)
    case transferDone(Int32)
    case networkWake(UInt32)
    case retryBusy(Int32, Int32)
    /// A parked busy poll's retry (`BusyPoll` slot).
    case pollRetry(Int32)
    case toClient(Int32)
    case submit(Int32)
    case scenario(Int32)
    case balance
    case heartbeat
    case sample

    /// Periodic ticks do not keep a run alive on their own.
    @inline(__always) var isPeriodic: Bool {
        switch self {
        case .balance, .heartbeat, .sample, .tickToScheduler, .heartbeatsToScheduler, .schedulerFreeTick: true
        default: false
        }
    }
}

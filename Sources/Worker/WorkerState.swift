import Messages

/// Dask's worker state machine (`distributed/worker_state_machine.py::WorkerState`),
/// sans I/O: stimuli go in through `handle(_:now:)`, instructions come out. It never
/// reads a clock, sleeps or draws random numbers; every tie Dask leaves to hash order
/// or a random number is broken by an explicit rule (see `docs/worker.md`).
///
/// Per-task state lives in `records`, an array indexed by a *local slot*; `slotOf`
/// maps a `TaskID` to its slot and is only used for lookups (never iterated to decide). So a
/// worker in a cluster of thousands only holds the tasks it has heard of.
///
/// Peers: `hostOf` tells the host of any worker (for Dask's same-host preference
/// when fetching, and the doubled `connections.incoming` limit when serving a peer
/// on the same host). It is asked once per peer, the first time the worker wants
/// data from it or serves it.
public final class WorkerState {
    public let id: WorkerID
    public let spec: WorkerSpec
    public let config: WorkerConfig
    let workload: Workload
    let hostOf: (WorkerID) -> String?

    // MARK: tasks
    // The hot arrays skip Swift's dynamic exclusivity checks (about a fifth of the time
    // per stimulus, see swift-notes.md); no code here holds two accesses to one of them.
    @exclusivity(unchecked) var records: [TaskRecord] = []
    @exclusivity(unchecked) var slotOf = SlotTable()
    @exclusivity(unchecked) var freeSlots: [Int32] = []
    /// How many known tasks are in each state (`WorkerTaskStateName.counterIndex`).
    @exclusivity(unchecked) var stateCounts = [Int](repeating: 0, count: 15)
    /// One increasing counter for heap stamps; 0 means "not in a heap".
    var stampCounter: UInt64 = 0
    /// Dask's worker `generation`: decreases with every compute-task.
    var generation: Int64 = 0

    // MARK: execution
    @exclusivity(unchecked) var readyHeap = SlotHeap()
    @exclusivity(unchecked) var constrainedHeap = SlotHeap()
    /// Dask's `len(executing)`: tasks holding a thread slot (includes cancelled / resumed ones).
    var executingTasks = 0
    var longRunningTasks = 0
    /// Resource names the worker offers, sorted; `availableResources` is parallel.
    let resourceNames: [String]
    let totalResources: [Double]
    @exclusivity(unchecked) var availableResources: [Double]

    // MARK: transfers
    @exclusivity(unchecked) var peers: [PeerRecord] = []
    @exclusivity(unchecked) var peerSlotOf = PeerIndex()
    /// Peers whose `dataNeeded` may be non-empty (Dask iterates `data_needed`).
    @exclusivity(unchecked) var neededPeers: [Int32] = []
    /// Dask's `fetch_count`: tasks in `fetch`.
    var inFlightTaskCount = 0
    var inFlightPeerCount = 0
    /// Dask's `transfer_incoming_bytes`.
    var incomingBytes: Int64 = 0
    /// Dask's `transfer_outgoing_count`: `get_data` requests being served.
    var outgoingCount = 0
    /// Something `_ensure_communicating` depends on changed since it last ran (a task
    /// entered or left `data_needed`, a transfer ended, a busy peer may be retried, the
    /// worker resumed). Its previous run reached a fixed point otherwise, so skipping
    /// it gives the same instructions as Dask's unconditional call, without visiting
    /// every peer on every stimulus.
    var fetchDirty = false

    // MARK: memory
    /// Dask's `nbytes`: bytes of every result held here, in memory or spilled.
    var managedBytesTotal: Int64 = 0
    var spilledBytesTotal: Int64 = 0
    /// Least recently used in-memory (not spilled, not actor) keys: head is the oldest.
    var lruHead: Int32 = -1
    var lruTail: Int32 = -1
    var terminateRequested = false

    // MARK: status
    /// Dask's `WorkerState.running` is `status == running`.
    var pausedByStimulus = false
    var pausedByMemory = false
    var closed = false
    /// The status the scheduler last set (`closing_gracefully` on retirement).
    public private(set) var schedulerStatus: WorkerStatus = .running

    // MARK: per-stimulus scratch
    var now: Time = .zero
    var stimulusID = StimulusID("worker", 0)
    var localStimulusCounter: UInt64 = 0
    @exclusivity(unchecked) var recStack: [(slot: Int32, rec: Recommendation)] = []
    /// A thread slot may have opened or a task become ready: fill slots at the fixed point.
    var computeRequested = false
    @exclusivity(unchecked) var out: [WorkerInstruction] = []

    /// Invariant violations found (with `config.validate`) or transitions refused.
    /// Empty in a correct run; tests assert that.
    public private(set) var invariantViolations: [String] = []

    /// - Parameters:
    ///   - id: this worker.
    ///   - spec: threads, memory limit and resources (`nthreads`, `memory_limit`, `resources`).
    ///   - workload: the workload, for task keys in messages and logs.
    ///   - peers: the host of a worker, or nil if unknown (treated as another host).
    ///   - config: Dask's worker configuration.
    public init(id: WorkerID, spec: WorkerSpec, workload: Workload,
                peers: @escaping (WorkerID) -> String?, config: WorkerConfig = .init()) {
        self.id = id
        self.spec = spec
        self.workload = workload
        self.hostOf = peers
        self.config = config
        resourceNames = spec.resources.map(\.name)
        totalResources = spec.resources.map(\.amount)
        availableResources = totalResources
    }

    /// Convenience: peers' hosts as an array indexed by `WorkerID.index`.
    public convenience init(id: WorkerID, spec: WorkerSpec, workload: Workload,
                            peerHosts: [String], config: WorkerConfig = .init()) {
        self.init(id: id, spec: spec, workload: workload,
                  peers: { $0.index >= 0 && $0.index < peerHosts.count ? peerHosts[$0.index] : nil },
                  config: config)
    }

    /// Dask's `WorkerState.running`: not paused and not closed.
    public var running: Bool { !pausedByStimulus && !pausedByMemory && !closed }

    /// The status the worker reports (`running`, `paused`, `closed`).
    public var status: WorkerStatus {
        if closed { return .closed }
        if !running { return .paused }
        return schedulerStatus == .closingGracefully ? .closingGracefully : .running
    }

    // MARK: - The one entry point

    /// Processes one stimulus at time `now` and returns what the driver must do, in order.
    public func handle(_ stimulus: WorkerStimulus, now: Time) -> [WorkerInstruction] {
        var result: [WorkerInstruction] = []
        handle(stimulus, now: now, appendingTo: &result)
        return result
    }

    /// Like `handle(_:now:)`, but appends the instructions to the driver's own buffer,
    /// so a driver that reuses one buffer pays no allocation per stimulus.
    public func handle(_ stimulus: WorkerStimulus, now: Time, appendingTo instructions: inout [WorkerInstruction]) {
        swap(&out, &instructions)
        defer { swap(&out, &instructions) }
        self.now = now
        let wasRunning = running
        dispatch(stimulus)
        settle()
        if running != wasRunning { statusChanged() }
        if spec.memoryLimit > 0 { checkMemory() }
        if config.validate {
            invariantViolations.append(contentsOf: invariantProblems())
        }
    }

    /// Runs recommendations to a fixed point, then starts transfers (Dask calls
    /// `_ensure_communicating` once per batch so that fetches triggered together are
    /// aggregated into one message per peer) and runs the resulting recommendations.
    func settle() {
        runRecommendations()
        ensureCommunicating()
        runRecommendations()
    }

    /// Tells the scheduler about a paused / running flip, and starts work on unpause.
    func statusChanged() {
        if closed { return }
        out.append(.toScheduler(.workerStatusChange(status: running ? .running : .paused, stimulusID: stimulusID)))
        if running {
            fetchDirty = true
            ensureComputing()
            settle()
        }
    }

    private func localStimulus(_ name: StaticString) {
        localStimulusCounter &+= 1
        stimulusID = StimulusID(name, localStimulusCounter)
    }

    private func dispatch(_ stimulus: WorkerStimulus) {
        switch stimulus {
        case .scheduler(let message):
            handleScheduler(message)
        case let .executeSuccess(key, runID, start, stop, nbytes):
            localStimulus("execute-success")
            handleExecuteSuccess(key: key, runID: runID, start: start, stop: stop, nbytes: nbytes)
        case let .executeFailure(key, runID, start, stop, exception):
            localStimulus("execute-failure")
            handleExecuteFailure(key: key, runID: runID, start: start, stop: stop, exception: exception)
        case .secede(let key):
            localStimulus("secede")
            handleSecede(key: key)
        case let .gatherDepSuccess(peer, received, _, _):
            localStimulus("gather-dep-success")
            handleGatherDepSuccess(peer: peer, received: received)
        case let .gatherDepBusy(peer, _, _):
            localStimulus("gather-dep-busy")
            handleGatherDepBusy(peer: peer)
        case let .gatherDepNetworkFailure(peer, _, _):
            localStimulus("gather-dep-network-failure")
            handleGatherDepNetworkFailure(peer: peer)
        case let .gatherDepFailure(peer, _, _, exception):
            localStimulus("gather-dep-failure")
            handleGatherDepFailure(peer: peer, exception: exception)
        case .retryBusyWorker(let peer):
            localStimulus("retry-busy-worker")
            if let p = peerSlotOf[peer] {
                peers[Int(p)].busy = false
                fetchDirty = true
            }
        case .updateData(let keys):
            localStimulus("update-data")
            handleUpdateData(keys)
        case .pause:
            localStimulus("pause")
            pausedByStimulus = true
        case .unpause:
            localStimulus("unpause")
            pausedByStimulus = false
        case .findMissing:
            localStimulus("find-missing")
            handleFindMissing()
        case let .getData(from, keys):
            localStimulus("get-data")
            handleGetData(from: from, keys: keys)
        case .getDataDone:
            localStimulus("get-data-done")
            if outgoingCount > 0 { outgoingCount -= 1 }
        }
    }

    private func handleScheduler(_ message: SchedulerToWorker) {
        switch message {
        case .computeTask(let task):
            stimulusID = task.stimulusID
            handleComputeTask(task)
        case let .freeKeys(keys, sid):
            stimulusID = sid
            for key in keys {
                if let slot = slotOf[key] { recommend(slot, .released) }
            }
        case let .stealRequest(key, sid):
            stimulusID = sid
            handleStealRequest(key: key)
        case let .acquireReplicas(replicas, sid):
            stimulusID = sid
            handleAcquireReplicas(replicas)
        case let .removeReplicas(keys, sid):
            stimulusID = sid
            handleRemoveReplicas(keys)
        case let .refreshWhoHas(replicas, sid):
            stimulusID = sid
            handleRefreshWhoHas(replicas)
        case let .removeWorker(worker, sid):
            stimulusID = sid
            forgetPeerReplicas(worker)
        case let .workerStatusChange(status, sid):
            stimulusID = sid
            schedulerStatus = status
            if status == .closed || status == .closing { closed = true }
        case .close:
            localStimulus("close")
            closed = true
        }
    }

    // MARK: - Slots

    /// The slot of `key`, creating a `released` record if the task is new
    /// (Dask's `_ensure_task_exists`). `priority` is set only if the task has none.
    func ensureTask(_ key: TaskID, priority: WorkerPriority?) -> Int32 {
        let slot: Int32
        if let existing = slotOf[key] {
            slot = existing
        } else {
            if let reused = freeSlots.popLast() {
                slot = reused
                records[Int(slot)] = TaskRecord(id: key)
            } else {
                slot = Int32(records.count)
                records.append(TaskRecord(id: key))
            }
            slotOf[key] = slot
            stateCounts[WorkerTaskStateName.released.counterIndex] += 1
        }
        if let priority, !records[Int(slot)].hasPriority {
            records[Int(slot)].priority = priority
            records[Int(slot)].hasPriority = true
        }
        return slot
    }

    /// Drops a forgotten task's record and frees its slot for reuse.
    func freeSlot(_ slot: Int32) {
        let key = records[Int(slot)].id
        stateCounts[records[Int(slot)].state.counterIndex] -= 1
        slotOf[key] = nil
        records[Int(slot)] = TaskRecord(id: key)
        records[Int(slot)].state = .forgotten
        freeSlots.append(slot)
    }

    @inline(__always)
    func setState(_ slot: Int32, _ state: WorkerTaskStateName) {
        let old = records[Int(slot)].state
        stateCounts[old.counterIndex] -= 1
        stateCounts[state.counterIndex] += 1
        records[Int(slot)].state = state
    }

    @inline(__always)
    func nextStamp() -> UInt64 {
        stampCounter &+= 1
        return stampCounter
    }

    // MARK: - Recommendations

    /// Adds or replaces the pending recommendation for `slot`. Like Dask's
    /// `recs.update(...)` on an insertion-ordered dict: a replaced recommendation
    /// keeps its place; the stack is processed last in, first out (`popitem`).
    func recommend(_ slot: Int32, _ rec: Recommendation) {
        let pos = records[Int(slot)].recPos
        if pos >= 0 {
            recStack[Int(pos)].rec = rec
        } else {
            records[Int(slot)].recPos = Int32(recStack.count)
            recStack.append((slot, rec))
        }
    }

    /// Takes back the pending recommendation for `slot`, if any (leaves a hole).
    func takeRecommendation(_ slot: Int32) -> Recommendation? {
        let pos = records[Int(slot)].recPos
        guard pos >= 0 else { return nil }
        let rec = recStack[Int(pos)].rec
        recStack[Int(pos)].slot = -1
        records[Int(slot)].recPos = -1
        return rec
    }

    /// Processes recommendations until none are left. Free thread slots are filled
    /// at the fixed point rather than inside each transition (Dask calls
    /// `_ensure_computing` inside transitions, so which of several tasks made ready
    /// by one stimulus starts first depends on set order); here they compete by priority.
    func runRecommendations() {
        while true {
            while let (slot, rec) = recStack.popLast() {
                if slot < 0 { continue }
                records[Int(slot)].recPos = -1
                transition(slot, rec)
            }
            guard computeRequested else { return }
            computeRequested = false
            startReadyTasks()
            if recStack.isEmpty { return }
        }
    }

    /// Records a refused transition or a broken rule without stopping the run.
    func violation(_ text: String) {
        invariantViolations.append(text)
    }

    func keyName(_ slot: Int32) -> String {
        let id = records[Int(slot)].id
        return id.index < workload.count ? workload[id].key : id.description
    }
}

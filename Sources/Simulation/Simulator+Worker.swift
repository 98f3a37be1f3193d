import DequeModule
import Messages

/// A task running (or about to run) on a worker thread.
struct Execution {
    var worker: Int32
    var task: TaskID
    var runID: Int64
    /// -1 while an actor method call waits for the actor to be free.
    var start: Int64 = -1
    /// The task called `secede()`: it no longer occupies a thread.
    var seceded = false
    /// The worker died; the pending completion event must be ignored.
    var cancelled = false
    /// The compute part ended; the task still waits for the sub-workload it submitted.
    var computeDone = false
    /// The client this task acts as (worker-client tasks), or -1.
    var client: Int32 = -1
}

/// A `gather_dep` request travelling to the peer.
struct FetchRequest {
    var requester: Int32
    var peer: Int32
    var keys: [TaskID]
    var totalBytes: Int64
}

extension Simulator {
    /// Hands a stimulus to worker `w`: at once, or through its event loop when
    /// the runtime model charges worker costs (Simulator+Runtime.swift).
    func deliver(_ stimulus: WorkerStimulus, to w: Int) {
        guard modelWorkerLoop else {
            handleAtWorker(stimulus, w)
            return
        }
        let fromScheduler = if case .scheduler = stimulus { true } else { false }
        enqueueWorkerJob(WorkerJob(stimuli: [stimulus], fromScheduler: fromScheduler), to: w)
    }

    /// One wire batch of the scheduler's stream reached worker `w`.
    func deliverFromScheduler(_ batch: [WorkerStimulus], to w: Int) {
        guard modelWorkerLoop else {
            for stimulus in batch where life[w] == .running { handleAtWorker(stimulus, w) }
            return
        }
        enqueueWorkerJob(WorkerJob(stimuli: batch, fromScheduler: true), to: w)
    }

    /// Worker `w`'s state machine handles a stimulus now; its instructions are carried out.
    /// With `after` > 0 (the worker loop's cost for this job) the machine handles the
    /// stimulus now and its instructions are carried out `after` later: the simulator's
    /// clock is moved forward while they are dispatched, so no event is needed for the
    /// end of the job (Simulator+Runtime.swift).
    func handleAtWorker(_ stimulus: WorkerStimulus, _ w: Int, after: Int64 = 0) {
        guard life[w] == .running else { return }
        if config.traceEvents { traceEvent(component: cluster.workers[w].name, direction: "in", op: stimulus.op, detail: "\(stimulus)") }
        let instructions = workers[w].handle(stimulus, now: Time(nanoseconds: now))
        if config.validate { validateWorker(w, after: stimulus.op) }
        let saved = now
        now = Simulator.later(now, by: after)
        for instruction in instructions {
            dispatch(instruction, from: w)
        }
        armFindMissing(w)
        now = saved
        switch stimulus {
        case .gatherDepBusy(let peer, _, _): settleBusyAnswer(requester: w, peer: peer.index)
        case .getDataDone: connectionFreed(on: w)
        default: break
        }
    }

    /// While a worker has `missing` keys, it gets `find-missing` every second
    /// (Dask: every heartbeat interval), which makes it ask the scheduler again.
    func armFindMissing(_ w: Int) {
        if !findMissingArmed[w] && life[w] == .running && workers[w].missingTasks > 0 {
            findMissingArmed[w] = true
            schedule(.findMissing(Int32(w)), at: now + Simulator.findMissingInterval)
        }
    }

    /// Sends a stimulus to worker `to` from host `fromHost`; it arrives after the latency.
    func send(_ stimulus: WorkerStimulus, to w: Int, fromHost: Int) {
        let slot = workerMessages.put(stimulus)
        schedule(.toWorker(Int32(w), slot), at: now + latency(fromHost, host(ofWorker: w)))
    }

    func dispatch(_ instruction: WorkerInstruction, from w: Int) {
        guard life[w] == .running else { return }
        if config.traceEvents { traceEvent(component: cluster.workers[w].name, direction: "out", op: instruction.op, detail: "\(instruction)") }
        switch instruction {
        case .execute(let key, let runID):
            startExecution(worker: w, task: key, runID: runID)
        case .gatherDep(let peer, let keys, let totalBytes, _):
            if let watch = gatherWatch, watch.requester == w, watch.peer == peer.index { gatherWatch!.sent = true }
            requestData(requester: w, peer: peer.index, keys: keys, totalBytes: totalBytes)
        case .retryBusyWorkerLater(let peer, let after):
            // A parked poll takes over the retry (Simulator+BusyPeers.swift); else a plain timer.
            if !armBusyPoll(requester: w, peer: peer.index, after: max(0, after.nanoseconds)) {
                schedule(.retryBusy(Int32(w), peer.rawValue), at: now + max(0, after.nanoseconds))
            }
        case .toScheduler(let message):
            if case .workerStatusChange(.running, _) = message { wakeAllPolls(on: w) }
            sendToScheduler(.worker(WorkerID(w), message), fromHost: host(ofWorker: w), stream: .worker(w))
        case .sendData(let to, let keys):
            // Not an answer to a request the simulator routed: send what was named.
            let bytes = keys.reduce(Int64(0)) { $0 + $1.nbytes }
            startPeerTransfer(peer: w, requester: to.index, received: keys, requested: keys.map(\.key), totalBytes: bytes)
        case .busy(let to, let keys):
            guard to.index < life.count, life[to.index] == .running else { return }
            let bytes = keys.reduce(Int64(0)) { $0 + taskOutputBytes[$1.index] }
            send(.gatherDepBusy(peer: WorkerID(w), requested: keys, totalBytes: bytes), to: to.index, fromHost: host(ofWorker: w))
        case .spill(_, let bytes):
            // Writing to disk happens in the background; it delays nothing, but is counted.
            spilledBytes += bytes
        case .unspill(_, let bytes):
            // Reading back delays the next task this worker starts (Dask reads inputs before running).
            unspilledBytes += bytes
            pendingDiskRead[w] += Simulator.transmissionTime(bytes: bytes, bandwidth: config.diskBandwidth)
        case .terminate:
            // The nanny kills the process; do it after the current batch of instructions.
            schedule(.terminate(Int32(w)), at: now)
        }
    }

    // MARK: - Execution

    func startExecution(worker w: Int, task: TaskID, runID: Int64) {
        attempts[task.index] += 1
        lastWorker[task.index] = Int32(w)
        let slot = executions.put(Execution(worker: Int32(w), task: task, runID: runID))
        if pendingDiskRead[w] > 0 {
            // Spilled inputs are read back first.
            let delay = pendingDiskRead[w]
            pendingDiskRead[w] = 0
            schedule(.beginExecution(slot), at: now + delay)
            return
        }
        admit(slot)
    }

    /// Starts an execution now, unless it is a call to an actor that is busy.
    func admit(_ slot: Int32) {
        guard let execution = executions.peek(slot) else { return }
        if execution.cancelled {
            _ = executions.take(slot)
            return
        }
        let task = execution.task
        // Calls to one actor run one at a time, in the order the worker starts them.
        let actor = taskActor[task.index]
        if actor >= 0 {
            if actorBusy[actor] == true {
                actorBacklog[actor, default: Deque()].append(slot)
                return
            }
            actorBusy[actor] = true
        }
        beginExecution(slot)
    }

    func beginExecution(_ slot: Int32) {
        guard let execution = executions.peek(slot) else { return }
        let w = Int(execution.worker)
        let task = execution.task
        startTime[task.index] = now
        // start and end describe one attempt: an end kept from an earlier attempt would
        // put this one's end before its start (a negative duration in tasks.csv).
        endTime[task.index] = -1
        busyThreads[w] += 1
        if !fetchedBytes.isEmpty {
            var fetched: Int64 = 0
            for dep in workload.tasks[task.index].dependencies {
                fetched += fetchedBytes[Int64(w) << 32 | Int64(dep.rawValue)] ?? 0
            }
            bytesFetched[task.index] = fetched
        }
        var duration = Time(seconds: taskDuration[task.index] / speed[w]).nanoseconds
        if let noise { duration = noise.apply(to: duration) }
        var client: Int32 = -1
        if let submissions = submissionsByTask[task.rawValue] {
            client = Int32(makeSubmitterClient(task: task, worker: w, execution: slot, submissions: submissions.count))
            for s in submissions {
                let offset = Time(seconds: workload.submissions[s].time).nanoseconds
                schedule(.submit(Int32(s)), at: now + offset)
            }
        }
        running[w].append(slot)
        var seceded = false
        if taskSecedes[task.index] {
            // The task calls secede() as it starts; the worker frees its thread.
            seceded = true
            busyThreads[w] -= 1
            running[w].removeLast()
            let secede = workerMessages.put(.secede(key: task))
            schedule(.toWorker(Int32(w), secede), at: now)
        }
        executions.update(slot) {
            $0.start = now
            $0.seceded = seceded
            $0.client = client
        }
        schedule(.executeDone(slot), at: now + duration)
    }

    func executionFinished(_ slot: Int32) {
        guard let execution = executions.peek(slot) else { return }
        if execution.cancelled {
            _ = executions.take(slot)
            return
        }
        if execution.client >= 0 && !clients[Int(execution.client)].subgraphDone {
            executions.update(slot) { $0.computeDone = true }
            return
        }
        completeExecution(slot)
    }

    /// The task's function returned: tell its worker, free the thread, start the next actor call.
    func completeExecution(_ slot: Int32) {
        let execution = executions.take(slot)
        let w = Int(execution.worker)
        let task = execution.task
        if !execution.seceded {
            busyThreads[w] -= 1
            busyNanoseconds += now - execution.start
            if let i = running[w].firstIndex(of: slot) { running[w].remove(at: i) }
        }
        endTime[task.index] = now
        if firstMemory[task.index] < 0 {
            firstMemory[task.index] = now
            computeCompletions += 1
        }
        deliver(.executeSuccess(
            key: task, runID: execution.runID, start: Time(nanoseconds: execution.start), stop: Time(nanoseconds: now),
            nbytes: taskOutputBytes[task.index]), to: w)
        let actor = taskActor[task.index]
        if actor >= 0 {
            actorBusy[actor] = false
            startNextActorCall(actor)
        }
    }

    func startNextActorCall(_ actor: Int32) {
        while var backlog = actorBacklog[actor], let next = backlog.popFirst() {
            actorBacklog[actor] = backlog
            if let waiting = executions.peek(next), !waiting.cancelled {
                actorBusy[actor] = true
                beginExecution(next)
                return
            }
            if executions.peek(next) != nil { _ = executions.take(next) }
        }
    }

    // MARK: - Fetching dependencies from peers

    func requestData(requester w: Int, peer: Int, keys: [TaskID], totalBytes: Int64) {
        guard peer >= 0, peer < life.count, life[peer] == .running else {
            // Connection refused: the requester learns it after a round trip to nowhere.
            send(.gatherDepNetworkFailure(peer: WorkerID(peer), requested: keys, totalBytes: totalBytes),
                 to: w, fromHost: host(ofWorker: w))
            return
        }
        let slot = requests.put(FetchRequest(requester: Int32(w), peer: Int32(peer), keys: keys, totalBytes: totalBytes))
        schedule(.getData(slot), at: now + latency(host(ofWorker: w), host(ofWorker: peer)))
    }

    /// A `get_data` request reached the peer: the peer answers with data or `busy`.
    func getDataArrived(_ request: FetchRequest) {
        let requester = Int(request.requester)
        let peer = Int(request.peer)
        guard life[requester] == .running else { return }
        guard life[peer] == .running else {
            send(.gatherDepNetworkFailure(peer: WorkerID(peer), requested: request.keys, totalBytes: request.totalBytes),
                 to: requester, fromHost: host(ofWorker: peer))
            return
        }
        let stimulus = WorkerStimulus.getData(from: WorkerID(requester), keys: request.keys)
        if config.traceEvents { traceEvent(component: cluster.workers[peer].name, direction: "in", op: stimulus.op, detail: "\(stimulus)") }
        let instructions = workers[peer].handle(stimulus, now: Time(nanoseconds: now))
        if config.validate { validateWorker(peer, after: stimulus.op) }
        var answered = false
        for instruction in instructions {
            switch instruction {
            case .sendData(let to, let keys) where to.index == requester && !answered:
                answered = true
                if config.traceEvents { traceEvent(component: cluster.workers[peer].name, direction: "out", op: instruction.op, detail: "\(instruction)") }
                startPeerTransfer(peer: peer, requester: requester, received: keys, requested: request.keys, totalBytes: request.totalBytes)
            case .busy(let to, _) where to.index == requester && !answered:
                answered = true
                if config.traceEvents { traceEvent(component: cluster.workers[peer].name, direction: "out", op: instruction.op, detail: "\(instruction)") }
                parkBusyPoll(requester: requester, peer: peer, answerAt: now + latency(host(ofWorker: peer), host(ofWorker: requester)))
                send(.gatherDepBusy(peer: WorkerID(peer), requested: request.keys, totalBytes: request.totalBytes),
                     to: requester, fromHost: host(ofWorker: peer))
            default:
                dispatch(instruction, from: peer)
            }
        }
        if !answered {
            // The peer had nothing to say: an empty reply, so the requester does not wait forever.
            startPeerTransfer(peer: peer, requester: requester, received: [], requested: request.keys, totalBytes: request.totalBytes)
        }
    }

    func startPeerTransfer(peer: Int, requester: Int, received: [ReceivedKey], requested: [TaskID], totalBytes: Int64) {
        guard requester >= 0, requester < life.count else { return }
        let bytes = received.reduce(Int64(0)) { $0 + $1.nbytes }
        startTransfer(Transfer(
            kind: .peer(requester: Int32(requester), peer: Int32(peer), received: received, requested: requested, totalBytes: totalBytes),
            source: host(ofWorker: peer), destination: host(ofWorker: requester), bytes: bytes, start: now))
    }
}

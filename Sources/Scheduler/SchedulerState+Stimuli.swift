import Messages

/// Stimulus handlers (Dask's `Scheduler.handle_*`, `stimulus_*`, `update_graph`).
extension SchedulerState {
    func dispatch(_ stimulus: SchedulerStimulus) {
        switch stimulus {
        case .addWorker(let spec):
            stimulusID = nextStimulusID("add-worker")
            addWorker(spec)
        case .removeWorker(let w, let expected):
            stimulusID = nextStimulusID("remove-worker")
            removeWorker(w, expected: expected)
        case .retireWorkers(let ws):
            stimulusID = nextStimulusID("retire-workers")
            retireWorkers(ws)
        case .worker(let w, let message):
            handleWorkerMessage(w, message)
        case .client(let message):
            guard message.client.index >= 0 else { return }  // a negative client id is a driver bug: ignore
            handleClientMessage(message)
        case .scatter(let client, let keys, let target):
            stimulusID = nextStimulusID("scatter")
            guard client.index >= 0 else { return }
            scatter(client: client, keys: keys, target: target)
        case .heartbeat(let w, let bw):
            stimulusID = nextStimulusID("heartbeat")
            heartbeat(w, bandwidth: bw)
        case .balance:
            stimulusID = nextStimulusID("balance")
            policy.rebalance(in: self, stimulus: stimulusID)
        case .gather(let client, let keys):
            // Dask's gather creates no transitions: it reads who_has.
            stimulusID = nextStimulusID("gather")
            guard client.index >= 0 else { return }
            var replicas: [DependencyReplicas] = []
            var missing: [TaskID] = []
            for t in keys where valid(t) {
                if isLive(t) && tasks[t.index].state == TS.memory {
                    replicas.append(DependencyReplicas(key: t, whoHas: tasks[t.index].whoHas, nbytes: tasks[t.index].nbytes))
                } else {
                    missing.append(t)
                }
            }
            emit(.gatherFrom(client: client, replicas: replicas, missing: missing))
        case .heartbeatExecuting(let w, let bw, let executing):
            stimulusID = nextStimulusID("heartbeat")
            heartbeat(w, bandwidth: bw)
            for entry in executing where valid(entry.key) && isLive(entry.key) {
                addExecTime(prefix: Int(graph.prefixOf[entry.key.index]), duration: entry.elapsed.nanoseconds)
            }
        }
    }

    // MARK: worker stream

    func handleWorkerMessage(_ w: WorkerID, _ message: WorkerToScheduler) {
        let present = isPresent(w)
        switch message {
        case .taskFinished(let t, let runID, let nbytes, let start, let stop, let stim):
            stimulusID = stim
            guard present, valid(t) else { return }
            stimulusTaskFinished(t, worker: w, runID: runID, nbytes: nbytes, start: start, stop: stop)
            runTransitions()
            queueSlotsMaybeOpened()
        case .taskErred(let t, let runID, let exception, _, _, let stim):
            stimulusID = stim
            guard valid(t) else { return }
            stimulusTaskErred(t, worker: w, runID: runID, exception: exception)
            runTransitions()
            queueSlotsMaybeOpened()
        case .releaseWorkerData(let t, let stim):
            stimulusID = stim
            guard present, valid(t), isLive(t), tasks[t.index].whoHas.contains(w) else { return }
            removeReplica(t, w)
            if tasks[t.index].whoHas.isEmpty {
                rec(t, TS.released)
                runTransitions()
            }
        case .addKeys(let keys, let stim):
            stimulusID = stim
            guard present else { return }
            addKeys(keys.filter(valid), worker: w)
        case .longRunning(let t, let runID, let computeDuration, let stim):
            stimulusID = stim
            guard present, valid(t) else { return }
            handleLongRunning(t, worker: w, runID: runID, computeDuration: computeDuration)
        case .reschedule(let t, let stim):
            stimulusID = stim
            guard valid(t) else { return }
            reschedule(t, worker: w)
        case .stealResponse(let t, let state, let stim):
            stimulusID = stim
            guard valid(t) else { return }
            policy.stealResponse(key: t, state: state, from: w, stimulus: stim, in: self)
            runTransitions()
        case .requestRefreshWhoHas(let keys, let stim):
            stimulusID = stim
            guard present else { return }
            var replicas: [DependencyReplicas] = []
            var free: [TaskID] = []
            for t in keys where valid(t) {
                if isLive(t) {
                    replicas.append(DependencyReplicas(key: t, whoHas: tasks[t.index].whoHas, nbytes: tasks[t.index].nbytes))
                } else {
                    free.append(t)
                }
            }
            if !replicas.isEmpty { send(w, .refreshWhoHas(replicas: replicas, stimulusID: stim)) }
            if !free.isEmpty { send(w, .freeKeys(keys: free, stimulusID: stim)) }
        case .missingData(let t, let errant, let stim):
            // Older Dask's `handle_missing_data`: the errant worker does not hold the key after all.
            stimulusID = stim
            guard valid(t), isLive(t), errant.index >= 0, errant.index < workers.count, workers[errant.index] != nil else { return }
            removeReplica(t, errant)
            if tasks[t.index].whoHas.isEmpty && tasks[t.index].state == TS.memory {
                rec(t, TS.released)
                runTransitions()
            }
        case .workerStatusChange(let status, let stim):
            stimulusID = stim
            guard present else { return }
            workerStatusChange(w, status)
        }
    }

    /// Ids outside the workload are ignored (a driver bug must not crash the scheduler).
    @inline(__always) func valid(_ t: TaskID) -> Bool { t.index >= 0 && t.index < tasks.count }

    /// The worker joined and has not left.
    @inline(__always) func isPresent(_ w: WorkerID) -> Bool {
        w.index >= 0 && w.index < workerPresent.count && workerPresent[w.index]
    }

    /// Dask's `stimulus_task_finished`.
    func stimulusTaskFinished(_ t: TaskID, worker w: WorkerID, runID: Int64, nbytes: Int64, start: Time, stop: Time) {
        let s = tasks[t.index].state
        if !isLive(t) || s == TS.released || s == TS.queued || s == TS.noWorker || s == TS.erred {
            send(w, .freeKeys(keys: [t], stimulusID: stimulusID))
        } else if tasks[t.index].runID != runID {
            if tasks[t.index].processingOn != w.rawValue {
                send(w, .freeKeys(keys: [t], stimulusID: stimulusID))
            } else {
                rec(t, TS.released)
            }
        } else if s == TS.memory {
            addKeys([t], worker: w)
        } else {
            var args = TransitionArgs()
            args.worker = Int32(w.index)
            args.nbytes = nbytes
            args.computeStart = start
            args.computeStop = stop
            args.hasCompute = true
            transition(t, TS.memory, args)
        }
    }

    /// Dask's `stimulus_task_erred`, with `retries` consumed before the task errs.
    func stimulusTaskErred(_ t: TaskID, worker w: WorkerID, runID: Int64, exception: String) {
        guard isLive(t), tasks[t.index].state == TS.processing else { return }
        if tasks[t.index].runID != runID {
            if tasks[t.index].processingOn == w.rawValue { transition(t, TS.released) }
            return
        }
        if tasks[t.index].retries > 0 {
            tasks[t.index].retries -= 1
            transition(t, TS.waiting)
        } else {
            var args = TransitionArgs()
            args.worker = Int32(w.index)
            args.cause = Int32(t.index)
            args.exception = exception
            transition(t, TS.erred, args)
        }
    }

    /// Dask's `add_keys`: extra replicas of keys in memory; others are answered with `remove-replicas`.
    func addKeys(_ keys: [TaskID], worker w: WorkerID) {
        var redundant: [TaskID] = []
        for t in keys {
            if isLive(t) && tasks[t.index].state == TS.memory {
                addReplica(t, w)
            } else {
                redundant.append(t)
            }
        }
        if !redundant.isEmpty { send(w, .removeReplicas(keys: redundant, stimulusID: stimulusID)) }
    }

    /// Dask's `handle_long_running`: the task seceded and no longer holds a thread slot.
    func handleLongRunning(_ t: TaskID, worker w: WorkerID, runID: Int64, computeDuration: Time) {
        guard isLive(t), tasks[t.index].processingOn == w.rawValue, tasks[t.index].runID == runID else { return }
        guard !workers[w.index]!.longRunning.contains(t) else { return }
        policy.taskSeceded(t, in: self)
        let p = Int(graph.prefixOf[t.index])
        let d = max(computeDuration.nanoseconds, 0)
        updatePrefix(p) { prefix in
            prefix.durationAverage = prefix.durationAverage < 0 ? d : (prefix.durationAverage + d) / 2
        }
        removeFromPrefixCount(t, w)
        workers[w.index]!.longRunning.insert(t)
        checkIdleSaturated(w)
        queueSlotsMaybeOpened()
    }

    /// Dask's `_reschedule`: a task released on its worker goes back through `released`.
    func reschedule(_ t: TaskID, worker: WorkerID?) {
        guard isLive(t), tasks[t.index].state == TS.processing else { return }
        if let worker, tasks[t.index].processingOn != worker.rawValue { return }
        rec(t, TS.released)
        runTransitions()
    }

    /// Stealing's confirmed move: the task changes worker without changing state.
    func moveProcessing(_ t: TaskID, from victim: WorkerID, to thief: WorkerID) {
        tasks[t.index].processingOn = Int32(thief.index)
        removeFromProcessing(t, victim)
        // Unlike Dask (which leaves `used_resources` on the victim), resources move with the task.
        releaseResources(t, victim)
        addToWorkerProcessing(t, thief)
        acquireResources(t, thief)
    }

    /// Dask's `stimulus_queue_slots_maybe_opened`: after all other transitions of
    /// the stimulus, moves as many queued tasks to processing as slots are open.
    func queueSlotsMaybeOpened() {
        guard queuedCount > 0 else { return }
        let slots = policy.queueSlotsAvailable(in: self)
        guard slots > 0 else { return }
        for _ in 0..<slots {
            guard queuedCount > 0, let t = queuePeek() else { return }
            rec(t, TS.processing)
            runTransitions()
            // A policy that declines keeps the head queued; stop rather than spin.
            if tasks[t.index].state == TS.queued { return }
        }
    }

    // MARK: client stream

    func handleClientMessage(_ message: ClientToScheduler) {
        switch message {
        case .updateGraph(let client, let submission, let keys, let wanted, let submitter, let stim):
            stimulusID = stim
            updateGraph(client: client, submission: submission, tasks: keys, wanted: wanted, submitter: submitter)
        case .updateData(let client, let replicas, let stim):
            stimulusID = stim
            updateData(client: client, replicas: replicas)
        case .clientDesiresKeys(let client, let keys, let stim):
            stimulusID = stim
            ensureClient(client)
            clientDesiresKeys(keys.filter(valid), client: client)
        case .clientReleasesKeys(let client, let keys, let stim):
            stimulusID = stim
            ensureClient(client)
            clientReleasesKeys(keys.filter(valid), client: client)
            runTransitions()
            queueSlotsMaybeOpened()
        case .retry(let client, let keys, let stim):
            stimulusID = stim
            ensureClient(client)
            stimulusRetry(keys.filter(valid))
        }
    }

    /// Dask's `stimulus_retry`: walk erred dependencies back to the tasks that
    /// failed first and send those back to waiting (erred → released → waiting).
    func stimulusRetry(_ keys: [TaskID]) {
        var stack = keys.filter(isLive)
        var seen = Set<TaskID>()
        var roots: [TaskID] = []
        while let t = stack.popLast() {
            guard seen.insert(t).inserted else { continue }
            var erredDeps: [TaskID] = []
            for e in graph.dependencyRange(t) where edgeFlags[e] & EdgeFlag.linked != 0 {
                let d = graph.deps[e]
                if tasks[d.index].state == TS.erred { erredDeps.append(d) }
            }
            if erredDeps.isEmpty { roots.append(t) } else { stack.append(contentsOf: erredDeps) }
        }
        for t in roots where tasks[t.index].state == TS.erred { rec(t, TS.waiting) }
        runTransitions()
    }

    func ensureClient(_ c: ClientID) {
        while clients.count <= c.index { clients.append(ClientRecord()) }
    }

    /// Dask's `client_desires_keys`.
    func clientDesiresKeys(_ keys: [TaskID], client c: ClientID) {
        for t in keys where isLive(t) {
            if !tasks[t.index].whoWants.contains(c) {
                var wants = tasks[t.index].whoWants
                wants.insert(c, at: wants.firstIndex(where: { $0 > c }) ?? wants.count)
                tasks[t.index].whoWants = wants
                clients[c.index].wantsCount += 1
            }
            switch tasks[t.index].state {
            case TS.memory: report(c, .keyInMemory(key: t, workers: tasks[t.index].whoHas))
            case TS.erred:
                let blame = tasks[t.index].exceptionBlame
                report(c, .taskErred(key: t, exception: blame >= 0 ? exceptions[TaskID(Int(blame))] ?? "" : ""))
            default: break
            }
        }
    }

    /// Dask's `update_graph` / `_create_taskstate_from_graph`.
    func updateGraph(client c: ClientID, submission: Int, tasks keys: [TaskID], wanted: [TaskID], submitter: TaskID?) {
        ensureClient(c)
        // Priorities: generation. Dask gives sub-graphs of a running task
        // `parent.priority[0] - 0.01`; our generations are scaled by 100 so that
        // this is `100 × parent.priority[0] - 1` in integers.
        let gen: Int32
        if let submitter, valid(submitter), isLive(submitter) {
            gen = tasks[submitter.index].priority.negatedUserPriority &* 100 &- 1
        } else if submitter != nil {
            gen = generation &* 100
        } else if lastGenerationTime + config.fifoTimeout < now {
            generation += 1
            lastGenerationTime = now
            gen = generation &* 100
        } else {
            gen = generation &* 100
        }
        var touched: [TaskID] = []
        touched.reserveCapacity(keys.count)
        var created: [TaskID] = []
        for t in keys where valid(t) {
            touched.append(t)
            if !isLive(t) && workload.tasks[t.index].kind == .compute {
                createTask(t, generation: gen)
                created.append(t)
            }
        }
        var missing: [TaskID] = []
        for t in created {
            let g = Int(graph.groupOf[t.index])
            for e in graph.dependencyRange(t) {
                let d = graph.deps[e]
                guard isLive(d) else {
                    missing.append(t)
                    continue
                }
                if edgeFlags[e] & EdgeFlag.linked == 0 {
                    edgeFlags[e] = EdgeFlag.linked
                    tasks[d.index].dependentsCount += 1
                }
                let dg = graph.groupOf[d.index]
                if !groups[g].dependencies.contains(dg) {
                    groups[g].dependencies.insert(dg, at: groups[g].dependencies.firstIndex(where: { $0 > dg }) ?? groups[g].dependencies.count)
                }
            }
        }
        clientDesiresKeys(wanted.filter(valid), client: c)
        var toWait = wanted.filter { valid($0) && isLive($0) && tasks[$0.index].state == TS.released }
        toWait.sort { a, b in
            let pa = tasks[a.index].priority, pb = tasks[b.index].priority
            return pa != pb ? pb < pa : a > b
        }
        // One allocation up front instead of rehashing as a big graph's recommendations arrive.
        recs.reserveCapacity(recs.count + toWait.count)
        for t in toWait { rec(t, TS.waiting) }
        for t in touched where isLive(t) {
            for e in graph.dependencyRange(t) where edgeFlags[e] & EdgeFlag.linked != 0 {
                let blame = tasks[graph.deps[e].index].exceptionBlame
                if blame >= 0 {
                    tasks[t.index].exceptionBlame = blame
                    rec(t, TS.erred)
                    break
                }
            }
        }
        // A dependency the scheduler does not know (never submitted, never scattered,
        // or forgotten): Dask fails the graph; we fail the tasks that need it.
        for t in missing where isLive(t) {
            tasks[t.index].hasLostDependencies = true
            let text = "missing dependency: \(key(t)) depends on a key the scheduler does not know"
            for client in tasks[t.index].whoWants { report(client, .taskErred(key: t, exception: text)) }
            if tasks[t.index].whoWants.isEmpty { report(c, .taskErred(key: t, exception: text)) }
        }
        runTransitions()
    }

    /// Makes a task known: state `released`, priority, retries, group bookkeeping.
    func createTask(_ t: TaskID, generation gen: Int32) {
        // Field by field: binding the whole `TaskSpec` would copy (and retain) all of it.
        var record = TaskRecord()
        record.state = TS.released
        record.priority = Priority(
            negatedUserPriority: Int32(clamping: -workload.tasks[t.index].userPriority),
            generation: gen,
            order: graph.order[t.index])
        record.retries = Int32(clamping: workload.tasks[t.index].retries)
        record.actor = workload.tasks[t.index].isActor
        if workload.tasks[t.index].kind == .data { record.nbytes = workload.tasks[t.index].outputBytes }
        tasks[t.index] = record
        let g = Int(graph.groupOf[t.index])
        groups[g].size += 1
        groups[g].live += 1
        groups[g].releasedOrWaiting += 1
    }

    /// Dask's `heartbeat_worker`: bandwidth EWMA over the workers (`bw(1 - 1/n) + worker_bw/n`).
    func heartbeat(_ w: WorkerID, bandwidth measured: Double) {
        guard isPresent(w) else { return }
        if measured > 0 && measured.isFinite && workerCount > 0 {
            let n = Double(workerCount)
            bandwidth = bandwidth * (1 - 1 / n) + measured / n
        }
    }
}

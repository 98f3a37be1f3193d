import Messages

/// Arguments a transition may carry (Dask's `**kwargs` of `_transition`).
struct TransitionArgs {
    var worker: Int32 = -1
    var nbytes: Int64 = -1
    var computeStart = Time.zero
    var computeStop = Time.zero
    var hasCompute = false
    /// Dask's `cause`: the task to blame; -1 for none.
    var cause: Int32 = -1
    var exception: String?
}

extension SchedulerState {
    /// Adds a recommendation. Like Python's `dict.update`, a key already
    /// recommended keeps its position and takes the new state.
    @inline(__always) func rec(_ t: TaskID, _ state: UInt8) {
        recs[t] = state
    }

    /// Dask's `_transitions`: pops recommendations last-in-first-out until none are left.
    func runTransitions() {
        while !recs.isEmpty {
            let (t, finish) = recs.removeLast()
            transition(t, finish)
        }
    }

    /// Dask's `_transition`: one transition, through `released` when the table
    /// has no direct entry, logged and reported to the policy.
    func transition(_ t: TaskID, _ finish: UInt8, _ args: TransitionArgs = TransitionArgs()) {
        let start = tasks[t.index].state
        guard start != TS.unknown, start != TS.forgotten, start != finish else { return }
        counters.transitions += 1
        var loggedStart = start
        if !applyTable(t, start, finish, args) {
            if start != TS.released && finish != TS.released {
                // start -> released is a full transition of its own (logged);
                // then the table's released -> v runs directly, where v is what the
                // first leg recommended for this key, or the requested state.
                let earlier = recs.removeValue(forKey: t)
                transition(t, TS.released)
                let v = recs[t] ?? finish
                if recs[t] == nil, let earlier { recs[t] = earlier }
                if tasks[t.index].state == TS.released {
                    if !applyTable(t, TS.released, v, TransitionArgs()) {
                        engineErrors.append("impossible transition released -> \(TS.name(v)) for \(key(t))")
                    }
                }
                loggedStart = TS.released
            } else {
                engineErrors.append("impossible transition \(TS.name(start)) -> \(TS.name(finish)) for \(key(t)) (\(stimulusID))")
                return
            }
        }
        let actual = tasks[t.index].state
        if config.recordTransitions {
            var worker: WorkerID? = nil
            let p = tasks[t.index].processingOn
            if p >= 0 { worker = WorkerID(Int(p)) } else if args.worker >= 0 { worker = WorkerID(Int(args.worker)) }
            transitionLog.append(TransitionRecord(
                time: now, key: t, from: TS.name(loggedStart), to: TS.name(actual), stimulus: stimulusID, worker: worker))
        }
        policy.taskTransitioned(t, from: TS.name(loggedStart), to: TS.name(actual), in: self)
        if actual == TS.forgotten {
            let g = Int(graph.groupOf[t.index])
            if groups[g].live == 0 { groups[g] = GroupRecord() }
        }
    }

    /// Runs the table entry for (start, finish); false if the table has none.
    private func applyTable(_ t: TaskID, _ start: UInt8, _ finish: UInt8, _ args: TransitionArgs) -> Bool {
        switch (start, finish) {
        case (TS.released, TS.waiting): releasedWaiting(t)
        case (TS.waiting, TS.released): waitingReleased(t)
        case (TS.waiting, TS.processing): waitingProcessing(t)
        case (TS.waiting, TS.noWorker): waitingNoWorker(t)
        case (TS.waiting, TS.queued): waitingQueued(t)
        case (TS.waiting, TS.memory): break  // race-only no-op (a stale result for a task sent back to waiting)
        case (TS.queued, TS.released): queuedReleased(t)
        case (TS.queued, TS.processing): queuedProcessing(t)
        case (TS.queued, TS.erred): queuedErred(t, args)
        case (TS.processing, TS.released): processingReleased(t)
        case (TS.processing, TS.memory): processingMemory(t, args)
        case (TS.processing, TS.erred): processingErred(t, args)
        case (TS.noWorker, TS.released): noWorkerReleased(t)
        case (TS.noWorker, TS.processing): noWorkerProcessing(t)
        case (TS.noWorker, TS.erred): noWorkerErred(t, args)
        case (TS.released, TS.forgotten): releasedForgotten(t)
        case (TS.memory, TS.erred): memoryErred(t)
        case (TS.memory, TS.forgotten): memoryForgotten(t)
        case (TS.erred, TS.released): erredReleased(t)
        case (TS.memory, TS.released): memoryReleased(t)
        case (TS.released, TS.erred): releasedErred(t)
        default: return false
        }
        return true
    }

    /// Sets a task's state and keeps the group counters Dask keeps in `TaskGroup.states`.
    @inline(__always) func setState(_ t: TaskID, _ new: UInt8) {
        let old = tasks[t.index].state
        let g = Int(graph.groupOf[t.index])
        if old == TS.released || old == TS.waiting { groups[g].releasedOrWaiting -= 1 }
        if new == TS.released || new == TS.waiting { groups[g].releasedOrWaiting += 1 }
        if new == TS.forgotten { groups[g].live -= 1 }
        tasks[t.index].state = new
    }

    // MARK: - the 21 table entries

    func releasedWaiting(_ t: TaskID) {
        if tasks[t.index].hasLostDependencies {
            rec(t, TS.forgotten)
            return
        }
        if let blame = erredDependencyBlame(t) {
            // Dask would wait forever on an erred dependency (it only checks at
            // update-graph time); we err the task, as update-graph does.
            tasks[t.index].exceptionBlame = blame
            rec(t, TS.erred)
            return
        }
        setState(t, TS.waiting)
        var waitingOn: Int32 = 0
        for e in graph.dependencyRange(t) where edgeFlags[e] & EdgeFlag.linked != 0 {
            let d = graph.deps[e]
            edgeFlags[e] &= ~EdgeFlag.waitingOn
            if tasks[d.index].whoHas.isEmpty {
                edgeFlags[e] |= EdgeFlag.waitingOn
                waitingOn += 1
            }
            if tasks[d.index].state == TS.released {
                rec(d, TS.waiting)
            } else {
                addWaiter(edge: e, dependency: d)
            }
        }
        tasks[t.index].waitingOnCount = waitingOn
        // ts.waiters = {dependents currently waiting}
        var waiters: Int32 = 0
        for f in graph.dependentRange(t) {
            let e = Int(graph.dependentEdge[f])
            guard edgeFlags[e] & EdgeFlag.linked != 0 else { continue }
            if tasks[graph.dependents[f].index].state == TS.waiting {
                edgeFlags[e] |= EdgeFlag.waiter
                waiters += 1
            } else {
                edgeFlags[e] &= ~EdgeFlag.waiter
            }
        }
        tasks[t.index].waitersCount = waiters
        if waitingOn == 0 { rec(t, TS.processing) }
    }

    func waitingProcessing(_ t: TaskID) {
        switch policy.decideWorker(for: t, in: self) {
        case .worker(let w):
            guard acceptable(w, for: t) else { rec(t, TS.noWorker); return }
            addToProcessing(t, w)
        case .queue:
            rec(t, TS.queued)
        case .noWorker:
            rec(t, TS.noWorker)
        }
    }

    func waitingQueued(_ t: TaskID) {
        setState(t, TS.queued)
        queueSeqCounter &+= 1
        tasks[t.index].queueSeq = queueSeqCounter
        queue.insert(QueueEntry(priority: tasks[t.index].priority, seq: queueSeqCounter, task: t))
        queuedCount += 1
    }

    func waitingNoWorker(_ t: TaskID) {
        setState(t, TS.noWorker)
        unrunnable[t] = now
    }

    func waitingReleased(_ t: TaskID) {
        for e in graph.dependencyRange(t) where edgeFlags[e] & EdgeFlag.linked != 0 {
            edgeFlags[e] &= ~EdgeFlag.waitingOn
            if edgeFlags[e] & EdgeFlag.waiter != 0 {
                let d = graph.deps[e]
                removeWaiter(edge: e, dependency: d)
                if tasks[d.index].waitersCount == 0 && tasks[d.index].whoWants.isEmpty { rec(d, TS.released) }
            }
        }
        tasks[t.index].waitingOnCount = 0
        setState(t, TS.released)
        if tasks[t.index].hasLostDependencies {
            rec(t, TS.forgotten)
        } else if tasks[t.index].exceptionBlame < 0 && (!tasks[t.index].whoWants.isEmpty || tasks[t.index].waitersCount > 0) {
            rec(t, TS.waiting)
        } else {
            clearWaiters(t)
        }
    }

    func queuedProcessing(_ t: TaskID) {
        guard let w = policy.decideWorkerFromQueue(for: t, in: self), acceptable(w, for: t) else { return }
        leaveQueue(t)
        addToProcessing(t, w)
    }

    func queuedReleased(_ t: TaskID) {
        leaveQueue(t)
        propagateReleased(t)
    }

    func queuedErred(_ t: TaskID, _ args: TransitionArgs) {
        leaveQueue(t)
        propagateErred(t, args)
    }

    func noWorkerProcessing(_ t: TaskID) {
        guard let w = policy.decideWorkerForUnrunnable(for: t, in: self), acceptable(w, for: t) else { return }
        unrunnable.removeValue(forKey: t)
        addToProcessing(t, w)
    }

    func noWorkerReleased(_ t: TaskID) {
        unrunnable.removeValue(forKey: t)
        propagateReleased(t)
    }

    func noWorkerErred(_ t: TaskID, _ args: TransitionArgs) {
        unrunnable.removeValue(forKey: t)
        propagateErred(t, args)
    }

    func processingMemory(_ t: TaskID, _ args: TransitionArgs) {
        let w = args.worker
        guard w >= 0, workerPresent[Int(w)], tasks[t.index].processingOn == w else {
            // The reporting worker is gone (or is not the one processing): recompute.
            rec(t, TS.released)
            return
        }
        if args.hasCompute {
            addComputeDuration(prefix: Int(graph.prefixOf[t.index]), duration: (args.computeStop - args.computeStart).nanoseconds)
        }
        setNbytes(t, args.nbytes)
        _ = exitProcessingCommon(t)
        counters.tasksCompleted += 1
        addToMemory(t, WorkerID(Int(w)))
    }

    func processingReleased(_ t: TaskID) {
        if let w = exitProcessingCommon(t) {
            send(w, .freeKeys(keys: [t], stimulusID: stimulusID))
        }
        propagateReleased(t)
    }

    func processingErred(_ t: TaskID, _ args: TransitionArgs) {
        if tasks[t.index].actor, tasks[t.index].processingOn >= 0 {
            workers[Int(tasks[t.index].processingOn)]?.actors.remove(t)
        }
        _ = exitProcessingCommon(t)
        propagateErred(t, args)
    }

    func memoryReleased(_ t: TaskID) {
        if tasks[t.index].actor {
            for w in tasks[t.index].whoHas { workers[w.index]?.actors.remove(t) }
            if !tasks[t.index].whoWants.isEmpty {
                tasks[t.index].exceptionBlame = Int32(t.index)
                exceptions[t] = "RuntimeError: Worker holding Actor was lost"
                rec(t, TS.erred)  // don't try to recreate
                return
            }
        }
        for w in tasks[t.index].whoHas where workerPresent[w.index] {
            send(w, .freeKeys(keys: [t], stimulusID: stimulusID))
        }
        removeAllReplicas(t)
        setState(t, TS.released)
        for c in tasks[t.index].whoWants { report(c, .lostData(key: t)) }
        if workload.tasks[t.index].kind == .data || tasks[t.index].hasLostDependencies {
            rec(t, TS.forgotten)
        } else if !tasks[t.index].whoWants.isEmpty || tasks[t.index].waitersCount > 0 {
            if let blame = erredDependencyBlame(t) {
                // Dask leaves such a task released and its waiters waiting forever; it
                // cannot be recomputed, so we err it (and, through it, its waiters) instead.
                tasks[t.index].exceptionBlame = blame
                rec(t, TS.erred)
            } else {
                rec(t, TS.waiting)
            }
        }
        for f in graph.dependentRange(t) {
            let e = Int(graph.dependentEdge[f])
            guard edgeFlags[e] & (EdgeFlag.linked | EdgeFlag.waiter) == (EdgeFlag.linked | EdgeFlag.waiter) else { continue }
            let dt = graph.dependents[f]
            let s = tasks[dt.index].state
            if s == TS.noWorker || s == TS.processing || s == TS.queued {
                rec(dt, TS.waiting)
            } else if s == TS.waiting, edgeFlags[e] & EdgeFlag.waitingOn == 0 {
                edgeFlags[e] |= EdgeFlag.waitingOn
                tasks[dt.index].waitingOnCount += 1
            }
        }
    }

    func releasedErred(_ t: TaskID) {
        let failing = tasks[t.index].exceptionBlame
        for f in graph.dependentRange(t) where edgeFlags[Int(graph.dependentEdge[f])] & EdgeFlag.linked != 0 {
            let dt = graph.dependents[f]
            if tasks[dt.index].whoHas.isEmpty {
                tasks[dt.index].exceptionBlame = failing
                rec(dt, TS.erred)
            }
        }
        // Like `_propagate_erred`, the erred task keeps no waiters (so its dependents'
        // own erring does not release it).
        clearWaiters(t)
        let text = failing >= 0 ? exceptions[TaskID(Int(failing))] ?? "" : ""
        for c in tasks[t.index].whoWants { report(c, .taskErred(key: t, exception: text)) }
        setState(t, TS.erred)
        counters.tasksErred += 1
    }

    func erredReleased(_ t: TaskID) {
        exceptions[t] = nil
        tasks[t.index].exceptionBlame = -1
        for f in graph.dependentRange(t) where edgeFlags[Int(graph.dependentEdge[f])] & EdgeFlag.linked != 0 {
            let dt = graph.dependents[f]
            if tasks[dt.index].state == TS.erred { rec(dt, TS.waiting) }
        }
        for w in erredOn[t] ?? [] where workers[w.index]?.present == true {
            send(w, .freeKeys(keys: [t], stimulusID: stimulusID))
        }
        erredOn[t] = nil
        for c in tasks[t.index].whoWants { report(c, .taskRetried(key: t)) }
        setState(t, TS.released)
    }

    func memoryErred(_ t: TaskID) {
        // Actors only: the worker holding the actor was lost.
        removeAllReplicas(t)
        for f in graph.dependentRange(t) where edgeFlags[Int(graph.dependentEdge[f])] & EdgeFlag.linked != 0 {
            let dt = graph.dependents[f]
            if tasks[dt.index].whoHas.isEmpty { tasks[dt.index].exceptionBlame = Int32(t.index) }
        }
        var args = TransitionArgs()
        args.cause = Int32(t.index)
        args.exception = "RuntimeError: Worker holding Actor was lost"
        propagateErred(t, args)
    }

    func memoryForgotten(_ t: TaskID) {
        if tasks[t.index].actor {
            for w in tasks[t.index].whoHas { workers[w.index]?.actors.remove(t) }
        }
        propagateForgotten(t)
        reportCancelled(t)
        removeKey(t)
    }

    func releasedForgotten(_ t: TaskID) {
        propagateForgotten(t)
        reportCancelled(t)
        removeKey(t)
    }

    /// Dask's `_task_to_client_msgs` for a forgotten task still wanted by clients.
    private func reportCancelled(_ t: TaskID) {
        for c in tasks[t.index].whoWants {
            report(c, .cancelledKeys(keys: [t], reason: "lost dependencies"))
        }
    }

    /// A policy may only place a task on a worker that joined and has not left.
    func acceptable(_ w: WorkerID, for t: TaskID) -> Bool {
        if isPresent(w) { return true }
        engineErrors.append("policy \(policy.name) placed \(key(t)) on \(w), which is not a present worker")
        return false
    }

    /// The `exception_blame` of the first erred dependency, if any.
    func erredDependencyBlame(_ t: TaskID) -> Int32? {
        for e in graph.dependencyRange(t) where edgeFlags[e] & EdgeFlag.linked != 0 {
            let d = graph.deps[e]
            if tasks[d.index].state == TS.erred { return tasks[d.index].exceptionBlame }
        }
        return nil
    }
}

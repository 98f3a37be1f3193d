import Messages

/// The helper routines the transition table shares (Dask's `_add_to_processing`,
/// `_exit_processing_common`, `_add_to_memory`, `_propagate_*`, replica bookkeeping).
extension SchedulerState {
    // MARK: waiters / waiting_on edge flags

    /// `d.waiters.add(t)` for the edge `e` = (t depends on d).
    @inline(__always) func addWaiter(edge e: Int, dependency d: TaskID) {
        if edgeFlags[e] & EdgeFlag.waiter == 0 {
            edgeFlags[e] |= EdgeFlag.waiter
            tasks[d.index].waitersCount += 1
        }
    }

    /// `d.waiters.discard(t)` for the edge `e`.
    @inline(__always) func removeWaiter(edge e: Int, dependency d: TaskID) {
        if edgeFlags[e] & EdgeFlag.waiter != 0 {
            edgeFlags[e] &= ~EdgeFlag.waiter
            tasks[d.index].waitersCount -= 1
        }
    }

    /// `t.waiters = None`.
    func clearWaiters(_ t: TaskID) {
        guard tasks[t.index].waitersCount > 0 else { return }
        for f in graph.dependentRange(t) {
            edgeFlags[Int(graph.dependentEdge[f])] &= ~EdgeFlag.waiter
        }
        tasks[t.index].waitersCount = 0
    }

    /// Removes a task from the queue (its heap entry becomes stale and is skipped later).
    func leaveQueue(_ t: TaskID) {
        tasks[t.index].queueSeq = 0
        queuedCount -= 1
        dropStaleQueueHead()
    }

    /// Pops heap entries whose task has left the queue.
    func dropStaleQueueHead() {
        while let top = queue.min {
            let rec = tasks[top.task.index]
            if rec.state == TS.queued && rec.queueSeq == top.seq { return }
            _ = queue.popMin()
        }
    }

    /// The most urgent queued task (Dask's `queued.peek()`).
    func queuePeek() -> TaskID? {
        dropStaleQueueHead()
        return queue.min?.task
    }

    // MARK: processing

    /// Dask's `_add_to_processing`.
    func addToProcessing(_ t: TaskID, _ w: WorkerID) {
        addToWorkerProcessing(t, w)
        tasks[t.index].processingOn = Int32(w.index)
        setState(t, TS.processing)
        acquireResources(t, w)
        checkIdleSaturated(w)
        nTasks += 1
        counters.tasksPlaced += 1
        if tasks[t.index].actor { workers[w.index]!.actors.insert(t) }
        // Dask's huge-task guard: inputs larger than the worker's memory limit never reach it.
        let limit = workers[w.index]!.spec.memoryLimit
        if limit > 0 && config.workerMemoryTerminate > 0 {
            var inputBytes: Int64 = 0
            for e in graph.dependencyRange(t) where edgeFlags[e] & EdgeFlag.linked != 0 {
                inputBytes += max(tasks[graph.deps[e].index].nbytes, 0)
            }
            if inputBytes > limit {
                var message = "MemoryError: Task \(key(t)) has \(inputBytes) bytes worth of input dependencies, but worker \(workers[w.index]!.spec.name) has memory_limit set to \(limit) bytes."
                if tasks[t.index].dependentsCount == 0 {
                    message += " It seems like you called client.compute() on a huge collection. Consider writing to distributed storage or slicing/reducing first."
                }
                var args = TransitionArgs()
                args.worker = Int32(w.index)
                args.cause = Int32(t.index)
                args.exception = message
                transition(t, TS.erred, args)
                return
            }
        }
        sendComputeTask(t, to: w)
    }

    /// Dask's `_task_to_msg` + send: a fresh run id each time.
    func sendComputeTask(_ t: TaskID, to w: WorkerID) {
        runIDCounter += 1
        tasks[t.index].runID = runIDCounter
        var deps: [DependencyReplicas] = []
        let range = graph.dependencyRange(t)
        if !range.isEmpty {
            deps.reserveCapacity(range.count)
            for e in range where edgeFlags[e] & EdgeFlag.linked != 0 {
                let d = graph.deps[e]
                deps.append(DependencyReplicas(key: d, whoHas: tasks[d.index].whoHas, nbytes: tasks[d.index].nbytes))
            }
        }
        // Read the one field needed; binding the whole `TaskSpec` would copy (and retain) all of it.
        let message = ComputeTask(
            key: t, runID: runIDCounter, priority: tasks[t.index].priority,
            durationEstimate: Time(nanoseconds: prefixDuration(Int(graph.prefixOf[t.index]))),
            dependencies: deps, resources: workload.tasks[t.index].resources, actor: tasks[t.index].actor,
            stimulusID: stimulusID)
        counters.tasksSent += 1
        send(w, .computeTask(message))
    }

    /// Dask's `WorkerState.remove_from_processing` (also used by stealing's move).
    func removeFromProcessing(_ t: TaskID, _ w: WorkerID) {
        if workers[w.index]!.longRunning.remove(t) == nil {
            removeFromPrefixCount(t, w)
        }
        workers[w.index]!.processing.remove(t)
        for e in graph.dependencyRange(t) where edgeFlags[e] & EdgeFlag.linked != 0 {
            let d = graph.deps[e]
            if workers[w.index]!.needsWhat[d] != nil { decNeedsReplica(w, d) }
        }
    }

    /// Dask's `WorkerState.add_to_processing` without the task-state side (stealing's move).
    func addToWorkerProcessing(_ t: TaskID, _ w: WorkerID) {
        let p = graph.prefixOf[t.index]
        workers[w.index]!.processing.insert(t)
        workers[w.index]!.prefixCount[p, default: 0] += 1
        if workers[w.index]!.prefixCount[p] == 1 { prefixWorkers[Int(p)].append(w.rawValue) }
        workers[w.index]!.taskOccupancy += prefixDuration(Int(p))
        changeGlobalPrefixCount(Int(p), by: 1)
        for e in graph.dependencyRange(t) where edgeFlags[e] & EdgeFlag.linked != 0 {
            let d = graph.deps[e]
            if !tasks[d.index].whoHas.contains(w) { incNeedsReplica(w, d) }
        }
    }

    func removeFromPrefixCount(_ t: TaskID, _ w: WorkerID) {
        let p = graph.prefixOf[t.index]
        let c = (workers[w.index]!.prefixCount[p] ?? 0) - 1
        if c > 0 { workers[w.index]!.prefixCount[p] = c } else {
            workers[w.index]!.prefixCount[p] = nil
            if let k = prefixWorkers[Int(p)].firstIndex(of: w.rawValue) { prefixWorkers[Int(p)].swapAt(k, prefixWorkers[Int(p)].count - 1); prefixWorkers[Int(p)].removeLast() }
        }
        workers[w.index]!.taskOccupancy -= prefixDuration(Int(p))
        changeGlobalPrefixCount(Int(p), by: -1)
    }

    @inline(__always) func changeGlobalPrefixCount(_ p: Int, by delta: Int32) {
        prefixes[p].globalCount += delta
        totalTaskOccupancy += Int64(delta) * prefixDuration(p)
    }

    func incNeedsReplica(_ w: WorkerID, _ d: TaskID) {
        if let c = workers[w.index]!.needsWhat[d] {
            workers[w.index]!.needsWhat[d] = c + 1
        } else {
            workers[w.index]!.needsWhat[d] = 1
            let nb = getNbytes(d)
            workers[w.index]!.networkOcc += nb
            networkOccGlobal += nb
        }
    }

    func decNeedsReplica(_ w: WorkerID, _ d: TaskID) {
        let c = (workers[w.index]!.needsWhat[d] ?? 1) - 1
        if c > 0 {
            workers[w.index]!.needsWhat[d] = c
        } else {
            workers[w.index]!.needsWhat[d] = nil
            let nb = getNbytes(d)
            workers[w.index]!.networkOcc -= min(nb, workers[w.index]!.networkOcc)
            networkOccGlobal -= min(nb, networkOccGlobal)
        }
    }

    /// Dask's `_exit_processing_common`: returns the worker if it is still present.
    func exitProcessingCommon(_ t: TaskID) -> WorkerID? {
        let p = tasks[t.index].processingOn
        guard p >= 0 else { return nil }
        let w = WorkerID(Int(p))
        tasks[t.index].processingOn = -1
        removeFromProcessing(t, w)
        // An actor lives on a worker only while processing or held there (Dask's
        // validate_state); `_add_to_memory` puts it back on its holder.
        if tasks[t.index].actor { workers[w.index]!.actors.remove(t) }
        guard workers[w.index]!.present else { return nil }
        checkIdleSaturated(w)
        releaseResources(t, w)
        return w
    }

    func acquireResources(_ t: TaskID, _ w: WorkerID) {
        // Most tasks need no resources: skip without taking a copy of the array.
        guard !workload.tasks[t.index].resources.isEmpty else { return }
        for r in workload.tasks[t.index].resources {
            if let i = workers[w.index]!.spec.resources.firstIndex(where: { $0.name == r.name }) {
                workers[w.index]!.usedResources[i] += r.amount
            }
        }
    }

    func releaseResources(_ t: TaskID, _ w: WorkerID) {
        // Most tasks need no resources: skip without taking a copy of the array.
        guard !workload.tasks[t.index].resources.isEmpty else { return }
        for r in workload.tasks[t.index].resources {
            if let i = workers[w.index]!.spec.resources.firstIndex(where: { $0.name == r.name }) {
                workers[w.index]!.usedResources[i] -= r.amount
            }
        }
    }

    // MARK: memory

    /// Dask's `_add_to_memory`.
    func addToMemory(_ t: TaskID, _ w: WorkerID) {
        addReplica(t, w)
        if tasks[t.index].actor { workers[w.index]!.actors.insert(t) }
        // Dependents sorted by priority, most urgent *last*, so the LIFO pop runs it first.
        scratchEdges.removeAll(keepingCapacity: true)
        for f in graph.dependentRange(t) {
            let e = Int(graph.dependentEdge[f])
            if edgeFlags[e] & (EdgeFlag.linked | EdgeFlag.waitingOn) == (EdgeFlag.linked | EdgeFlag.waitingOn) {
                scratchEdges.append((graph.dependents[f], e))
            }
        }
        if scratchEdges.count > 1 {
            scratchEdges.sort { a, b in
                let pa = tasks[a.task.index].priority, pb = tasks[b.task.index].priority
                return pa != pb ? pb < pa : a.task > b.task
            }
        }
        for (dt, e) in scratchEdges {
            edgeFlags[e] &= ~EdgeFlag.waitingOn
            tasks[dt.index].waitingOnCount -= 1
            if tasks[dt.index].waitingOnCount == 0 { rec(dt, TS.processing) }
        }
        for e in graph.dependencyRange(t) where edgeFlags[e] & EdgeFlag.linked != 0 {
            let d = graph.deps[e]
            removeWaiter(edge: e, dependency: d)
            if tasks[d.index].waitersCount == 0 && tasks[d.index].whoWants.isEmpty { rec(d, TS.released) }
        }
        if tasks[t.index].waitersCount == 0 && tasks[t.index].whoWants.isEmpty {
            rec(t, TS.released)
        } else {
            for c in tasks[t.index].whoWants { report(c, .keyInMemory(key: t, workers: tasks[t.index].whoHas)) }
        }
        setState(t, TS.memory)
    }

    /// Dask's `_propagate_released`.
    func propagateReleased(_ t: TaskID) {
        setState(t, TS.released)
        if tasks[t.index].hasLostDependencies {
            rec(t, TS.forgotten)
        } else if tasks[t.index].waitersCount > 0 || !tasks[t.index].whoWants.isEmpty {
            rec(t, TS.waiting)
        }
        if recs[t] != TS.waiting {
            for e in graph.dependencyRange(t) where edgeFlags[e] & EdgeFlag.linked != 0 {
                let d = graph.deps[e]
                if tasks[d.index].state != TS.released {
                    removeWaiter(edge: e, dependency: d)
                    if tasks[d.index].waitersCount == 0 && tasks[d.index].whoWants.isEmpty { rec(d, TS.released) }
                }
            }
            clearWaiters(t)
        }
    }

    /// Dask's `_propagate_erred`.
    func propagateErred(_ t: TaskID, _ args: TransitionArgs) {
        setState(t, TS.erred)
        counters.tasksErred += 1
        if args.worker >= 0 {
            var on = erredOn[t] ?? []
            let w = WorkerID(Int(args.worker))
            if !on.contains(w) { on.append(w); on.sort() }
            erredOn[t] = on
        }
        if let exception = args.exception { exceptions[t] = exception }
        let failing: Int32
        if args.cause >= 0 {
            tasks[t.index].exceptionBlame = args.cause
            failing = args.cause
        } else {
            failing = tasks[t.index].exceptionBlame
        }
        for f in graph.dependentRange(t) {
            let e = Int(graph.dependentEdge[f])
            guard edgeFlags[e] & (EdgeFlag.linked | EdgeFlag.waiter) == (EdgeFlag.linked | EdgeFlag.waiter) else { continue }
            let dt = graph.dependents[f]
            tasks[dt.index].exceptionBlame = failing
            rec(dt, TS.erred)
        }
        for e in graph.dependencyRange(t) where edgeFlags[e] & EdgeFlag.linked != 0 {
            let d = graph.deps[e]
            removeWaiter(edge: e, dependency: d)
            if tasks[d.index].waitersCount == 0 && tasks[d.index].whoWants.isEmpty { rec(d, TS.released) }
        }
        clearWaiters(t)
        let text = failing >= 0 ? exceptions[TaskID(Int(failing))] ?? "" : ""
        for c in tasks[t.index].whoWants { report(c, .taskErred(key: t, exception: text)) }
    }

    /// Dask's `_propagate_forgotten`.
    func propagateForgotten(_ t: TaskID) {
        setState(t, TS.forgotten)
        for f in graph.dependentRange(t) {
            let e = Int(graph.dependentEdge[f])
            guard edgeFlags[e] & EdgeFlag.linked != 0 else { continue }
            let dt = graph.dependents[f]
            tasks[dt.index].hasLostDependencies = true
            if edgeFlags[e] & EdgeFlag.waitingOn != 0 { tasks[dt.index].waitingOnCount -= 1 }
            // Unlike Dask (which leaks the entry), a processing dependent stops needing this key.
            let p = tasks[dt.index].processingOn
            if p >= 0, workers[Int(p)]!.needsWhat[t] != nil { decNeedsReplica(WorkerID(Int(p)), t) }
            edgeFlags[e] = 0
            let s = tasks[dt.index].state
            if s != TS.memory && s != TS.erred { rec(dt, TS.forgotten) }
        }
        tasks[t.index].dependentsCount = 0
        tasks[t.index].waitersCount = 0
        for e in graph.dependencyRange(t) where edgeFlags[e] & EdgeFlag.linked != 0 {
            let d = graph.deps[e]
            if edgeFlags[e] & EdgeFlag.waiter != 0 { tasks[d.index].waitersCount -= 1 }
            edgeFlags[e] = 0
            tasks[d.index].dependentsCount -= 1
            if tasks[d.index].dependentsCount == 0 && tasks[d.index].whoWants.isEmpty { rec(d, TS.forgotten) }
        }
        tasks[t.index].waitingOnCount = 0
        for w in tasks[t.index].whoHas where workerPresent[w.index] {
            send(w, .freeKeys(keys: [t], stimulusID: stimulusID))
        }
        removeAllReplicas(t)
    }

    /// Dask's `_remove_key`.
    func removeKey(_ t: TaskID) {
        unrunnable.removeValue(forKey: t)
        for c in tasks[t.index].whoWants { clients[c.index].wantsCount -= 1 }
        tasks[t.index].whoWants = []
        tasks[t.index].processingOn = -1
        tasks[t.index].exceptionBlame = -1
        exceptions[t] = nil
        erredOn[t] = nil
    }

    /// Dask's `_client_releases_keys`.
    func clientReleasesKeys(_ keys: [TaskID], client c: ClientID) {
        for t in keys where isLive(t) {
            guard let i = tasks[t.index].whoWants.firstIndex(of: c) else { continue }
            tasks[t.index].whoWants.remove(at: i)
            clients[c.index].wantsCount -= 1
            if tasks[t.index].whoWants.isEmpty {
                if tasks[t.index].dependentsCount == 0 {
                    rec(t, TS.forgotten)
                } else if tasks[t.index].state != TS.erred && tasks[t.index].waitersCount == 0 {
                    rec(t, TS.released)
                }
            }
        }
    }

    // MARK: replicas

    /// Dask's `TaskState.get_nbytes`: the size, or `default-data-size` while unknown.
    @inline(__always) func getNbytes(_ t: TaskID) -> Int64 {
        let n = tasks[t.index].nbytes
        return n >= 0 ? n : config.defaultDataSize
    }

    /// Dask's `add_replica`.
    func addReplica(_ t: TaskID, _ w: WorkerID) {
        if tasks[t.index].whoHas.contains(w) { return }
        let nb = getNbytes(t)
        if workers[w.index]!.needsWhat.removeValue(forKey: t) != nil {
            workers[w.index]!.networkOcc -= min(nb, workers[w.index]!.networkOcc)
            networkOccGlobal -= min(nb, networkOccGlobal)
        }
        var holders = tasks[t.index].whoHas
        let at = holders.firstIndex(where: { $0 > w }) ?? holders.count
        holders.insert(w, at: at)
        tasks[t.index].whoHas = holders
        workers[w.index]!.nbytes += nb
        workers[w.index]!.hasWhat.insert(t)
    }

    /// Dask's `remove_replica`.
    func removeReplica(_ t: TaskID, _ w: WorkerID) {
        guard let i = tasks[t.index].whoHas.firstIndex(of: w) else { return }
        tasks[t.index].whoHas.remove(at: i)
        workers[w.index]!.nbytes -= getNbytes(t)
        workers[w.index]!.hasWhat.remove(t)
        if tasks[t.index].actor { workers[w.index]!.actors.remove(t) }
    }

    /// Dask's `remove_all_replicas`.
    func removeAllReplicas(_ t: TaskID) {
        let nb = getNbytes(t)
        for w in tasks[t.index].whoHas {
            workers[w.index]!.nbytes -= nb
            workers[w.index]!.hasWhat.remove(t)
            if tasks[t.index].actor { workers[w.index]!.actors.remove(t) }
        }
        tasks[t.index].whoHas = []
    }

    /// Dask's `set_nbytes`, keeping holders' `nbytes` consistent with `get_nbytes`.
    func setNbytes(_ t: TaskID, _ nbytes: Int64) {
        guard nbytes >= 0 else { return }
        let diff = nbytes - getNbytes(t)
        tasks[t.index].nbytes = nbytes
        for w in tasks[t.index].whoHas { workers[w.index]!.nbytes += diff }
    }
}

import Messages

/// The compute path: compute-task, the ready / constrained queues, execution and
/// its results, secede, steal-request, free and remove of replicas, scatter.
extension WorkerState {
    // MARK: compute-task

    /// Dask's `_handle_compute_task`.
    func handleComputeTask(_ task: ComputeTask) {
        let slot = ensureTask(task.key, priority: nil)
        records[Int(slot)].runID = task.runID
        let state = records[Int(slot)].state
        switch state {
        case .ready, .constrained, .executing, .longRunning, .waiting:
            return  // already on its way; only the run id is refreshed
        case .memory:
            let r = records[Int(slot)]
            out.append(.toScheduler(.taskFinished(key: r.id, runID: task.runID, nbytes: r.nbytes, start: r.start,
                                                  stop: r.stop, stimulusID: stimulusID)))
            return
        case .released, .fetch, .flight, .missing, .cancelled, .resumed, .error:
            break
        case .rescheduled, .forgotten:
            violation("compute-task for \(keyName(slot)) in state \(state.rawValue)")
            return
        }
        recommend(slot, .waiting)
        let priority = WorkerPriority(scheduler: task.priority, generation: generation)
        generation -= 1
        records[Int(slot)].priority = priority
        records[Int(slot)].hasPriority = true
        records[Int(slot)].isActor = task.actor
        records[Int(slot)].exception = nil
        // A cancelled task still running keeps the resources it acquired, so that they
        // are released correctly when it ends.
        let stillRunning = (state == .cancelled || state == .resumed)
            && (records[Int(slot)].inExecuting || records[Int(slot)].inLongRunning)
        if !stillRunning {
            records[Int(slot)].resources = task.resources.map { request in
                let index = resourceNames.firstIndex(of: request.name) ?? -1
                return ResourceUse(index: Int32(index), amount: request.amount)
            }
        }
        for dep in task.dependencies where dep.key != task.key {
            let d = ensureTask(dep.key, priority: priority)
            if records[Int(d)].state != .memory { records[Int(d)].nbytes = dep.nbytes }
            if !records[Int(slot)].dependencies.contains(d) {
                records[Int(slot)].dependencies.append(d)
                records[Int(d)].dependents.append(slot)
            }
        }
        updateWhoHas(task.dependencies)
    }

    // MARK: ready queue and thread slots

    func pushQueued(_ slot: Int32, into heap: inout SlotHeap) {
        let stamp = nextStamp()
        records[Int(slot)].queueStamp = stamp
        heap.push(SlotHeapEntry(priority: records[Int(slot)].priority, stamp: stamp, slot: slot))
    }

    /// Asks for free thread slots to be filled once the current transitions settle.
    @inline(__always)
    func ensureComputing() { computeRequested = true }

    /// Dask's `_ensure_computing`: while a thread is free and the worker runs, start
    /// the next task (acquiring its resources) by recommending `executing`.
    func startReadyTasks() {
        guard running else { return }
        while executingTasks < spec.nthreads {
            guard let slot = nextReadyTask() else { break }
            recommend(slot, .executing)
            acquireResources(slot)
            records[Int(slot)].inExecuting = true
            executingTasks += 1
        }
    }

    /// The top live entry of a ready / constrained heap, dropping stale entries.
    private func liveTop(_ heap: inout SlotHeap) -> SlotHeapEntry? {
        while let top = heap.top {
            if records[Int(top.slot)].queueStamp == top.stamp { return top }
            heap.popTop()
        }
        return nil
    }

    /// Dask's `_next_ready_task`: the constrained head wins only if it is more urgent
    /// than the ready head and its resources are free.
    private func nextReadyTask() -> Int32? {
        let ready = liveTop(&readyHeap)
        let constrained = liveTop(&constrainedHeap)
        var chosen: SlotHeapEntry?
        if let c = constrained, resourcesAvailable(c.slot), ready.map({ c.priority < $0.priority }) ?? true {
            chosen = constrainedHeap.popTop()
        } else if ready != nil {
            chosen = readyHeap.popTop()
        }
        guard let entry = chosen else { return nil }
        records[Int(entry.slot)].queueStamp = 0
        return entry.slot
    }

    func resourcesAvailable(_ slot: Int32) -> Bool {
        for use in records[Int(slot)].resources {
            if use.index < 0 || availableResources[Int(use.index)] < use.amount { return false }
        }
        return true
    }

    private func acquireResources(_ slot: Int32) {
        for use in records[Int(slot)].resources where use.index >= 0 {
            availableResources[Int(use.index)] -= use.amount
        }
    }

    /// Takes a task out of Dask's `executing` and `long_running` sets, whichever
    /// it is in, keeping their counts.
    func leaveExecutingSets(_ slot: Int32) {
        if records[Int(slot)].inExecuting {
            records[Int(slot)].inExecuting = false
            executingTasks -= 1
        }
        if records[Int(slot)].inLongRunning {
            records[Int(slot)].inLongRunning = false
            longRunningTasks -= 1
        }
    }

    private func releaseResources(_ slot: Int32) {
        for use in records[Int(slot)].resources where use.index >= 0 {
            availableResources[Int(use.index)] += use.amount
        }
    }

    /// ready / constrained -> executing: read the inputs (unspilling those on disk,
    /// which the driver models as a disk read before the task can run), then `Execute`.
    func startExecuting(_ slot: Int32) {
        setState(slot, .executing)
        records[Int(slot)].executeStart = now
        touchDependencies(slot)
        out.append(.execute(key: records[Int(slot)].id, runID: records[Int(slot)].runID))
    }

    // MARK: execution results

    /// Dask's `_execute_done_common`; nil for a result of a task not running here
    /// (a stale or duplicated report), which is ignored.
    private func executeDone(key: TaskID, start: Time, stop: Time) -> Int32? {
        guard let slot = slotOf[key], records[Int(slot)].inExecuting || records[Int(slot)].inLongRunning else {
            return nil
        }
        records[Int(slot)].done = true
        records[Int(slot)].start = start
        records[Int(slot)].stop = stop
        releaseResources(slot)
        leaveExecutingSets(slot)
        ensureComputing()
        return slot
    }

    func handleExecuteSuccess(key: TaskID, runID: Int64, start: Time, stop: Time, nbytes: Int64) {
        guard let slot = executeDone(key: key, start: start, stop: stop) else { return }
        records[Int(slot)].resultBytes = max(0, nbytes)
        recommend(slot, .memory(runID: runID))
    }

    func handleExecuteFailure(key: TaskID, runID: Int64, start: Time, stop: Time, exception: String) {
        guard let slot = executeDone(key: key, start: start, stop: stop) else { return }
        records[Int(slot)].exception = exception
        recommend(slot, .error(runID: runID))
    }

    /// Dask's `SecedeEvent`: the task leaves its thread slot (long-running).
    func handleSecede(key: TaskID) {
        guard let slot = slotOf[key], records[Int(slot)].inExecuting else { return }
        recommend(slot, .longRunning(computeDuration: now - records[Int(slot)].executeStart))
    }

    // MARK: scheduler requests

    /// Dask's `_handle_steal_request`: answer with the current state; give the task
    /// back if it has not started (waiting, ready, constrained).
    func handleStealRequest(key: TaskID) {
        let slot = slotOf[key]
        let state = slot.map { records[Int($0)].state }
        out.append(.toScheduler(.stealResponse(key: key, state: state, stimulusID: stimulusID)))
        if let slot, let state, state == .ready || state == .constrained || state == .waiting {
            recommend(slot, .released)
        }
    }

    /// Dask's `_handle_remove_replicas`: drop keys that are in memory, unless a
    /// dependent is running (Dask raises there; the scheduler must not ask).
    func handleRemoveReplicas(_ keys: [TaskID]) {
        for key in keys {
            guard let slot = slotOf[key], records[Int(slot)].state == .memory else { continue }
            let busy = records[Int(slot)].dependents.contains {
                records[Int($0)].state == .executing || records[Int($0)].state == .longRunning
            }
            if busy {
                violation("remove-replicas for \(keyName(slot)) while a dependent runs")
                continue
            }
            recommend(slot, .released)
        }
    }

    /// Dask's `_handle_update_data` (scatter): the keys enter memory without telling the
    /// scheduler. Keys being computed or transferred here are left alone (Dask lets the
    /// two race; the outcome is untested there).
    func handleUpdateData(_ keys: [ReceivedKey]) {
        for item in keys {
            let slot = ensureTask(item.key, priority: nil)
            switch records[Int(slot)].state {
            case .executing, .longRunning, .cancelled, .resumed, .flight, .memory:
                continue
            default:
                records[Int(slot)].resultBytes = max(0, item.nbytes)
                recommend(slot, .memory(runID: -1))
            }
        }
    }
}

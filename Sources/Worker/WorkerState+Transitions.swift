import Messages

/// Dask's worker transition table (`WorkerState._TRANSITIONS_TABLE`). Pairs not in
/// the table go through `released` (`start -> released -> finish`); pairs involving
/// `released` that are not in the table are refused and recorded as violations.
extension WorkerState {
    func transition(_ slot: Int32, _ rec: Recommendation) {
        let start = records[Int(slot)].state
        let finish = rec.target
        if start == finish { return }
        if transitionInTable(slot, from: start, rec) { return }
        if start != .released && finish != .released {
            // start -> released -> (whatever released recommends for this task) -> finish
            transition(slot, .released)
            while let again = takeRecommendation(slot) {
                if again == .forgotten { continue }  // we want to reach `finish`, not forget
                transition(slot, again)
            }
            transition(slot, rec)
        } else {
            violation("invalid transition \(start.rawValue) -> \(finish.rawValue) for \(keyName(slot))")
        }
    }

    /// Runs the table entry for (state, rec); false if the pair is not in the table.
    private func transitionInTable(_ slot: Int32, from start: WorkerTaskStateName, _ rec: Recommendation) -> Bool {
        switch (start, rec) {
        case (.cancelled, .error), (.cancelled, .memory), (.cancelled, .missing), (.cancelled, .released):
            cancelledReleased(slot)
        case (.cancelled, .fetch): cancelledFetch(slot)
        case (.cancelled, .waiting): cancelledWaiting(slot)
        case (.cancelled, .longRunning), (.resumed, .longRunning): cancelledOrResumedLongRunning(slot)
        case (.resumed, .error): resumedError(slot)
        case (.resumed, .fetch): resumedFetch(slot)
        case (.resumed, .memory(let runID)): resumedMemory(slot, runID: runID)
        case (.resumed, .released):
            setState(slot, .cancelled)
            records[Int(slot)].next = nil
        case (.constrained, .executing), (.ready, .executing): startExecuting(slot)
        case (.constrained, .released), (.ready, .released), (.waiting, .released), (.error, .released):
            genericReleased(slot)
        case (.executing, .error(let runID)), (.longRunning, .error(let runID)),
             (.flight, .error(let runID)), (.missing, .error(let runID)), (.released, .error(let runID)):
            genericError(slot, runID: runID)
        case (.executing, .longRunning(let duration)): executingLongRunning(slot, computeDuration: duration)
        case (.executing, .memory(let runID)), (.longRunning, .memory(let runID)):
            toMemory(slot, message: .taskFinished, runID: runID)
        case (.executing, .released), (.longRunning, .released):
            records[Int(slot)].previous = start
            setState(slot, .cancelled)
        case (.fetch, .flight(let peer)): fetchFlight(slot, peer: peer)
        case (.fetch, .missing):
            removeFromDataNeeded(slot)
            genericMissing(slot)
        case (.fetch, .released):
            removeFromDataNeeded(slot)
            genericReleased(slot)
        case (.flight, .fetch):
            // Still transferring: nothing to do until the transfer ends.
            if records[Int(slot)].done { genericFetch(slot) }
        case (.flight, .memory): toMemory(slot, message: .addKeys, runID: -1)
        case (.flight, .missing): genericMissing(slot)
        case (.flight, .released):
            records[Int(slot)].previous = .flight
            records[Int(slot)].next = nil
            setState(slot, .cancelled)
        case (.memory, .released):
            genericReleased(slot)
            out.append(.toScheduler(.releaseWorkerData(key: records[Int(slot)].id, stimulusID: stimulusID)))
        case (.missing, .fetch):
            if !records[Int(slot)].whoHas.isEmpty { genericFetch(slot) }
        case (.missing, .released): genericReleased(slot)
        case (.missing, .waiting):
            purge(slot)
            releasedWaiting(slot)
        case (.released, .fetch): genericFetch(slot)
        case (.released, .forgotten): releasedForgotten(slot)
        case (.released, .memory): toMemory(slot, message: .none, runID: -1)
        case (.released, .missing): genericMissing(slot)
        case (.released, .waiting): releasedWaiting(slot)
        case (.waiting, .constrained):
            setState(slot, .constrained)
            pushQueued(slot, into: &constrainedHeap)
            ensureComputing()
        case (.waiting, .ready):
            if !records[Int(slot)].resources.isEmpty {
                recommend(slot, .constrained)
            } else {
                setState(slot, .ready)
                pushQueued(slot, into: &readyHeap)
                ensureComputing()
            }
        default:
            return false
        }
        return true
    }

    // MARK: - Entries

    enum MemoryMessage { case none, taskFinished, addKeys }

    func genericFetch(_ slot: Int32) {
        if records[Int(slot)].whoHas.isEmpty {
            recommend(slot, .missing)
            return
        }
        setState(slot, .fetch)
        records[Int(slot)].done = false
        addToDataNeeded(slot)
    }

    func genericMissing(_ slot: Int32) {
        setState(slot, .missing)
        records[Int(slot)].done = false
    }

    /// Purges the task and releases dependencies nobody here needs any more;
    /// recommends `forgotten` when nothing here depends on the task.
    func genericReleased(_ slot: Int32) {
        purge(slot)
        for dep in records[Int(slot)].dependencies {
            if records[Int(dep)].waiters.isEmpty && !Self.unreleasable(records[Int(dep)].state) {
                recommend(dep, .released)
            }
        }
        setState(slot, .released)
        if records[Int(slot)].dependents.isEmpty {
            recommend(slot, .forgotten)
        }
    }

    /// Dask's `READY | PROCESSING | {"memory"}`.
    static func unreleasable(_ state: WorkerTaskStateName) -> Bool {
        switch state {
        case .ready, .constrained, .waiting, .executing, .longRunning, .memory: true
        default: false
        }
    }

    func releasedWaiting(_ slot: Int32) {
        records[Int(slot)].waitingForData.removeAll()
        let deps = records[Int(slot)].dependencies
        for dep in deps where records[Int(dep)].state != .memory {
            records[Int(slot)].waitingForData.append(dep)
            if !records[Int(dep)].waiters.contains(slot) { records[Int(dep)].waiters.append(slot) }
            recommend(dep, .fetch)
        }
        if records[Int(slot)].waitingForData.isEmpty {
            recommend(slot, .ready)
        }
        setState(slot, .waiting)
    }

    func fetchFlight(_ slot: Int32, peer: WorkerID) {
        records[Int(slot)].done = false
        setState(slot, .flight)
        records[Int(slot)].comingFrom = peer
        records[Int(slot)].inFlight = true
        inFlightTaskCount += 1
    }

    func genericError(_ slot: Int32, runID: Int64) {
        setState(slot, .error)
        let r = records[Int(slot)]
        out.append(.toScheduler(.taskErred(key: r.id, runID: runID, exception: r.exception ?? "",
                                           start: r.start, stop: r.stop, stimulusID: stimulusID)))
    }

    func resumedError(_ slot: Int32) {
        let wasComputing = records[Int(slot)].previous == .executing || records[Int(slot)].previous == .longRunning
        setState(slot, .released)
        records[Int(slot)].done = false
        records[Int(slot)].previous = nil
        records[Int(slot)].next = nil
        records[Int(slot)].exception = nil  // the failure is discarded, not reported
        recommend(slot, wasComputing ? .fetch : .waiting)
    }

    func resumedFetch(_ slot: Int32) {
        guard records[Int(slot)].previous == .flight else { return }  // executing: wait for it
        if records[Int(slot)].done {
            // The transfer failed while the scheduler wanted a compute: compute it.
            setState(slot, .released)
            records[Int(slot)].done = false
            records[Int(slot)].previous = nil
            records[Int(slot)].next = nil
            recommend(slot, .waiting)
        } else {
            setState(slot, .flight)
            records[Int(slot)].previous = nil
            records[Int(slot)].next = nil
        }
    }

    func cancelledFetch(_ slot: Int32) {
        if records[Int(slot)].previous == .flight {
            if records[Int(slot)].done {
                recommend(slot, .released)
            } else {
                setState(slot, .flight)
                records[Int(slot)].previous = nil
            }
        } else {
            setState(slot, .resumed)
            records[Int(slot)].next = .fetch
        }
    }

    func cancelledWaiting(_ slot: Int32) {
        switch records[Int(slot)].previous {
        case .executing?:
            setState(slot, .executing)
            records[Int(slot)].previous = nil
        case .longRunning?:
            setState(slot, .longRunning)
            records[Int(slot)].previous = nil
            let r = records[Int(slot)]
            out.append(.toScheduler(.longRunning(key: r.id, runID: r.runID, computeDuration: now - r.executeStart,
                                                 stimulusID: stimulusID)))
        default:
            setState(slot, .resumed)
            records[Int(slot)].next = .waiting
        }
    }

    func cancelledReleased(_ slot: Int32) {
        guard records[Int(slot)].done else { return }
        records[Int(slot)].resultBytes = -1  // the discarded result
        records[Int(slot)].previous = nil
        records[Int(slot)].done = false
        genericReleased(slot)
    }

    func cancelledOrResumedLongRunning(_ slot: Int32) {
        records[Int(slot)].previous = .longRunning
        moveToLongRunning(slot)
        ensureComputing()
    }

    func executingLongRunning(_ slot: Int32, computeDuration: Time) {
        setState(slot, .longRunning)
        moveToLongRunning(slot)
        let r = records[Int(slot)]
        out.append(.toScheduler(.longRunning(key: r.id, runID: r.runID, computeDuration: computeDuration,
                                             stimulusID: stimulusID)))
        ensureComputing()
    }

    private func moveToLongRunning(_ slot: Int32) {
        if records[Int(slot)].inExecuting {
            records[Int(slot)].inExecuting = false
            executingTasks -= 1
        }
        if !records[Int(slot)].inLongRunning {
            records[Int(slot)].inLongRunning = true
            longRunningTasks += 1
        }
    }

    func resumedMemory(_ slot: Int32, runID: Int64) {
        let wasComputing = records[Int(slot)].previous == .executing || records[Int(slot)].previous == .longRunning
        records[Int(slot)].previous = nil
        records[Int(slot)].next = nil
        // The scheduler expects what `next` said, the opposite of what just finished.
        toMemory(slot, message: wasComputing ? .addKeys : .taskFinished, runID: runID)
    }

    /// Dask's `_transition_to_memory`: the only place a result enters memory.
    func toMemory(_ slot: Int32, message: MemoryMessage, runID: Int64) {
        setState(slot, .memory)
        if records[Int(slot)].resultBytes >= 0 {
            records[Int(slot)].nbytes = records[Int(slot)].resultBytes
            records[Int(slot)].resultBytes = -1
        }
        if records[Int(slot)].nbytes < 0 { records[Int(slot)].nbytes = config.defaultDataSize }
        managedBytesTotal += records[Int(slot)].nbytes
        storeInMemory(slot)
        let dependents = records[Int(slot)].dependents
        for dep in dependents {
            records[Int(dep)].waitingForData.remove(slot)
            if records[Int(dep)].waitingForData.isEmpty && records[Int(dep)].state == .waiting {
                recommend(dep, .ready)
            }
        }
        let key = records[Int(slot)].id
        switch message {
        case .none:
            break
        case .addKeys:
            out.append(.toScheduler(.addKeys(keys: [key], stimulusID: stimulusID)))
        case .taskFinished:
            out.append(.toScheduler(.taskFinished(key: key, runID: runID, nbytes: records[Int(slot)].nbytes,
                                                  start: records[Int(slot)].start, stop: records[Int(slot)].stop,
                                                  stimulusID: stimulusID)))
        }
    }

    func releasedForgotten(_ slot: Int32) {
        // A task something here still depends on must stay known; Dask asserts this.
        guard records[Int(slot)].dependents.isEmpty else { return }
        let deps = records[Int(slot)].dependencies
        for dep in deps {
            records[Int(dep)].dependents.remove(slot)
            if records[Int(dep)].state == .released && records[Int(dep)].dependents.isEmpty {
                recommend(dep, .forgotten)
            }
        }
        purge(slot)
        freeSlot(slot)
    }

    /// Dask's `_purge_state`: clears every per-task structure (idempotent).
    func purge(_ slot: Int32) {
        dropData(slot)
        removeFromDataNeeded(slot)
        records[Int(slot)].whoHas.removeAll()
        let deps = records[Int(slot)].dependencies
        for dep in deps {
            records[Int(dep)].waiters.remove(slot)
        }
        records[Int(slot)].waitingForData.removeAll()
        records[Int(slot)].nbytes = -1
        records[Int(slot)].previous = nil
        records[Int(slot)].next = nil
        records[Int(slot)].done = false
        records[Int(slot)].comingFrom = nil
        records[Int(slot)].exception = nil
        records[Int(slot)].queueStamp = 0
        leaveExecutingSets(slot)
        if records[Int(slot)].inFlight {
            records[Int(slot)].inFlight = false
            inFlightTaskCount -= 1
        }
    }
}

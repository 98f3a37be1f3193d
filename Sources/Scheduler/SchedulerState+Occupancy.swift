import Messages

/// Duration estimates, occupancy and the idle / saturated bookkeeping
/// (Dask's `_get_prefix_duration`, `_calc_occupancy`, `check_idle_saturated`).
///
/// All estimates are integer nanoseconds so that sums do not depend on the
/// order of terms: the same state gives bit-identical occupancies.
extension SchedulerState {
    /// Dask's `_get_prefix_duration`: the EWMA if known, else twice the longest
    /// execution seen in heartbeats, else `unknown-task-duration`.
    @inline(__always) func prefixDuration(_ p: Int) -> Int64 {
        let avg = prefixes[p].durationAverage
        if avg >= 0 { return avg }
        if prefixes[p].maxExecTime > 0 { return 2 * prefixes[p].maxExecTime }
        return config.unknownTaskDuration.nanoseconds
    }

    /// Changes a prefix's estimate inputs, keeping `totalTaskOccupancy` exact.
    func updatePrefix(_ p: Int, _ change: (inout PrefixRecord) -> Void) {
        let before = prefixDuration(p)
        change(&prefixes[p])
        let after = prefixDuration(p)
        if before != after {
            totalTaskOccupancy += Int64(prefixes[p].globalCount) * (after - before)
            for w in prefixWorkers[p] {
                guard let count = workers[Int(w)]?.prefixCount[Int32(p)] else { continue }
                workers[Int(w)]!.taskOccupancy += Int64(count) * (after - before)
            }
        }
    }

    /// Dask's `TaskPrefix.add_duration` for a `compute` startstop: EWMA with weight 0.5
    /// (`(old + new) / 2` in integer ns, rounding down).
    func addComputeDuration(prefix p: Int, duration: Int64) {
        let d = max(duration, 0)
        updatePrefix(p) { prefix in
            prefix.durationAverage = prefix.durationAverage < 0 ? d : (prefix.durationAverage + d) / 2
        }
    }

    /// Dask's `TaskPrefix.add_exec_time` (from heartbeats' `executing`).
    func addExecTime(prefix p: Int, duration: Int64) {
        updatePrefix(p) { prefix in
            prefix.maxExecTime = max(prefix.maxExecTime, duration)
            if duration > 2 * prefix.durationAverage { prefix.durationAverage = -1 }
        }
    }

    /// Seconds of transfer for `bytes` at the current bandwidth estimate, in ns.
    @inline(__always) func transferTime(_ bytes: Int64) -> Int64 {
        guard bytes > 0 else { return 0 }
        return Int64((Double(bytes) / bandwidth * 1e9).rounded())
    }

    /// Dask's `WorkerState.occupancy` (ns): Σ processing tasks × prefix estimate + missing bytes / bandwidth.
    func occupancy(_ w: WorkerID) -> Int64 {
        readWorker(w.index) { ws in
            guard ws.pointee != nil else { return 0 }
            return max(ws.pointee!.taskOccupancy + transferTime(ws.pointee!.networkOcc), 0)
        }
    }

    /// Runs `body` with a pointer to worker `i`'s record, so it reads fields in place.
    /// (`workers[i]!.field` can make the optimiser copy the whole record first,
    /// retaining every set in it, on paths run once per task.)
    @inline(__always) func readWorker<R>(_ i: Int, _ body: (UnsafePointer<WorkerRecord?>) -> R) -> R {
        workers.withUnsafeBufferPointer { body($0.baseAddress! + i) }
    }

    /// Dask's `total_occupancy` (ns).
    func totalOccupancy() -> Int64 {
        max(totalTaskOccupancy + transferTime(networkOccGlobal), 0)
    }

    /// Dask's `get_comm_cost` (ns): bytes of dependencies not held by `w`, over the bandwidth.
    func commCost(_ t: TaskID, _ w: WorkerID) -> Int64 {
        var bytes: Int64 = 0
        for e in graph.dependencyRange(t) where edgeFlags[e] & EdgeFlag.linked != 0 {
            let d = graph.deps[e]
            if !tasks[d.index].whoHas.contains(w) { bytes += getNbytes(d) }
        }
        return transferTime(bytes)
    }

    /// Dask's `is_unoccupied`.
    func isUnoccupied(_ w: WorkerID, occupancy occ: Int64, processing p: Int) -> Bool {
        let nthreads = readWorker(w.index) { $0.pointee!.nthreads }
        if p < nthreads { return true }
        guard totalNthreads > 0 else { return false }
        let average = Double(totalOccupancy()) / Double(totalNthreads)
        return Double(occ) < Double(nthreads) * average / 2
    }

    /// Dask's `_task_slots_available`.
    func taskSlotsAvailable(_ w: WorkerID) -> Int {
        readWorker(w.index) { ws in
            let limit = max(Int((config.workerSaturation * Double(ws.pointee!.nthreads)).rounded(.up)), 1)
            return limit - (ws.pointee!.processing.count - ws.pointee!.longRunning.count)
        }
    }

    /// Dask's `_worker_full`.
    func workerFull(_ w: WorkerID) -> Bool {
        if config.workerSaturation.isInfinite { return false }
        return taskSlotsAvailable(w) <= 0
    }

    /// Dask's `check_idle_saturated`: maintains `idle`, `saturated` and `idle_task_count`.
    func checkIdleSaturated(_ w: WorkerID, occupancy given: Int64? = nil) {
        guard totalNthreads > 0, workerPresent[w.index], readWorker(w.index, { $0.pointee!.status != .closed }) else { return }
        let i = w.index
        let (status, p, nc) = readWorker(i) { ($0.pointee!.status, $0.pointee!.processing.count, $0.pointee!.nthreads) }
        let occ = given ?? occupancy(w)
        setFlag(&inSaturated, &saturatedCount, i, false)
        if status != .running {
            setFlag(&inIdle, &idleCount, i, false)
        } else if isUnoccupied(w, occupancy: occ, processing: p) {
            setFlag(&inIdle, &idleCount, i, true)
        } else {
            setFlag(&inIdle, &idleCount, i, false)
            if p > nc {
                let pending = Double(occ) / 1e9 * Double(p - nc) / Double(p * nc)
                let average = Double(totalOccupancy()) / 1e9 / Double(totalNthreads)
                if 0.4 < pending && pending > 1.9 * average { setFlag(&inSaturated, &saturatedCount, i, true) }
            }
        }
        setIdleTaskCount(i, !workerFull(w) && status == .running)
    }

    @inline(__always) func setFlag(_ flags: inout [Bool], _ count: inout Int, _ i: Int, _ value: Bool) {
        if flags[i] != value {
            flags[i] = value
            count += value ? 1 : -1
        }
    }

    /// Adds or removes worker `i` from `idle_task_count` (flag, count and member list).
    func setIdleTaskCount(_ i: Int, _ value: Bool) {
        guard inIdleTaskCount[i] != value else { return }
        inIdleTaskCount[i] = value
        if value {
            idleTaskCountCount += 1
            idleTaskCountPosition[i] = Int32(idleTaskCountMembers.count)
            idleTaskCountMembers.append(Int32(i))
        } else {
            idleTaskCountCount -= 1
            let at = Int(idleTaskCountPosition[i])
            let last = idleTaskCountMembers.removeLast()
            if at < idleTaskCountMembers.count {
                idleTaskCountMembers[at] = last
                idleTaskCountPosition[Int(last)] = Int32(at)
            }
            idleTaskCountPosition[i] = -1
        }
    }

    /// Σ open slots over `idle_task_count` (Dask's `stimulus_queue_slots_maybe_opened` sum).
    /// An integer sum, so the member list's order does not matter.
    public func openTaskSlots() -> Int {
        guard idleTaskCountCount > 0, !config.workerSaturation.isInfinite else { return 0 }
        var total = 0
        for i in idleTaskCountMembers {
            total += max(taskSlotsAvailable(WorkerID(Int(i))), 0)
        }
        return total
    }
}

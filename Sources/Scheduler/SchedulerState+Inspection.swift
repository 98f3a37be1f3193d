import Messages

/// Read-only views of the scheduler's state, for drivers, reports, tests and
/// other policies. Every collection comes back in a fixed order (ids ascending
/// unless stated), never in `Set`/`Dictionary` order.
extension SchedulerState {
    /// Dask's `processing_on`.
    public func processingOn(_ t: TaskID) -> WorkerID? {
        let p = tasks[t.index].processingOn
        return p >= 0 ? WorkerID(Int(p)) : nil
    }

    /// Dask's `who_has`, ascending worker id.
    public func whoHas(_ t: TaskID) -> [WorkerID] { tasks[t.index].whoHas }

    /// Dask's `who_wants`, ascending client id.
    public func whoWants(_ t: TaskID) -> [ClientID] { tasks[t.index].whoWants }

    /// Dask's `ws.processing`, ascending task id.
    public func processing(on w: WorkerID) -> [TaskID] {
        guard w.index >= 0, w.index < workers.count, let ws = workers[w.index] else { return [] }
        return ws.processing.sorted()
    }

    /// Dask's `ws.has_what`, ascending task id.
    public func hasWhat(_ w: WorkerID) -> [TaskID] {
        guard w.index >= 0, w.index < workers.count, let ws = workers[w.index] else { return [] }
        return ws.hasWhat.sorted()
    }

    /// Dask's `ws.nbytes`.
    public func storedBytes(on w: WorkerID) -> Int64 { w.index >= 0 && w.index < workers.count ? workers[w.index]?.nbytes ?? 0 : 0 }

    /// Dask's `ws.occupancy`.
    public func occupancy(of w: WorkerID) -> Time { w.index >= 0 && w.index < workers.count ? Time(nanoseconds: occupancy(w)) : .zero }

    /// The worker's status as the scheduler sees it, or nil if unknown or removed.
    public func status(of w: WorkerID) -> WorkerStatus? {
        guard isPresent(w), let ws = workers[w.index] else { return nil }
        return ws.status
    }

    /// Membership in Dask's `idle`, `saturated` and `idle_task_count`.
    public func isIdle(_ w: WorkerID) -> Bool { isPresent(w) && inIdle[w.index] }
    public func isSaturated(_ w: WorkerID) -> Bool { isPresent(w) && inSaturated[w.index] }
    public func hasOpenTaskSlots(_ w: WorkerID) -> Bool { isPresent(w) && inIdleTaskCount[w.index] }

    /// The queue (Dask's `queued`) in the order tasks would leave it.
    public var queuedTasks: [TaskID] {
        queue.unordered
            .filter { tasks[$0.task.index].state == TS.queued && tasks[$0.task.index].queueSeq == $0.seq }
            .sorted()
            .map(\.task)
    }

    /// Dask's `unrunnable`, in the order tasks entered it.
    public var unrunnableTasks: [TaskID] { Array(unrunnable.keys) }

    public func priority(of t: TaskID) -> Priority { tasks[t.index].priority }
    public func retries(of t: TaskID) -> Int { Int(tasks[t.index].retries) }
    public func suspicious(of t: TaskID) -> Int { Int(tasks[t.index].suspicious) }
    public func nbytes(of t: TaskID) -> Int64 { tasks[t.index].nbytes }
    /// `len(waiting_on)` and `len(waiters)`.
    public func waitingOnCount(_ t: TaskID) -> Int { Int(tasks[t.index].waitingOnCount) }
    public func waitersCount(_ t: TaskID) -> Int { Int(tasks[t.index].waitersCount) }
    /// The run id of the last `compute-task` sent for the task.
    public func runID(of t: TaskID) -> Int64 { tasks[t.index].runID }

    /// The exception text a client sees for an erred task (that of `exception_blame`).
    public func exception(of t: TaskID) -> String? {
        let blame = tasks[t.index].exceptionBlame
        guard blame >= 0 else { return nil }
        return exceptions[TaskID(Int(blame))]
    }

    /// Dask's `exception_blame`.
    public func exceptionBlame(of t: TaskID) -> TaskID? {
        let blame = tasks[t.index].exceptionBlame
        return blame >= 0 ? TaskID(Int(blame)) : nil
    }

    /// The scheduler's current duration estimate for a prefix (Dask's `_get_prefix_duration`).
    public func durationEstimate(prefix: String) -> Time? {
        guard let p = graph.prefixNames.firstIndex(of: prefix) else { return nil }
        return Time(nanoseconds: prefixDuration(p))
    }

    /// The measured average for a prefix (Dask's `duration_average`), nil while unknown.
    public func durationAverage(prefix: String) -> Time? {
        guard let p = graph.prefixNames.firstIndex(of: prefix), prefixes[p].durationAverage >= 0 else { return nil }
        return Time(nanoseconds: prefixes[p].durationAverage)
    }

    /// Dask's `bandwidth` estimate, bytes per second.
    public var bandwidthEstimate: Double { bandwidth }

    /// Dask's `total_nthreads` over present workers.
    public var totalThreads: Int { totalNthreads }

    /// The worker's `nthreads` (0 for an unknown worker).
    public func nthreads(of w: WorkerID) -> Int { w.index < workers.count ? workers[w.index]?.nthreads ?? 0 : 0 }

    /// Present workers in id order.
    public var presentWorkers: [WorkerID] {
        workers.indices.filter { workers[$0]?.present == true }.map(WorkerID.init)
    }

    /// Number of tasks in each state, indexed like `SchedulerTaskStateName.allCases`.
    public func stateCounts() -> [SchedulerTaskStateName: Int] {
        var counts: [SchedulerTaskStateName: Int] = [:]
        for r in tasks where r.state != TS.unknown { counts[TS.name(r.state), default: 0] += 1 }
        return counts
    }
}

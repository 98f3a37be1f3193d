import Messages

/// Dask's placement routines (`is_rootish`, `valid_workers`, `decide_worker*`,
/// `worker_objective`). They live on the state, as in Dask, so every policy can
/// reuse them; the `DaskPolicy` wires them together as Dask does.
///
/// Deterministic tie-breaks (where Dask takes `min()` over a Python set):
/// every objective compares as a tuple whose last element is the worker id
/// (the order workers joined), so equal objectives pick the lowest id.
extension SchedulerState {
    /// Dask's `is_rootish`.
    public func isRootish(_ t: TaskID) -> Bool {
        // Fields are read in place: binding the `TaskSpec` or `GroupRecord` would copy
        // (and retain) their strings and arrays once per placement.
        if !workload.tasks[t.index].resources.isEmpty || !workload.tasks[t.index].restrictions.isEmpty
            || workload.tasks[t.index].actor != nil { return false }
        let g = Int(graph.groupOf[t.index])
        guard Int(groups[g].size) > 2 * totalNthreads else { return false }
        guard groups[g].dependencies.count < config.rootishTaskgroup else { return false }
        var total = 0
        for dg in groups[g].dependencies {
            total += Int(groups[Int(dg)].size)
            if total >= config.rootishTaskgroupDependencies { return false }
        }
        return true
    }

    /// Dask's `valid_workers`: `nil` when every running worker is valid, otherwise
    /// the valid running workers in id order (possibly empty).
    public func validWorkers(_ t: TaskID) -> [WorkerID]? {
        if workload.tasks[t.index].restrictions.isEmpty && workload.tasks[t.index].resources.isEmpty
            && workload.tasks[t.index].actor == nil { return nil }
        let spec = workload.tasks[t.index]
        var mask = [Bool](repeating: false, count: workers.count)
        var restricted = false
        if let actor = spec.actor {
            // An actor method call runs where the actor lives (schedsim's model of `actor_execute`).
            restricted = true
            for w in tasks[actor.index].whoHas { mask[w.index] = true }
        }
        if !spec.restrictions.isEmpty {
            // worker restrictions ∪ host restrictions (∩ the actor's worker for a method call)
            var allowed = [Bool](repeating: false, count: workers.count)
            for name in spec.restrictions.workers {
                if let w = workerByName[name] { allowed[w.index] = true }
            }
            if !spec.restrictions.hosts.isEmpty {
                for (i, ws) in workers.enumerated() {
                    if let ws, ws.present, spec.restrictions.hosts.contains(ws.spec.host) { allowed[i] = true }
                }
            }
            for i in mask.indices { mask[i] = restricted ? (mask[i] && allowed[i]) : allowed[i] }
            restricted = true
        }
        if !spec.resources.isEmpty {
            for (i, ws) in workers.enumerated() {
                var ok = ws?.present == true
                if ok, let ws {
                    for r in spec.resources {
                        let supplied = ws.spec.resources.first(where: { $0.name == r.name })?.amount
                        if supplied == nil || supplied! < r.amount { ok = false; break }
                    }
                }
                mask[i] = restricted ? (mask[i] && ok) : ok
            }
        }
        var result: [WorkerID] = []
        for i in mask.indices where mask[i] {
            // Dask intersects with `running` only when some worker is not running.
            if runningCount < workerCount && !inRunning[i] { continue }
            result.append(WorkerID(i))
        }
        return result
    }

    /// Dask's `worker_objective` as a comparable tuple, ending with the worker id.
    func workerObjective(_ t: TaskID, _ w: WorkerID) -> (Int, Int64, Int64, Int32) {
        let (nthreads, actorCount, nbytes) = readWorker(w.index) { ($0.pointee!.nthreads, $0.pointee!.actors.count, $0.pointee!.nbytes) }
        let stack = occupancy(w) / Int64(max(nthreads, 1))
        let start = stack + commCost(t, w)
        let actors = tasks[t.index].actor ? actorCount : 0
        return (actors, start, nbytes, w.rawValue)
    }

    /// The running workers, in id order.
    public var runningWorkers: [WorkerID] {
        var result: [WorkerID] = []
        result.reserveCapacity(runningCount)
        for i in inRunning.indices where inRunning[i] { result.append(WorkerID(i)) }
        return result
    }

    /// Module function `decide_worker`: among running workers holding a
    /// dependency (all running workers for an actor, or if none holds one),
    /// restricted to `valid`, the one with the smallest objective.
    func decideWorker(_ t: TaskID, valid: [WorkerID]?) -> WorkerID? {
        var candidates: [WorkerID] = []
        if tasks[t.index].actor {
            candidates = runningWorkers
        } else {
            if scratchMask.count < workers.count { scratchMask = [Bool](repeating: false, count: workers.count) }
            for e in graph.dependencyRange(t) where edgeFlags[e] & EdgeFlag.linked != 0 {
                for w in tasks[graph.deps[e].index].whoHas where inRunning[w.index] && !scratchMask[w.index] {
                    scratchMask[w.index] = true
                    candidates.append(w)
                }
            }
            for w in candidates { scratchMask[w.index] = false }
            candidates.sort()
        }
        if let valid {
            candidates = candidates.filter { valid.contains($0) }
            if candidates.isEmpty {
                candidates = valid
                if candidates.isEmpty && workload.tasks[t.index].restrictions.loose {
                    return decideWorker(t, valid: nil)
                }
            }
        } else if candidates.isEmpty {
            candidates = runningWorkers
        }
        if candidates.count <= 1 { return candidates.first }
        var best = candidates[0]
        var bestObjective = workerObjective(t, best)
        for w in candidates.dropFirst() {
            let o = workerObjective(t, w)
            if o < bestObjective {
                best = w
                bestObjective = o
            }
        }
        return best
    }

    /// Dask's `decide_worker_non_rootish`.
    public func decideWorkerNonRootish(_ t: TaskID) -> WorkerID? {
        guard runningCount > 0 else { return nil }
        var valid = validWorkers(t)
        if valid == nil && runningCount < workerCount { valid = runningWorkers }
        if graph.dependencyRange(t).contains(where: { edgeFlags[$0] & EdgeFlag.linked != 0 }) || valid != nil {
            return decideWorker(t, valid: valid)
        }
        // Fast path (no dependencies, no restrictions, all workers running):
        // the idle workers if any, else all, in id order (Dask: address order).
        var pool: [WorkerID] = []
        if idleCount > 0 {
            for i in inIdle.indices where inIdle[i] { pool.append(WorkerID(i)) }
        } else {
            for (i, ws) in workers.enumerated() where ws?.present == true { pool.append(WorkerID(i)) }
        }
        let n = pool.count
        guard n > 0 else { return nil }
        if n < 20 {
            var best = pool[0]
            var bestOcc = occupancy(best)
            for w in pool.dropFirst() {
                let o = occupancy(w)
                if o < bestOcc { best = w; bestOcc = o }
            }
            if bestOcc == 0 {
                // round-robin: from n_tasks % n, the first worker with zero occupancy
                let start = nTasks % n
                for i in 0..<n where occupancy(pool[(i + start) % n]) == 0 {
                    return pool[(i + start) % n]
                }
            }
            return best
        }
        return pool[nTasks % n]
    }

    /// Dask's `decide_worker_rootish_queuing_enabled`: the worker of
    /// `idle_task_count` with the fewest processing tasks per thread (ties: lowest id).
    public func decideWorkerRootishQueuingEnabled() -> WorkerID? {
        guard idleTaskCountCount > 0 else { return nil }
        var best: WorkerID? = nil
        var bestNum = 0, bestDen = 1
        // The member list is unordered, so ties are broken explicitly by the lowest id.
        for m in idleTaskCountMembers {
            let i = Int(m)
            let num = workers[i]!.processing.count, den = max(workers[i]!.nthreads, 1)
            // num/den < bestNum/bestDen, compared exactly in integers
            if best == nil || num * bestDen < bestNum * den || (num * bestDen == bestNum * den && i < best!.index) {
                best = WorkerID(i)
                bestNum = num
                bestDen = den
            }
        }
        return best
    }

    /// Dask's `decide_worker_rootish_queuing_disabled` (co-assignment of sibling root tasks).
    public func decideWorkerRootishQueuingDisabled(_ t: TaskID) -> WorkerID? {
        var pool: [WorkerID] = []
        if idleCount > 0 {
            for i in inIdle.indices where inIdle[i] { pool.append(WorkerID(i)) }
        } else {
            pool = runningWorkers
        }
        guard !pool.isEmpty else { return nil }
        let g = Int(graph.groupOf[t.index])
        let last = groups[g].lastWorker
        let w: WorkerID
        if last >= 0, groups[g].lastWorkerTasksLeft > 0, let lws = workers[Int(last)], lws.present, lws.status == .running {
            w = WorkerID(Int(last))
        } else {
            var best = pool[0]
            var bestObjective = workerObjective(t, best)
            for c in pool.dropFirst() {
                let o = workerObjective(t, c)
                if o < bestObjective { best = c; bestObjective = o }
            }
            w = best
            let share = Double(groups[g].size) / Double(max(totalNthreads, 1)) * Double(workers[w.index]!.nthreads)
            groups[g].lastWorkerTasksLeft = Int(share.rounded(.down))
        }
        groups[g].lastWorker = groups[g].releasedOrWaiting > 1 ? Int32(w.index) : -1
        groups[g].lastWorkerTasksLeft -= 1
        return w
    }
}

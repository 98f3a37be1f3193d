import Messages

/// Dask's `validate_state` / `validate_task_state`: every cross-reference is
/// recomputed from scratch and compared with the incrementally kept value.
extension SchedulerState {
    func invariantViolations() -> [String] {
        var problems: [String] = engineErrors.map { "engine: " + $0 }
        func fail(_ message: @autoclosure () -> String) {
            if problems.count < 50 { problems.append(message()) }
        }
        func active(_ s: UInt8) -> Bool { s == TS.waiting || s == TS.queued || s == TS.noWorker || s == TS.processing }
        func increasing<E: Comparable>(_ a: [E]) -> Bool { zip(a, a.dropFirst()).allSatisfy { $0 < $1 } }
        var queuedTasks = 0
        var wants = [Int](repeating: 0, count: clients.count)
        var groupLive = [Int32](repeating: 0, count: groups.count)
        var groupRW = [Int32](repeating: 0, count: groups.count)
        var liveQueueSeqs = Set<UInt32>()
        for entry in queuedCount > 0 ? queue.unordered : [] where tasks[entry.task.index].state == TS.queued && tasks[entry.task.index].queueSeq == entry.seq {
            liveQueueSeqs.insert(entry.seq)
        }
        for i in tasks.indices {
            let t = TaskID(i)
            let r = tasks[i]
            guard isLive(t) else {
                if r.state == TS.forgotten || r.state == TS.unknown {
                    for e in graph.dependencyRange(t) where edgeFlags[e] != 0 { fail("\(key(t)) (\(TS.name(r.state))) has flags on a dependency edge") }
                    if !r.whoHas.isEmpty { fail("\(key(t)) is not known but has replicas") }
                }
                continue
            }
            var name: String { "\(key(t)) [\(TS.name(r.state))]" }
            let g = Int(graph.groupOf[i])
            groupLive[g] += 1
            if r.state == TS.released || r.state == TS.waiting { groupRW[g] += 1 }
            for c in r.whoWants { if c.index < wants.count { wants[c.index] += 1 } else { fail("\(name) wanted by unknown \(c)") } }
            if !increasing(r.whoWants) { fail("\(name) who_wants not sorted/unique") }
            if !increasing(r.whoHas) { fail("\(name) who_has not sorted/unique") }
            for w in r.whoHas {
                guard let ws = workers[w.index] else { fail("\(name) held by unknown \(w)"); continue }
                if !ws.present { fail("\(name) held by removed \(w)") }
                if !ws.hasWhat.contains(t) { fail("\(name) in who_has of \(w) but not in its has_what") }
            }
            if (r.state == TS.memory) != !r.whoHas.isEmpty { fail("\(name) who_has non-empty iff memory broken (\(r.whoHas.count) replicas)") }
            if (r.state == TS.processing) != (r.processingOn >= 0) { fail("\(name) processing_on \(r.processingOn) inconsistent") }
            if r.processingOn >= 0 {
                let w = Int(r.processingOn)
                if workers[w]?.processing.contains(t) != true { fail("\(name) processing_on \(w) but not in its processing") }
                if workers[w]?.present != true { fail("\(name) processing on removed worker \(w)") }
            }
            if r.state == TS.queued {
                queuedTasks += 1
                if !liveQueueSeqs.contains(r.queueSeq) { fail("\(name) has no live queue entry") }
            }
            if (r.state == TS.noWorker) != (unrunnable[t] != nil) { fail("\(name) unrunnable membership wrong") }
            // per-edge relations
            var waitingOn: Int32 = 0
            for e in graph.dependencyRange(t) {
                let f = edgeFlags[e]
                let d = graph.deps[e]
                if f & EdgeFlag.linked == 0 {
                    if f != 0 { fail("\(name) unlinked edge to \(key(d)) has flags \(f)") }
                    continue
                }
                if !isLive(d) { fail("\(name) linked to forgotten dependency \(key(d))") }
                if f & EdgeFlag.waitingOn != 0 {
                    waitingOn += 1
                    if !tasks[d.index].whoHas.isEmpty { fail("\(name) waiting on in-memory dependency \(key(d))") }
                }
                if r.state == TS.waiting && tasks[d.index].whoHas.isEmpty && f & EdgeFlag.waitingOn == 0 {
                    fail("\(name) not waiting on missing dependency \(key(d))")
                }
                if (r.state == TS.queued || r.state == TS.noWorker || r.state == TS.processing) && tasks[d.index].state != TS.memory {
                    fail("\(name) runnable but dependency \(key(d)) is \(TS.name(tasks[d.index].state))")
                }
                if f & EdgeFlag.waiter != 0 && !active(r.state) {
                    fail("\(name) is a waiter of \(key(d)) but not waiting/queued/no-worker/processing")
                }
            }
            if waitingOn != r.waitingOnCount { fail("\(name) waiting_on count \(r.waitingOnCount) != \(waitingOn)") }
            if r.state != TS.waiting && r.waitingOnCount != 0 { fail("\(name) has waiting_on outside waiting") }
            var waiters: Int32 = 0, dependents: Int32 = 0
            for f in graph.dependentRange(t) {
                let e = Int(graph.dependentEdge[f])
                if edgeFlags[e] & EdgeFlag.linked != 0 { dependents += 1 }
                if edgeFlags[e] & EdgeFlag.waiter != 0 { waiters += 1 }
            }
            if waiters != r.waitersCount { fail("\(name) waiters count \(r.waitersCount) != \(waiters)") }
            if dependents != r.dependentsCount { fail("\(name) dependents count \(r.dependentsCount) != \(dependents)") }
            if r.state == TS.released && r.waitersCount > 0 && r.whoWants.isEmpty && !r.hasLostDependencies {
                // Dask keeps such a task only transiently; after a stimulus it must be waiting again.
                fail("\(name) is released but has \(r.waitersCount) waiters")
            }
            if r.state == TS.erred && r.exceptionBlame < 0 { fail("\(name) erred without exception_blame") }
            if r.actor {
                if r.state == TS.memory && r.whoHas.filter({ workers[$0.index]?.actors.contains(t) == true }).count != 1 {
                    fail("\(name) actor in memory but not on exactly one holder's actors")
                }
                if r.state == TS.processing && workers[Int(r.processingOn)]?.actors.contains(t) != true {
                    fail("\(name) actor processing but not in its worker's actors")
                }
            }
        }
        if queuedTasks != queuedCount { fail("queued count \(queuedCount) != \(queuedTasks) tasks in state queued") }
        if unrunnable.count != unrunnable.keys.filter({ tasks[$0.index].state == TS.noWorker }).count { fail("unrunnable holds tasks not in no-worker") }
        for c in clients.indices where wants[c] != clients[c].wantsCount { fail("client-\(c) wants_what \(clients[c].wantsCount) != \(wants[c])") }
        for g in groups.indices {
            if groupLive[g] != groups[g].live { fail("group \(graph.groupNames[g]) live \(groups[g].live) != \(groupLive[g])") }
            if groupRW[g] != groups[g].releasedOrWaiting { fail("group \(graph.groupNames[g]) released+waiting \(groups[g].releasedOrWaiting) != \(groupRW[g])") }
        }
        // workers
        var globalCount = [Int32](repeating: 0, count: prefixes.count)
        var netGlobal: Int64 = 0
        var present = 0, running = 0, threads = 0
        for (i, slot) in workers.enumerated() {
            guard let ws = slot else { continue }
            let w = WorkerID(i)
            var name: String { "worker \(ws.spec.name) (\(w))" }
            if !ws.present {
                if !ws.processing.isEmpty || !ws.hasWhat.isEmpty { fail("\(name) removed but still has tasks") }
                if inRunning[i] || inIdle[i] || inIdleTaskCount[i] || inSaturated[i] { fail("\(name) removed but still in a worker set") }
                continue
            }
            present += 1
            threads += ws.nthreads
            if inRunning[i] != (ws.status == .running) { fail("\(name) running membership wrong (status \(ws.status.rawValue))") }
            if inRunning[i] { running += 1 }
            if (inIdle[i] || inSaturated[i]) && !inRunning[i] { fail("\(name) idle/saturated while not running") }
            if inIdleTaskCount[i] != (inRunning[i] && !workerFull(w)) { fail("\(name) idle_task_count membership wrong") }
            var prefixCount: [Int32: Int32] = [:]
            var needs: [TaskID: Int32] = [:]
            var used = [Double](repeating: 0, count: ws.spec.resources.count)
            for t in ws.processing {
                if tasks[t.index].processingOn != Int32(i) || tasks[t.index].state != TS.processing { fail("\(name) processing \(key(t)) which is \(TS.name(tasks[t.index].state)) on \(tasks[t.index].processingOn)") }
                if !ws.longRunning.contains(t) { prefixCount[graph.prefixOf[t.index], default: 0] += 1 }
                for e in graph.dependencyRange(t) where edgeFlags[e] & EdgeFlag.linked != 0 {
                    let d = graph.deps[e]
                    if !tasks[d.index].whoHas.contains(w) { needs[d, default: 0] += 1 }
                }
                for r in workload.tasks[t.index].resources {
                    if let k = ws.spec.resources.firstIndex(where: { $0.name == r.name }) { used[k] += r.amount }
                }
            }
            if !ws.longRunning.isSubset(of: ws.processing) { fail("\(name) long_running not a subset of processing") }
            if prefixCount != ws.prefixCount { fail("\(name) task_prefix_count wrong") }
            let recomputed = prefixCount.reduce(Int64(0)) { $0 + Int64($1.value) * prefixDuration(Int($1.key)) }
            if recomputed != ws.taskOccupancy { fail("\(name) task occupancy \(ws.taskOccupancy) != Σ count × estimate \(recomputed)") }
            for p in prefixCount.keys where !prefixWorkers[Int(p)].contains(w.rawValue) { fail("\(name) missing from prefix \(p)'s workers") }
            for (p, c) in prefixCount { globalCount[Int(p)] += c }
            if needs != ws.needsWhat { fail("\(name) needs_what wrong (\(ws.needsWhat.count) vs \(needs.count))") }
            let net = needs.keys.reduce(Int64(0)) { $0 + getNbytes($1) }
            if net != ws.networkOcc { fail("\(name) network occupancy \(ws.networkOcc) != \(net)") }
            netGlobal += ws.networkOcc
            for k in used.indices where abs(used[k] - ws.usedResources[k]) > 1e-9 { fail("\(name) used_resources wrong") }
            var nbytes: Int64 = 0
            for t in ws.hasWhat {
                nbytes += getNbytes(t)
                if !tasks[t.index].whoHas.contains(w) { fail("\(name) has_what \(key(t)) but not in its who_has") }
            }
            if nbytes != ws.nbytes { fail("\(name) nbytes \(ws.nbytes) != \(nbytes)") }
            for t in ws.actors where !ws.processing.contains(t) && !ws.hasWhat.contains(t) { fail("\(name) actor \(key(t)) neither processing nor held") }
        }
        if present != workerCount { fail("worker count \(workerCount) != \(present)") }
        if running != runningCount { fail("running count \(runningCount) != \(running)") }
        if threads != totalNthreads { fail("total_nthreads \(totalNthreads) != \(threads)") }
        if inIdle.filter({ $0 }).count != idleCount || inIdleTaskCount.filter({ $0 }).count != idleTaskCountCount || inSaturated.filter({ $0 }).count != saturatedCount {
            fail("idle / idle_task_count / saturated counters wrong")
        }
        for i in workers.indices where workerPresent[i] != (workers[i]?.present == true) {
            fail("worker \(i) presence flag \(workerPresent[i]) disagrees with its record")
        }
        if idleTaskCountMembers.count != idleTaskCountCount { fail("idle_task_count member list has \(idleTaskCountMembers.count) entries, count \(idleTaskCountCount)") }
        for (at, m) in idleTaskCountMembers.enumerated() {
            let i = Int(m)
            if i < 0 || i >= inIdleTaskCount.count || !inIdleTaskCount[i] || idleTaskCountPosition[i] != Int32(at) {
                fail("idle_task_count member list entry \(at) (worker \(m)) inconsistent")
            }
        }
        var occ: Int64 = 0
        for p in prefixes.indices {
            if globalCount[p] != prefixes[p].globalCount { fail("prefix \(graph.prefixNames[p]) global count \(prefixes[p].globalCount) != \(globalCount[p])") }
            occ += Int64(prefixes[p].globalCount) * prefixDuration(p)
        }
        if occ != totalTaskOccupancy { fail("total task occupancy \(totalTaskOccupancy) != \(occ)") }
        if netGlobal != networkOccGlobal { fail("global network occupancy \(networkOccGlobal) != \(netGlobal)") }
        return problems
    }
}

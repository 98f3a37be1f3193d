import Messages

/// Workers joining, leaving, pausing and retiring (Dask's `add_worker`,
/// `remove_worker`, `handle_worker_status_change`, `retire_workers`).
extension SchedulerState {
    func ensureWorkerSlot(_ w: WorkerID) {
        while workers.count <= w.index {
            workers.append(nil)
            workerPresent.append(false)
            inRunning.append(false)
            inIdle.append(false)
            inIdleTaskCount.append(false)
            idleTaskCountPosition.append(-1)
            inSaturated.append(false)
        }
    }

    /// Dask's `add_worker`.
    func addWorker(_ spec: WorkerSpec) {
        let w = spec.id
        guard w.index >= 0 else { return }
        ensureWorkerSlot(w)
        // A worker id is never reused; a second registration under a live id is ignored.
        if let existing = workers[w.index], existing.present { return }
        var spec = spec
        spec.nthreads = max(spec.nthreads, 1)
        workers[w.index] = WorkerRecord(spec: spec)
        workerPresent[w.index] = true
        workerCount += 1
        totalNthreads += spec.nthreads
        workerByName[spec.name] = w
        setFlag(&inRunning, &runningCount, w.index, true)
        counters.workersAdded += 1
        checkIdleSaturated(w)
        policy.workerAdded(w, in: self)
        bulkScheduleUnrunnable(after: w)
        runTransitions()
        queueSlotsMaybeOpened()
    }

    /// Dask's `bulk_schedule_unrunnable_after_adding_worker`: recommendations in
    /// reverse priority order, so the LIFO pop places the most urgent first.
    func bulkScheduleUnrunnable(after w: WorkerID) {
        var runnable: [TaskID] = []
        for t in unrunnable.keys {
            if let valid = validWorkers(t) {
                if valid.contains(w) { runnable.append(t) }
            } else {
                runnable.append(t)
            }
        }
        recommendProcessingMostUrgentLast(runnable)
    }

    /// `no-worker → processing` recommendations in reverse priority order, so the LIFO
    /// pop places the most urgent first. Stable sort, like Python's: equal priorities
    /// keep `unrunnable` order, reversed.
    private func recommendProcessingMostUrgentLast(_ runnable: some Sequence<TaskID>) {
        let ordered = runnable.enumerated().sorted { a, b in
            let pa = tasks[a.element.index].priority, pb = tasks[b.element.index].priority
            return pa != pb ? pb < pa : a.offset < b.offset
        }
        for (_, t) in ordered { rec(t, TS.processing) }
    }

    /// `no-worker → processing` again for the unrunnable tasks `affected` selects, most
    /// urgent first, as `bulkScheduleUnrunnable` does. For a policy whose decision depends on
    /// a worker that just left: a static plan keeps a task pinned to a paused worker in
    /// `no-worker`, and when that worker is then retired or dies nothing else would ever
    /// retry the task (Dask retries unrunnable tasks only when a worker joins or unpauses).
    public func rescheduleUnrunnable(_ affected: (TaskID) -> Bool) {
        let runnable = unrunnable.keys.filter(affected)
        guard !runnable.isEmpty else { return }
        recommendProcessingMostUrgentLast(runnable)
        runTransitions()
    }

    /// Dask's `remove_worker`. `expected` (retirement, clean shutdown) does not
    /// count against the tasks that were processing there.
    func removeWorker(_ w: WorkerID, expected: Bool) {
        guard isPresent(w), let ws = workers[w.index] else { return }
        workers[w.index]!.present = false
        workerPresent[w.index] = false
        if ws.retiring {
            workers[w.index]!.retiring = false
            retiringCount -= 1
        }
        workers[w.index]!.status = .closed
        workerCount -= 1
        totalNthreads -= ws.nthreads
        if workerByName[ws.spec.name] == w { workerByName[ws.spec.name] = nil }
        setFlag(&inIdle, &idleCount, w.index, false)
        setIdleTaskCount(w.index, false)
        setFlag(&inSaturated, &saturatedCount, w.index, false)
        setFlag(&inRunning, &runningCount, w.index, false)
        counters.workersRemoved += 1
        emit(.closeWorker(w, reason: expected ? "scheduler-remove-worker (expected)" : "scheduler-remove-worker"))

        // Processing tasks go back to released (then waiting); a task on its
        // (allowed-failures + 1)-th dying worker errs with KilledWorker.
        // Set order in Dask; here: priority order, ties by id.
        let processing = ws.processing.sorted { a, b in
            let pa = tasks[a.index].priority, pb = tasks[b.index].priority
            return pa != pb ? pa < pb : a < b
        }
        for t in processing {
            counters.tasksLostToWorkerDeath += 1
            rec(t, TS.released)
            if !expected {
                tasks[t.index].suspicious += 1
                prefixes[Int(graph.prefixOf[t.index])].suspicious += 1
                if Int(tasks[t.index].suspicious) > config.allowedFailures {
                    recs.removeValue(forKey: t)
                    var args = TransitionArgs()
                    args.worker = Int32(w.index)
                    args.cause = Int32(t.index)
                    args.exception = "KilledWorker: Attempted to run task \(key(t)) on \(config.allowedFailures + 1) different workers, but all those workers died while running it. The last worker that attempt to run the task was \(ws.spec.name)."
                    transition(t, TS.erred, args)
                }
            }
        }
        for t in ws.hasWhat.sorted() {
            let heldActor = tasks[t.index].actor && ws.actors.contains(t)
            removeReplica(t, w)
            counters.replicasLost += 1
            if heldActor {
                rec(t, TS.erred)
            } else if tasks[t.index].whoHas.isEmpty {
                rec(t, workload.tasks[t.index].kind == .data ? TS.forgotten : TS.released)
            }
        }
        runTransitions()
        policy.workerRemoved(w, in: self)
        for other in workers.indices where workers[other]?.present == true {
            send(WorkerID(other), .removeWorker(worker: w, stimulusID: stimulusID))
        }
    }

    /// Dask's `handle_worker_status_change` (paused / running / closing_gracefully).
    func workerStatusChange(_ w: WorkerID, _ status: WorkerStatus) {
        guard var ws = workers[w.index], ws.present else { return }
        // A retiring worker stays closing_gracefully whatever it reports.
        if ws.retiring && status == .running { return }
        let previous = ws.status
        ws.status = status
        workers[w.index] = ws
        guard status != previous else { return }
        if status == .running {
            setFlag(&inRunning, &runningCount, w.index, true)
            checkIdleSaturated(w)
            bulkScheduleUnrunnable(after: w)
            runTransitions()
            queueSlotsMaybeOpened()
        } else {
            setFlag(&inRunning, &runningCount, w.index, false)
            setFlag(&inIdle, &idleCount, w.index, false)
            setIdleTaskCount(w.index, false)
            setFlag(&inSaturated, &saturatedCount, w.index, false)
        }
    }

    // MARK: no-workers-timeout

    /// Dask's `_refresh_no_workers_since`.
    func refreshNoWorkersSince() {
        if runningCount > 0 || (queuedCount == 0 && unrunnable.isEmpty) {
            noWorkersSince = nil
        } else if noWorkersSince == nil {
            noWorkersSince = now
        }
    }

    /// Dask's `_check_no_workers`: unrunnable tasks past the timeout err with
    /// `NoValidWorkerError` (restrictions never met) or `NoWorkerError` (no running
    /// worker at all since before they became unrunnable); with no running worker
    /// for longer than the timeout, queued tasks err with `NoWorkerError`.
    func checkNoWorkers() {
        guard let timeout = config.noWorkersTimeout else { return }
        let previous = stimulusID
        refreshNoWorkersSince()
        var unsatisfied: [TaskID] = []
        var noWorkers: [TaskID] = []
        for (t, since) in unrunnable {
            if now <= since + timeout { break }  // insertion order = time order
            if let none = noWorkersSince, none < since { noWorkers.append(t) } else { unsatisfied.append(t) }
        }
        if let none = noWorkersSince, now > none + timeout { noWorkers += queuedTasks }
        guard !unsatisfied.isEmpty || !noWorkers.isEmpty else { return }
        stimulusID = nextStimulusID("check-no-workers-timeout")
        for t in unsatisfied where tasks[t.index].state == TS.noWorker {
            var args = TransitionArgs()
            args.cause = Int32(t.index)
            args.exception = "NoValidWorkerError: Attempted to run task \(key(t)) but timed out after \(timeout) waiting for a worker satisfying its restrictions."
            transition(t, TS.erred, args)
        }
        for t in noWorkers where tasks[t.index].state == TS.noWorker || tasks[t.index].state == TS.queued {
            var args = TransitionArgs()
            args.cause = Int32(t.index)
            args.exception = "NoWorkerError: Attempted to run task \(key(t)) but timed out after \(timeout) waiting for any worker."
            transition(t, TS.erred, args)
        }
        runTransitions()
        stimulusID = previous
    }

    // MARK: retirement

    /// Dask's `retire_workers` with the Active Memory Manager's `RetireWorker`
    /// policy: the workers stop receiving tasks (`closing_gracefully`), their
    /// unique keys are copied to other running workers (`acquire-replicas`),
    /// and each is removed (`expected`) once nothing it holds is unique.
    /// A worker holding an actor, or with nowhere to copy its data, is not retired.
    func retireWorkers(_ list: [WorkerID]) {
        var seen = Set<WorkerID>()
        for w in list where isPresent(w) && seen.insert(w).inserted {
            guard let ws = workers[w.index], ws.present, !ws.retiring else { continue }
            guard ws.actors.isEmpty else { continue }
            // Recipients must be running, not retiring, and not this worker.
            let others = recipients(excluding: w, plannedRetirements: list)
            if others.isEmpty && !ws.hasWhat.isEmpty { continue }  // no_recipients: retirement aborted
            workers[w.index]!.retiring = true
            retiringCount += 1
            workerStatusChange(w, .closingGracefully)
            send(w, .workerStatusChange(status: .closingGracefully, stimulusID: stimulusID))
        }
        if retiringCount > 0 { checkRetirements() }
    }

    func recipients(excluding w: WorkerID, plannedRetirements: [WorkerID] = []) -> [WorkerID] {
        runningWorkers.filter { $0 != w && workers[$0.index]?.retiring == false && !plannedRetirements.contains($0) }
    }

    /// Replicates what is still unique on retiring workers, and removes those with nothing unique left.
    func checkRetirements() {
        for i in workers.indices {
            guard let ws = workers[i], ws.present, ws.retiring else { continue }
            let w = WorkerID(i)
            var unique: [TaskID] = []
            for t in ws.hasWhat.sorted() {
                let elsewhere = tasks[t.index].whoHas.contains { $0 != w && workers[$0.index]?.present == true && workers[$0.index]?.retiring == false }
                if !elsewhere { unique.append(t) }
            }
            if unique.isEmpty {
                removeWorker(w, expected: true)
                continue
            }
            // Ask a recipient for each unique key not already asked for: the
            // running worker storing the fewest bytes (ties: lowest id).
            var byRecipient: [(WorkerID, [DependencyReplicas])] = []
            for t in unique {
                // Already asked of a recipient that is still running: wait for its add-keys.
                if let asked = retirementRequested[t], asked.index < inRunning.count, inRunning[asked.index] { continue }
                let candidates = recipients(excluding: w)
                guard let target = candidates.min(by: { a, b in
                    let na = workers[a.index]!.nbytes, nb = workers[b.index]!.nbytes
                    return na != nb ? na < nb : a < b
                }) else { continue }
                retirementRequested[t] = target
                let replica = DependencyReplicas(key: t, whoHas: tasks[t.index].whoHas, nbytes: tasks[t.index].nbytes)
                if let j = byRecipient.firstIndex(where: { $0.0 == target }) {
                    byRecipient[j].1.append(replica)
                } else {
                    byRecipient.append((target, [replica]))
                }
            }
            for (target, replicas) in byRecipient {
                send(target, .acquireReplicas(replicas: replicas, stimulusID: stimulusID))
            }
        }
    }

    // MARK: scatter

    /// Dask's `Scheduler.scatter` placement: round-robin over the running
    /// workers in id order, starting where the previous scatter stopped
    /// (Dask's `_round_robin_counter`), or every running worker for a broadcast.
    /// The driver sends the data and reports back with `update-data`.
    func scatter(client c: ClientID, keys: [TaskID], target: ScatterTarget) {
        ensureClient(c)
        var pool: [WorkerID]
        switch target {
        case .workers(let list):
            pool = list.filter { isPresent($0) && inRunning[$0.index] }
            pool = Array(Set(pool)).sorted()
        case .roundRobin, .broadcast:
            pool = runningWorkers
        }
        var placements: [DependencyReplicas] = []
        let valid = keys.filter(valid)
        if !pool.isEmpty {
            for (i, t) in valid.enumerated() {
                let holders: [WorkerID]
                if case .broadcast = target {
                    holders = pool
                } else {
                    holders = [pool[(scatterCounter + i) % pool.count]]
                }
                placements.append(DependencyReplicas(key: t, whoHas: holders, nbytes: workload.tasks[t.index].outputBytes))
            }
            if case .broadcast = target {} else { scatterCounter += valid.count }
        }
        emit(.scatterTo(client: c, placements: placements))
    }

    /// Dask's `update_data`: data entered the cluster from outside (after scatter).
    func updateData(client c: ClientID, replicas: [DependencyReplicas]) {
        ensureClient(c)
        var keys: [TaskID] = []
        for r in replicas where valid(r.key) {
            let t = r.key
            if !isLive(t) {
                createTask(t, generation: generation &* 100)
                setState(t, TS.memory)
                // Dask sets the state without a transition; the log still shows the key
                // arriving, so every later row of it (memory -> ...) has a row to follow.
                if config.recordTransitions {
                    transitionLog.append(TransitionRecord(
                        time: now, key: t, from: TS.name(TS.released), to: TS.name(TS.memory), stimulus: stimulusID,
                        worker: r.whoHas.first { isPresent($0) }))
                }
            } else if tasks[t.index].state != TS.memory {
                continue  // only pure data or replicas of keys in memory can be declared
            }
            if r.nbytes >= 0 { setNbytes(t, r.nbytes) }
            for w in r.whoHas where isPresent(w) {
                addReplica(t, w)
            }
            if tasks[t.index].whoHas.isEmpty {
                // Nowhere to keep it: forget it again.
                rec(t, TS.forgotten)
                continue
            }
            keys.append(t)
        }
        clientDesiresKeys(keys, client: c)
        runTransitions()
    }
}

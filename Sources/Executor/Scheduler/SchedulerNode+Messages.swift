import Messages
import NIOCore
import Scheduler
import Workload

extension SchedulerNode {
    // MARK: messages from workers

    func workerSent(_ message: WireMessage, from w: WorkerID, on channel: any Channel) {
        switch message {
        case .toScheduler(let m):
            if case let .taskFinished(key, _, _, start, stop, _) = m, key.index < records.tasks.count {
                records.tasks[key.index].start = start
                records.tasks[key.index].end = stop
                records.tasks[key.index].worker = w.rawValue
            }
            feed(.worker(w, m))
        case .heartbeatWorker(let report):
            let now = ExecutorClock.now()
            if let state {
                records.samples.append(RunRecords.WorkerSample(
                    time: now, worker: w.rawValue, busyThreads: report.busyThreads, queued: report.queued,
                    memoryBytes: report.memoryBytes, occupancy: state.occupancy(of: w)))
            }
            feed(.heartbeatExecuting(w, bandwidth: 0, executing: report.executing))
        case .transferLog(let entries):
            records.transfers.append(contentsOf: entries)
        default:
            note("worker '\(workers[w.index].hello.name)' sent unexpected op '\(message.op)'; closing its connection")
            channel.close(promise: nil)
        }
    }

    // MARK: messages from clients

    func clientSent(_ message: WireMessage, from c: ClientID, on channel: any Channel) {
        switch message {
        case .graph(let graph):
            guard workload == nil else {
                note("\(c) sent a second graph; this scheduler runs one graph per process")
                reject(channel, "this scheduler already has a graph")
                return
            }
            start(graph)
        case .fromClient(let m):
            guard state != nil else {
                reject(channel, "'\(m.op)' before the graph ('update-graph-spec')")
                return
            }
            // The connection decides who the client is, not the message.
            let now = ExecutorClock.now()
            let fixed: ClientToScheduler
            switch m {
            case let .updateGraph(_, submission, tasks, wanted, submitter, sid):
                for t in tasks where records.tasks[t.index].submit == .never { records.tasks[t.index].submit = now }
                fixed = .updateGraph(client: c, submission: submission, tasks: tasks, wanted: wanted, submitter: submitter, stimulusID: sid)
            case let .updateData(_, replicas, sid):
                for r in replicas where records.tasks[r.key.index].submit == .never {
                    records.tasks[r.key.index].submit = now
                    records.tasks[r.key.index].ready = now
                    records.tasks[r.key.index].worker = r.whoHas.first?.rawValue ?? -1
                }
                fixed = .updateData(client: c, replicas: replicas, stimulusID: sid)
            case let .clientDesiresKeys(_, keys, sid): fixed = .clientDesiresKeys(client: c, keys: keys, stimulusID: sid)
            case let .clientReleasesKeys(_, keys, sid): fixed = .clientReleasesKeys(client: c, keys: keys, stimulusID: sid)
            case let .retry(_, keys, sid): fixed = .retry(client: c, keys: keys, stimulusID: sid)
            }
            feed(.client(fixed))
        case let .scatter(keys, target):
            guard state != nil else {
                reject(channel, "'scatter' before the graph")
                return
            }
            feed(.scatter(client: c, keys: keys, target: target))
        case .getLogs:
            channel.send(.logs(finalRecords()))
        case .terminate:
            note("\(c) asked the cluster to terminate")
            terminating = true
            for w in workers where w.present { w.channel.send(.toWorker(.close(reason: "scheduler-close"))) }
            let done = onTerminate
            _ = stop().always { _ in done?() }
        default:
            reject(channel, "unexpected op '\(message.op)' from a client")
        }
    }

    /// The graph arrived: the run starts now.
    func start(_ graph: Workload) {
        workload = graph
        records.runStart = ExecutorClock.now()
        records.tasks = [RunRecords.TaskOutcome](repeating: RunRecords.TaskOutcome(), count: graph.count)
        state = SchedulerState(workload: graph, config: config.scheduler, policy: makePolicy())
        note("graph '\(graph.name)' received: \(graph.count) tasks")
        for w in workers.indices { join(WorkerID(w)) }
        if config.scheduler.workStealing {
            let interval = TimeAmount(config.scheduler.workStealingInterval)
            timers.append(loop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { [self] _ in
                feed(.balance)
            })
        }
    }

    /// Removes workers that have been silent for longer than the heartbeat timeout.
    func checkHeartbeats() {
        guard !terminating else { return }
        let now = ExecutorClock.now()
        // If this check itself ran late, the loop was busy (a large graph, a burst of
        // messages): frames may be waiting unread, so silence proves nothing yet.
        defer { lastHeartbeatCheck = now }
        if now - lastHeartbeatCheck > .seconds(2) {
            for w in workers.indices { workers[w].lastSeen = now }
            return
        }
        for w in workers.indices where workers[w].present && workers[w].joined {
            if now - workers[w].lastSeen > config.heartbeatTimeout {
                note("worker '\(workers[w].hello.name)' missed heartbeats for \(now - workers[w].lastSeen) s; removing it")
                workers[w].present = false
                workers[w].channel.close(promise: nil)
                feed(.removeWorker(WorkerID(w), expected: false))
            }
        }
    }

    // MARK: the state machine

    /// Hands one stimulus to the state machine and carries out its instructions.
    /// A stimulus raised while instructions are being carried out (a connection that
    /// closes as it is written to) waits in `pendingStimuli`, so `handle` never re-enters.
    func feed(_ stimulus: SchedulerStimulus) {
        pendingStimuli.append(stimulus)
        guard !feeding else { return }
        feeding = true
        var i = 0
        while i < pendingStimuli.count {
            process(pendingStimuli[i])
            i += 1
        }
        pendingStimuli.removeAll(keepingCapacity: true)
        feeding = false
    }

    func process(_ stimulus: SchedulerStimulus) {
        guard let state else { return }
        let now = ExecutorClock.now()
        let instructions = state.handle(stimulus, now: now)
        records.stimuli += 1
        for t in state.drainTransitionLog() {
            if t.from == .waiting, records.tasks[t.key.index].ready == .never { records.tasks[t.key.index].ready = t.time }
            if t.from == .released, t.to != .waiting, t.to != .forgotten, records.tasks[t.key.index].ready == .never {
                records.tasks[t.key.index].ready = t.time
            }
            records.transitions.append(RunRecords.Transition(
                time: t.time, key: t.key, from: t.from.rawValue, to: t.to.rawValue,
                stimulus: t.stimulus.description, worker: t.worker?.rawValue ?? -1))
        }
        var touched: [any Channel] = []
        for instruction in instructions {
            switch instruction {
            case let .toWorker(w, m):
                if case .computeTask(let task) = m { records.tasks[task.key.index].attempts += 1 }
                write(.toWorker(m), to: workerChannel(w), touched: &touched)
            case let .toClient(c, m):
                write(.toClient(m), to: c.index < clients.count ? clients[c.index] : nil, touched: &touched)
            case let .scatterTo(c, placements):
                write(.scatterTo(placements: placements), to: c.index < clients.count ? clients[c.index] : nil, touched: &touched)
            case let .closeWorker(w, reason):
                write(.toWorker(.close(reason: reason)), to: workerChannel(w), touched: &touched)
            case .gatherFrom:
                // The real client gathers from the holders named in key-in-memory
                // reports and never sends the scheduler a `gather`.
                break
            }
        }
        for channel in touched { channel.flush() }
    }

    func workerChannel(_ w: WorkerID) -> (any Channel)? {
        w.index < workers.count && workers[w.index].present ? workers[w.index].channel : nil
    }

    /// Writes without flushing; the channels are flushed once per stimulus.
    func write(_ message: WireMessage, to channel: (any Channel)?, touched: inout [any Channel]) {
        guard let channel else { return }
        channel.write(WireCodec.encode(message), promise: nil)
        if !touched.contains(where: { $0 === channel }) { touched.append(channel) }
    }

    /// The records with each task's final state filled in.
    func finalRecords() -> RunRecords {
        var out = records
        if let state {
            for i in out.tasks.indices { out.tasks[i].state = state.state(of: TaskID(i)).rawValue }
            out.steals = Int64(state.counters.stealsConfirmed)
        }
        return out
    }
}

import Messages

extension Simulator {
    func workerIndex(named name: String) -> Int? {
        cluster.workers.firstIndex { $0.name == name }
    }

    func apply(_ event: ScenarioEvent) {
        if config.traceEvents { traceEvent(component: "scenario", direction: "in", op: event.name, detail: "\(event.action)") }
        switch event.action {
        case .addWorker(let worker):
            let hostsBefore = cluster.hosts.count
            let index = cluster.add(worker)
            for _ in hostsBefore..<cluster.hosts.count {
                flows?.addHost(uplink: cluster.network.hostUplink, downlink: cluster.network.hostDownlink)
            }
            joinWorker(index, announceAt: now + latency(host(ofWorker: index), schedulerHost))
        case .retire(let name):
            guard let w = workerIndex(named: name), life[w] == .running else { return }
            sendToScheduler(.retireWorkers([WorkerID(w)]), fromHost: clientHost)
        case .kill(let name):
            guard let w = workerIndex(named: name), life[w] == .running else { return }
            workerLeaves(w, as: .dead)
        case .pause(let name):
            guard let w = workerIndex(named: name), life[w] == .running else { return }
            deliver(.pause, to: w)
        case .unpause(let name):
            guard let w = workerIndex(named: name), life[w] == .running else { return }
            deliver(.unpause, to: w)
        case .slow(let name, let factor):
            guard let w = workerIndex(named: name), life[w] == .running, factor > 0 else { return }
            // Several slows multiply; the speed stays within the limits a worker may
            // have, so `duration / speed` cannot grow past what the clock holds.
            let limits = SimulationLimits.speeds
            speed[w] = min(max(speed[w] * factor, limits.lowerBound), limits.upperBound)
        }
    }

    /// Worker `w` stops: killed (`dead`: memory and running tasks lost) or closed after
    /// retirement. Its threads stop, its transfers stop, and the scheduler is told.
    func workerLeaves(_ w: Int, as end: Life) {
        life[w] = end
        leaveTime[w] = now
        running[w] = []
        for slot in executions.occupiedSlots {
            guard let execution = executions.peek(slot), Int(execution.worker) == w, !execution.cancelled else { continue }
            if execution.start >= 0 && !execution.seceded && !execution.computeDone {
                busyNanoseconds += now - execution.start
                busyThreads[w] -= 1
            }
            if execution.client >= 0 { clients[Int(execution.client)].dead = true }
            let actor = taskActor[execution.task.index]
            if actor >= 0, execution.start >= 0 {
                actorBusy[actor] = false
            }
            if execution.computeDone {
                _ = executions.take(slot)  // no completion event is pending for it
            } else {
                executions.update(slot) { $0.cancelled = true }
            }
        }
        cancelTransfers(involving: w)
        wakeAllPolls(on: w)
        dropAllPolls(of: w)
        if !removalSent[w] {
            removalSent[w] = true
            sendToScheduler(.removeWorker(WorkerID(w), expected: end == .closed), fromHost: host(ofWorker: w))
        }
    }

    /// Problems with a scenario for a cluster: unknown worker names, bad factors.
    /// Workers added by the scenario count from their addition on.
    public static func scenarioIssues(_ scenario: [ScenarioEvent], cluster: Cluster) -> [String] {
        var names = Set(cluster.workers.map(\.name))
        var issues: [String] = []
        for (i, event) in scenario.sorted(by: { $0.time < $1.time }).enumerated() {
            let place = "event \(i + 1) (\(event.name) at \(event.time)s)"
            if event.time.nanoseconds < 0 { issues.append("\(place): time is negative") }
            switch event.action {
            case .addWorker(let worker):
                if names.contains(worker.name) { issues.append("\(place): worker name '\(worker.name)' already exists") }
                if worker.nthreads <= 0 { issues.append("\(place): nthreads must be positive") }
                if !(worker.speed > 0) { issues.append("\(place): speed must be positive") }
                names.insert(worker.name)
            case .retire(let name), .kill(let name), .pause(let name), .unpause(let name):
                if !names.contains(name) { issues.append("\(place): unknown worker '\(name)'") }
            case .slow(let name, let factor):
                if !names.contains(name) { issues.append("\(place): unknown worker '\(name)'") }
                if !(factor > 0) || !factor.isFinite { issues.append("\(place): factor must be a positive number") }
            }
        }
        return issues
    }
}

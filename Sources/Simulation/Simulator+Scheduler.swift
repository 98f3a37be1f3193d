import Messages

extension Simulator {
    /// Sends a stimulus to the scheduler; it arrives after the latency from `fromHost`
    /// (or after `latency` when given). `stream` names the batched stream it travels
    /// on (none for RPCs and local callbacks). `tick` marks messages sent by the
    /// periodic ticks (balance, heartbeats): they alone do not keep a run alive.
    func sendToScheduler(_ stimulus: SchedulerStimulus, fromHost: Int, latency explicit: Int64? = nil,
                         tick: Bool = false, stream: SchedulerStream = .direct) {
        switch stream {
        case .worker(let w) where runtime.workerToSchedulerInterval.nanoseconds > 0:
            sendOnWorkerStream(stimulus, from: w)
            return
        case .client(let c) where runtime.clientToSchedulerInterval.nanoseconds > 0:
            sendOnClientStream(stimulus, from: c)
            return
        default:
            break
        }
        let slot = schedulerMessages.put(stimulus)
        let at = now + (explicit ?? latency(fromHost, schedulerHost))
        schedule(tick ? .tickToScheduler(slot) : .toScheduler(slot), at: at)
    }

    /// The scheduler state machine handles one stimulus now; returns what it asks for.
    func handleAtScheduler(_ stimulus: SchedulerStimulus) -> [SchedulerInstruction] {
        switch stimulus {
        case .client(.updateGraph(_, _, let tasks, _, _, _)):
            for task in tasks where submitTime[task.index] < 0 { submitTime[task.index] = now }
        case .client(.updateData(_, let replicas, _)):
            for replica in replicas where submitTime[replica.key.index] < 0 { submitTime[replica.key.index] = now }
        case .addWorker(let spec):
            registered[spec.id.index] = true
        case .worker(let w, .addKeys(let keys, _)):
            for key in keys { replicaAdded(key, on: w.index) }
        case .worker(let w, .taskFinished(let key, _, _, _, _, _)):
            replicaAdded(key, on: w.index)
        default:
            break
        }
        if config.traceEvents { traceEvent(component: "scheduler", direction: "in", op: stimulus.op, detail: "\(stimulus)") }
        let instructions = scheduler.handle(stimulus, now: Time(nanoseconds: now))
        scheduler.drainTransitions(into: &sink)
        if config.validate { validateScheduler(after: stimulus.op) }
        return instructions
    }

    func dispatch(_ instruction: SchedulerInstruction) {
        if config.traceEvents { traceEvent(component: "scheduler", direction: "out", op: instruction.op, detail: "\(instruction)") }
        switch instruction {
        case .toWorker(let worker, let message):
            let w = worker.index
            guard w >= 0, w < life.count, life[w] == .running else { return }  // the connection is gone
            if runtime.schedulerToWorkerInterval.nanoseconds > 0 {
                sendOnSchedulerToWorkerStream(.scheduler(message), to: w)
                return
            }
            let slot = workerMessages.put(.scheduler(message))
            schedule(.toWorker(Int32(w), slot), at: now + latency(schedulerHost, host(ofWorker: w)))
        case .toClient(let client, let report):
            guard client.index < clients.count else { return }
            if runtime.schedulerToClientInterval.nanoseconds > 0 {
                sendOnSchedulerToClientStream(.report(client.index, report), to: client.index)
                return
            }
            let slot = clientMessages.put(.report(client.index, report))
            schedule(.toClient(slot), at: now + latency(schedulerHost, clientHostID(client.index)))
        case .scatterTo(let client, let placements):
            guard client.index < clients.count else { return }
            let slot = clientMessages.put(.scatterTo(client.index, placements))
            schedule(.toClient(slot), at: now + latency(schedulerHost, clientHostID(client.index)))
        case .closeWorker(let worker, _):
            let w = worker.index
            guard w >= 0, w < life.count, life[w] == .running else { return }
            removalSent[w] = true  // the scheduler removed it already; this is its order to close
            workerLeaves(w, as: .closed)
        case .gatherFrom(let client, let replicas, let missing):
            // The simulated client gathers straight from the holders that key-in-memory
            // named; it asks the scheduler (`gather`) only when none of them is left.
            guard client.index < clients.count else { return }
            let slot = clientMessages.put(.gatherFrom(client.index, replicas: replicas, missing: missing))
            schedule(.toClient(slot), at: now + latency(schedulerHost, clientHostID(client.index)))
        }
    }

    func traceEvent(component: String, direction: String, op: String, detail: String) {
        events.append([
            "time": Time.format(now), "component": component, "direction": direction, "op": op, "detail": detail,
        ])
    }
}

extension SchedulerInstruction {
    /// The op name for `events.jsonl`.
    var op: String {
        switch self {
        case .toWorker(_, let message): message.op
        case .toClient(_, let report): report.op
        case .scatterTo: "scatter-to"
        case .closeWorker: "close-worker"
        case .gatherFrom: "gather"
        }
    }
}

extension WorkerInstruction {
    /// The op name for `events.jsonl`.
    var op: String {
        switch self {
        case .execute: "execute"
        case .gatherDep: "gather-dep"
        case .retryBusyWorkerLater: "retry-busy-worker-later"
        case .toScheduler(let message): message.op
        case .sendData: "send-data"
        case .busy: "busy"
        case .spill: "spill"
        case .unspill: "unspill"
        case .terminate: "terminate"
        }
    }
}

extension WorkerStimulus {
    /// The op name for `events.jsonl`.
    var op: String {
        switch self {
        case .scheduler(let message): message.op
        case .executeSuccess: "execute-success"
        case .executeFailure: "execute-failure"
        case .secede: "secede"
        case .gatherDepSuccess: "gather-dep-success"
        case .gatherDepBusy: "gather-dep-busy"
        case .gatherDepNetworkFailure: "gather-dep-network-failure"
        case .gatherDepFailure: "gather-dep-failure"
        case .findMissing: "find-missing"
        case .retryBusyWorker: "retry-busy-worker"
        case .updateData: "update-data"
        case .pause: "pause"
        case .unpause: "unpause"
        case .getData: "get-data"
        case .getDataDone: "get-data-done"
        }
    }
}

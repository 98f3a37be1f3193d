import DequeModule
import Messages

/// What a client receives from the scheduler.
enum ClientInbox {
    case report(Int, SchedulerToClient)
    case scatterTo(Int, [DependencyReplicas])
    /// The scheduler's answer to the client's `gather` (who holds each key now).
    case gatherFrom(Int, replicas: [DependencyReplicas], missing: [TaskID])
}

/// A client: an external one (submissions at their times from the client
/// host), or a running task acting as one (Dask's `worker_client`).
struct ClientModel {
    enum KeyStatus: UInt8 { case notWanted, pending, gathering, held, failed }

    struct ScatterBatch {
        var submission: Int
        var computeTasks: [TaskID]
        var placements: [DependencyReplicas]
        var outstanding: Int
        /// A re-scatter of keys stranded on a retired worker: when its data is placed,
        /// its placements replace that batch's (which then finishes); -1 for a submission's own.
        var retryOf = -1
    }

    var name: String
    /// The task acting as this client, or nil for an external client.
    var submitter: TaskID?
    /// The worker running the submitter task, or -1.
    var worker: Int32 = -1
    /// The execution waiting for this client's results, or -1.
    var execution: Int32 = -1
    var host: Int
    /// For an external client, its row in `Simulator.externalStatus` (dense per task); else -1.
    var external = -1
    /// Key status of a worker-client task's client (few keys, so a dictionary).
    var status: [Int32: KeyStatus] = [:]
    var unresolved = 0
    /// Submissions of a worker-client task not sent yet.
    var submissionsOutstanding = 0
    var pendingScatters = Deque<PendingScatter>()
    var batches: [ScatterBatch] = []
    typealias PendingScatter = (submission: Int, data: [TaskID], compute: [TaskID], retryOf: Int)
    var dead = false

    /// A worker-client task may finish once it has sent everything and holds every result.
    var subgraphDone: Bool { submissionsOutstanding == 0 && unresolved == 0 }
}

extension Simulator {
    func clientHostID(_ client: Int) -> Int { clients[client].host }

    @inline(__always)
    func status(_ c: Int, _ task: TaskID) -> ClientModel.KeyStatus {
        let row = clients[c].external
        if row >= 0 { return externalStatus[row][task.index] }
        return clients[c].status[task.rawValue] ?? .notWanted
    }

    @inline(__always)
    func setStatus(_ c: Int, _ task: TaskID, _ value: ClientModel.KeyStatus) {
        let row = clients[c].external
        if row >= 0 {
            externalStatus[row][task.index] = value
        } else {
            clients[c].status[task.rawValue] = value
        }
    }

    /// The external client with this name, created on first use.
    func externalClient(named name: String) -> Int {
        if let existing = clientByName[name] { return existing }
        var client = ClientModel(name: name, host: clientHost)
        client.external = externalStatus.count
        externalStatus.append([ClientModel.KeyStatus](repeating: .notWanted, count: workload.count))
        clients.append(client)
        clientByName[name] = clients.count - 1
        return clients.count - 1
    }

    /// A client for one execution of a worker-client task (a re-run gets a fresh one).
    func makeSubmitterClient(task: TaskID, worker w: Int, execution: Int32, submissions: Int) -> Int {
        var client = ClientModel(name: "client-\(workload.tasks[task.index].key)", host: host(ofWorker: w))
        client.submitter = task
        client.worker = Int32(w)
        client.execution = execution
        client.submissionsOutstanding = submissions
        clients.append(client)
        clientOfSubmitter[task.rawValue] = clients.count - 1
        return clients.count - 1
    }

    /// A submission is due: scatter its pure-data keys (if any), then send `update-graph`.
    func submit(_ s: Int) {
        let submission = workload.submissions[s]
        let c: Int
        if let submitter = submission.submitter {
            guard let existing = clientOfSubmitter[submitter.rawValue], !clients[existing].dead else { return }
            c = existing
            clients[c].submissionsOutstanding -= 1
        } else {
            c = externalClient(named: submission.client)
            submissionsPending -= 1
        }
        for key in submission.wanted where status(c, key) == .notWanted {
            setStatus(c, key, .pending)
            clients[c].unresolved += 1
            if submission.submitter == nil {
                unresolvedExternal += 1
                wantedExternal += 1
            }
        }
        if submission.submitter != nil, clients[c].subgraphDone, clients[c].execution >= 0,
           let execution = executions.peek(clients[c].execution), execution.computeDone, !execution.cancelled {
            completeExecution(clients[c].execution)
        }
        var data: [TaskID] = []
        var compute: [TaskID] = []
        for task in tasksBySubmission[s] {
            if taskIsData[task.index] { data.append(task) } else { compute.append(task) }
        }
        if data.isEmpty {
            sendUpdateGraph(client: c, submission: s, tasks: compute)
        } else {
            clients[c].pendingScatters.append((s, data, compute, -1))
            sendToScheduler(.scatter(client: ClientID(c), keys: data, target: .roundRobin), fromHost: clients[c].host)
        }
        checkFinished()
    }

    /// Sends `update-graph` on the client's stream, after the client has packed
    /// its tasks (`client-submit-task` each).
    func sendUpdateGraph(client c: Int, submission s: Int, tasks: [TaskID]) {
        let submission = workload.submissions[s]
        let message = SchedulerStimulus.client(.updateGraph(
            client: ClientID(c), submission: s, tasks: tasks, wanted: submission.wanted,
            submitter: submission.submitter, stimulusID: nextStimulusID("update-graph")))
        let packing = RuntimeProfile.scaled(runtime.clientSubmitTask.nanoseconds, tasks.count, 1)
        if packing > 0 {
            schedule(.clientSends(deferredClientMessages.put((c, message))), at: Simulator.later(now, by: packing))
        } else {
            sendToScheduler(message, fromHost: clients[c].host, stream: .client(c))
        }
    }

    func clientReceives(_ message: ClientInbox) {
        switch message {
        case .report(let c, let report):
            guard !clients[c].dead else { return }
            if config.traceEvents { traceEvent(component: clients[c].name, direction: "in", op: report.op, detail: "\(report)") }
            switch report {
            case .keyInMemory(let key, let holders):
                guard status(c, key) == .pending else { return }
                // An external client with --no-gather holds a future, not the data.
                if !config.gather && clients[c].submitter == nil {
                    resolve(client: c, task: key, held: true)
                } else {
                    gather(client: c, task: key, holders: holders)
                }
            case .taskErred(let key, _):
                resolve(client: c, task: key, held: false)
            case .lostData(let key):
                if taskIsData[key.index] { lostScattered.append(key) }
                resolve(client: c, task: key, held: false)
            case .cancelledKeys(let keys, _):
                for key in keys {
                    // A pure-data key is cancelled only when its last replica is gone.
                    if taskIsData[key.index] { lostScattered.append(key) }
                    resolve(client: c, task: key, held: false)
                }
            case .taskRetried:
                break
            }
        case .scatterTo(let c, let placements):
            guard !clients[c].dead, let pending = clients[c].pendingScatters.popFirst() else { return }
            startScatter(client: c, pending: pending, placements: placements)
        case .gatherFrom(let c, let replicas, _):
            guard !clients[c].dead else { return }
            // Keys the scheduler no longer has in memory (`missing`) stay pending: it
            // reports them again (key-in-memory, lost-data, task-erred) when they settle.
            for replica in replicas where status(c, replica.key) == .pending {
                gather(client: c, task: replica.key, holders: replica.whoHas, askScheduler: false)
            }
        }
    }

    /// Sends each worker its share of the scattered keys, one `update_data` transfer per worker.
    func startScatter(client c: Int, pending: ClientModel.PendingScatter, placements: [DependencyReplicas]) {
        var order: [Int] = []
        var perWorker: [Int: [ReceivedKey]] = [:]
        for placement in placements {
            for worker in placement.whoHas where worker.index < life.count && life[worker.index] == .running {
                if perWorker[worker.index] == nil { order.append(worker.index) }
                perWorker[worker.index, default: []].append(
                    ReceivedKey(key: placement.key, nbytes: taskOutputBytes[placement.key.index]))
            }
        }
        let batch = clients[c].batches.count
        clients[c].batches.append(ClientModel.ScatterBatch(
            submission: pending.submission, computeTasks: pending.compute, placements: placements, outstanding: order.count,
            retryOf: pending.retryOf))
        if order.isEmpty {
            finishScatter(client: c, batch: batch)
            return
        }
        for w in order {
            let keys = perWorker[w] ?? []
            startTransfer(Transfer(
                kind: .scatter(client: Int32(c), batch: Int32(batch), worker: Int32(w), keys: keys),
                source: clients[c].host, destination: host(ofWorker: w),
                bytes: keys.reduce(0) { $0 + $1.nbytes }, start: now))
        }
    }

    func scatterTransferDone(client c: Int, batch: Int) {
        clients[c].batches[batch].outstanding -= 1
        if clients[c].batches[batch].outstanding == 0 { finishScatter(client: c, batch: batch) }
    }

    /// All data is on the workers: tell the scheduler (`update-data`), then submit the graph.
    func finishScatter(client c: Int, batch: Int) {
        let entry = clients[c].batches[batch]
        if entry.retryOf >= 0 {
            // The stranded keys are placed again: the first batch goes on with their new holders.
            for placement in entry.placements {
                if let i = clients[c].batches[entry.retryOf].placements.firstIndex(where: { $0.key == placement.key }) {
                    clients[c].batches[entry.retryOf].placements[i] = placement
                }
            }
            finishScatter(client: c, batch: entry.retryOf)
            return
        }
        // A worker retired while the scatter was under way (its data sent, or on the way,
        // but not yet declared with update-data): retirement only moves keys the scheduler
        // knows, so these would be lost. The client scatters them again, as a user whose
        // scatter failed would; a killed worker's keys stay lost (as in Dask).
        let stranded = entry.placements.filter { placement in
            !placement.whoHas.contains { life[$0.index] == .running } && placement.whoHas.contains { life[$0.index] == .closed }
        }
        if !stranded.isEmpty && life.contains(.running) {
            let keys = stranded.map(\.key)
            clients[c].pendingScatters.append((entry.submission, keys, [], batch))
            sendToScheduler(.scatter(client: ClientID(c), keys: keys, target: .roundRobin), fromHost: clients[c].host)
            return
        }
        sendToScheduler(.client(.updateData(
            client: ClientID(c), replicas: entry.placements, stimulusID: nextStimulusID("update-data"))), fromHost: clients[c].host)
        sendUpdateGraph(client: c, submission: entry.submission, tasks: entry.computeTasks)
    }

    /// Gathers a wanted key from the first live holder that `key-in-memory` named
    /// (or takes it in place when the client is a task running on a holder). If the
    /// holder dies mid-transfer, the next live one is tried; when none of the named
    /// holders is left (a retired worker's data now lives on its recipient), the client
    /// asks the scheduler who holds the key now, as Dask's client falls back to the
    /// scheduler's `gather` when gathering from workers fails. The answer is used once
    /// (`askScheduler: false`), so a stale answer cannot start a loop; the key then waits
    /// for the scheduler's next report.
    func gather(client c: Int, task: TaskID, holders: [WorkerID], askScheduler: Bool = true) {
        guard !clients[c].dead else { return }
        guard let holder = holders.first(where: { $0.index < life.count && life[$0.index] == .running }) else {
            setStatus(c, task, .pending)
            if askScheduler {
                sendToScheduler(.gather(client: ClientID(c), keys: [task]), fromHost: clients[c].host)
            }
            return
        }
        if clients[c].worker == holder.rawValue {
            resolve(client: c, task: task, held: true)
            return
        }
        setStatus(c, task, .gathering)
        startTransfer(Transfer(
            kind: .gather(client: Int32(c), task: task, worker: holder.rawValue, holders: holders),
            source: host(ofWorker: holder.index), destination: clients[c].host,
            bytes: taskOutputBytes[task.index], start: now))
    }

    /// A wanted key is settled for a client: held, or failed (erred, lost, cancelled).
    func resolve(client c: Int, task: TaskID, held: Bool) {
        let current = status(c, task)
        guard current == .pending || current == .gathering else { return }
        setStatus(c, task, held ? .held : .failed)
        clients[c].unresolved -= 1
        if clients[c].submitter == nil {
            unresolvedExternal -= 1
            if !held { failedExternal.append(task) }
            checkFinished()
        } else if clients[c].subgraphDone, clients[c].execution >= 0,
                  let execution = executions.peek(clients[c].execution), execution.computeDone, !execution.cancelled {
            completeExecution(clients[c].execution)
        }
    }

    /// The run is over when every external submission was sent and every wanted key is settled.
    func checkFinished() {
        if wantedExternal > 0 && unresolvedExternal == 0 && submissionsPending == 0 && !finished {
            finished = true
            endTimeOfRun = now
        }
    }
}

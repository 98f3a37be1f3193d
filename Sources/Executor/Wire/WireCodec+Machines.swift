import Messages
import NIOCore

/// Encoding of the state machines' own messages (streams 1-4). Field order per op
/// is listed in docs/protocol.md.
extension WireCodec {
    // MARK: scheduler → worker (stream 1)

    static func encode(_ m: SchedulerToWorker, into b: inout ByteBuffer) {
        switch m {
        case .computeTask(let t):
            b.put(t.key)
            b.put(t.runID)
            b.put(t.priority.negatedUserPriority)
            b.put(t.priority.generation)
            b.put(t.priority.order)
            b.put(t.durationEstimate)
            put(t.dependencies, into: &b)
            put(t.resources, into: &b)
            b.put(t.actor)
            put(t.stimulusID, into: &b)
        case let .freeKeys(keys, sid), let .removeReplicas(keys, sid):
            b.put(keys)
            put(sid, into: &b)
        case let .stealRequest(key, sid):
            b.put(key)
            put(sid, into: &b)
        case let .acquireReplicas(replicas, sid), let .refreshWhoHas(replicas, sid):
            put(replicas, into: &b)
            put(sid, into: &b)
        case let .removeWorker(worker, sid):
            b.put(worker)
            put(sid, into: &b)
        case let .workerStatusChange(status, sid):
            put(status, into: &b)
            put(sid, into: &b)
        case .close(let reason):
            b.put(reason)
        }
    }

    static func decodeSchedulerToWorker(_ op: String, _ r: inout WireReader) throws(WireError) -> SchedulerToWorker {
        switch op {
        case "compute-task":
            let key = try r.task("key")
            let runID = try r.i64("run_id")
            let priority = Priority(negatedUserPriority: try r.i32("priority.user"),
                                    generation: try r.i32("priority.generation"),
                                    order: try r.i32("priority.order"))
            let duration = try r.time("duration")
            let deps = try replicas("who_has", &r)
            let res = try resources("resource_restrictions", &r)
            let actor = try r.bool("actor")
            let sid = try stimulus(&r)
            return .computeTask(ComputeTask(key: key, runID: runID, priority: priority, durationEstimate: duration,
                                            dependencies: deps, resources: res, actor: actor, stimulusID: sid))
        case "free-keys": return .freeKeys(keys: try r.tasks("keys"), stimulusID: try stimulus(&r))
        case "remove-replicas": return .removeReplicas(keys: try r.tasks("keys"), stimulusID: try stimulus(&r))
        case "steal-request": return .stealRequest(key: try r.task("key"), stimulusID: try stimulus(&r))
        case "acquire-replicas":
            return .acquireReplicas(replicas: try replicas("who_has", &r), stimulusID: try stimulus(&r))
        case "refresh-who-has":
            return .refreshWhoHas(replicas: try replicas("who_has", &r), stimulusID: try stimulus(&r))
        case "remove-worker": return .removeWorker(worker: try r.worker("worker"), stimulusID: try stimulus(&r))
        case "worker-status-change":
            return .workerStatusChange(status: try status("status", &r), stimulusID: try stimulus(&r))
        case "close": return .close(reason: try r.string("reason"))
        default: throw unknownOp(op, stream: "scheduler-to-worker")
        }
    }

    // MARK: worker → scheduler (stream 2)

    static func encode(_ m: WorkerToScheduler, into b: inout ByteBuffer) {
        switch m {
        case let .taskFinished(key, runID, nbytes, start, stop, sid):
            b.put(key)
            b.put(runID)
            b.put(nbytes)
            b.put(start)
            b.put(stop)
            put(sid, into: &b)
        case let .taskErred(key, runID, exception, start, stop, sid):
            b.put(key)
            b.put(runID)
            b.put(exception)
            b.put(start)
            b.put(stop)
            put(sid, into: &b)
        case let .releaseWorkerData(key, sid), let .reschedule(key, sid):
            b.put(key)
            put(sid, into: &b)
        case let .addKeys(keys, sid), let .requestRefreshWhoHas(keys, sid):
            b.put(keys)
            put(sid, into: &b)
        case let .longRunning(key, runID, computeDuration, sid):
            b.put(key)
            b.put(runID)
            b.put(computeDuration)
            put(sid, into: &b)
        case let .stealResponse(key, state, sid):
            b.put(key)
            b.put(state?.rawValue ?? "")
            put(sid, into: &b)
        case let .missingData(key, errant, sid):
            b.put(key)
            b.put(errant)
            put(sid, into: &b)
        case let .workerStatusChange(status, sid):
            put(status, into: &b)
            put(sid, into: &b)
        }
    }

    static func decodeWorkerToScheduler(_ op: String, _ r: inout WireReader) throws(WireError) -> WorkerToScheduler {
        switch op {
        case "task-finished":
            return .taskFinished(key: try r.task("key"), runID: try r.i64("run_id"), nbytes: try r.bytes("nbytes"),
                                 start: try r.time("start"), stop: try r.time("stop"), stimulusID: try stimulus(&r))
        case "task-erred":
            return .taskErred(key: try r.task("key"), runID: try r.i64("run_id"), exception: try r.string("exception"),
                              start: try r.time("start"), stop: try r.time("stop"), stimulusID: try stimulus(&r))
        case "release-worker-data": return .releaseWorkerData(key: try r.task("key"), stimulusID: try stimulus(&r))
        case "reschedule": return .reschedule(key: try r.task("key"), stimulusID: try stimulus(&r))
        case "add-keys": return .addKeys(keys: try r.tasks("keys"), stimulusID: try stimulus(&r))
        case "request-refresh-who-has":
            return .requestRefreshWhoHas(keys: try r.tasks("keys"), stimulusID: try stimulus(&r))
        case "long-running":
            return .longRunning(key: try r.task("key"), runID: try r.i64("run_id"),
                                computeDuration: try r.time("compute_duration"), stimulusID: try stimulus(&r))
        case "steal-response":
            let key = try r.task("key")
            let text = try r.string("state")
            var state: WorkerTaskStateName?
            if !text.isEmpty {
                guard let s = WorkerTaskStateName(rawValue: text) else { throw r.fail("state", "unknown task state '\(text)'") }
                state = s
            }
            return .stealResponse(key: key, state: state, stimulusID: try stimulus(&r))
        case "missing-data":
            return .missingData(key: try r.task("key"), errantWorker: try r.worker("errant_worker"),
                                stimulusID: try stimulus(&r))
        case "worker-status-change":
            return .workerStatusChange(status: try status("status", &r), stimulusID: try stimulus(&r))
        default: throw unknownOp(op, stream: "worker-to-scheduler")
        }
    }

    // MARK: client → scheduler (stream 3)

    static func encode(_ m: ClientToScheduler, into b: inout ByteBuffer) {
        switch m {
        case let .updateGraph(client, submission, tasks, wanted, submitter, sid):
            b.put(client.rawValue)
            b.put(Int32(truncatingIfNeeded: submission))
            b.put(tasks)
            b.put(wanted)
            b.put(submitter)
            put(sid, into: &b)
        case let .updateData(client, replicas, sid):
            b.put(client.rawValue)
            put(replicas, into: &b)
            put(sid, into: &b)
        case let .clientDesiresKeys(client, keys, sid), let .clientReleasesKeys(client, keys, sid),
             let .retry(client, keys, sid):
            b.put(client.rawValue)
            b.put(keys)
            put(sid, into: &b)
        }
    }

    static func client(_ r: inout WireReader) throws(WireError) -> ClientID {
        let raw = try r.i32("client")
        guard raw >= 0 else { throw r.fail("client", "negative client id \(raw)") }
        return ClientID(Int(raw))
    }

    static func decodeClientToScheduler(_ op: String, _ r: inout WireReader) throws(WireError) -> ClientToScheduler {
        switch op {
        case "update-graph":
            let c = try client(&r)
            let submission = try r.i32("submission")
            guard submission >= 0 else { throw r.fail("submission", "negative") }
            return .updateGraph(client: c, submission: Int(submission), tasks: try r.tasks("tasks"),
                                wanted: try r.tasks("keys"), submitter: try r.optionalTask("submitter"),
                                stimulusID: try stimulus(&r))
        case "update-data":
            return .updateData(client: try client(&r), replicas: try replicas("who_has", &r), stimulusID: try stimulus(&r))
        case "client-desires-keys":
            return .clientDesiresKeys(client: try client(&r), keys: try r.tasks("keys"), stimulusID: try stimulus(&r))
        case "client-releases-keys":
            return .clientReleasesKeys(client: try client(&r), keys: try r.tasks("keys"), stimulusID: try stimulus(&r))
        case "retry":
            return .retry(client: try client(&r), keys: try r.tasks("keys"), stimulusID: try stimulus(&r))
        default: throw unknownOp(op, stream: "client-to-scheduler")
        }
    }

    // MARK: scheduler → client (stream 4)

    static func encode(_ m: SchedulerToClient, into b: inout ByteBuffer) {
        switch m {
        case let .keyInMemory(key, workers):
            b.put(key)
            b.put(workers)
        case let .taskErred(key, exception):
            b.put(key)
            b.put(exception)
        case .lostData(let key), .taskRetried(let key):
            b.put(key)
        case let .cancelledKeys(keys, reason):
            b.put(keys)
            b.put(reason)
        }
    }

    static func decodeSchedulerToClient(_ op: String, _ r: inout WireReader) throws(WireError) -> SchedulerToClient {
        switch op {
        case "key-in-memory": return .keyInMemory(key: try r.task("key"), workers: try r.workers("workers"))
        case "task-erred": return .taskErred(key: try r.task("key"), exception: try r.string("exception"))
        case "lost-data": return .lostData(key: try r.task("key"))
        case "task-retried": return .taskRetried(key: try r.task("key"))
        case "cancelled-keys": return .cancelledKeys(keys: try r.tasks("keys"), reason: try r.string("reason"))
        default: throw unknownOp(op, stream: "scheduler-to-client")
        }
    }
}

import Messages
import Simulation

/// A deliberately simple worker for checking the simulator on its own: it
/// fetches every missing dependency from its first listed holder (one
/// `gather_dep` per peer), runs ready tasks first-in first-out on its threads,
/// and answers every `get_data` with the keys it holds.
final class FIFOWorker: SimulatedWorker {
    let id: WorkerID
    let nthreads: Int
    let workload: Workload
    var memory: [TaskID: Int64] = [:]
    var waiting: [(task: ComputeTask, missing: Set<TaskID>)] = []
    var ready: [ComputeTask] = []
    var inFlight: Set<TaskID> = []
    var executing = 0
    var paused = false
    var out: [WorkerInstruction] = []
    var counter: UInt64 = 0

    init(id: WorkerID, spec: WorkerSpec, workload: Workload) {
        self.id = id
        nthreads = spec.nthreads
        self.workload = workload
    }

    var memoryBytes: Int64 { memory.values.reduce(0, +) }
    var queuedTasks: Int { ready.count }
    var missingTasks: Int { 0 }

    func stimulusID() -> StimulusID {
        counter += 1
        return StimulusID("fifo", counter)
    }

    func handle(_ stimulus: WorkerStimulus, now: Time) -> [WorkerInstruction] {
        out = []
        switch stimulus {
        case .scheduler(.computeTask(let task)):
            let missing = task.dependencies.filter { memory[$0.key] == nil }
            if missing.isEmpty {
                ready.append(task)
            } else {
                waiting.append((task, Set(missing.map(\.key))))
                fetch(missing)
            }
        case .scheduler(.freeKeys(let keys, _)):
            ready.removeAll { keys.contains($0.key) }
            waiting.removeAll { keys.contains($0.task.key) }
        case .executeSuccess(let key, let run, let start, let stop, let nbytes):
            memory[key] = nbytes
            executing -= 1
            out.append(.toScheduler(.taskFinished(key: key, runID: run, nbytes: nbytes, start: start, stop: stop, stimulusID: stimulusID())))
        case .secede(let key):
            executing -= 1
            out.append(.toScheduler(.longRunning(key: key, runID: 0, computeDuration: .zero, stimulusID: stimulusID())))
        case .gatherDepSuccess(_, let received, let requested, _):
            for key in requested { inFlight.remove(key) }
            for r in received { memory[r.key] = r.nbytes }
            if !received.isEmpty { out.append(.toScheduler(.addKeys(keys: received.map(\.key), stimulusID: stimulusID()))) }
            var still: [(task: ComputeTask, missing: Set<TaskID>)] = []
            for var entry in waiting {
                entry.missing.subtract(received.map(\.key))
                if entry.missing.isEmpty { ready.append(entry.task) } else { still.append(entry) }
            }
            waiting = still
        case .gatherDepNetworkFailure(_, let requested, _), .gatherDepBusy(_, let requested, _):
            for key in requested { inFlight.remove(key) }
        case .getData(let from, let keys):
            out.append(.sendData(to: from, keys: keys.compactMap { key in memory[key].map { ReceivedKey(key: key, nbytes: $0) } }))
        case .updateData(let keys):
            for r in keys { memory[r.key] = r.nbytes }
        case .pause:
            paused = true
        case .unpause:
            paused = false
        default:
            break
        }
        while executing < nthreads && !paused && !ready.isEmpty {
            let task = ready.removeFirst()
            executing += 1
            out.append(.execute(key: task.key, runID: task.runID))
        }
        return out
    }

    func fetch(_ dependencies: [DependencyReplicas]) {
        var peers: [WorkerID] = []
        var keysByPeer: [WorkerID: [TaskID]] = [:]
        for dep in dependencies where !inFlight.contains(dep.key) {
            guard let peer = dep.whoHas.first(where: { $0 != id }) else { continue }
            if keysByPeer[peer] == nil { peers.append(peer) }
            keysByPeer[peer, default: []].append(dep.key)
            inFlight.insert(dep.key)
        }
        for peer in peers {
            let keys = keysByPeer[peer] ?? []
            let bytes = keys.reduce(Int64(0)) { $0 + workload.tasks[$1.index].outputBytes }
            out.append(.gatherDep(peer: peer, keys: keys, totalBytes: bytes, stimulusID: stimulusID()))
        }
    }
}

extension MachineFactory {
    /// The simple test scheduler and workers.
    static var simple: MachineFactory {
        MachineFactory(
            makeScheduler: { ListScheduler(workload: $0) },
            makeWorker: { id, spec, workload, _ in FIFOWorker(id: id, spec: spec, workload: workload) })
    }
}

import Messages
import Recording
import Simulation

/// A deliberately simple scheduler for checking the simulator on its own,
/// with placements a reader can predict by hand:
///
/// - ready tasks are placed in task-id order, only onto a worker with a free
///   thread (no worker-side queue);
/// - the worker holding the most dependency bytes wins, ties go to the lowest id;
/// - a worker death re-runs its tasks (after `allowedFailures` deaths a task
///   errs, like Dask's `KilledWorker`) and recomputes lost results; lost
///   scattered data is reported and its dependents err.
///
/// It speaks the real message vocabulary, so it exercises every driver path.
final class ListScheduler: SimulatedScheduler {
    enum State: String { case unknown, waiting, processing, memory, erred, forgotten }

    let workload: Workload
    let allowedFailures = 3
    var state: [State]
    var worker: [Int]
    var whoHas: [[WorkerID]]
    var runID: [Int64]
    var suspicious: [Int]
    var seceded: [Bool]
    var wantedBy: [[ClientID]]
    var knownBy: [[ClientID]]
    var nthreads: [Int] = []
    var alive: [Bool] = []
    var processing: [Int] = []
    var pendingLog: [(Time, TaskID, String, String, StimulusID, WorkerID?)] = []
    var now = Time.zero
    var out: [SchedulerInstruction] = []
    var nextRun: Int64 = 0
    var nextStimulus: UInt64 = 0

    init(workload: Workload) {
        self.workload = workload
        let n = workload.count
        state = Array(repeating: .unknown, count: n)
        worker = Array(repeating: -1, count: n)
        whoHas = Array(repeating: [], count: n)
        runID = Array(repeating: 0, count: n)
        suspicious = Array(repeating: 0, count: n)
        seceded = Array(repeating: false, count: n)
        wantedBy = Array(repeating: [], count: n)
        knownBy = Array(repeating: [], count: n)
    }

    var confirmedSteals: Int { 0 }
    /// The list scheduler has no transition table; the runtime model charges it nothing per transition.
    var transitionCount: Int { 0 }

    func occupancy(of w: WorkerID) -> Time {
        var total = 0.0
        for i in workload.tasks.indices where state[i] == .processing && worker[i] == w.index && !seceded[i] {
            total += workload.tasks[i].duration
        }
        return Time(seconds: total)
    }

    func drainTransitions(into sink: inout TransitionSink) {
        for (time, key, from, to, stimulus, w) in pendingLog {
            sink.add(time: time, task: key, from: from, to: to, stimulus: stimulus, worker: w)
        }
        pendingLog.removeAll()
    }

    func move(_ t: TaskID, to next: State, _ stimulus: StimulusID) {
        let w = worker[t.index]
        pendingLog.append((now, t, state[t.index].rawValue, next.rawValue, stimulus, w >= 0 ? WorkerID(w) : nil))
        state[t.index] = next
    }

    func handle(_ stimulus: SchedulerStimulus, now: Time) -> [SchedulerInstruction] {
        self.now = now
        out = []
        nextStimulus += 1
        let stim = StimulusID("list", nextStimulus)
        switch stimulus {
        case .addWorker(let spec):
            while nthreads.count <= spec.id.index {
                nthreads.append(0); alive.append(false); processing.append(0)
            }
            nthreads[spec.id.index] = spec.nthreads
            alive[spec.id.index] = true
        case .removeWorker(let w, let expected):
            removeWorker(w, expected: expected, stim)
        case .client(.updateGraph(let client, _, let tasks, let wanted, _, _)):
            for t in tasks where state[t.index] == .unknown { move(t, to: .waiting, stim) }
            for t in wanted {
                wantedBy[t.index].append(client)
                if state[t.index] == .memory { out.append(.toClient(client, .keyInMemory(key: t, workers: whoHas[t.index]))) }
            }
        case .client(.updateData(let client, let replicas, _)):
            for r in replicas {
                whoHas[r.key.index] = r.whoHas.filter { alive[$0.index] }.sorted()
                knownBy[r.key.index].append(client)
                move(r.key, to: .memory, stim)
            }
        case .scatter(let client, let keys, _):
            let running = alive.indices.filter { alive[$0] }
            var placements: [DependencyReplicas] = []
            for (i, key) in keys.enumerated() where !running.isEmpty {
                placements.append(DependencyReplicas(
                    key: key, whoHas: [WorkerID(running[i % running.count])], nbytes: workload.tasks[key.index].outputBytes))
            }
            out.append(.scatterTo(client: client, placements: placements))
        case .worker(let w, .taskFinished(let key, let run, _, _, _, _)):
            guard state[key.index] == .processing, worker[key.index] == w.index, runID[key.index] == run else { break }
            if !seceded[key.index] { processing[w.index] -= 1 }
            whoHas[key.index] = [w]
            move(key, to: .memory, stim)
            for client in wantedBy[key.index] { out.append(.toClient(client, .keyInMemory(key: key, workers: [w]))) }
        case .worker(let w, .addKeys(let keys, _)):
            for key in keys where !whoHas[key.index].contains(w) {
                whoHas[key.index].append(w)
                whoHas[key.index].sort()
            }
        case .worker(_, .longRunning(let key, _, _, _)):
            if state[key.index] == .processing && !seceded[key.index] {
                seceded[key.index] = true
                processing[worker[key.index]] -= 1
            }
        default:
            break
        }
        place(stim)
        return out
    }

    func isReady(_ i: Int) -> Bool {
        state[i] == .waiting && workload.tasks[i].dependencies.allSatisfy { state[$0.index] == .memory }
    }

    /// Ready tasks in id order onto free threads.
    func place(_ stim: StimulusID) {
        for i in workload.tasks.indices where isReady(i) {
            var best = -1
            var bestBytes: Int64 = -1
            for w in nthreads.indices where alive[w] && processing[w] < nthreads[w] {
                var bytes: Int64 = 0
                for dep in workload.tasks[i].dependencies where whoHas[dep.index].contains(WorkerID(w)) {
                    bytes += workload.tasks[dep.index].outputBytes
                }
                if bytes > bestBytes { best = w; bestBytes = bytes }
            }
            guard best >= 0 else { return }
            let t = TaskID(i)
            worker[i] = best
            processing[best] += 1
            nextRun += 1
            runID[i] = nextRun
            seceded[i] = false
            move(t, to: .processing, stim)
            let deps = workload.tasks[i].dependencies.map {
                DependencyReplicas(key: $0, whoHas: whoHas[$0.index], nbytes: workload.tasks[$0.index].outputBytes)
            }
            out.append(.toWorker(WorkerID(best), .computeTask(ComputeTask(
                key: t, runID: nextRun, priority: Priority(order: Int32(i)),
                durationEstimate: Time(seconds: workload.tasks[i].duration), dependencies: deps, stimulusID: stim))))
        }
    }

    func removeWorker(_ w: WorkerID, expected: Bool, _ stim: StimulusID) {
        guard w.index < alive.count, alive[w.index] else { return }
        alive[w.index] = false
        processing[w.index] = 0
        for i in workload.tasks.indices where state[i] == .processing && worker[i] == w.index {
            if !expected { suspicious[i] += 1 }
            if suspicious[i] > allowedFailures {
                fail(TaskID(i), "KilledWorker", stim)
            } else {
                worker[i] = -1
                move(TaskID(i), to: .waiting, stim)
            }
        }
        for i in workload.tasks.indices where whoHas[i].contains(w) {
            whoHas[i].removeAll { $0 == w }
            guard whoHas[i].isEmpty, state[i] == .memory else { continue }
            if workload.tasks[i].kind == .data {
                move(TaskID(i), to: .forgotten, stim)
                for client in knownBy[i] + wantedBy[i] { out.append(.toClient(client, .lostData(key: TaskID(i)))) }
                for dependent in workload.dependents[i] { fail(dependent, "lost dependency", stim) }
            } else {
                worker[i] = -1
                move(TaskID(i), to: .waiting, stim)
                // Tasks already sent out that needed it wait for it again.
                for dependent in workload.dependents[i] where state[dependent.index] == .processing {
                    let holder = worker[dependent.index]
                    if holder >= 0 && alive[holder] {
                        processing[holder] -= 1
                        out.append(.toWorker(WorkerID(holder), .freeKeys(keys: [dependent], stimulusID: stim)))
                    }
                    worker[dependent.index] = -1
                    move(dependent, to: .waiting, stim)
                }
            }
        }
        for other in alive.indices where alive[other] {
            out.append(.toWorker(WorkerID(other), .removeWorker(worker: w, stimulusID: stim)))
        }
    }

    func fail(_ t: TaskID, _ reason: String, _ stim: StimulusID) {
        guard state[t.index] != .erred else { return }
        move(t, to: .erred, stim)
        for client in wantedBy[t.index] { out.append(.toClient(client, .taskErred(key: t, exception: reason))) }
        for dependent in workload.dependents[t.index] { fail(dependent, reason, stim) }
    }
}

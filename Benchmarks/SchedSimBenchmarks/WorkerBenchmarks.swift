import Benchmark
import Messages
import Worker
import Workload

/// The worker state machine alone, driven by a minimal in-process loop that answers
/// every instruction at once. One benchmark iteration is one whole run; the number
/// of stimuli per run is fixed (printed in the name), so stimuli per second =
/// stimuli / wall-clock time of one iteration.
func workerBenchmarks() {
    let taskCount = 100_000
    let workload = workerBenchmarkWorkload(taskCount)

    // compute-task + execute-success + free-keys for 100k independent tasks on 8 threads.
    Benchmark("Worker compute 100k tasks, 8 threads, 300k stimuli") { benchmark in
        benchmark.startMeasurement()
        let stimuli = runComputeLoop(workload: workload, tasks: taskCount)
        benchmark.stopMeasurement()
        blackHole(stimuli)
    }

    // 30k tasks, each with two 1 MB dependencies held by 2 of 50 peers: compute-task,
    // gather-dep-success (one per batched message), execute-success, free-keys.
    Benchmark("Worker fetch-heavy 30k tasks, 60k deps from 50 peers") { benchmark in
        benchmark.startMeasurement()
        let stimuli = runFetchLoop(workload: workload, tasks: 30_000)
        benchmark.stopMeasurement()
        blackHole(stimuli)
    }
}

func workerBenchmarkWorkload(_ n: Int) -> Workload {
    var builder = WorkloadBuilder(name: "worker-bench", source: "benchmark")
    for i in 0..<n {
        builder.add(TaskSpec(key: "t-\(i)", duration: 0.001, outputBytes: 1000), dependencies: [], origin: "t-\(i)")
    }
    do { return try builder.build() } catch { fatalError("benchmark workload: \(error)") }
}

private func makeWorker(_ workload: Workload, threads: Int) -> WorkerState {
    let spec = WorkerSpec(id: WorkerID(0), name: "w0", host: "h0", nthreads: threads)
    return WorkerState(id: WorkerID(0), spec: spec, workload: workload, peers: { "h\($0.index)" })
}

/// Returns the number of stimuli handled.
func runComputeLoop(workload: Workload, tasks: Int) -> Int {
    let w = makeWorker(workload, threads: 8)
    var stimuli = 0
    var pending: [WorkerInstruction] = []
    var finished: [TaskID] = []
    var sequence: UInt64 = 0
    for i in 0..<tasks {
        sequence += 1
        let task = ComputeTask(key: TaskID(i), runID: Int64(i), priority: Priority(order: Int32(i)),
                               durationEstimate: .milliseconds(1), dependencies: [],
                               stimulusID: StimulusID("compute-task", sequence))
        pending += w.handle(.scheduler(.computeTask(task)), now: Time(nanoseconds: Int64(i)))
        stimuli += 1
        // Finish what started once 64 tasks are queued, as results would arrive.
        if w.readyCount >= 64 || i == tasks - 1 {
            while let instruction = pending.popLast() {
                if case let .execute(key, runID) = instruction {
                    pending += w.handle(.executeSuccess(key: key, runID: runID, start: .zero, stop: .zero, nbytes: 1000),
                                        now: Time(nanoseconds: Int64(i)))
                    stimuli += 1
                    finished.append(key)
                }
            }
            for key in finished {
                sequence += 1
                _ = w.handle(.scheduler(.freeKeys(keys: [key], stimulusID: StimulusID("free-keys", sequence))),
                             now: Time(nanoseconds: Int64(i)))
                stimuli += 1
            }
            finished.removeAll(keepingCapacity: true)
        }
    }
    return stimuli
}

/// Returns the number of stimuli handled.
func runFetchLoop(workload: Workload, tasks: Int) -> Int {
    let w = makeWorker(workload, threads: 8)
    var stimuli = 0
    var sequence: UInt64 = 0
    var pending: [WorkerInstruction] = []
    var finished: [TaskID] = []
    var rng: UInt64 = 42
    func nextPeer() -> WorkerID {
        rng = rng &* 6364136223846793005 &+ 1442695040888963407
        return WorkerID(1 + Int((rng >> 33) % 50))
    }
    // Task i (compute) reads keys 2i' and 2i'+1 from the upper half of the id range.
    let depBase = tasks
    for i in 0..<tasks {
        sequence += 1
        let deps = (0..<2).map { j in
            DependencyReplicas(key: TaskID(depBase + 2 * i + j), whoHas: [nextPeer(), nextPeer()].sorted(), nbytes: 1_000_000)
        }
        let task = ComputeTask(key: TaskID(i), runID: Int64(i), priority: Priority(order: Int32(i)),
                               durationEstimate: .milliseconds(1), dependencies: deps,
                               stimulusID: StimulusID("compute-task", sequence))
        pending += w.handle(.scheduler(.computeTask(task)), now: Time(nanoseconds: Int64(i)))
        stimuli += 1
        if i % 32 == 31 || i == tasks - 1 {
            while let instruction = pending.popLast() {
                switch instruction {
                case let .gatherDep(peer, keys, total, _):
                    let received = keys.map { ReceivedKey(key: $0, nbytes: 1_000_000) }
                    pending += w.handle(.gatherDepSuccess(peer: peer, received: received, requested: keys, totalBytes: total),
                                        now: Time(nanoseconds: Int64(i)))
                    stimuli += 1
                case let .execute(key, runID):
                    pending += w.handle(.executeSuccess(key: key, runID: runID, start: .zero, stop: .zero, nbytes: 1000),
                                        now: Time(nanoseconds: Int64(i)))
                    stimuli += 1
                    finished.append(key)
                default:
                    break
                }
            }
            // The scheduler frees each finished task and the two replicas it read.
            for key in finished {
                sequence += 1
                let keys = [key, TaskID(depBase + 2 * key.index), TaskID(depBase + 2 * key.index + 1)]
                _ = w.handle(.scheduler(.freeKeys(keys: keys, stimulusID: StimulusID("free-keys", sequence))),
                             now: Time(nanoseconds: Int64(i)))
                stimuli += 1
            }
            finished.removeAll(keepingCapacity: true)
        }
    }
    return stimuli
}

import Messages
import Planning
import Policies
import Scheduler
import Testing
import Workload

/// Drives the real scheduler state machine with a `PlannedPolicy`.
final class Driver {
    let workload: Workload
    let scheduler: SchedulerState
    var sent: [TaskID: (WorkerID, ComputeTask)] = [:]
    var sequence: UInt64 = 0

    init(workload: Workload, policy: PlannedPolicy) {
        var config = SchedulerConfig()
        config.validate = true
        self.workload = workload
        scheduler = SchedulerState(workload: workload, config: config, policy: policy)
    }

    func stimulus(_ name: StaticString) -> StimulusID {
        sequence += 1
        return StimulusID(name, sequence)
    }

    /// Handles a stimulus; returns the compute-task messages as "key@worker".
    @discardableResult
    func step(_ stimulus: SchedulerStimulus) -> [String] {
        let out = scheduler.handle(stimulus, now: .zero)
        #expect(scheduler.validationErrors.isEmpty, "\(scheduler.validationErrors.prefix(3))")
        var computes: [String] = []
        for case .toWorker(let w, .computeTask(let message)) in out {
            sent[message.key] = (w, message)
            computes.append("\(workload[message.key].key)@\(w.index)")
        }
        return computes
    }

    func addWorkers(_ count: Int) {
        for i in 0..<count {
            step(.addWorker(WorkerSpec(id: WorkerID(i), name: "worker-\(i)", host: "host-\(i)", nthreads: 1)))
        }
    }

    func submit() -> [String] {
        step(.client(.updateGraph(
            client: ClientID(0), submission: 0, tasks: workload.tasks(inSubmission: 0),
            wanted: workload.submissions[0].wanted, submitter: nil, stimulusID: stimulus("update-graph"))))
    }

    func finish(_ key: String) -> [String] {
        guard let id = workload.id(forKey: key), let (w, message) = sent[id] else {
            Issue.record("\(key) was never sent")
            return []
        }
        return step(.worker(w, .taskFinished(
            key: id, runID: message.runID, nbytes: workload[id].outputBytes, start: .zero, stop: .zero,
            stimulusID: stimulus("task-finished"))))
    }

    func priorityOrder(_ key: String) -> Int32? {
        workload.id(forKey: key).flatMap { sent[$0]?.1.priority.order }
    }
}

@Suite struct PlannedPolicyTests {
    /// The diamond of docs/policies.md; t-level plans a, b on worker 0 and c, d on worker 1.
    static func diamond() throws -> (Workload, PlanningCluster) {
        var builder = WorkloadBuilder(name: "diamond", source: "test")
        builder.add(TaskSpec(key: "a", duration: 2, outputBytes: 100), dependencies: [], origin: "a")
        builder.add(TaskSpec(key: "b", duration: 3, outputBytes: 100), dependencies: ["a"], origin: "b")
        builder.add(TaskSpec(key: "c", duration: 4, outputBytes: 100), dependencies: ["a"], origin: "c")
        builder.add(TaskSpec(key: "d", duration: 1, outputBytes: 100), dependencies: ["b", "c"], origin: "d")
        let specs = (0..<2).map { WorkerSpec(id: WorkerID($0), name: "worker-\($0)", host: "host-\($0)", nthreads: 1) }
        return (try builder.build(), try PlanningCluster(specs: specs, network: .init(bandwidth: 100)))
    }

    @Test func tasksGoToTheirPlannedWorkersInPlannedOrder() throws {
        let (workload, cluster) = try Self.diamond()
        let (ordered, policy) = try PlannedPolicy.prepare(.tlevel, workload: workload, cluster: cluster, estimates: .exact(workload))
        #expect(policy.name == "tlevel")
        #expect(ordered.tasks.map(\.order) == [0, 1, 2, 3])
        let driver = Driver(workload: ordered, policy: policy)
        driver.addWorkers(2)
        #expect(driver.submit() == ["a@0"])
        #expect(driver.finish("a").sorted() == ["b@0", "c@1"])
        #expect(driver.finish("b") == [])
        #expect(driver.finish("c") == ["d@1"])
        #expect(["a", "b", "c", "d"].map(driver.priorityOrder) == [0, 1, 2, 3])
        #expect(driver.finish("d") == [])
        #expect(driver.scheduler.state(of: ordered.id(forKey: "d")!) == .memory)
    }

    /// HEFT on one worker runs the 5-second task before the 1-second one (upward
    /// rank 5 > 1), against id order: the planned order becomes the priority.
    @Test func plannedOrderBecomesWorkerPriority() throws {
        var builder = WorkloadBuilder(name: "pair", source: "test")
        builder.add(TaskSpec(key: "short", duration: 1), dependencies: [], origin: "short")
        builder.add(TaskSpec(key: "long", duration: 5), dependencies: [], origin: "long")
        let workload = try builder.build()
        let cluster = try PlanningCluster.uniform(workers: 1, nthreads: 1, network: .free)
        let (ordered, policy) = try PlannedPolicy.prepare(.heft, workload: workload, cluster: cluster, estimates: .exact(workload))
        let driver = Driver(workload: ordered, policy: policy)
        driver.addWorkers(1)
        #expect(driver.submit().sorted() == ["long@0", "short@0"])
        #expect(driver.priorityOrder("long") == 0)
        #expect(driver.priorityOrder("short") == 1)
    }

    /// A paused planned worker makes the task wait; a removed one falls back to Dask's rule.
    @Test func pausedWaitsRemovedFallsBack() throws {
        let (workload, cluster) = try Self.diamond()
        let (ordered, policy) = try PlannedPolicy.prepare(.tlevel, workload: workload, cluster: cluster, estimates: .exact(workload))
        let driver = Driver(workload: ordered, policy: policy)
        driver.addWorkers(2)
        #expect(driver.submit() == ["a@0"])
        driver.step(.worker(WorkerID(1), .workerStatusChange(status: .paused, stimulusID: driver.stimulus("pause"))))
        #expect(driver.finish("a") == ["b@0"])
        #expect(driver.scheduler.state(of: ordered.id(forKey: "c")!) == .noWorker)
        #expect(driver.step(.worker(WorkerID(1), .workerStatusChange(status: .running, stimulusID: driver.stimulus("unpause")))) == ["c@1"])
        // Worker 1 leaves while running c: c and later d go to worker 0.
        let out = driver.step(.removeWorker(WorkerID(1), expected: false))
        #expect(out == ["c@0"])
        #expect(driver.finish("b") == [])
        #expect(driver.finish("c") == ["d@0"])
    }
}

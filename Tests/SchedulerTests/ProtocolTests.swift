import Messages
import Testing
import Workload
@testable import Scheduler

/// Occupancy, stealing's request/response protocol, secede, scatter,
/// heartbeats and the policy seam.
@Suite struct ProtocolTests {
    /// `test_include_communication_in_occupancy`: 0.5 s unknown estimate + 2 s of transfer;
    /// a second task needing the same dependency adds 0.5 s, not 2.5 s.
    @Test func occupancyIncludesMissingDependencies() {
        let h = Harness([T("x", bytes: 200_000_000, kind: .data), T("a", ["x"], workers: ["w0"], submission: 1),
                         T("b", ["x"], workers: ["w0"], submission: 1)],
                        submissions: [Sub(wanted: []), Sub(wanted: ["a", "b"])])
        h.addWorker(0)
        h.addWorker(1)
        h.scatter(["x"], to: .workers([WorkerID(1)]))
        h.submit(1)
        #expect(h.processing(0) == ["a", "b"])
        #expect(h.s.occupancy(of: WorkerID(0)) == .seconds(3))
        h.step(.worker(WorkerID(0), .addKeys(keys: [h.id("x")], stimulusID: h.stim("add-keys"))))
        #expect(h.whoHas("x") == [0, 1])
        #expect(h.s.occupancy(of: WorkerID(0)) == .seconds(1))
    }

    /// Victim with queued work on the worker, idle thief: the confirmed steal
    /// moves the task, sends a fresh compute-task, and the victim's late result is refused.
    func stealSetup() -> (Harness, [SchedulerInstruction]) {
        let h = Harness((0..<6).map { T("slow-\($0)", duration: 10, workers: ["a"], loose: true) })
        h.addWorker(0, name: "a")
        h.submit()
        h.step(.heartbeatExecuting(WorkerID(0), bandwidth: 0, executing: [ExecutingTask(key: h.id("slow-0"), elapsed: .seconds(10))]))
        h.addWorker(1, name: "b")
        let out = h.step(.balance)
        return (h, out)
    }

    @Test func confirmedStealMovesTheTask() {
        let (h, out) = stealSetup()
        // loose restrictions: no valid idle thief, so any idle worker may steal.
        // 6 × 20 s on a; level 0 in hash order starts slow-3, slow-0 (executing), …
        // (StealingOrderTests): slow-3 (0 + 20 ≤ 120 − 10; b at 20 s is still under
        // half the 60 s average), slow-0 (20 + 20 ≤ 100 − 10; b at 40 s leaves the thieves).
        // Before the hash order (priority order) these were slow-0, slow-1.
        #expect(h.stealRequests(out) == ["slow-3", "slow-0"])
        let before = h.sent[h.id("slow-3")]!.1.runID
        let moved = h.stealResponses(out) { $0 == h.id("slow-0") ? .executing : .ready }
        #expect(h.computes(moved).map { "\($0.0):\($0.1)" } == ["1:slow-3"])
        #expect(h.sent[h.id("slow-3")]!.1.runID > before)
        #expect(h.processing(1) == ["slow-3"])
        #expect(h.s.counters.stealsConfirmed == 1 && h.s.counters.stealsRefused == 1)
        // the victim finishes the stolen task anyway: stale run id → free-keys, no transition
        let stale = h.step(.worker(WorkerID(0), .taskFinished(key: h.id("slow-3"), runID: before, nbytes: 1, start: h.now, stop: h.now, stimulusID: h.stim("task-finished"))))
        #expect(stale.first == .toWorker(WorkerID(0), .freeKeys(keys: [h.id("slow-3")], stimulusID: StimulusID("task-finished", 1_000_002))))
        #expect(h.state("slow-3") == .processing)
        h.finish("slow-3")
        #expect(h.whoHas("slow-3") == [1])
        let events = (h.s.policy as? DaskPolicy)?.stealing?.events.map(\.outcome) ?? []
        #expect(events == [.request, .request, .confirm, .alreadyComputing])
    }

    @Test func releasedOrUnknownAnswerReschedules() {
        let (h, out) = stealSetup()
        _ = h.transitions()
        h.stealResponses(out) { $0 == h.id("slow-3") ? nil : .executing }
        #expect(h.transitions() == ["slow-3 processing->released", "slow-3 released->waiting", "slow-3 waiting->processing"])
        #expect(h.s.counters.stealsRescheduled == 1)
    }

    @Test func lateAndStaleAnswersAreIgnored() {
        let (h, out) = stealSetup()
        h.finish("slow-3")  // finished before the answer arrived: in-flight record dropped
        h.stealResponses(out) { _ in .memory }
        #expect(h.s.counters.stealsStale == 1)
        #expect(h.s.counters.stealsRefused == 1)
        // an answer for a task never requested (slow-1 is not in flight)
        h.step(.worker(WorkerID(0), .stealResponse(key: h.id("slow-1"), state: .ready, stimulusID: StimulusID("steal", 99))))
        #expect(h.s.counters.stealsStale == 2)
        #expect(h.processing(0).contains("slow-1"))
    }

    @Test func thiefGoneMeansReschedule() {
        let (h, out) = stealSetup()
        h.step(.removeWorker(WorkerID(1), expected: true))
        _ = h.transitions()
        h.stealResponses(out) { $0 == h.id("slow-3") ? .ready : .executing }
        #expect(h.transitions() == ["slow-3 processing->released", "slow-3 released->waiting", "slow-3 waiting->processing"])
        #expect(h.processing(0).contains("slow-3"))
    }

    /// A task acting as a client: it submits a sub-graph from its worker and
    /// secedes; its thread slot is freed exactly as Dask's `long-running` does.
    @Test func workerClientSecedesAndSubmits() {
        // Priorities pinned to key order within each graph (dask.order would rank independent tasks by descending key).
        var tasks = [T("parent", duration: 5, order: 0)]
        tasks += (0..<4).map { (i: Int) in T("other-\(i)", duration: 1, order: 1 + i) }
        tasks += (0..<4).map { (i: Int) in T("child-\(i)", duration: 1, order: i, submission: 1) }
        let children = (0..<4).map { "child-\($0)" }
        let h = Harness(tasks, submissions: [Sub(wanted: ["parent"] + (0..<4).map { "other-\($0)" }), Sub(client: "parent", wanted: children, submitter: "parent")]) {
            $0.workerSaturation = 1.0
        }
        h.addWorker(0)
        h.submit(0)
        #expect(h.processing(0) == ["parent"])
        #expect(h.queued == ["other-0", "other-1", "other-2", "other-3"])
        let parentRun = h.sent[h.id("parent")]!.1.runID
        let out = h.step(.worker(WorkerID(0), .longRunning(key: h.id("parent"), runID: parentRun, computeDuration: .seconds(2), stimulusID: h.stim("long-running"))))
        // the seceded task no longer counts against the slot: one queued task goes out
        #expect(h.computes(out).map(\.1) == ["other-0"])
        #expect(h.s.durationEstimate(prefix: "parent") == .seconds(2))
        #expect(h.s.occupancy(of: WorkerID(0)) == .milliseconds(500))
        // the sub-graph comes from the running task; its generation beats everyone's
        h.step(.client(.updateGraph(client: ClientID(1), submission: 1, tasks: h.workload.tasks(inSubmission: 1), wanted: children.map(h.id), submitter: h.id("parent"), stimulusID: h.stim("update-graph"))))
        #expect(h.s.priority(of: h.id("child-0")).generation == -1)
        #expect(h.queued == children + ["other-1", "other-2", "other-3"])
        h.finish("other-0")
        #expect(h.processing(0) == ["parent", "child-0"])
        h.drain()
        #expect(h.state("parent") == .memory && h.state("child-1") == .memory)
    }

    @Test func seceededTasksAreNeverStolen() {
        let (h, _) = stealSetup()
        let run = h.sent[h.id("slow-5")]!.1.runID
        h.step(.worker(WorkerID(0), .longRunning(key: h.id("slow-5"), runID: run, computeDuration: .seconds(1), stimulusID: h.stim("long-running"))))
        let stealing = (h.s.policy as? DaskPolicy)?.stealing
        #expect(stealing?.stealWorker[h.id("slow-5").index] == -1)
    }

    @Test func heartbeatsUpdateBandwidth() {
        let h = Harness([T("a")])
        h.addWorker(0)
        h.addWorker(1)
        h.step(.heartbeat(WorkerID(0), bandwidth: 50_000_000))
        #expect(h.s.bandwidthEstimate == 75_000_000)
        h.step(.heartbeat(WorkerID(1), bandwidth: 0))
        #expect(h.s.bandwidthEstimate == 75_000_000)
    }

    @Test func scatterRoundRobinContinuesAndBroadcastCopiesEverywhere() {
        let h = Harness((0..<7).map { T("d-\($0)", kind: .data) }, submissions: [Sub(wanted: [])])
        for i in 0..<3 { h.addWorker(i) }
        let first = h.scatter(["d-0", "d-1", "d-2", "d-3"], to: .roundRobin)
        #expect(first.map { $0.whoHas.map(\.index) } == [[0], [1], [2], [0]])
        let second = h.scatter(["d-4", "d-5"], to: .roundRobin)
        #expect(second.map { $0.whoHas.map(\.index) } == [[1], [2]])
        let all = h.scatter(["d-6"], to: .broadcast)
        #expect(all.map { $0.whoHas.map(\.index) } == [[0, 1, 2]])
        #expect(h.whoHas("d-6") == [0, 1, 2])
        #expect(h.s.whoWants(h.id("d-6")) == [ClientID(0)])
        // losing the only copy of scattered data forgets it
        h.step(.removeWorker(WorkerID(0), expected: false))
        #expect(h.state("d-0") == .forgotten && h.state("d-6") == .memory)
    }

    @Test func missingDependencyIsReportedNotCrashed() {
        let h = Harness([T("x", kind: .data), T("y", ["x"], submission: 1)], submissions: [Sub(wanted: []), Sub(wanted: ["y"])])
        h.addWorker(0)
        let out = h.submit(1)
        #expect(out.contains(.toClient(ClientID(0), .taskErred(key: h.id("y"), exception: "missing dependency: y depends on a key the scheduler does not know"))))
        #expect(h.state("y") == .forgotten)
    }

    @Test func releaseWorkerDataDropsTheReplica() {
        let h = Harness([T("a"), T("b", ["a"])])
        h.addWorker(0)
        h.addWorker(1)
        h.submit()
        h.finish("a")
        h.step(.worker(WorkerID(1), .addKeys(keys: [h.id("a")], stimulusID: h.stim("add-keys"))))
        #expect(h.whoHas("a") == [0, 1])
        h.step(.worker(WorkerID(1), .releaseWorkerData(key: h.id("a"), stimulusID: h.stim("release-worker-data"))))
        #expect(h.whoHas("a") == [0])
        #expect(h.s.storedBytes(on: WorkerID(1)) == 0)
    }

    @Test func transitionRecordsCarryTimeStimulusAndWorker() {
        let h = Harness([T("a")])
        h.addWorker(0)
        h.now = .seconds(3)
        h.submit()
        let log = h.s.drainTransitionLog()
        #expect(log.last == TransitionRecord(time: .seconds(3), key: h.id("a"), from: .waiting, to: .processing,
                                             stimulus: StimulusID("update-graph", 1_000_001), worker: WorkerID(0)))
        #expect(h.s.transitionLog.isEmpty)
    }

    /// `no-workers-timeout`: restrictions never met → NoValidWorkerError (no-worker → erred);
    /// no running worker at all → NoWorkerError, also for queued tasks (queued → erred).
    @Test func noWorkersTimeout() {
        let h = Harness([T("x", workers: ["gpu"], order: 0), T("r-0", order: 1), T("r-1", order: 2), T("r-2", order: 3)], submissions: [Sub(wanted: ["x", "r-0", "r-1", "r-2"])]) {
            try? $0.set("no-workers-timeout", "10s")
            $0.workerSaturation = 1.0
        }
        h.addWorker(0)
        h.pause(0)
        h.submit()
        #expect(h.state("x") == .noWorker)
        #expect(h.queued == ["r-0", "r-1", "r-2"])  // root-ish: 3 > 2 × 1 thread
        _ = h.transitions()
        h.now = .seconds(10)
        h.step(.balance)
        #expect(h.transitions().isEmpty)
        h.now = .seconds(11)
        h.step(.balance)
        #expect(h.transitions() == ["x no-worker->erred", "r-0 queued->erred", "r-1 queued->erred", "r-2 queued->erred"])
        #expect(h.s.exception(of: h.id("x"))?.hasPrefix("NoValidWorkerError: Attempted to run task x") == true)
        #expect(h.s.exception(of: h.id("r-0"))?.hasPrefix("NoWorkerError: Attempted to run task r-0") == true)
    }

    @Test func gatherAnswersWithHoldersAndMissingKeys() {
        let h = Harness([T("a", bytes: 64), T("b", ["a"])], submissions: [Sub(wanted: ["a", "b"])])
        h.addWorker(0)
        h.submit()
        h.finish("a")
        let out = h.step(.gather(client: ClientID(0), keys: [h.id("a"), h.id("b")]))
        #expect(out == [.gatherFrom(client: ClientID(0), replicas: [DependencyReplicas(key: h.id("a"), whoHas: [WorkerID(0)], nbytes: 64)], missing: [h.id("b")])])
        #expect(h.transitions().suffix(1) == ["b waiting->processing"])  // gather itself transitions nothing
    }

    @Test func invalidIdsFromADriverAreIgnored() {
        let h = Harness([T("a")])
        h.addWorker(0)
        h.submit()
        _ = h.transitions()
        #expect(h.step(.worker(WorkerID(-1), .taskFinished(key: h.id("a"), runID: 1, nbytes: 1, start: .zero, stop: .zero, stimulusID: h.stim("task-finished")))).isEmpty)
        #expect(h.step(.worker(WorkerID(7), .workerStatusChange(status: .paused, stimulusID: h.stim("worker-status-change")))).isEmpty)
        #expect(h.step(.removeWorker(WorkerID(99), expected: false)).isEmpty)
        #expect(h.step(.retireWorkers([WorkerID(-2)])).isEmpty)
        #expect(h.step(.client(.clientReleasesKeys(client: ClientID(-3), keys: [h.id("a")], stimulusID: h.stim("client-releases-keys")))).isEmpty)
        #expect(h.step(.heartbeat(WorkerID(-1), bandwidth: 1)).isEmpty)
        #expect(h.s.processing(on: WorkerID(-1)).isEmpty && h.s.status(of: WorkerID(-1)) == nil)
        #expect(h.transitions().isEmpty)
        #expect(h.state("a") == .processing)
    }

    @Test func killedWorkerAfterAllowedFailures() {
        let h = Harness([T("crashy")]) { $0.allowedFailures = 1 }
        h.addWorker(0)
        h.addWorker(1)
        h.addWorker(2)
        h.submit()
        h.step(.removeWorker(WorkerID(0), expected: false))
        #expect(h.state("crashy") == .processing && h.s.suspicious(of: h.id("crashy")) == 1)
        let where1 = h.s.processingOn(h.id("crashy"))!
        h.step(.removeWorker(where1, expected: false))
        #expect(h.state("crashy") == .erred)
        #expect(h.s.exception(of: h.id("crashy"))?.hasPrefix("KilledWorker: Attempted to run task crashy on 2 different workers") == true)
    }
}

/// A toy policy proving the seam: the engine runs any placement rule unchanged.
final class RoundRobinPolicy: SchedulingPolicy {
    let name = "round-robin"
    var next = 0
    func decideWorker(for task: TaskID, in s: SchedulerState) -> PlacementDecision {
        let workers = s.runningWorkers
        guard !workers.isEmpty else { return .noWorker }
        next += 1
        return .worker(workers[(next - 1) % workers.count])
    }
}

@Suite struct PolicySeamTests {
    @Test func anotherPolicyDrivesTheSameEngine() {
        let workload = makeWorkload((0..<6).map { T("r-\($0)") } + [T("sum", (0..<6).map { "r-\($0)" })])
        let h = Harness(workload, policy: RoundRobinPolicy()) { $0.validate = true }
        h.addWorker(0)
        h.addWorker(1)
        h.addWorker(2)
        let out = h.submit()
        #expect(h.computes(out).map(\.0) == [0, 1, 2, 0, 1, 2])
        #expect(h.queued.isEmpty)
        h.drain()
        #expect(h.state("sum") == .memory)
        #expect(h.s.validationErrors.isEmpty)
    }
}

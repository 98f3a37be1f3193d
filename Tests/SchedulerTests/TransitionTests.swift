import Messages
import Testing
import Workload
@testable import Scheduler

/// One test per transition of Dask's table (and the via-released moves),
/// each asserting the exact log entries, states, collections and instructions.
@Suite struct TransitionTests {
    /// a → b, client wants b, one 1-thread worker.
    func chain() -> Harness {
        let h = Harness([T("a"), T("b", ["a"])])
        h.addWorker(0)
        return h
    }

    @Test func releasedWaitingAndWaitingProcessing() {
        let h = chain()
        let out = h.submit()
        #expect(h.transitions() == ["b released->waiting", "a released->waiting", "a waiting->processing"])
        #expect(h.state("b") == .waiting)
        #expect(h.s.waitingOnCount(h.id("b")) == 1)
        #expect(h.s.waitersCount(h.id("a")) == 1)
        #expect(h.processing(0) == ["a"])
        #expect(out == [.toWorker(WorkerID(0), .computeTask(ComputeTask(
            key: h.id("a"), runID: 1, priority: Priority(negatedUserPriority: 0, generation: 100, order: 0),
            durationEstimate: .milliseconds(500), dependencies: [], stimulusID: StimulusID("update-graph", 1_000_001))))])
        #expect(h.s.priority(of: h.id("b")) == Priority(negatedUserPriority: 0, generation: 100, order: 1))
        #expect(h.s.occupancy(of: WorkerID(0)) == .milliseconds(500))
    }

    @Test func processingMemoryThenDependentRunsWhereDataIs() {
        let h = chain()
        h.submit()
        _ = h.transitions()
        let out = h.finish("a", nbytes: 100, duration: 1)
        #expect(h.transitions() == ["a processing->memory", "b waiting->processing"])
        #expect(h.state("a") == .memory)
        #expect(h.whoHas("a") == [0])
        #expect(h.s.storedBytes(on: WorkerID(0)) == 100)
        #expect(h.s.durationAverage(prefix: "a") == .seconds(1))
        #expect(h.computes(out).map(\.1) == ["b"])
        if case .toWorker(_, .computeTask(let msg)) = out.first {
            #expect(msg.dependencies == [DependencyReplicas(key: h.id("a"), whoHas: [WorkerID(0)], nbytes: 100)])
            #expect(msg.runID == 2)
        } else {
            Issue.record("expected a compute-task, got \(out)")
        }
    }

    @Test func memoryReleasedWhenNoLongerNeeded() {
        let h = chain()
        h.submit()
        h.finish("a", nbytes: 100)
        _ = h.transitions()
        let out = h.finish("b", nbytes: 8)
        #expect(h.transitions() == ["b processing->memory", "a memory->released"])
        #expect(out == [
            .toClient(ClientID(0), .keyInMemory(key: h.id("b"), workers: [WorkerID(0)])),
            .toWorker(WorkerID(0), .freeKeys(keys: [h.id("a")], stimulusID: StimulusID("task-finished", 1_000_003))),
        ])
        #expect(h.state("a") == .released)
        #expect(h.whoHas("a") == [])
        #expect(h.hasWhat(0) == ["b"])
        #expect(h.s.storedBytes(on: WorkerID(0)) == 8)
    }

    @Test func memoryForgottenAndReleasedForgotten() {
        let h = chain()
        h.submit()
        h.finish("a")
        h.finish("b")
        _ = h.transitions()
        let out = h.step(.client(.clientReleasesKeys(client: ClientID(0), keys: [h.id("b")], stimulusID: h.stim("client-releases-keys"))))
        #expect(h.transitions() == ["b memory->forgotten", "a released->forgotten"])
        #expect(out.count == 1)
        #expect(h.state("a") == .forgotten && h.state("b") == .forgotten)
        #expect(!h.s.isKnown(h.id("a")))
        #expect(h.hasWhat(0) == [])
        #expect(h.s.storedBytes(on: WorkerID(0)) == 0)
    }

    @Test func processingReleasedAndWaitingReleasedViaForget() {
        let h = chain()
        h.submit()
        _ = h.transitions()
        let before = h.s.counters.transitions
        let out = h.step(.client(.clientReleasesKeys(client: ClientID(0), keys: [h.id("b")], stimulusID: h.stim("client-releases-keys"))))
        #expect(h.transitions() == ["b waiting->released", "b released->forgotten", "a processing->released", "a released->forgotten"])
        #expect(out == [.toWorker(WorkerID(0), .freeKeys(keys: [h.id("a")], stimulusID: StimulusID("client-releases-keys", 1_000_002)))])
        #expect(h.s.counters.transitions - before == 4)
        #expect(h.processing(0) == [])
        #expect(h.s.occupancy(of: WorkerID(0)) == .zero)
    }

    /// Five root-ish tasks on one 1-thread worker: ceil(1.1 × 1) = 2 go out, 3 wait in the queue.
    func roots() -> Harness {
        // Priorities pinned to key order so the queue reads r-0 first; dask.order itself would rank
        // independent roots by descending key (r-4 first, DaskOrderTests.breakTiesByStr).
        let h = Harness((0..<5).map { (i: Int) in T("r-\(i)", order: i) })
        h.addWorker(0)
        return h
    }

    @Test func waitingQueued() {
        let h = roots()
        let out = h.submit()
        #expect(h.transitions() == [
            "r-0 released->waiting", "r-0 waiting->processing",
            "r-1 released->waiting", "r-1 waiting->processing",
            "r-2 released->waiting", "r-2 waiting->waiting", "r-2 waiting->queued",
            "r-3 released->waiting", "r-3 waiting->waiting", "r-3 waiting->queued",
            "r-4 released->waiting", "r-4 waiting->waiting", "r-4 waiting->queued",
        ])
        #expect(h.computes(out).map(\.1) == ["r-0", "r-1"])
        #expect(h.queued == ["r-2", "r-3", "r-4"])
        #expect(!h.s.hasOpenTaskSlots(WorkerID(0)))
    }

    @Test func queuedProcessingWhenASlotOpens() {
        let h = roots()
        h.submit()
        _ = h.transitions()
        let out = h.finish("r-0")
        #expect(h.transitions() == ["r-0 processing->memory", "r-2 queued->processing"])
        #expect(out.first == .toClient(ClientID(0), .keyInMemory(key: h.id("r-0"), workers: [WorkerID(0)])))
        #expect(h.computes(out).map(\.1) == ["r-2"])
        #expect(h.queued == ["r-3", "r-4"])
        #expect(h.processing(0) == ["r-1", "r-2"])
    }

    @Test func queuedReleased() {
        let h = roots()
        h.submit()
        _ = h.transitions()
        h.step(.client(.clientReleasesKeys(client: ClientID(0), keys: [h.id("r-4")], stimulusID: h.stim("client-releases-keys"))))
        #expect(h.transitions() == ["r-4 queued->released", "r-4 released->forgotten"])
        #expect(h.queued == ["r-2", "r-3"])
    }

    @Test func waitingNoWorkerAndNoWorkerProcessing() {
        let h = Harness([T("x", workers: ["gpu"])])
        h.addWorker(0)
        h.submit()
        #expect(h.transitions() == ["x released->waiting", "x waiting->waiting", "x waiting->no-worker"])
        #expect(h.keys(h.s.unrunnableTasks) == ["x"])
        let out = h.addWorker(1, name: "gpu")
        #expect(h.transitions() == ["x no-worker->processing"])
        #expect(h.computes(out).map(\.0) == [1])
        #expect(h.s.unrunnableTasks.isEmpty)
    }

    @Test func noWorkerReleased() {
        let h = Harness([T("x", workers: ["gpu"])])
        h.addWorker(0)
        h.submit()
        _ = h.transitions()
        h.step(.client(.clientReleasesKeys(client: ClientID(0), keys: [h.id("x")], stimulusID: h.stim("client-releases-keys"))))
        #expect(h.transitions() == ["x no-worker->released", "x released->forgotten"])
        #expect(h.s.unrunnableTasks.isEmpty)
    }

    @Test func processingErredPropagatesToDependents() {
        let h = chain()
        h.submit()
        _ = h.transitions()
        let out = h.fail("a", exception: "ZeroDivisionError: one")
        #expect(h.transitions() == ["a processing->erred", "b waiting->released", "b released->erred"])
        #expect(out == [.toClient(ClientID(0), .taskErred(key: h.id("b"), exception: "ZeroDivisionError: one"))])
        #expect(h.state("a") == .erred && h.state("b") == .erred)
        #expect(h.s.exceptionBlame(of: h.id("b")) == h.id("a"))
        #expect(h.s.counters.tasksErred == 2)
        #expect(h.processing(0) == [])
    }

    @Test func retriesGoBackToWaitingThroughReleased() {
        let h = Harness([T("a", retries: 1), T("b", ["a"])])
        h.addWorker(0)
        h.submit()
        _ = h.transitions()
        let out = h.fail("a")
        #expect(h.transitions() == ["a processing->released", "a released->waiting", "a waiting->processing"])
        #expect(h.s.retries(of: h.id("a")) == 0)
        #expect(out.count == 2)
        #expect(out.first == .toWorker(WorkerID(0), .freeKeys(keys: [h.id("a")], stimulusID: StimulusID("task-erred", 1_000_002))))
        #expect(h.sent[h.id("a")]?.1.runID == 2)
    }

    @Test func releasedErredWhenANewGraphNeedsAnErredKey() {
        let h = Harness([T("a"), T("c", ["a"], submission: 1)],
                        submissions: [Sub(client: "c0", wanted: ["a"]), Sub(client: "c1", wanted: ["c"])])
        h.addWorker(0)
        h.submit(0, client: 0)
        h.fail("a")
        _ = h.transitions()
        let out = h.submit(1, client: 1)
        #expect(h.transitions() == ["c released->erred"])
        #expect(out == [.toClient(ClientID(1), .taskErred(key: h.id("c"), exception: "ZeroDivisionError: boom"))])
        #expect(h.s.exceptionBlame(of: h.id("c")) == h.id("a"))
    }

    @Test func erredReleasedOnRetry() {
        let h = chain()
        h.submit()
        h.fail("a")
        _ = h.transitions()
        let out = h.step(.client(.retry(client: ClientID(0), keys: [h.id("b")], stimulusID: h.stim("retry"))))
        #expect(h.transitions() == [
            "a erred->released", "a released->waiting", "a waiting->processing",
            "b erred->released", "b released->waiting",
        ])
        #expect(out.contains(.toWorker(WorkerID(0), .freeKeys(keys: [h.id("a")], stimulusID: StimulusID("retry", 1_000_003)))))
        #expect(out.contains(.toClient(ClientID(0), .taskRetried(key: h.id("b")))))
        #expect(h.computes(out).map(\.1) == ["a"])
        h.finish("a")
        h.finish("b")
        #expect(h.state("b") == .memory)
    }

    @Test func memoryReleasedOnWorkerLossSendsDependentsBackToWaiting() {
        let h = Harness([T("a"), T("b", ["a"])])
        h.addWorker(0)
        h.addWorker(1)
        h.submit()
        h.finish("a")
        #expect(h.processing(0) == ["b"])
        _ = h.transitions()
        let out = h.step(.removeWorker(WorkerID(0), expected: false))
        #expect(h.transitions() == [
            "a memory->released", "a released->waiting", "a waiting->processing",
            "b processing->released", "b released->waiting",
        ])
        #expect(out.first == .closeWorker(WorkerID(0), reason: "scheduler-remove-worker"))
        #expect(h.computes(out) .map { "\($0.0):\($0.1)" } == ["1:a"])
        #expect(out.last == .toWorker(WorkerID(1), .removeWorker(worker: WorkerID(0), stimulusID: StimulusID("remove-worker", 3))))
        #expect(h.s.suspicious(of: h.id("b")) == 1)
        #expect(h.s.waitingOnCount(h.id("b")) == 1)
        h.finish("a")
        h.finish("b")
        #expect(h.state("b") == .memory)
        #expect(h.whoHas("b") == [1])
    }

    @Test func waitingMemoryRaceIsANoOp() {
        let h = Harness([T("a"), T("b", ["a"], workers: ["w1"])])
        h.addWorker(0)
        h.addWorker(1)
        h.submit()
        h.finish("a")
        #expect(h.processing(1) == ["b"])
        let staleRun = h.sent[h.id("b")]!.1.runID
        h.step(.removeWorker(WorkerID(0), expected: false))
        #expect(h.state("b") == .waiting)
        _ = h.transitions()
        h.finish("b", runID: staleRun)
        #expect(h.transitions() == ["b waiting->waiting"])
        #expect(h.state("b") == .waiting)
    }

    /// Actors: pinned to their worker; losing it errs the actor and every call
    /// waiting on it (memory→erred, processing→erred, no-worker→erred, queued→erred).
    @Test func actorLossErrsActorAndPendingCalls() {
        let h = Harness([T("actor-counter", isActor: true), T("call-1", actor: "actor-counter"), T("call-2", actor: "actor-counter")],
                        submissions: [Sub(wanted: ["actor-counter", "call-1", "call-2"])])
        h.addWorker(0)
        h.addWorker(1)
        h.submit()
        #expect(h.processing(0) == ["actor-counter"])
        #expect(h.sent[h.id("actor-counter")]?.1.actor == true)
        h.step(.worker(WorkerID(0), .workerStatusChange(status: .paused, stimulusID: h.stim("worker-status-change"))))
        h.finish("actor-counter")
        // The calls must run where the actor lives; that worker is paused.
        #expect(h.state("call-1") == .noWorker && h.state("call-2") == .noWorker)
        h.step(.worker(WorkerID(0), .workerStatusChange(status: .running, stimulusID: h.stim("worker-status-change"))))
        #expect(h.processing(0) == ["call-1", "call-2"])
        h.finish("call-1")
        _ = h.transitions()
        let out = h.step(.removeWorker(WorkerID(0), expected: false))
        let log = h.transitions()
        #expect(log == [
            "call-1 memory->released", "call-1 released->waiting", "actor-counter memory->erred",
            "call-1 waiting->released", "call-1 released->erred",
            // call-2's "released" recommendation (made first) keeps its place when
            // overwritten with "erred", so it is popped last.
            "call-2 processing->erred",
        ])
        #expect(h.state("actor-counter") == .erred && h.state("call-2") == .erred)
        #expect(h.s.exception(of: h.id("call-2")) == "RuntimeError: Worker holding Actor was lost")
        #expect(out.contains(.toClient(ClientID(0), .taskErred(key: h.id("call-2"), exception: "RuntimeError: Worker holding Actor was lost"))))
        // call-1's result was on the lost worker too; it waited for the actor and errs with it.
        #expect(h.state("call-1") == .erred)
    }

    @Test func noWorkerErredWhenTheActorIsLost() {
        let h = Harness([T("actor-counter", isActor: true), T("call-1", actor: "actor-counter")],
                        submissions: [Sub(wanted: ["actor-counter", "call-1"])])
        h.addWorker(0)
        h.addWorker(1)
        h.submit()
        h.step(.worker(WorkerID(0), .workerStatusChange(status: .paused, stimulusID: h.stim("worker-status-change"))))
        h.finish("actor-counter")
        _ = h.transitions()
        h.step(.removeWorker(WorkerID(0), expected: false))
        #expect(h.transitions() == ["actor-counter memory->erred", "call-1 no-worker->erred"])
    }

    @Test func queuedErredWhenARootishDependencyIsLost() {
        var tasks = [T("actor-x", isActor: true)]
        for i in 0..<10 { tasks.append(T("use-\(i)", ["actor-x"])) }
        let h = Harness(tasks, submissions: [Sub(wanted: ["actor-x"] + (0..<10).map { "use-\($0)" })])
        h.addWorker(0)
        h.addWorker(1)
        h.submit()
        h.finish("actor-x")
        #expect(h.queued.count == 6)
        _ = h.transitions()
        h.step(.removeWorker(WorkerID(0), expected: false))
        let log = h.transitions()
        #expect(log.filter { $0.hasSuffix("queued->erred") }.count == 6)
        // All four processing (two on each worker) err: the erred recommendation
        // overwrites the lost worker's "released" one.
        #expect(log.filter { $0.hasSuffix("processing->erred") }.count == 4)
        #expect((0..<10).allSatisfy { h.state("use-\($0)") == .erred })
        #expect(h.queued.isEmpty)
    }
}

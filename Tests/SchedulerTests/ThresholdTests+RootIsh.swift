import Messages
import Testing
import Workload
@testable import Scheduler

/// Dask's `SchedulerState.is_rootish` and `_task_slots_available`, each pinned on
/// both sides of its boundary at the smallest inputs that reach it:
///     len(tg) > 2 * total_nthreads
///     and len(tg.dependencies) < rootish-taskgroup (5)
///     and sum(map(len, tg.dependencies)) < rootish-taskgroup-dependencies (5)
///     slots = max(ceil(worker-saturation * nthreads), 1) - (len(processing) - len(long_running))
@Suite struct RootIshThresholdTests {
    /// `n` tasks `x-0 … x-(n-1)` (task group "x"), each depending on every key in `deps`.
    func group(_ n: Int, deps: [String] = []) -> [T] {
        deps.map { T($0) } + (0..<n).map { (i: Int) in T("x-\(i)", deps, order: deps.count + i) }
    }

    func rootish(_ tasks: [T], threads: [Int], configure: (inout SchedulerConfig) -> Void = { _ in }) -> Bool {
        let h = Harness(tasks, configure: configure)
        for (i, n) in threads.enumerated() { h.addWorker(i, threads: n) }
        h.submit()
        return h.s.isRootish(h.id("x-0"))
    }

    /// One 1-thread worker: 2 × 1 = 2. Group of 3: 3 > 2 → root-ish; group of 2: 2 > 2 is false.
    /// (The mutant `size > total threads` makes the group of 2 root-ish: 2 > 1.)
    @Test func groupSizeMustExceedTwiceTheThreads() {
        #expect(rootish(group(3), threads: [1]))
        #expect(!rootish(group(2), threads: [1]))
    }

    /// Two workers of 1 and 2 threads: 2 × 3 = 6. 7 > 6 root-ish, 6 not.
    @Test func totalThreadsAreSummedOverWorkers() {
        #expect(rootish(group(7), threads: [1, 2]))
        #expect(!rootish(group(6), threads: [1, 2]))
    }

    /// No worker: total_nthreads = 0, so a group of 1 is root-ish (1 > 0), Dask's `test_no_workers`.
    @Test func anyGroupIsRootishWithoutWorkers() {
        #expect(rootish(group(1), threads: []))
    }

    /// Dependency groups `a, b, c, e` (4 < 5) → root-ish; with `g` too, 5 < 5 fails.
    /// The total-tasks limit is lifted so only the group count decides.
    @Test func fewerThanFiveDependencyGroups() {
        let lift: (inout SchedulerConfig) -> Void = { $0.rootishTaskgroupDependencies = 100 }
        #expect(rootish(group(3, deps: ["a", "b", "c", "e"]), threads: [1], configure: lift))
        #expect(!rootish(group(3, deps: ["a", "b", "c", "e", "g"]), threads: [1], configure: lift))
    }

    /// One dependency group `d` with 4 tasks: Σ = 4 < 5 → root-ish; 5 tasks: 5 < 5 fails.
    @Test func fewerThanFiveDependencyTasksInTotal() {
        #expect(rootish(group(3, deps: (0..<4).map { "d-\($0)" }), threads: [1]))
        #expect(!rootish(group(3, deps: (0..<5).map { "d-\($0)" }), threads: [1]))
    }

    /// The limits are settings: rootish-taskgroup 2 allows 1 dependency group, not 2.
    @Test func dependencyGroupLimitIsConfigurable() {
        let two: (inout SchedulerConfig) -> Void = { $0.rootishTaskgroup = 2 }
        #expect(rootish(group(3, deps: ["a"]), threads: [1], configure: two))
        #expect(!rootish(group(3, deps: ["a", "b"]), threads: [1], configure: two))
    }

    /// Restrictions make a task non-root-ish whatever the group size.
    @Test func restrictedTasksAreNeverRootish() {
        let tasks = (0..<5).map { (i: Int) in T("x-\(i)", workers: ["w0"], order: i) }
        #expect(!rootish(tasks, threads: [1]))
    }
}

@Suite struct SaturationThresholdTests {
    func slots(threads: Int, saturation: Double) -> Int {
        let h = Harness([T("a")]) { $0.workerSaturation = saturation }
        h.addWorker(0, threads: threads)
        return h.s.taskSlotsAvailable(WorkerID(0))
    }

    /// ceil rounds up: 1.1 × 1 = 1.1 → 2; 1.1 × 4 = 4.4 → 5; 1.0 × 4 → 4 (exact: no extra slot).
    /// Binary floating point as in Python: 1.1 × 10 = 11.0 → 11, but 1.1 × 3 = 3.3000000000000003
    /// → `math.ceil` gives 4, and so do we.
    @Test func slotsAreTheCeilingOfSaturationTimesThreads() {
        #expect(slots(threads: 1, saturation: 1.1) == 2)
        #expect(slots(threads: 4, saturation: 1.1) == 5)
        #expect(slots(threads: 4, saturation: 1.0) == 4)
        #expect(slots(threads: 10, saturation: 1.1) == 11)
        #expect(slots(threads: 3, saturation: 1.1) == 4)
        #expect(slots(threads: 3, saturation: 0.5) == 2)  // ceil(1.5)
    }

    /// The floor of 1: saturation 0.1 on 1 thread is ceil(0.1) = 1 (the `max(…, 1)` only
    /// matters for a 0-thread worker, see docs/testing.md).
    @Test func atLeastOneSlot() {
        #expect(slots(threads: 1, saturation: 0.1) == 1)
        #expect(slots(threads: 2, saturation: 0.01) == 1)
    }

    /// One 1-thread worker, 3 root-ish tasks (3 > 2): 2 slots → 2 processing, 1 queued,
    /// and the worker is full (slots 0 ≤ 0). With saturation 1.0 → 1 slot: 1 processing, 2 queued.
    @Test func queueHoldsWhatTheSlotsDoNotTake() {
        for (saturation, processing, queued) in [(1.1, 2, 1), (1.0, 1, 2), (2.0, 2, 1), (3.0, 3, 0)] {
            let h = Harness((0..<3).map { (i: Int) in T("r-\(i)", order: i) }) { $0.workerSaturation = saturation }
            h.addWorker(0)
            h.submit()
            #expect(h.processing(0).count == processing, "saturation \(saturation)")
            #expect(h.queued.count == queued, "saturation \(saturation)")
            // Every case fills the worker exactly: slots = ceil(s) − processing = 0 → full.
            #expect(h.s.taskSlotsAvailable(WorkerID(0)) == 0, "saturation \(saturation)")
            #expect(!h.s.hasOpenTaskSlots(WorkerID(0)))
        }
    }

    /// A long-running (seceded) task gives its slot back: slots = 2 − (2 − 1) = 1, so the
    /// queued task is sent.
    @Test func longRunningTasksDoNotTakeASlot() {
        let h = Harness((0..<3).map { (i: Int) in T("r-\(i)", order: i) })
        h.addWorker(0)
        h.submit()
        #expect(h.queued == ["r-2"])
        let (w, msg) = h.sent[h.id("r-0")]!
        let out = h.step(.worker(w, .longRunning(key: msg.key, runID: msg.runID, computeDuration: .seconds(1), stimulusID: h.stim("long-running"))))
        #expect(computeKeys(h, out) == ["r-2"])
        #expect(h.queued == [])
        #expect(h.s.taskSlotsAvailable(WorkerID(0)) == 0)
    }
}

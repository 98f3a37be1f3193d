import Foundation
import Messages
import Testing
import Workload
@testable import Scheduler

@Suite struct ConfigTests {
    @Test func defaultsAreDasks() {
        let c = SchedulerConfig()
        #expect(c.workerSaturation == 1.1)
        #expect(c.unknownTaskDuration == .milliseconds(500))
        #expect(c.bandwidth == 100_000_000)
        #expect(c.defaultDataSize == 1024)
        #expect(c.rootishTaskgroup == 5 && c.rootishTaskgroupDependencies == 5)
        #expect(c.workStealing && c.workStealingInterval == .seconds(1))
        #expect(c.allowedFailures == 3)
        #expect(!c.validate)
        #expect(c.defaultTaskDurations["rechunk-split"] == Time(nanoseconds: 1_000))
        // Exactly Dask's four shuffle-split prefixes, nothing of schedsim's own.
        #expect(c.defaultTaskDurations.keys.sorted() == ["rechunk-split", "split-shuffle", "split-stage", "split-taskshuffle"])
    }

    @Test func setByName() throws {
        var c = SchedulerConfig()
        try c.set("worker-saturation", "2.0")
        try c.set("distributed.scheduler.unknown-task-duration", "1h")
        try c.set("bandwidth", "50MB")
        try c.set("default-data-size", "1kiB")
        try c.set("work-stealing", "false")
        try c.set("work-stealing-interval", "250ms")
        try c.set("default-task-durations", "inc=100ms, sum=1us")
        try c.set("allowed-failures", "0")
        #expect(c.workerSaturation == 2.0)
        #expect(c.unknownTaskDuration == .seconds(3600))
        #expect(c.bandwidth == 50_000_000)
        #expect(c.defaultDataSize == 1024)
        #expect(!c.workStealing)
        #expect(c.workStealingInterval == .milliseconds(250))
        #expect(c.defaultTaskDurations == ["inc": .milliseconds(100), "sum": Time(nanoseconds: 1_000)])
        #expect(c.allowedFailures == 0)
        try c.set("worker-saturation", "inf")
        #expect(c.workerSaturation.isInfinite)
    }

    @Test func badNamesAndValuesAreClearErrors() {
        var c = SchedulerConfig()
        #expect(throws: SchedulerConfigError.self) { try c.set("worker-saturaton", "2") }
        do {
            try c.set("worker-saturaton", "2")
        } catch {
            #expect(error.description.hasPrefix("scheduler setting 'worker-saturaton=2': unknown scheduler setting; known: worker-saturation, "))
        }
        do {
            try c.set("worker-saturation", "-1")
            Issue.record("accepted a negative saturation")
        } catch {
            #expect(error.description == "scheduler setting 'worker-saturation=-1': expected a number > 0 or 'inf'")
        }
        #expect(throws: SchedulerConfigError.self) { try c.set("unknown-task-duration", "soon") }
        #expect(throws: SchedulerConfigError.self) { try c.set("bandwidth", "0") }
        #expect(throws: SchedulerConfigError.self) { try c.set("default-task-durations", "inc") }
        #expect(throws: SchedulerConfigError.self) { try c.set("validate", "maybe") }
        #expect(c == SchedulerConfig())  // nothing changed by failed sets
    }
}

@Suite struct StaticOrderTests {
    /// A tree reduction, ordered by the port of dask.order: a branch is finished before the
    /// next branch's inputs start. Ties between the equal branches go to the larger key text
    /// (`sort_key` ends with `str(key)`): s-23 and its inputs x-3, x-2 first. dask.order.order
    /// gives {x-3: 0, x-2: 1, s-23: 2, x-1: 3, x-0: 4, s-01: 5, total: 6} (same in every process).
    @Test func treeReductionFollowsDaskOrder() {
        let h = Harness([
            T("x-3"), T("x-1"), T("x-0"), T("x-2"),
            T("s-01", ["x-0", "x-1"]), T("s-23", ["x-2", "x-3"]),
            T("total", ["s-01", "s-23"]),
        ])
        func order(_ key: String) -> Int32 { h.s.graph.order[h.id(key).index] }
        let sequence = ["x-0", "x-1", "s-01", "x-2", "x-3", "s-23", "total"].map(order)
        #expect(sequence == [4, 3, 5, 1, 0, 2, 6])
    }

    @Test func traceOrderIsUsedWhenEveryTaskHasOne() {
        let h = Harness([T("a", order: 7), T("b", order: 3), T("c", ["a", "b"], order: 9)])
        #expect(h.s.graph.order.map { $0 } == [7, 3, 9])
    }

    @Test func userPriorityAndGenerationComeFirst() {
        let h = Harness([T("low", priority: -1), T("high", priority: 1), T("later", submission: 1)],
                        submissions: [Sub(wanted: ["low", "high"]), Sub(wanted: ["later"])])
        h.submit(0)
        h.now = .seconds(1)
        h.submit(1)
        #expect(h.s.priority(of: h.id("high")) == Priority(negatedUserPriority: -1, generation: 100, order: 1))
        #expect(h.s.priority(of: h.id("low")) == Priority(negatedUserPriority: 1, generation: 100, order: 0))
        #expect(h.s.priority(of: h.id("later")) == Priority(negatedUserPriority: 0, generation: 200, order: 0))
        #expect(h.s.priority(of: h.id("high")) < h.s.priority(of: h.id("later")))
    }

    @Test func graphsWithinTheFifoTimeoutShareAGeneration() {
        let h = Harness([T("a"), T("b", submission: 1)], submissions: [Sub(), Sub()])
        h.submit(0)
        h.now = .milliseconds(50)
        h.submit(1)
        #expect(h.s.priority(of: h.id("b")).generation == h.s.priority(of: h.id("a")).generation)
    }
}

@Suite struct TieBreakTests {
    @Test func stealingLevelsMatchDask() {
        let cases: [(Double, Int?)] = [(1, 6), (2, 7), (3.1, 8), (6.1, 9), (10.1, 9), (20.1, 10), (100, 13), (300, 14), (400, nil), (0.001, 1)]
        for (ratio, level) in cases { #expect(WorkStealing.level(ratio: ratio) == level, "ratio \(ratio)") }
    }

    @Test func stealingLevelRoundsHalfToEven() {
        // log2(2^0.5) + 6 = 6.5 → 6, log2(2^1.5) + 6 = 7.5 → 8 (Python's round)
        #expect(WorkStealing.level(ratio: pow(2, 0.5)) == 6)
        #expect(WorkStealing.level(ratio: pow(2, 1.5)) == 8)
    }

    @Test func queuingPickerPrefersFewestTasksPerThreadThenLowestID() {
        // Priorities pinned to key order (dask.order would rank independent roots by descending key).
        let h = Harness((0..<9).map { (i: Int) in T("r-\(i)", order: i) }) { $0.workerSaturation = 2.0 }
        h.addWorker(0, threads: 2)
        h.addWorker(1, threads: 1)
        h.addWorker(2, threads: 1)
        let out = h.submit()
        // (0/2, 0/1, 0/1) → 0; (1/2, 0, 0) → 1; (1/2, 1, 0) → 2; (1/2, 1, 1) → 0; (1, 1, 1) → 0 (lowest id) ...
        #expect(h.computes(out).map(\.0) == [0, 1, 2, 0, 0, 1, 2, 0])
        #expect(h.queued == ["r-8"])
    }

    @Test func removedWorkersTasksAreReleasedInPriorityOrder() {
        // Priorities pinned to key order (dask.order would rank independent roots by descending key).
        let h = Harness((0..<3).map { (i: Int) in T("t-\(i)", workers: ["a"], loose: true, order: i) })
        h.addWorker(0, name: "a")
        h.submit()
        _ = h.transitions()
        h.addWorker(1, name: "b")
        _ = h.transitions()
        h.step(.removeWorker(WorkerID(0), expected: true))
        let log = h.transitions().filter { $0.hasSuffix("processing->released") }
        // recommendations are made in priority order, so the LIFO pop handles the least urgent first
        #expect(log == ["t-2 processing->released", "t-1 processing->released", "t-0 processing->released"])
        #expect(h.processing(1) == ["t-0", "t-1", "t-2"])
    }
}

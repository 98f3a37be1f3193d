import Testing
@testable import Report

@Suite struct TaskStreamTests {
    @Test func smallRunLanesAndBarsAsCheckedByHand() throws {
        let logs = try RunLogs.load(directory: Fixtures.smallRun().path)
        let stream = TaskStream(logs: logs, threadsPerWorker: threadsFromClusterSpec("2x2") ?? [:])
        #expect(stream.workers == ["worker-0", "worker-1"])
        #expect(stream.lanes.map { "\($0.worker)#\($0.thread)" } == ["worker-0#0", "worker-0#1", "worker-1#0", "worker-1#1"])
        #expect(stream.prefixes == ["a", "sum", "b", "s"])
        #expect(stream.bars == [
            .init(lane: 0, start: 0, end: 1, kind: .task(0)),     // a-1
            .init(lane: 1, start: 0, end: 2, kind: .task(1)),     // a-2
            .init(lane: 2, start: 0, end: 1.5, kind: .task(2)),   // a-3
            .init(lane: 2, start: 2.5, end: 3, kind: .task(3)),   // ('sum-x', 0)
            .init(lane: 0, start: 1, end: 1.5, kind: .task(4)),   // b-1 reuses thread 0
            .init(lane: 2, start: 2, end: 2.5, kind: .transfer([0, 1])),
        ])
        #expect(stream.taskBarCount == 5)
        #expect(stream.transferBarCount == 1)
        #expect(stream.transfersToClients == 1)
    }

    @Test func withoutAClusterSpecLanesAreTheConcurrencySeen() throws {
        let logs = try RunLogs.load(directory: Fixtures.smallRun(without: ["summary.csv"]).path)
        let stream = TaskStream(logs: logs)
        #expect(stream.lanes.count == 3)
        #expect(logs.missingFiles == ["summary.csv"])
    }

    @Test func clusterSpecNamesNotInTheLogsGetNoLanes() throws {
        // The real executor names workers w1, w2; the summary's cluster spec says worker-0, worker-1.
        let logs = RunLogs(name: "real", tasks: [
            TaskRecord(key: "x", prefix: "x", worker: "w1", start: 0, end: 1),
            TaskRecord(key: "y", prefix: "y", worker: "w2", start: 0, end: 1),
        ])
        let stream = TaskStream(logs: logs, threadsPerWorker: ["worker-0": 2, "worker-1": 2])
        #expect(stream.lanes.map { "\($0.worker)#\($0.thread)" } == ["w1#0", "w2#0"])
    }

    @Test func workersSortNaturally() {
        let names = ["worker-10", "worker-2", "worker-1", "a", "worker-02x"]
        #expect(names.sorted(by: naturalLess) == ["a", "worker-1", "worker-2", "worker-02x", "worker-10"])
    }

    @Test func clusterSpecGivesThreadsPerWorker() {
        let threads = threadsFromClusterSpec("2x4@2.0,1x8:mem=4GiB")
        #expect(threads == ["worker-0": 4, "worker-1": 4, "worker-2": 8])
        #expect(threadsFromClusterSpec("clusters/big.json") == nil)
        #expect(threadsFromClusterSpec("0x4") == nil)
    }

    @Test func tasksByStateReplaysTransitions() throws {
        let logs = try RunLogs.load(directory: Fixtures.smallRun().path)
        let states = RunSeries.tasksByState(logs.transitions)
        #expect(states["processing"]!.value(at: 0) == 3)
        #expect(states["waiting"]!.value(at: 0) == 2)
        #expect(states["processing"]!.value(at: 1.2) == 3)   // a-2, a-3, b-1
        #expect(states["memory"]!.value(at: 1.2) == 1)       // a-1
        #expect(states["memory"]!.value(at: 2) == 4)
        #expect(states["processing"]!.value(at: 2.7) == 1)   // the sum
        #expect(states["memory"]!.value(at: 3) == 3)         // a-3, b-1, the sum
        #expect(states["forgotten"]!.value(at: 3) == 2)
        #expect(states["released"]!.maximum == 0)
    }

    @Test func bytesInFlightCountsEachKeyOverItsTransfer() throws {
        let logs = try RunLogs.load(directory: Fixtures.smallRun().path)
        let inFlight = RunSeries.bytesInFlight(logs.transfers)
        #expect(inFlight.value(at: 1.99) == 0)
        #expect(inFlight.value(at: 2) == 200)
        #expect(inFlight.value(at: 2.5) == 0)
        #expect(inFlight.value(at: 3.05) == 8)
        #expect(inFlight.value(at: 3.1) == 0)
        // Ten buckets of 0.31 s over [0, 3.1]: the transfer [2, 2.5) shows in buckets 6 to 8 (8 starts at 2.48), the gather in 9.
        #expect(inFlight.bucketMaxima(end: 3.1, count: 10) == [0, 0, 0, 0, 0, 0, 200, 200, 200, 8])
    }

    @Test func workerTotalsAddTheLatestSampleOfEachWorker() throws {
        let logs = try RunLogs.load(directory: Fixtures.smallRun().path)
        let busy = RunSeries.total(logs.samples) { Double($0.busyThreads) }
        #expect(busy.times == [0, 1, 2, 3])
        #expect(busy.values == [3, 3, 0, 0])
        let memory = RunSeries.total(logs.samples) { Double($0.memoryBytes) }
        #expect(memory.values == [0, 100, 350, 558])
    }

    @Test func laneUtilisationSplitsBarsOverBuckets() throws {
        let logs = try RunLogs.load(directory: Fixtures.smallRun().path)
        let stream = TaskStream(logs: logs, threadsPerWorker: ["worker-0": 2, "worker-1": 2])
        // Three buckets of 1 s over [0, 3].
        let utilisation = RunSeries.laneUtilisation(stream: stream, end: 3, count: 3)
        #expect(utilisation[0] == [1, 0.5, 0])      // a-1, then b-1 for half a second
        #expect(utilisation[1] == [1, 1, 0])        // a-2
        #expect(utilisation[2] == [1, 0.5, 0.5])    // a-3 until 1.5, the sum from 2.5
        #expect(utilisation[3] == [0, 0, 0])
    }

    /// Issue 18: a damaged log's start of -1e300 used to trap in `Int(_:)`; it is clamped.
    @Test func laneUtilisationSurvivesAHugeNegativeStart() throws {
        let folder = try Fixtures.folder("negative")
        try Fixtures.write(["tasks.csv": "key,prefix,worker,start,end\nx,x,worker-0,-1e300,1\n"], into: folder)
        let stream = TaskStream(logs: try RunLogs.load(directory: folder.path), threadsPerWorker: ["worker-0": 1])
        let utilisation = RunSeries.laneUtilisation(stream: stream, end: 2, count: 2)
        #expect(utilisation[0][1] == 0)
    }
}

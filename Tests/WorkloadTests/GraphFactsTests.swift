import Testing
import Workload

@Suite struct GraphFactsTests {
    /// a(1) -> b(2), c(3) -> d(1): the longest path is a, c, d = 5 s.
    @Test func diamond() throws {
        var b = WorkloadBuilder(name: "diamond", source: "t")
        b.add(TaskSpec(key: "a", duration: 1, outputBytes: 100), dependencies: [], origin: "0")
        b.add(TaskSpec(key: "b", duration: 2, outputBytes: 50), dependencies: ["a"], origin: "1")
        b.add(TaskSpec(key: "c", duration: 3, outputBytes: 70), dependencies: ["a"], origin: "2")
        b.add(TaskSpec(key: "d", duration: 1, outputBytes: 10), dependencies: ["b", "c"], origin: "3")
        let f = try b.build().graphFacts()
        #expect(f.tasks == 4 && f.computeTasks == 4 && f.dataTasks == 0 && f.edges == 4)
        #expect(f.totalWork == 7)
        #expect(f.criticalPathLength == 5)
        #expect(f.criticalPath == [TaskID(0), TaskID(2), TaskID(3)])
        #expect(f.levelWidths == [1, 2, 1])
        #expect(f.depth == 3 && f.maxWidth == 2)
        #expect(f.totalOutputBytes == 230)
        #expect(f.roots == 1 && f.leaves == 1 && f.maxInDegree == 2 && f.maxOutDegree == 2)
        #expect(f.submissions == 1 && f.clients == 1)
        #expect(f.makespanLowerBound(threads: 1) == 7)
        #expect(f.makespanLowerBound(threads: 2) == 5)
        #expect(f.makespanLowerBound(threads: 0) == .infinity)
    }

    /// Five loads L0..L4 (1..5 s), partial sums S0(L0,L1), S1(L2,L3), S2(L4) of 0.5 s,
    /// T0(S0,S1) and the root R(T0,S2) of 0.25 s. Longest path: L4, S2, R = 5.75 s.
    /// Depth by hop count: L at 0, S at 1, T0 at 2, R at 3.
    @Test func unevenTree() throws {
        let w = try treeWorkload()
        let f = w.graphFacts()
        #expect(f.tasks == 10 && f.edges == 9)
        #expect(f.totalWork == 17)
        #expect(f.criticalPathLength == 5.75)
        #expect(f.criticalPath.map { w[$0].key } == ["L4", "S2", "R"])
        #expect(f.levelWidths == [5, 3, 1, 1])
        #expect(f.roots == 5 && f.leaves == 1)
        #expect(f.maxInDegree == 2 && f.maxOutDegree == 1)
        #expect(f.totalOutputBytes == 5320)
        #expect(f.makespanLowerBound(threads: 2) == 8.5)
        #expect(f.makespanLowerBound(threads: 4) == 5.75)
    }

    /// Equal-length paths: the one through the smaller id wins, at every step.
    @Test func tiesGoToTheSmallerId() throws {
        let w = try build([("r0", 1, []), ("r1", 1, []), ("m0", 1, ["r1", "r0"]), ("m1", 1, ["r0"]), ("end", 0, ["m1", "m0"])])
        let f = w.graphFacts()
        #expect(f.criticalPathLength == 2)
        #expect(f.criticalPath.map { w[$0].key } == ["r0", "m0", "end"])
    }

    @Test func dataTasksAndClients() throws {
        var b = WorkloadBuilder(name: "d", source: "t")
        b.addSubmission(client: "alice", wanted: nil, origin: "s0")
        b.addSubmission(client: "bob", wanted: nil, origin: "s1")
        b.addSubmission(client: "alice", time: 1, wanted: nil, origin: "s2")
        b.add(TaskSpec(key: "x", kind: .data, outputBytes: 1 << 30), dependencies: [], origin: "0")
        b.add(TaskSpec(key: "y", duration: 4, submission: 2), dependencies: ["x"], origin: "1")
        let f = try b.build().graphFacts()
        #expect(f.computeTasks == 1 && f.dataTasks == 1)
        #expect(f.totalWork == 4 && f.criticalPathLength == 4)
        #expect(f.totalOutputBytes == 1 << 30)
        #expect(f.submissions == 3 && f.clients == 2)
    }
}

func treeWorkload() throws -> Workload {
    var b = WorkloadBuilder(name: "tree", source: "t")
    for i in 0..<5 {
        b.add(TaskSpec(key: "L\(i)", duration: Double(i + 1), outputBytes: 1000), dependencies: [], origin: "L\(i)")
    }
    b.add(TaskSpec(key: "S0", duration: 0.5, outputBytes: 100), dependencies: ["L0", "L1"], origin: "S0")
    b.add(TaskSpec(key: "S1", duration: 0.5, outputBytes: 100), dependencies: ["L2", "L3"], origin: "S1")
    b.add(TaskSpec(key: "S2", duration: 0.5, outputBytes: 100), dependencies: ["L4"], origin: "S2")
    b.add(TaskSpec(key: "T0", duration: 0.25, outputBytes: 10), dependencies: ["S0", "S1"], origin: "T0")
    b.add(TaskSpec(key: "R", duration: 0.25, outputBytes: 10), dependencies: ["T0", "S2"], origin: "R")
    return try b.build()
}

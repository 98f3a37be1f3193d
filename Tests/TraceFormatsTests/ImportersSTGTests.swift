import Testing
@testable import TraceFormats
import Workload

@Suite("STG importer")
struct ImportersSTGTests {
    @Test func robotMatchesSourcesAndTrailer() throws {
        let trace = try STGImporter().importTrace(bytes: try TraceFiles.bytes("stg/robot.stg"), path: "robot.stg")
        let facts = trace.workload.graphFacts()
        #expect(facts.tasks == 88)
        #expect(facts.edges == 131)
        #expect(facts.criticalPathLength == 569)
        #expect(facts.totalWork == 2483)   // 28.215909 × 88, the trailer's average
        #expect(trace.warnings.isEmpty, "\(trace.warnings)")
        // Task 6 costs 28 and depends on tasks 1 and 4.
        #expect(trace.workload.dependencyKeys(of: "task-6") == ["task-1", "task-4"])
        #expect(trace.workload[trace.workload.id(forKey: "task-6")!].duration == 28)
        #expect(trace.workload[trace.workload.id(forKey: "task-6")!].prefix == "task")
        // Tasks 1 and 2 hung off the entry dummy: without it they are roots.
        #expect(trace.workload.dependencyKeys(of: "task-1").isEmpty)
    }

    @Test func keepingDummiesAddsTwoTasksAndFourEdges() throws {
        let trace = try STGImporter(keepDummies: true).importTrace(bytes: try TraceFiles.bytes("stg/robot.stg"), path: "robot.stg")
        let facts = trace.workload.graphFacts()
        #expect(facts.tasks == 90)
        #expect(facts.edges == 135)
        #expect(facts.criticalPathLength == 569)
        #expect(trace.workload.dependencyKeys(of: "task-89") == ["task-81", "task-88"])
    }

    /// Communication costs on lines of their own and as pairs on the task line.
    @Test func communicationCostsBecomePerEdgeBytes() throws {
        let text = """
        3
        0 0 0
        1 4 1
          0 0
        2 5 1 1 7
        3 2 2
          1 3
          2 1
        4 0 1 3 0
        """
        let trace = try STGImporter(bytesPerCommUnit: 1000).importTrace(bytes: Array(text.utf8), path: "comm.stg")
        let w = trace.workload
        #expect(w.count == 3)
        #expect(w.dependencyKeys(of: "task-3") == ["task-1", "task-2"])
        let t3 = w[w.id(forKey: "task-3")!]
        #expect(t3.dependencyBytes == [3000, 1000])
        #expect(w[w.id(forKey: "task-2")!].dependencyBytes == [7000])
        // Task 1 feeds task 2 (cost 7) and task 3 (cost 3): output = largest edge.
        #expect(w[w.id(forKey: "task-1")!].outputBytes == 7000)
        #expect(w.edgeBytes(consumer: t3.dependencies.isEmpty ? TaskID(0) : w.id(forKey: "task-3")!, dependencyIndex: 0) == 3000)
        #expect(w.graphFacts().criticalPathLength == 11)
    }

    @Test func trailerMismatchIsAWarningWithCounts() throws {
        let text = """
        2
        0 0 0
        1 3 1 0
        2 4 1 1
        3 0 1 2
        # Tasks : 2 (+dummy tasks : 2)
        # Edges : 5 (+dummy edges : 2)
        # CP Length : 9
        # Parallelism : 1
        """
        let trace = try STGImporter().importTrace(bytes: Array(text.utf8), path: "t.stg")
        #expect(trace.workload.graphFacts().criticalPathLength == 7)
        #expect(trace.warnings.count == 1)
        #expect(trace.warnings.first?.code == "trailer-mismatch")
        #expect(trace.warnings.first?.count == 2)     // Edges and CP Length; Parallelism 7/7 = 1 agrees
        #expect(trace.warnings.first?.place == "line 7")
    }

    @Test func malformedInputNamesTheLine() {
        let cases: [(String, String)] = [
            ("", "line 1: empty STG file"),
            ("x\n", "line 1: expected the number of tasks"),
            ("2\n0 0 0\n1 3 1 0\n", "file ends after 2 task lines; expected 4"),
            ("1\n0 0 0\n1 3 1 7\n2 0 1 1\n", "line 3: task 1 names predecessor 7, but the last task is 2"),
            ("1\n0 0 0\n2 3 1 0\n", "line 3: expected task 1, found task 2"),
            ("1\n0 0 0\n1 3 2 0\n2 0 1 1\n", "line 3: task 1 declares 2 predecessors but the line lists 1 numbers"),
            ("1\n0 0 0\n1 99999999999999999999 1 0\n2 0 1 1\n", "line 3: processing time '99999999999999999999' is not an integer"),
            ("1\n0 0 0\n1 -3 1 0\n2 0 1 1\n", "line 3: processing time '-3' is not an integer"),
            ("1\n0 0 0\n1 3 1 0\n2 0 1 1\n9 9 9\n", "line 5: unexpected data after the exit task 2"),
            ("50000000\n0 0 0\n", "file ends after 1 task lines; expected 50000002"),
            ("2\n0 0 0\n1 3 1 2\n2 3 1 1\n3 0 1 2\n", "dependency cycle"),
            ("1\n0 0 0\n1 3 1 0 \u{00e9}\n", "line 3: communication cost 'é' is not an integer"),
        ]
        for (text, expected) in cases {
            let message = importErrorText { _ = try STGImporter().importTrace(bytes: Array(text.utf8), path: "bad.stg") }
            #expect(message.contains(expected), "input \(text.debugDescription) gave: \(message)")
            #expect(message.contains("bad.stg"))
        }
    }

    @Test func nonUTF8BytesNameLineAndColumn() {
        let bytes: [UInt8] = Array("1\n0 0 0\n1 3".utf8) + [0xFF] + Array(" 1 0\n2 0 1 1\n".utf8)
        let message = importErrorText { _ = try STGImporter().importTrace(bytes: bytes, path: "bin.stg") }
        #expect(message == "bin.stg: line 3, column 4: byte 0xff is not valid UTF-8 text")
    }

    @Test func detectsByContentAndExtension() {
        #expect(STGImporter().detect(prefix: Array("  3\n 0 0 0\n".utf8)[...], path: "x.txt"))
        #expect(STGImporter().detect(prefix: ArraySlice<UInt8>(), path: "robot.STG"))
        #expect(!STGImporter().detect(prefix: Array("{\"a\": 1}".utf8)[...], path: "x.json"))
        #expect(!STGImporter().detect(prefix: Array("digraph G {\n}".utf8)[...], path: "x.dot"))
    }
}

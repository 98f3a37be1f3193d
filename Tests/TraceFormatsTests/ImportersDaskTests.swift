import Foundation
import Testing
@testable import TraceFormats
import Workload

/// SOURCES.md's table for `traces/dask/`: tasks, edges, makespan (2 decimals),
/// tasks per worker (sorted) and transfer bytes, for run 1 and run 2.
struct DaskGolden: Sendable, CustomStringConvertible {
    var file: String
    var tasks: Int
    var edges: Int
    var makespan: Double
    var perWorker: [Int]
    var transferBytes: Int64
    var description: String { file }
}

private let daskGoldens: [DaskGolden] = [
    DaskGolden(file: "array_sum.json", tasks: 150, edges: 149, makespan: 0.56, perWorker: [73, 77], transferBytes: 240),
    DaskGolden(file: "run2/array_sum.json", tasks: 150, edges: 149, makespan: 0.58, perWorker: [60, 90], transferBytes: 200),
    DaskGolden(file: "array_matmul.json", tasks: 769, edges: 1664, makespan: 3.22, perWorker: [226, 543], transferBytes: 123_000_000),
    DaskGolden(file: "run2/array_matmul.json", tasks: 769, edges: 1664, makespan: 3.69, perWorker: [295, 474], transferBytes: 142_000_000),
    DaskGolden(file: "dataframe_groupby.json", tasks: 95, edges: 94, makespan: 1.60, perWorker: [40, 55], transferBytes: 63_952),
    DaskGolden(file: "run2/dataframe_groupby.json", tasks: 95, edges: 94, makespan: 1.60, perWorker: [29, 66], transferBytes: 77_656),
    DaskGolden(file: "delayed_tree.json", tasks: 128, edges: 127, makespan: 1.87, perWorker: [61, 67], transferBytes: 14_000_000),
    DaskGolden(file: "run2/delayed_tree.json", tasks: 128, edges: 127, makespan: 1.91, perWorker: [63, 65], transferBytes: 14_000_000),
]

/// The capture's own `summary` section, computed by the capture script.
private func summary(_ file: String) throws -> [String: Any] {
    let data = try Data(contentsOf: URL(fileURLWithPath: TraceFiles.path("dask/" + file)))
    let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    return try #require(root["summary"] as? [String: Any])
}

@Suite("Dask capture importer")
struct ImportersDaskTests {
    @Test(arguments: daskGoldens)
    func goldenFactsAndReferenceRun(_ golden: DaskGolden) throws {
        let trace = try DaskCaptureImporter().importTrace(bytes: try TraceFiles.bytes("dask/" + golden.file), path: golden.file)
        let w = trace.workload
        let facts = w.graphFacts()
        #expect(facts.tasks == golden.tasks)
        #expect(facts.edges == golden.edges)
        #expect(trace.warnings.isEmpty, "\(trace.warnings)")
        let run = try #require(trace.reference)
        #expect((run.makespan * 100).rounded() / 100 == golden.makespan)
        #expect(run.tasksPerWorker.sorted() == golden.perWorker)
        #expect(run.transferBytes == golden.transferBytes)
        #expect(run.placement.allSatisfy { $0 != nil })

        // Against the capture's own summary (computed there from the same records).
        let s = try summary(golden.file)
        #expect(abs(run.makespan - (s["makespan_s"] as? Double ?? -1)) < 1e-9)
        #expect(abs(facts.totalWork - (s["total_compute_s"] as? Double ?? -1)) < 1e-9)
        #expect(abs(facts.criticalPathLength - (s["critical_path_compute_s"] as? Double ?? -1)) < 1e-9)
        #expect(facts.totalOutputBytes == (s["output_nbytes_total"] as? Int).map(Int64.init))
        #expect(run.transfers.count == s["incoming_transfer_events_total"] as? Int)
        let perWorker = try #require(s["per_worker"] as? [String: [String: Any]])
        for (i, address) in run.workers.enumerated() {
            #expect(run.tasksPerWorker[i] == perWorker[address]?["tasks"] as? Int)
            #expect(abs(run.busySeconds[i] - (perWorker[address]?["busy_s"] as? Double ?? -1)) < 1e-9)
        }
    }

    @Test func keysPrioritiesAndAliases() throws {
        let trace = try DaskCaptureImporter().importTrace(bytes: try TraceFiles.bytes("dask/array_sum.json"), path: "array_sum.json")
        let w = trace.workload
        // Dask's priority is a tuple; the finalize alias has the largest, (0, 1, 149).
        let finalize = try #require(w.tasks.first { $0.prefix == "finalize-hlgfinalizecompute" })
        #expect(finalize.order == 149)
        #expect(finalize.annotations["spec_type"] == "Alias")
        #expect(Set(w.tasks.compactMap(\.order)) == Set(0..<150))
        #expect(w.tasks.filter { $0.annotations["spec_type"] == "Alias" }.count == 65)
        // Prefix and group are Dask's, from the capture.
        let partial = try #require(w.id(forKey: "('sum-partial-08b4331b358e1513a47aea36297b8cd9', 1, 1)"))
        #expect(w[partial].prefix == "sum-partial")
        #expect(w[partial].group == "sum-partial-08b4331b358e1513a47aea36297b8cd9")
        #expect(w[partial].outputBytes == 8)
        // The client wants exactly the key it asked for.
        #expect(w.submissions.count == 1)
        #expect(w.submissions[0].wanted.map { w[$0].key } == [finalize.key])
        // Reference transfers are sorted and name known tasks.
        let run = try #require(trace.reference)
        #expect(run.workers == ["tcp://127.0.0.1:33829", "tcp://127.0.0.1:38865"])
        #expect(zip(run.transfers, run.transfers.dropFirst()).allSatisfy { $0.start <= $1.start })
        #expect(run.transfers.reduce(0) { $0 + $1.tasks.count } == 30)
        #expect(run.start.compactMap { $0 }.min() == 0)
    }

    @Test func loaderDetectsCaptures() throws {
        let trace = try TraceLoader.load(path: TraceFiles.path("dask/delayed_tree.json"))
        #expect(trace.format == "dask-trace")
        #expect(trace.reference?.tasksPerWorker.sorted() == [61, 67])
        let leaf = try #require(trace.workload.id(forKey: "leaf-000"))
        #expect(trace.workload[leaf].outputBytes == 400_000)   // float64[50000]
    }

    @Test func malformedCapturesNameThePlace() {
        let cases: [(String, String)] = [
            ("{\"format\": \"other\"}", "expected a dask-trace/0.x capture"),
            ("{\"format\": \"dask-trace/0.1\", \"task_stream\": [], \"graph\": [{\"key\": \"a\", \"dependencies\": [\"b\"]}]}", "depends on unknown key 'b'"),
            ("{\"format\": \"dask-trace/0.1\", \"task_stream\": [{\"key\": \"a\", \"worker\": \"w\", \"startstops\": [{\"action\": \"compute\", \"start\": 2, \"stop\": 1}]}], \"graph\": []}", "(task_stream[0].startstops[0]): stop 1.0 is before start 2.0"),
            ("{\"format\": \"dask-trace/0.1\", \"task_stream\": [], \"graph\": [{\"key\": 5}]}", "(graph[0].key): expected a string"),
            ("{\"format\": \"dask-trace/0.1\", \"task_stream\": [{\"key\": \"a\", \"worker\": \"w\", \"nbytes\": -4, \"startstops\": []}], \"graph\": []}", "nbytes -4 bytes is outside"),
            ("{\"format\": \"dask-trace/0.1\", \"graph\": []}", "missing required field \"task_stream\""),
            ("{\"format\": \"dask-trace/0.1\", ", "line 1, column 30: unexpected end of input"),
        ]
        for (text, expected) in cases {
            let message = importErrorText { _ = try DaskCaptureImporter().importTrace(bytes: Array(text.utf8), path: "bad.json") }
            #expect(message.contains(expected), "input \(text) gave: \(message)")
        }
    }

    @Test func unrunTasksAreCountedWarnings() throws {
        let text = """
        {"format": "dask-trace/0.1", "workers": {"w1": {"nthreads": 2}},
         "task_stream": [{"key": "a", "worker": "w1", "nbytes": 10,
                          "startstops": [{"action": "compute", "start": 100.0, "stop": 100.5}]}],
         "graph": [{"key": "a", "dependencies": [], "priority": [0, 1, 0]},
                   {"key": "b", "dependencies": ["a"], "priority": [0, 1, 1]},
                   {"key": "c", "dependencies": ["a"], "priority": [0, 0, 5]}]}
        """
        let trace = try DaskCaptureImporter().importTrace(bytes: Array(text.utf8), path: "t.json")
        #expect(trace.warnings.map(\.code) == ["not-computed"])
        #expect(trace.warnings[0].count == 2)
        #expect(trace.workload.tasks.map(\.order) == [1, 2, 0])
        let run = try #require(trace.reference)
        #expect(run.threads == [2])
        #expect(run.placement == [0, nil, nil])
        #expect(run.makespan == 0.5)
        #expect(run.stop[0] == 0.5)
    }
}

import Foundation
import Testing
import TraceFormats

/// Runs the built `schedsim` binary and captures what it prints.
enum CLI {
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static func fixture(_ name: String) -> String { packageRoot + "/Tests/CLITests/Fixtures/" + name }

    /// Next to the test bundle first (the configuration being tested), then `.build/debug`.
    static let binary: String = {
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("schedsim").path
        let candidates = [
            besideTests,
            Bundle.main.bundleURL.appendingPathComponent("schedsim").path,
            packageRoot + "/.build/debug/schedsim",
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates.last!
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: packageRoot)
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read before waiting, so a large output cannot fill the pipe and block the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}

@Suite struct InfoCommandTests {
    @Test func tableForTheTree() throws {
        let r = try CLI.run(["info", "Tests/CLITests/Fixtures/tree10.json"])
        #expect(r.status == 0)
        #expect(r.stderr == "")
        #expect(r.stdout == """
            trace                     tree10
            file                      Tests/CLITests/Fixtures/tree10.json
            format                    schedsim-trace
            tasks                     10
              compute                 10
              data                    0
            edges                     9
            total work                17 s
            critical path             5.75 s over 3 tasks, from ('load-1a2b', 4) to result
            depth                     4
            max width                 5
            total output              5.2 KiB (5,320 bytes)
            roots                     5
            leaves                    1
            max in-degree             2
            max out-degree            1
            submissions               1
            clients                   1
            lower bound, 1 thread     17 s
            lower bound, 4 threads    5.75 s
            lower bound, 16 threads   5.75 s
            lower bound, 64 threads   5.75 s
            lower bound, 256 threads  5.75 s

            """)
    }

    @Test func jsonForTheDiamond() throws {
        let r = try CLI.run(["info", "--json", "Tests/CLITests/Fixtures/diamond.json"])
        #expect(r.status == 0)
        #expect(r.stdout == """
            {
              "trace": "diamond",
              "file": "Tests/CLITests/Fixtures/diamond.json",
              "format": "schedsim-trace",
              "tasks": 4,
              "compute_tasks": 4,
              "data_tasks": 0,
              "edges": 4,
              "part_tasks": 0,
              "edge_bytes": 320,
              "total_work_seconds": 7.0,
              "critical_path_seconds": 5.0,
              "critical_path_tasks": 3,
              "critical_path_first": "a",
              "critical_path_last": "d",
              "depth": 3,
              "max_width": 2,
              "total_output_bytes": 230,
              "roots": 1,
              "leaves": 1,
              "max_in_degree": 2,
              "max_out_degree": 2,
              "submissions": 1,
              "clients": 1,
              "lower_bound_seconds_by_threads": {"1": 7.0, "4": 5.0, "16": 5.0, "64": 5.0, "256": 5.0}
            }

            """)
        // The output is JSON a standard parser accepts.
        let parsed = try JSONParser.parse(Array(r.stdout.utf8), file: "stdout")
        #expect(try parsed["critical_path_seconds"].double == 5)
    }

    /// Partial reads are split on load: `info` counts the part tasks it added
    /// and the bytes the edges carry; `--partial-reads whole` shows the graph as written.
    @Test func partialReadsAreSplitAndCounted() throws {
        let split = try CLI.run(["info", "Tests/CLITests/Fixtures/partial-reads.json"])
        #expect(split.status == 0)
        let lines = split.stdout.split(separator: "\n").map(String.init)
        #expect(lines[3...8] == [
            "tasks                     10",
            "  compute                 10",
            "  data                    0",
            "edges                     9",
            "  part tasks              3 added for the partial reads of 1 producer (the trace has 7 tasks, 6 edges)",
            "edge bytes                265 B read; whole outputs over the same edges: 505 B",
        ])
        let whole = try CLI.run(["info", "--json", "--partial-reads", "whole", "Tests/CLITests/Fixtures/partial-reads.json"])
        #expect(whole.status == 0)
        #expect(whole.stdout.contains("\"tasks\": 7,") && whole.stdout.contains("\"part_tasks\": 0,"))
        #expect(whole.stdout.contains("\"edge_bytes\": 265,"))
        let bad = try CLI.run(["info", "--partial-reads", "bogus", "Tests/CLITests/Fixtures/partial-reads.json"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("unknown --partial-reads 'bogus'; expected split or whole"))
    }

    @Test func gzipTraceIsReadTransparently() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("schedsim-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let gz = dir + "/tree.json.gz"
        try TraceFile.writeAtomically(try TraceFile.readRawBytes(path: CLI.fixture("tree10.json")), to: gz, gzip: true)
        let r = try CLI.run(["info", "--json", gz])
        #expect(r.status == 0)
        #expect(r.stdout.contains("\"critical_path_seconds\": 5.75,"))
    }

    // Exit status 65 (bad input, docs/cli.md#exit-status); 1 before the exit table.
    @Test func badTraceExitsWithStatus65AndListsProblems() throws {
        let r = try CLI.run(["info", "Tests/CLITests/Fixtures/bad.json"])
        #expect(r.status == 65)
        #expect(r.stdout == "")
        #expect(r.stderr == """
            Tests/CLITests/Fixtures/bad.json: tasks[1] (line 6): task 'inc-2': depends on unknown key 'missing' [unknown-dependency]
            Tests/CLITests/Fixtures/bad.json: tasks[1] (line 6): task 'inc-2': duration -1.0 is not a finite number of seconds >= 0 [invalid-duration]
            Tests/CLITests/Fixtures/bad.json: 2 problems found

            """)
    }

    @Test func usageErrorsExitWith64() throws {
        let noArgument = try CLI.run(["info"])
        #expect(noArgument.status == 64)
        #expect(noArgument.stderr.contains("Missing expected argument '<trace>'"))
        let badFormat = try CLI.run(["info", "--format", "nope", "x.json"])
        #expect(badFormat.status == 64)
        #expect(badFormat.stderr.contains("unknown format 'nope'; known formats: schedsim-trace"))
        let badFlag = try CLI.run(["info", "--frobnicate", "x.json"])
        #expect(badFlag.status == 64)
    }

    @Test func helpHasAbstractDiscussionAndExample() throws {
        let r = try CLI.run(["info", "--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("OVERVIEW: Print the structure of a trace"))
        #expect(r.stdout.contains("schedsim info traces/diamond.json"))
        #expect(r.stdout.contains("--json"))
        let root = try CLI.run(["--help"])
        #expect(root.stdout.contains("info") && root.stdout.contains("check"))
    }
}

@Suite struct CheckCommandTests {
    @Test func goodTracesPrintOk() throws {
        let r = try CLI.run(["check", "Tests/CLITests/Fixtures/diamond.json", "Tests/CLITests/Fixtures/tree10.json"])
        #expect(r.status == 0)
        #expect(r.stdout == """
            Tests/CLITests/Fixtures/diamond.json: ok: 4 tasks
            Tests/CLITests/Fixtures/tree10.json: ok: 10 tasks

            """)
        #expect(r.stderr == "")
    }

    // Exit status 65 (bad input); 1 before the exit table.
    @Test func anyBadTraceMakesTheStatus65ButAllAreChecked() throws {
        let r = try CLI.run(["check", "Tests/CLITests/Fixtures/truncated.json", "Tests/CLITests/Fixtures/diamond.json",
                             "Tests/CLITests/Fixtures/bad.json", "Tests/CLITests/Fixtures/missing.json"])
        #expect(r.status == 65)
        #expect(r.stdout == "Tests/CLITests/Fixtures/diamond.json: ok: 4 tasks\n")
        #expect(r.stderr == """
            Tests/CLITests/Fixtures/truncated.json:6:1: unexpected end of input, expected ',' or ']' after array element
            Tests/CLITests/Fixtures/bad.json: tasks[1] (line 6): task 'inc-2': depends on unknown key 'missing' [unknown-dependency]
            Tests/CLITests/Fixtures/bad.json: tasks[1] (line 6): task 'inc-2': duration -1.0 is not a finite number of seconds >= 0 [invalid-duration]
            Tests/CLITests/Fixtures/bad.json: 2 problems found
            Tests/CLITests/Fixtures/missing.json: cannot open: No such file or directory

            """)
    }

    @Test func checkWithoutFilesIsAUsageError() throws {
        let r = try CLI.run(["check"])
        #expect(r.status == 64)
    }
}

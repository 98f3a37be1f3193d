import Foundation
import Testing

/// `schedsim convert` and `schedsim generate`, run as a user runs them.
@Suite struct ConvertGenerateCommandTests {
    private func temporary(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("schedsim-cli-\(getpid())-\(name)").path
    }

    @Test func convertsEveryBundledFormat() throws {
        let cases: [(String, String)] = [
            ("traces/stg/robot.stg", "wrote 88 tasks (0 pure data), 131 edges, read as stg"),
            ("traces/dax/CyberShake_30.xml", "wrote 47 tasks (17 pure data), "),
            ("traces/wfcommons/legacy-v1.3/srasearch-chameleon-50a-001.json", "wrote 105 tasks (1 pure data), 153 edges, read as wfcommons"),
            ("traces/dask/array_sum.json", "wrote 150 tasks (0 pure data), 149 edges, read as dask-trace"),
        ]
        for (input, expected) in cases {
            let out = temporary("convert.json")
            defer { try? FileManager.default.removeItem(atPath: out) }
            let r = try CLI.run(["convert", input, out])
            #expect(r.status == 0, "\(input): \(r.stderr)")
            #expect(r.stderr.contains(expected), "\(input): \(r.stderr)")
            let check = try CLI.run(["check", out])
            #expect(check.status == 0)
        }
    }

    @Test func convertPrintsTheReferenceRunAndWarnings() throws {
        let out = temporary("ref.json")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let dask = try CLI.run(["convert", "traces/dask/delayed_tree.json", out])
        #expect(dask.stderr.contains("reference run: 2 workers, makespan 1.870128"))
        #expect(dask.stderr.contains("tasks per worker 61/67, 35 transfers, 14000000 bytes"))
        let dax = try CLI.run(["convert", "traces/dax/Montage_25.xml", out])
        #expect(dax.status == 0)
        #expect(dax.stderr.contains("warning: file 'fit.txt' is written by 'ID00005' and 'ID00006'; the first writer is its producer [file-two-producers] (16 times; first shown)"))
    }

    @Test func convertRejectsBadInputWithThePlace() throws {
        let bad = temporary("bad.txt")
        let out = temporary("never.json")
        try Data("digraph {\n a -> b [size=\"x\"]\n}\n".utf8).write(to: URL(fileURLWithPath: bad))
        defer { try? FileManager.default.removeItem(atPath: bad) }
        let r = try CLI.run(["convert", "--format", "dot", bad, out])
        #expect(r.status == 65)  // bad input (docs/cli.md#exit-status); 1 before the exit table
        #expect(r.stderr == "\(bad): line 2: edge a -> b: size 'x' is not a number in 0...1125899906842624\n")
        #expect(!FileManager.default.fileExists(atPath: out))
        let undetected = try CLI.run(["convert", bad.replacingOccurrences(of: ".txt", with: ".none"), out])
        #expect(undetected.status == 65)
    }

    @Test func generateIsDeterministic() throws {
        let a = temporary("a.json")
        let b = temporary("b.json")
        let c = temporary("c.json")
        defer { for p in [a, b, c] { try? FileManager.default.removeItem(atPath: p) } }
        let args = ["generate", "layered", "--seed", "9", "--param", "tasks=300", "--duration", "lognormal:mean=1,cv=0.5"]
        #expect(try CLI.run(args + ["-o", a]).status == 0)
        #expect(try CLI.run(args + ["-o", b]).status == 0)
        let r = try CLI.run(["generate", "layered", "--seed", "10", "--param", "tasks=300", "--duration", "lognormal:mean=1,cv=0.5", "-o", c])
        #expect(r.stderr.contains("wrote 300 tasks"))
        let bytesA = try Data(contentsOf: URL(fileURLWithPath: a))
        #expect(bytesA == (try Data(contentsOf: URL(fileURLWithPath: b))))
        #expect(bytesA != (try Data(contentsOf: URL(fileURLWithPath: c))))
    }

    @Test func generateRejectsBadRequests() throws {
        let out = temporary("x.json")
        let unknown = try CLI.run(["generate", "array-sum", "--param", "blcks=3", "-o", out])
        #expect(unknown.status == 64)  // a bad --param is a usage error; 1 before the exit table
        #expect(unknown.stderr == "array-sum: unknown parameter 'blcks'; it takes blocks, rows, columns, split-every\n")
        let badSpec = try CLI.run(["generate", "bag", "--size", "lognormal:mean=1", "-o", out])
        #expect(badSpec.status != 0)
        #expect(badSpec.stderr.contains("schedsim generate: "))
        let badKind = try CLI.run(["generate", "nope", "-o", out])
        #expect(badKind.stderr.contains("unknown generator 'nope'"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}

import Foundation
import Testing

/// Runs the built `schedsim report` and checks its output file, message and exit status.
enum ReportCLI {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// Next to the test bundle first (the configuration being tested), then `.build/debug`.
    static let binary: String = {
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("schedsim").path
        let candidates = [besideTests, Bundle.main.bundleURL.appendingPathComponent("schedsim").path, packageRoot + "/.build/debug/schedsim"]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates.last!
    }()

    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }
}

@Suite struct ReportCommandTests {
    @Test func writesTheReportAndPrintsItsSize() throws {
        let folder = try Fixtures.smallRun()
        let output = folder.appendingPathComponent("out.html").path
        let result = try ReportCLI.run(["report", folder.path, "-o", output])
        #expect(result.status == 0, "\(result.stderr)")
        let size = try Data(contentsOf: URL(fileURLWithPath: output)).count
        #expect(result.stdout == "\(output): \(size) bytes\n")
        let html = try String(contentsOfFile: output, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(occurrences(of: "<g class=\"lane\">", in: html) == 4)
    }

    /// `report run -o run` once deleted the logs it had just drawn. An existing directory
    /// is refused, nothing in it changes; an existing file is replaced.
    @Test func anExistingDirectoryAsOutputIsRefusedAndKept() throws {
        let folder = try Fixtures.smallRun()
        let before = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        let result = try ReportCLI.run(["report", folder.path, "-o", folder.path])
        #expect(result.status == 1)  // an output that cannot be written: "other" in the exit table
        #expect(result.stderr.contains("is a directory"), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == before)
        let file = folder.appendingPathComponent("old.html").path
        try "old".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try ReportCLI.run(["report", folder.path, "-o", file]).status == 0)
        #expect(try String(contentsOfFile: file, encoding: .utf8).hasPrefix("<!DOCTYPE html>"))
        #expect(!FileManager.default.fileExists(atPath: file + ".partial"))
    }

    /// Issue 18: damaged logs are refused with FILE:LINE and exit 65 instead of being drawn:
    /// a tasks.csv cut off mid-line, a time that is not a number, a header that is not a log's.
    @Test(arguments: [
        ("key,prefix,worker,start,end\nx,x,worker-0,0,1\ny,y,wor", "tasks.csv:3: 3 fields but the header has 5 (the file ends mid-line: truncated?)"),
        ("key,prefix,worker,start,end\nx,x,worker-0,0,soon\n", "tasks.csv:2: column 'end': 'soon' is not a number"),
        ("name,value\nx,1\n", "tasks.csv:1: missing required column 'key' (header has: name, value)"),
        ("key,prefix,worker,start,end,end\nx,x,worker-0,0,1,1\n", "tasks.csv:1: column 'end' appears twice in the header"),
    ])
    func damagedLogsAreRefusedWithTheirLine(tasks: String, message: String) throws {
        let folder = try Fixtures.folder()
        try Fixtures.write(["tasks.csv": tasks], into: folder)
        let output = folder.appendingPathComponent("r.html").path
        let result = try ReportCLI.run(["report", folder.path, "-o", output])
        #expect(result.status == 65)
        #expect(result.stderr == folder.appendingPathComponent(message).path + "\n", "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func maxBarsSwitchesToUtilisation() throws {
        let folder = try Fixtures.smallRun()
        let output = folder.appendingPathComponent("agg.html").path
        let result = try ReportCLI.run(["report", folder.path, "--output", output, "--max-bars", "4", "--title", "Tiny"])
        #expect(result.status == 0, "\(result.stderr)")
        let html = try String(contentsOfFile: output, encoding: .utf8)
        #expect(html.contains("<title>Tiny</title>"))
        #expect(occurrences(of: "<path class=\"u\"", in: html) == 4)
        #expect(occurrences(of: "<rect class=\"b ", in: html) == 0)
    }

    // Exit status 65 (bad input, docs/cli.md#exit-status); 1 before the exit table.
    @Test func badFolderExitsWith65AndNamesTheProblem() throws {
        let folder = try Fixtures.folder()
        try Fixtures.write(["tasks.csv": "key,prefix,worker,start,end\nx,x,worker-0,zero,1\n"], into: folder)
        let result = try ReportCLI.run(["report", folder.path, "-o", folder.appendingPathComponent("r.html").path])
        #expect(result.status == 65)
        #expect(result.stderr.contains("tasks.csv:2: column 'start': 'zero' is not a number"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("r.html").path))
        let missing = try ReportCLI.run(["report", "/nonexistent/folder"])
        #expect(missing.status == 65)
        #expect(missing.stderr.contains("/nonexistent/folder: cannot read: not a directory"))
    }
}

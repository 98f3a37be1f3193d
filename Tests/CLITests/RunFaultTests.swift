import Foundation
import Testing

/// `schedsim run` under a fault: the only worker, holding the only copy of a
/// scattered input, is killed with SIGKILL while the task that reads it runs. The
/// input cannot be recomputed, so the run ends at once with outcome `failed`,
/// writes its logs, and exits 2 (docs/cli.md#exit-status).
@Suite(.serialized)
struct RunFaultTests {
    static func scratch(_ name: String) -> String {
        let dir = NSTemporaryDirectory() + "schedsim-runfault-\(name)-\(getpid())"
        try? FileManager.default.removeItem(atPath: dir)
        return dir
    }

    /// The child processes of `parent` whose command line has `argument` as its first argument.
    static func children(of parent: Int32, running argument: String) -> [Int32] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap { Int32($0) }.filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.range(of: ") ", options: .backwards) else { return false }
            let fields = stat[close.upperBound...].split(separator: " ")
            guard fields.count > 1, Int32(fields[1]) == parent,
                  let cmdline = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            let args = cmdline.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return args.count > 1 && args[1] == argument
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func killedHolderOfScatteredDataEndsTheRunWithExit2() throws {
        let dir = Self.scratch("lost")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let trace = dir + "/lost.json"
        try """
        {"format": "schedsim-trace", "version": 1, "name": "lost",
         "tasks": [
          {"key": "x", "kind": "data", "output_bytes": 333},
          {"key": "t", "duration": 4, "output_bytes": 8, "dependencies": ["x"]}
         ]}
        """.write(toFile: trace, atomically: true, encoding: .utf8)
        let out = dir + "/out"

        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["run", trace, "--cluster", "1x1", "--out", out, "--timeout", "30"]
        process.currentDirectoryURL = URL(fileURLWithPath: CLI.packageRoot)
        let stdoutPipe = Pipe()
        let stderrPipe = Pipe()
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

        // Wait for the worker to register; `x` is scattered to it and `t` starts right after.
        let workerLog = out + "/processes/worker-0.log"
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            if let log = try? String(contentsOfFile: workerLog, encoding: .utf8), log.contains("registered as") { break }
            usleep(50_000)
        }
        usleep(1_500_000)
        let workers = Self.children(of: process.processIdentifier, running: "worker")
        #expect(workers.count == 1, "expected one worker child, found \(workers)")
        for pid in workers { kill(pid, SIGKILL) }

        let stdout = String(decoding: stdoutPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: stderrPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 2, "stdout: \(stdout)\nstderr: \(stderr)")
        #expect(stdout.contains("outcome: failed (1 of 1 wanted results failed (0 erred): t; lost scattered data: x)"), "\(stdout)")
        #expect(stderr.contains("task failed: t: "), "\(stderr)")
        let summary = try String(contentsOfFile: out + "/summary.csv", encoding: .utf8).split(separator: "\n")
        #expect(summary.count == 2)
        #expect(summary.count == 2 && summary[1].contains(",failed,"), "\(summary)")
    }
}

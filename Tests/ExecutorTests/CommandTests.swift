import Foundation
import Testing

/// `schedsim run` and `schedsim validate` end to end through the built binary:
/// child processes, logs on disk, clean shutdown.
@Suite(.serialized)
struct CommandTests {
    static func schedsim(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: WorkerProcesses.binary)
        p.arguments = arguments
        p.currentDirectoryURL = URL(fileURLWithPath: WorkerProcesses.packageRoot)
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    static func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("schedsim-exec-\(UUID().uuidString)").path
    }

    static func csv(_ path: String) throws -> [[String]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    @Test(.timeLimit(.minutes(2)))
    func runWritesTheSimulatorsLogsWithBackendReal() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try Self.schedsim(["run", "traces/native/diamond.json", "--cluster", "2x1", "--out", dir, "--time-scale", "0.02"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("diamond: 4 tasks"))
        let summary = try Self.csv(dir + "/summary.csv")
        #expect(summary[0] == ["trace", "policy", "cluster", "seed", "backend", "makespan", "tasks", "utilisation",
                               "transfers", "transfer_bytes", "steals", "events", "wall_seconds",
                               "network", "critical_path", "work_bound", "outcome", "detail", "runtime"])
        #expect(summary[1][4] == "real")
        #expect(summary[1][6] == "4")
        #expect(summary[1][16] == "completed")
        let tasks = try Self.csv(dir + "/tasks.csv")
        #expect(tasks[0] == ["key", "prefix", "worker", "submit", "ready", "start", "end", "duration",
                             "output_bytes", "bytes_fetched", "state", "attempts"])
        #expect(tasks.count == 5)
        #expect(tasks.dropFirst().allSatisfy { $0[11] == "1" && ($0[2] == "worker-0" || $0[2] == "worker-1") })
        #expect(try Self.csv(dir + "/transitions.csv")[0] == ["time", "key", "from", "to", "stimulus", "worker"])
        #expect(try Self.csv(dir + "/transfers.csv")[0] == ["key", "from_worker", "to_worker", "bytes", "start", "end"])
        #expect(try Self.csv(dir + "/workers.csv")[0] == ["time", "worker", "busy_threads", "queued", "memory_bytes", "occupancy"])
        // Every child exited cleanly and said why.
        for name in ["worker-0", "worker-1"] {
            let log = try String(contentsOfFile: dir + "/processes/\(name).log", encoding: .utf8)
            #expect(log.contains("exiting: the scheduler closed this worker"))
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func validateComparesSimulationAndRealRun() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try Self.schedsim(["validate", "traces/native/diamond.json", "--cluster", "2x1", "--out", dir, "--time-scale", "0.05"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try Self.csv(dir + "/validation.csv")
        #expect(rows.count == 2)
        #expect(rows[0].prefix(7) == ["trace", "policy", "cluster", "time_scale", "sim_makespan", "real_makespan", "makespan_rel_error"])
        let sim = Double(rows[1][4]) ?? -1
        let real = Double(rows[1][5]) ?? -1
        #expect(sim > 0 && real >= sim * 0.9)
        #expect(rows[1][10] == "4")  // every task compared
        #expect(FileManager.default.fileExists(atPath: dir + "/sim/tasks.csv"))
        #expect(FileManager.default.fileExists(atPath: dir + "/real/tasks.csv"))
        #expect(r.stdout.contains("placement"))
    }

    /// The token reaches the children through the environment and every hello carries it.
    @Test(.timeLimit(.minutes(2)))
    func runWithATokenCompletes() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try Self.schedsim(["run", "traces/native/diamond.json", "--cluster", "2x1", "--out", dir,
                                   "--time-scale", "0.01", "--token", "t0ken"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try Self.csv(dir + "/summary.csv")[1][16] == "completed")
    }

    /// The simulator's cluster syntax: one worker of speed 2 runs each task in half
    /// its (scaled) duration, and it is worker-0 because workers join in cluster order.
    @Test(.timeLimit(.minutes(2)))
    func runUsesTheClusterDescriptionsSpeeds() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try Self.schedsim(["run", "traces/native/diamond.json", "--cluster", "1x1@2.0", "--out", dir, "--time-scale", "0.2"])
        #expect(r.status == 0, "\(r.stderr)")
        let tasks = try Self.csv(dir + "/tasks.csv")
        // c: 3 s x 0.2 / speed 2 = 0.3 s; at speed 1 it would take 0.6 s (timers fire late, never early).
        let c = tasks.first { $0[0] == "c" }
        let duration = Double(c?[7] ?? "") ?? 0
        #expect(duration >= 0.3 && duration < 0.5, "duration of c: \(duration)")
        #expect(c?[2] == "worker-0")
    }

    @Test func badFlagsAreReportedNotCrashed() throws {
        let r = try Self.schedsim(["run", "traces/native/diamond.json", "--cluster", "4by2", "--out", "/tmp/x"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("4by2"))
        let w = try Self.schedsim(["worker", "nowhere", "--nthreads", "2"])
        #expect(w.status != 0)
        #expect(w.stderr.contains("address 'nowhere': expected HOST:PORT"))
    }
}

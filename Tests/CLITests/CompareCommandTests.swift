import Foundation
import Testing

/// `schedsim compare` end to end: the built binary on bundled and fixture traces.
@Suite struct CompareCommandTests {
    static let outRoot = NSTemporaryDirectory() + "schedsim-compare-tests-\(getpid())"

    static func text(_ path: String) -> String {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    static let grid = [
        "compare", "traces/dask/delayed_tree.json", "traces/native/diamond.json",
        "--policies", "dask,dask-noqueue,random,round-robin,least-loaded,locality,heft,etf",
        "--info", "exact,user:0.3", "--cluster", "3x2", "--network", "maxmin", "--seeds", "1-3", "--noise-cv", "0.2",
        "--no-progress",
    ]

    /// The same grid on one thread and on two: byte-identical summary.csv and
    /// per-run logs, in grid order (run_id 1, 2, ...), whatever finished first.
    @Test func jobsDoNotChangeTheResults() throws {
        var summaries: [String] = []
        var logs: [[String: String]] = []
        for jobs in ["1", "2"] {
            let dir = Self.outRoot + "/jobs-\(jobs)"
            let r = try CLI.run(Self.grid + ["--jobs", jobs, "--out", dir, "--logs"])
            #expect(r.status == 0, "\(r.stderr)")
            summaries.append(Self.text(dir + "/summary.csv"))
            var files: [String: String] = [:]
            for run in try FileManager.default.contentsOfDirectory(atPath: dir + "/runs") {
                files[run] = Self.text(dir + "/runs/\(run)/tasks.csv") + Self.text(dir + "/runs/\(run)/transfers.csv")
            }
            logs.append(files)
        }
        #expect(summaries[0] == summaries[1])
        #expect(logs[0] == logs[1])
        // 2 traces × (6 policies without info + 2 planners × 2 modes... ) × 3 seeds:
        // per trace: dask, dask-noqueue, random, round-robin (4) + least-loaded, locality, heft, etf × 2 modes (8) = 12 labels.
        let lines = summaries[0].split(separator: "\n")
        #expect(lines.count == 1 + 2 * 12 * 3)
        #expect(lines[0].hasPrefix("run_id,trace,policy,cluster,seed,backend,makespan,tasks,utilisation,"))
        #expect(lines.dropFirst().enumerated().allSatisfy { $0.element.hasPrefix("\($0.offset + 1),") })
        #expect(lines[1].hasPrefix("1,delayed_tree,dask,3x2,1,sim,"))
        #expect(lines[10].hasPrefix("10,delayed_tree,round-robin,3x2,1,sim,"))
        #expect(lines[13].hasPrefix("13,delayed_tree,least-loaded/exact,3x2,1,"))
        #expect(lines[16].hasPrefix("16,delayed_tree,least-loaded/user:0.3,3x2,1,"))
        #expect(lines[37].hasPrefix("37,diamond,dask,3x2,1,"))
        #expect(logs[0].count == 72)
        #expect(logs[0].keys.contains("0016-delayed_tree-least-loaded_user_0.3-s1"))
        // Seeds matter (duration noise): seed 1 and seed 2 of dask differ.
        #expect(lines[1].split(separator: ",")[6] != lines[2].split(separator: ",")[6])
    }

    /// One trace cannot run on the cluster (a task restricted to a worker it
    /// lacks): its rows are errors naming the file and the task, the other
    /// trace's rows are all there and completed, and the exit status is 2.
    @Test func aFailingRunKeepsTheOtherRows() throws {
        let dir = Self.outRoot + "/failing"
        let r = try CLI.run([
            "compare", "traces/native/diamond.json", CLI.fixture("gpu-only.json"), "--policies", "dask,heft",
            "--cluster", "2x1", "--seeds", "1-2", "--jobs", "2", "--out", dir, "--no-progress",
        ])
        #expect(r.status == 2)
        let lines = Self.text(dir + "/summary.csv").split(separator: "\n").map(String.init)
        #expect(lines.count == 1 + 8)
        #expect(lines[1...4].allSatisfy { $0.hasPrefix("\(lines.firstIndex(of: $0) ?? 0),diamond,") && $0.contains(",completed,") })
        #expect(lines[5...8].allSatisfy { $0.contains("gpu-only") && $0.contains(",error,") && $0.contains("gpu-0") })
        #expect(r.stderr.contains("run 5 (") && r.stderr.contains("gpu-only.json, policy dask, seed 1): error:"))
        #expect(r.stdout.contains("diamond (4 tasks"))
    }

    /// A run stopped before the end (here by --event-limit, as a stalled run
    /// would be) is a row with its outcome; the table counts it as not completed.
    @Test func stoppedRunsAreRowsToo() throws {
        let dir = Self.outRoot + "/limit"
        let r = try CLI.run([
            "compare", "traces/dask/delayed_tree.json", "--policies", "round-robin", "--cluster", "2x1",
            "--event-limit", "50", "--out", dir, "--no-progress",
        ])
        #expect(r.status == 2)
        let lines = Self.text(dir + "/summary.csv").split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[1].contains(",event-limit,stopped after 50 events"))
        #expect(r.stdout.contains("round-robin      0/1           —"))
    }

    /// Bad flags name the flag and what is accepted; nothing is written.
    @Test(arguments: [
        (["--policies", "dask,fastest"], "unknown policy 'fastest'"),
        (["--seeds", "5-1"], "--seeds: '5-1'"),
        (["--info", "user:7"], "--info"),
        (["--set", "worker-saturation=lots"], "worker-saturation"),
        (["--jobs", "0"], "--jobs"),
        (["--policies", "heft,mcp", "--info", "online"], "nothing to run"),
    ])
    func badFlags(flags: [String], message: String) throws {
        let dir = Self.outRoot + "/bad"
        let r = try CLI.run(["compare", "traces/native/diamond.json", "--out", dir] + flags)
        #expect(r.status != 0 && r.status != 2)
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/summary.csv"))
    }

    /// --set reaches every run: with work stealing off Dask reports no steals.
    @Test func setReachesTheScheduler() throws {
        let dir = Self.outRoot + "/set"
        let r = try CLI.run([
            "compare", "traces/dask/delayed_tree.json", "--policies", "dask", "--cluster", "4x1",
            "--set", "work-stealing=false", "--set", "worker-saturation=inf", "--out", dir, "--no-progress",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let nosteal = try CLI.run([
            "compare", "traces/dask/delayed_tree.json", "--policies", "dask-noqueue", "--cluster", "4x1",
            "--set", "work-stealing=false", "--out", dir + "-b", "--no-progress",
        ])
        #expect(nosteal.status == 0)
        // Same configuration reached two ways: identical rows apart from the policy name.
        let a = Self.text(dir + "/summary.csv").replacingOccurrences(of: ",dask,", with: ",X,")
        let b = Self.text(dir + "-b/summary.csv").replacingOccurrences(of: ",dask-noqueue,", with: ",X,")
        #expect(a == b)
    }

    /// `replay --policy` knows every registered policy, and gives the same row as
    /// the matching `compare` run.
    @Test func replayTakesRegisteredPolicies() throws {
        let dir = Self.outRoot + "/replay-heft"
        let r = try CLI.run(["replay", "traces/dask/delayed_tree.json", "--policy", "heft", "--cluster", "3x2", "--out", dir])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("policy heft; seed 1"))
        let c = try CLI.run(["compare", "traces/dask/delayed_tree.json", "--policies", "heft", "--cluster", "3x2",
                             "--out", dir + "-compare", "--no-progress"])
        #expect(c.status == 0)
        let replayRow = Self.text(dir + "/summary.csv").split(separator: "\n")[1].split(separator: ",")
        let compareRow = Self.text(dir + "-compare/summary.csv").split(separator: "\n")[1].split(separator: ",")
        // Same makespan, tasks, utilisation, transfers, bytes (compare's row starts with run_id).
        #expect(Array(replayRow[5...9]) == Array(compareRow[6...10]))
        let bad = try CLI.run(["replay", "traces/native/diamond.json", "--policy", "fastest"])
        #expect(bad.status != 0 && bad.stderr.contains("unknown policy 'fastest'; known: dask, dask-nosteal"))
    }
}

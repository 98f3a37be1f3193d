import Foundation
import Testing

/// `--runtime`, `--set runtime.*`, `calibrate` and `validate --against dask` from the command line.
@Suite struct RuntimeCommandTests {
    static func scratch(_ name: String) -> String {
        let dir = NSTemporaryDirectory() + "schedsim-runtime-\(name)-\(getpid())"
        try? FileManager.default.removeItem(atPath: dir)
        return dir
    }

    @Test func replayRecordsItsProfileAndIdealIsFaster() throws {
        let dir = Self.scratch("replay")
        let dask = try CLI.run(["replay", "traces/dask/array_sum.json", "--cluster", "2x1", "--out", dir + "/dask"])
        let ideal = try CLI.run(["replay", "traces/dask/array_sum.json", "--cluster", "2x1", "--runtime", "ideal", "--out", dir + "/ideal"])
        #expect(dask.status == 0, "\(dask.stderr)")
        #expect(ideal.status == 0, "\(ideal.stderr)")
        let daskRow = try String(contentsOfFile: dir + "/dask/summary.csv", encoding: .utf8).split(separator: "\n")[1]
        let idealRow = try String(contentsOfFile: dir + "/ideal/summary.csv", encoding: .utf8).split(separator: "\n")[1]
        #expect(daskRow.hasSuffix(",dask"))
        #expect(idealRow.hasSuffix(",ideal"))
        // makespan is column 6: the dask profile's batching and loop costs make the sub-ms graph slower.
        let makespan = { (row: Substring) in Double(row.split(separator: ",")[5])! }
        #expect(makespan(daskRow) > 3 * makespan(idealRow))
    }

    @Test func aScaleOfZeroOnBothSidesLeavesOnlyStreamsAndTransfers() throws {
        let scaled = try CLI.run(["replay", "traces/dask/delayed_tree.json", "--cluster", "2x1",
                                  "--set", "runtime.scheduler-scale=0", "--set", "runtime.worker-scale=0"])
        let plain = try CLI.run(["replay", "traces/dask/delayed_tree.json", "--cluster", "2x1"])
        #expect(scaled.status == 0, "\(scaled.stderr)")
        #expect(scaled.stdout != plain.stdout)
    }

    @Test(arguments: [
        (["--runtime", "fast"], "neither a built-in profile"),
        (["--set", "runtime.worker-tsak=1ms"], "unknown runtime parameter 'worker-tsak'"),
        (["--set", "runtime.worker-task=soon"], "runtime.worker-task"),
        (["--set", "runtime.scheduler-scale=-1"], "scheduler-scale"),
        (["--runtime", "/nonexistent/p.yaml"], "cannot read the file"),
    ])
    func badRuntimeFlagsAreNamed(flags: [String], message: String) throws {
        let r = try CLI.run(["replay", "traces/dask/array_sum.json", "--cluster", "2x1"] + flags)
        #expect(r.status != 0)
        #expect(r.stderr.contains(message), "\(r.stderr)")
    }

    @Test func compareTakesProfilesAsAGridAxis() throws {
        let dir = Self.scratch("compare")
        let r = try CLI.run(["compare", "traces/dask/array_sum.json", "--policies", "dask,random", "--cluster", "2x1",
                             "--runtime", "dask,ideal", "--out", dir, "--jobs", "1", "--no-progress"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("dask [ideal]"))
        let lines = try String(contentsOfFile: dir + "/summary.csv", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 5)
        #expect(lines[1...].map { $0.split(separator: ",").last! } == ["dask", "ideal", "dask", "ideal"])
    }

    /// calibrate is deterministic: the same captures give the same file, and the file loads back.
    @Test func calibrateWritesTheSameProfileTwice() throws {
        let dir = Self.scratch("calibrate")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let captures = ["traces/dask/delayed_tree.json", "traces/dask/run2/delayed_tree.json"]
        let a = try CLI.run(["calibrate"] + captures + ["--no-leave-one-out", "-o", dir + "/a.yaml"])
        let b = try CLI.run(["calibrate"] + captures + ["--no-leave-one-out", "-o", dir + "/b.yaml", "--name", "a"])
        #expect(a.status == 0, "\(a.stderr)")
        #expect(b.status == 0, "\(b.stderr)")
        let fa = try String(contentsOfFile: dir + "/a.yaml", encoding: .utf8)
        let fb = try String(contentsOfFile: dir + "/b.yaml", encoding: .utf8)
        #expect(fa == fb.replacingOccurrences(of: "b.yaml", with: "a.yaml"))
        #expect(fa.contains("format: schedsim-runtime/1"))
        #expect(fa.contains("worker-task:"))
        #expect(a.stdout.contains("median |error|: in-sample"))
        let replay = try CLI.run(["replay", "traces/dask/delayed_tree.json", "--cluster", "2x1", "--runtime", dir + "/a.yaml"])
        #expect(replay.status == 0, "\(replay.stderr)")
    }

    @Test func calibrateRefusesWhatIsNotACapture() throws {
        let r = try CLI.run(["calibrate", "traces/native/diamond.json", "-o", Self.scratch("bad") + ".yaml"])
        #expect(r.status == 65)  // bad input (docs/cli.md#exit-status); 1 before the exit table
        #expect(r.stderr.contains("not a Dask capture"), "\(r.stderr)")
    }

    @Test func validateAgainstDaskWritesValidationCSV() throws {
        let dir = Self.scratch("validate")
        let r = try CLI.run(["validate", "traces/dask/array_sum.json", "traces/dask/run2/array_sum.json", "--against", "dask", "--out", dir])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = try String(contentsOfFile: dir + "/validation.csv", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("capture,workload,worker_saturation,runtime,real_span,sim_span,span_error"))
        // The real span is the capture's own summary.makespan_s.
        #expect(lines[1].contains(",0.564113,"))
        #expect(r.stdout.contains("median |span error|"))
    }

    /// A hand-made capture of the chain a (10 B) → b (20 B) → c (5 B). The scheduler
    /// holds a and b together (30 B), releases a, then holds b and c (25 B): the peak is
    /// 30, in the real run (from the capture's transitions) and in the replay (from its
    /// own). Counting releases wrongly gives 35; the final total would be 5.
    @Test func validateAgainstDaskMeasuresPeakMemoryFromTransitions() throws {
        let dir = Self.scratch("validate-peak")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        func stream(_ key: String, _ start: Double, _ stop: Double, _ bytes: Int) -> String {
            "{\"key\": \"\(key)\", \"worker\": \"tcp://w1\", \"nbytes\": \(bytes), \"startstops\": [{\"action\": \"compute\", \"start\": \(start), \"stop\": \(stop)}]}"
        }
        func transition(_ t: Double, _ key: String, _ start: String, _ finish: String) -> String {
            "{\"t\": \(t), \"key\": \"\(key)\", \"start\": \"\(start)\", \"finish\": \"\(finish)\", \"stimulus_id\": \"s\(t)\"}"
        }
        let capture = """
        {"format": "dask-trace/0.1", "meta": {"workload": "peak", "config": {"distributed.scheduler.worker-saturation": "inf"}},
         "workers": {"tcp://w1": {"nthreads": 1}},
         "graph": [{"key": "a", "dependencies": [], "priority": [0, 0, 0]},
                   {"key": "b", "dependencies": ["a"], "priority": [0, 0, 1]},
                   {"key": "c", "dependencies": ["b"], "priority": [0, 0, 2], "requested_by_client": true}],
         "task_stream": [\(stream("a", 100.0, 100.5, 10)), \(stream("b", 100.5, 101.0, 20)), \(stream("c", 101.0, 101.5, 5))],
         "scheduler_transitions": [\(transition(100.5, "a", "processing", "memory")), \(transition(101.0, "b", "processing", "memory")),
                                   \(transition(101.0, "a", "memory", "released")), \(transition(101.5, "c", "processing", "memory")),
                                   \(transition(101.5, "b", "memory", "released"))]}
        """
        try capture.write(toFile: dir + "/peak.json", atomically: true, encoding: .utf8)
        let r = try CLI.run(["validate", dir + "/peak.json", "--against", "dask", "--runtime", "ideal", "--out", dir + "/out"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = try String(contentsOfFile: dir + "/out/validation.csv", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].hasSuffix(",real_peak_memory,sim_peak_memory,peak_memory_error"))
        #expect(lines[1].hasSuffix(",30,30,0.0000"), "\(lines[1])")
    }
}

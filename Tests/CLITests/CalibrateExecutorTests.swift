import Foundation
import Testing

/// `schedsim calibrate --executor` from the committed measurements, and its errors.
@Suite struct CalibrateExecutorTests {
    static func temporary(_ name: String) -> String {
        NSTemporaryDirectory() + "schedsim-calexec-\(getpid())-\(name)"
    }

    /// The `parameters:` block of a profile file, as lines.
    static func parameters(_ path: String) throws -> [String] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        guard let start = lines.firstIndex(of: "parameters:") else { return [] }
        return Array(lines[(start + 1)...].prefix { $0.hasPrefix("  ") })
    }

    /// Refitting from profiles/executor-measurements.json gives exactly the committed
    /// profiles/executor.yaml (the fit is deterministic given the measurements).
    @Test(.timeLimit(.minutes(5)))
    func refitFromTheCommittedMeasurementsReproducesTheProfile() throws {
        let out = Self.temporary("refit.yaml")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try CLI.run(["calibrate", "--executor", "--measurements", "profiles/executor-measurements.json", "--no-leave-one-out", "--name", "executor", "-o", out])
        #expect(r.status == 0, "\(r.stderr)")
        let committed = try Self.parameters(CLI.packageRoot + "/profiles/executor.yaml")
        #expect(committed.count == 17)
        #expect(try Self.parameters(out) == committed)
        #expect(r.stdout.contains("median |makespan error|: ideal"))
        #expect(r.stdout.contains("worker-task: median gap"))
    }

    /// Slower measured gaps give a larger worker-task: the fit reads the measurements.
    @Test(.timeLimit(.minutes(5)))
    func theFitFollowsTheMeasurements() throws {
        let source = CLI.packageRoot + "/profiles/executor-measurements.json"
        var root = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: source))) as! [String: Any]
        var runs = root["runs"] as! [[String: Any]]
        // Delay task k of the local-2ms benchmark by k × 0.5 ms: every gap between tasks grows.
        for (i, run) in runs.enumerated() where run["benchmark"] as? String == "local-2ms" {
            var tasks = run["tasks"] as! [[String: Any]]
            for (k, task) in tasks.enumerated() {
                if let start = task["start"] as? Double, let end = task["end"] as? Double {
                    var t = task
                    t["start"] = start + 0.0005 * Double(k)
                    t["end"] = end + 0.0005 * Double(k)
                    tasks[k] = t
                }
            }
            var changed = run
            changed["tasks"] = tasks
            runs[i] = changed
        }
        root["runs"] = runs
        let input = Self.temporary("slow.json")
        let out = Self.temporary("slow.yaml")
        defer {
            try? FileManager.default.removeItem(atPath: input)
            try? FileManager.default.removeItem(atPath: out)
        }
        try JSONSerialization.data(withJSONObject: root).write(to: URL(fileURLWithPath: input))
        let r = try CLI.run(["calibrate", "--executor", "--measurements", input, "--no-leave-one-out", "-o", out])
        #expect(r.status == 0, "\(r.stderr)")
        let before = try Self.parameters(CLI.packageRoot + "/profiles/executor.yaml").first { $0.contains("worker-task:") }
        let after = try Self.parameters(out).first { $0.contains("worker-task:") }
        #expect(before != nil && after != nil && before != after)
    }

    @Test func errors() throws {
        let a = try CLI.run(["calibrate", "--executor", "traces/dask/array_sum.json", "-o", Self.temporary("a.yaml")])
        #expect(a.status != 0)
        #expect(a.stderr.contains("--executor runs its own benchmarks; it takes no captures"))

        let b = try CLI.run(["calibrate", "traces/dask/array_sum.json", "--measurements", "m.json", "-o", Self.temporary("b.yaml")])
        #expect(b.status != 0)
        #expect(b.stderr.contains("are for --executor"))

        let bogus = Self.temporary("bogus.json")
        defer { try? FileManager.default.removeItem(atPath: bogus) }
        try #"{"format": "schedsim-executor-measurements/1", "cluster": "2x1", "runs": []}"#.write(toFile: bogus, atomically: true, encoding: .utf8)
        let c = try CLI.run(["calibrate", "--executor", "--measurements", bogus, "-o", Self.temporary("c.yaml")])
        #expect(c.status != 0)
        #expect(c.stderr.contains("the measurements have no run of benchmark 'bag'"))

        let d = try CLI.run(["calibrate", "--executor", "--measurements", "profiles/executor-measurements.json", "--cluster", "4x2", "-o", Self.temporary("d.yaml")])
        #expect(d.status != 0)
        #expect(d.stderr.contains("differs from the cluster the measurements were taken on"))
    }

    @Test func validateTakesRuntimeAgainstTheExecutor() throws {
        let a = try CLI.run(["validate", "traces/native/diamond.json", "--runtime", "nonsense", "--out", Self.temporary("v")])
        #expect(a.status != 0)
        #expect(a.stderr.contains("neither a built-in profile (dask, executor, ideal)"))
        let b = try CLI.run(["validate", "traces/native/diamond.json", "--set", "worker-saturation=2", "--out", Self.temporary("v")])
        #expect(b.status != 0)
        #expect(b.stderr.contains("--set takes only runtime.NAME=VALUE here"))
        let c = try CLI.run(["validate", "traces/native/diamond.json", "--set", "runtime.no-such=1", "--out", Self.temporary("v")])
        #expect(c.status != 0)
        #expect(c.stderr.contains("unknown runtime parameter 'no-such'"))
    }
}

import Foundation
import Testing

/// Issue 18: outside values are refused with the flag or file place, the limits
/// stop runaway runs with a message, and every exit status follows docs/cli.md#exit-status.
@Suite struct HardeningTests {
    static func scratch(_ name: String) -> String {
        NSTemporaryDirectory() + "schedsim-hardening-\(name)-\(getpid())"
    }

    static func write(_ text: String, _ name: String) throws -> String {
        let path = scratch(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Item 1: `--size-scale 1e30` used to trap in the Int64 conversion of the scaled sizes.
    @Test func hugeSizeScaleIsRefusedBeforeTheConversion() throws {
        let r = try CLI.run(["validate", "traces/native/diamond.json", "--size-scale", "1e30", "--out", Self.scratch("v")])
        #expect(r.status == 64)
        #expect(r.stderr == "traces/native/diamond.json: --size-scale 1e+30: task 'c' has 3000 bytes, which would become 3e+33, above the 1125899906842624 bytes (1 PiB) limit\n")
    }

    /// Item 3: flags that would make a run trap or never end are refused, naming the flag and the limit.
    @Test(arguments: [
        (["--noise-cv", "11"], "--noise-cv 11.0: expected a number from 0 to 10"),
        (["--noise-cv", "-1"], "--noise-cv -1.0: expected a number from 0 to 10"),
        (["--sample-interval", "1ns"], "--sample-interval '1ns': at least 1us (or 0 for no samples)"),
        (["--scheduler-service-time", "100000s"], "--scheduler-service-time: runtime.scheduler-message = '100000s' is not a duration between 0 and 1h like 200us"),
        (["--event-limit", "-5"], "--event-limit must be >= 0 (0 = no limit)"),
        (["--sample-limit", "-5"], "--sample-limit must be >= 0 (0 = no limit)"),
        (["--seed", "-1"], "The value '-1' is invalid for '--seed <seed>': seed must be >= 0"),
        (["--event", "slow:worker-0@1s*1e-300"], "--event 'slow:worker-0@1s*1e-300': slow factor 1e-300 is outside 0.01...1000.0"),
        (["--cluster", "600000x1,600000x1"], "group 2 ('600000x1'): cluster too large: at most 1000000 workers of at most 100000 threads"),
    ])
    func runawayFlagsAreRefused(flags: [String], message: String) throws {
        let r = try CLI.run(["replay", "traces/dask/array_sum.json"] + flags)
        #expect(r.status == 64)
        #expect(r.stderr.contains(message), "\(r.stderr)")
    }

    @Test func sampleIntervalZeroStillMeansOff() throws {
        let r = try CLI.run(["replay", "traces/dask/delayed_tree.json", "--cluster", "2x1", "--sample-interval", "0"])
        #expect(r.status == 0, "\(r.stderr)")
    }

    /// Item 3: the event and sample limits stop the run with a message naming the flag, and exit 2.
    @Test func limitsStopTheRunWithStatus2() throws {
        let events = try CLI.run(["replay", "traces/dask/array_sum.json", "--cluster", "1x1", "--event-limit", "100"])
        #expect(events.status == 2)
        #expect(events.stdout.contains("outcome       event-limit: stopped after 100 events at the event limit (--event-limit N raises it; 0 = no limit)"), "\(events.stdout)")
        let samples = try CLI.run(["replay", "traces/dask/array_sum.json", "--cluster", "1x1", "--sample-interval", "1us", "--sample-limit", "50"])
        #expect(samples.status == 2)
        #expect(samples.stdout.contains("outcome       sample-limit: stopped after 50 workers.csv samples at the sample limit (--sample-limit N raises it, 0 = no limit; or a longer --sample-interval)"), "\(samples.stdout)")
        let compare = try CLI.run(["compare", "traces/dask/array_sum.json", "--cluster", "1x1", "--sample-limit", "-1", "--no-progress"])
        #expect(compare.status == 64)
    }

    /// Item 1: `generate --size constant:1e300` used to write 1 PiB outputs without a word.
    @Test func generateRefusesAMeanBeyondOneTasksLimit() throws {
        let size = try CLI.run(["generate", "bag", "--size", "constant:1e300", "-o", Self.scratch("g1.json")])
        #expect(size.status == 64)
        #expect(size.stderr == "--size constant:1e+300: mean 1e+300 bytes is above the limit of one output, 1125899906842624 bytes (1 PiB)\n", "\(size.stderr)")
        let duration = try CLI.run(["generate", "bag", "--duration", "exponential:mean=1e9", "-o", Self.scratch("g2.json")])
        #expect(duration.status == 64)
        #expect(duration.stderr.contains("mean 1000000000.0 s is above the limit of one task, 31536000 s (365 days)"), "\(duration.stderr)")
        #expect(!FileManager.default.fileExists(atPath: Self.scratch("g1.json")))
    }

    /// Item 1: the worker's emulated link has the simulator's bounds.
    @Test(arguments: [
        (["--bandwidth", "1e-300"], "--bandwidth 1e-300: expected 0 (unlimited) or at least 1e6 bytes/s"),
        (["--bandwidth", "inf"], "--bandwidth inf: expected 0 (unlimited) or at least 1e6 bytes/s"),
        (["--latency", "9e9"], "--latency 9000000000.0: expected 0 to 86400 seconds"),
        (["--latency", "-1"], "--latency -1.0: expected 0 to 86400 seconds"),
    ])
    func workerLinkFlagsAreBounded(flags: [String], message: String) throws {
        let r = try CLI.run(["worker", "tcp://127.0.0.1:1"] + flags)
        #expect(r.status == 64)
        #expect(r.stderr.contains(message), "\(r.stderr)")
    }

    /// Item 3: `run --cluster 2x100000` used to fail late, as a worker crash; now before any child starts.
    @Test func runChecksTheClusterUpFront() throws {
        let out = Self.scratch("run")
        let r = try CLI.run(["run", "traces/native/diamond.json", "--cluster", "2x100000", "--out", out])
        #expect(r.status == 64)
        #expect(r.stderr.hasPrefix("Error: --cluster '2x100000': worker worker-0 has 100000 threads; the real executor runs at most 1024 per worker\n"))
        #expect(!FileManager.default.fileExists(atPath: out + "/processes"))
    }

    /// Item 2: JSON syntax errors in cluster and scenario files name FILE:LINE:COL.
    @Test func clusterAndScenarioSyntaxErrorsAreLocated() throws {
        let cluster = try Self.write("{\n  \"workers\": [\n    {\"count\": 2 \"nthreads\": 1}\n  ]\n}\n", "cluster.json")
        let scenario = try Self.write("{\"events\": [\n  {\"time\": \"1s\", \"kill\": \"worker-0\"}\n", "scenario.json")
        defer { for p in [cluster, scenario] { try? FileManager.default.removeItem(atPath: p) } }
        let c = try CLI.run(["replay", "traces/dask/array_sum.json", "--cluster-file", cluster])
        #expect(c.status == 65)
        #expect(c.stderr == "\(cluster):3:17: not valid JSON (Invalid value)\n")
        let s = try CLI.run(["replay", "traces/dask/array_sum.json", "--scenario", scenario])
        #expect(s.status == 65)
        #expect(s.stderr == "\(scenario):3:1: not valid JSON (Unexpected end of file during JSON parse)\n")
    }

    /// Item 2: a scenario file over 64 MiB is refused on its size on disk, before it is read
    /// (a sparse file: nothing is written).
    @Test func hugeScenarioFileIsRefusedUnread() throws {
        let path = Self.scratch("huge-scenario.json")
        FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: (64 << 20) + 1)
        try handle.close()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try CLI.run(["replay", "traces/dask/array_sum.json", "--scenario", path])
        #expect(r.status == 65)
        #expect(r.stderr == "\(path): larger than the 64 MiB limit for scenario files\n")
    }

    /// Item 5: one exit table. 64 bad flags, 65 bad input, 2 a run that did not complete, 1 other.
    @Test func exitStatusesFollowTheTable() throws {
        #expect(try CLI.run(["replay", "--frobnicate", "traces/dask/array_sum.json"]).status == 64)
        #expect(try CLI.run(["replay", "/nonexistent/trace.json"]).status == 65)
        #expect(try CLI.run(["replay", "traces/dask/array_sum.json", "--cluster-file", "/nonexistent.json"]).status == 65)
        #expect(try CLI.run(["replay", "traces/dask/array_sum.json", "--cluster", "1x1", "--event", "kill:worker-0@0.01s"]).status == 2)
        let unwritable = try Self.write("x", "not-a-dir")
        defer { try? FileManager.default.removeItem(atPath: unwritable) }
        #expect(try CLI.run(["replay", "traces/dask/delayed_tree.json", "--cluster", "2x1", "--out", unwritable + "/out"]).status == 1)
        #expect(try CLI.run(["generate", "layered", "--seed", "-3", "-o", Self.scratch("g.json")]).stderr.contains("seed must be >= 0"))
    }
}

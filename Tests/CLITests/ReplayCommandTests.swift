import Foundation
import Testing

/// `schedsim replay` end to end: the built binary on real and fixture traces.
@Suite struct ReplayCommandTests {
    static let outRoot = NSTemporaryDirectory() + "schedsim-replay-tests-\(getpid())"

    static func files(in dir: String) throws -> [String: Data] {
        var result: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir) {
            result[name] = FileManager.default.contents(atPath: dir + "/" + name)
        }
        return result
    }

    /// FNV-1a over a file's bytes: what "identical log hashes" compares.
    static func hash(_ data: Data) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return h
    }

    /// Two separate processes, same inputs (with noise, a kill and max-min sharing):
    /// byte-identical logs, including events.jsonl.
    @Test func sameRunInTwoProcessesGivesIdenticalLogs() throws {
        var hashes: [[String: UInt64]] = []
        for run in 0..<2 {
            let dir = Self.outRoot + "/determinism-\(run)"
            let r = try CLI.run([
                "replay", "traces/dask/delayed_tree.json", "--cluster", "3x1", "--network", "maxmin", "--seed", "7",
                "--noise-cv", "0.3", "--event", "kill:worker-2@0.5s", "--trace-events", "--sample-interval", "100ms",
                "--out", dir,
            ])
            #expect(r.status == 0, "\(r.stderr)")
            hashes.append(try Self.files(in: dir).mapValues(Self.hash))
        }
        #expect(hashes[0].keys.sorted() == ["events.jsonl", "summary.csv", "tasks.csv", "transfers.csv", "transitions.csv", "workers.csv"])
        #expect(hashes[0] == hashes[1])
        // A different seed changes the noise, hence the logs.
        let other = Self.outRoot + "/determinism-seed"
        _ = try CLI.run(["replay", "traces/dask/delayed_tree.json", "--cluster", "3x1", "--network", "maxmin", "--seed", "8",
                         "--noise-cv", "0.3", "--event", "kill:worker-2@0.5s", "--out", other])
        #expect(try Self.files(in: other).mapValues(Self.hash)["tasks.csv"] != hashes[0]["tasks.csv"])
    }

    /// Work stealing walks each cost level in a key-hash order (docs/scheduler.md),
    /// never in `Set` order, which Swift randomizes per process: two processes make
    /// the same steal requests (keys, victims, thieves, times) and answers.
    @Test func stealRequestsAreIdenticalInTwoProcesses() throws {
        var requests: [[String]] = []
        var hashes: [[String: UInt64]] = []
        for run in 0..<2 {
            let dir = Self.outRoot + "/steal-order-\(run)"
            let r = try CLI.run(["replay", "traces/stg/robot.stg", "--cluster", "3x2", "--trace-events", "--out", dir])
            #expect(r.status == 0, "\(r.stderr)")
            let events = String(decoding: FileManager.default.contents(atPath: dir + "/events.jsonl") ?? Data(), as: UTF8.self)
            requests.append(events.split(separator: "\n").map(String.init).filter {
                $0.contains("\"component\":\"scheduler\"") && $0.contains("\"op\":\"steal-request\"")
            })
            hashes.append(try Self.files(in: dir).mapValues(Self.hash))
        }
        #expect(requests[0].count >= 10, "robot.stg on 3x2 should steal; got \(requests[0].count) requests")
        #expect(requests[0] == requests[1])
        #expect(hashes[0] == hashes[1])
    }

    /// Every bundled real trace replays to completion with the default settings.
    @Test func everyBundledTraceReplays() throws {
        let root = CLI.packageRoot + "/traces"
        let enumerator = FileManager.default.enumerator(atPath: root)
        var traces: [String] = []
        while let path = enumerator?.nextObject() as? String {
            // manifest.json (the calibration captures' list of benchmarks) describes traces; it is not one.
            if path.hasSuffix("manifest.json") { continue }
            if path.hasSuffix(".json") || path.hasSuffix(".xml") || path.hasSuffix(".stg") || path.hasSuffix(".json.gz") {
                traces.append("traces/" + path)
            }
        }
        traces.sort()
        #expect(traces.count >= 20)
        for trace in traces {
            let r = try CLI.run(["replay", trace, "--sample-interval", "0"])
            #expect(r.status == 0, "\(trace): \(r.stderr)")
            #expect(r.stdout.contains("outcome       completed: the client holds all"), "\(trace): \(r.stdout)")
        }
    }

    @Test func summaryAndLogsForTheDelayedTree() throws {
        let dir = Self.outRoot + "/summary"
        let r = try CLI.run(["replay", "traces/dask/delayed_tree.json", "--cluster", "2x1", "--out", dir])
        #expect(r.status == 0)
        for label in ["trace", "cluster", "outcome", "makespan", "lower bounds", "utilisation", "bytes moved", "steals", "events", "logs"] {
            #expect(r.stdout.contains("\n\(label) ") || r.stdout.hasPrefix("\(label) "), "missing \(label)")
        }
        let summary = String(decoding: FileManager.default.contents(atPath: dir + "/summary.csv") ?? Data(), as: UTF8.self)
        let lines = summary.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0] == "trace,policy,cluster,seed,backend,makespan,tasks,utilisation,transfers,transfer_bytes,steals,events,wall_seconds,network,critical_path,work_bound,outcome,detail,runtime")
        #expect(lines[1].hasPrefix("delayed_tree,dask,2x1,1,sim,"))
        let tasks = String(decoding: FileManager.default.contents(atPath: dir + "/tasks.csv") ?? Data(), as: UTF8.self)
        #expect(tasks.split(separator: "\n").count == 129)  // header + 128 tasks
        #expect(!FileManager.default.fileExists(atPath: dir + "/tasks.csv.partial"))
    }

    @Test(arguments: [
        (["--cluster", "2x"], "--cluster '2x': group 1 ('2x'): threads per worker '' is not a positive integer"),
        (["--event", "kill:worker-9@1s"], "scenario: event 1 (kill at 1.000000000s): unknown worker 'worker-9'"),
        (["--network", "ether"], "unknown network model 'ether'; known: simple, maxmin"),
        (["--policy", "magic"], "unknown policy 'magic'; known: dask,"),
        (["--cluster-file", "/nonexistent.json"], "/nonexistent.json: cannot read the file"),
    ])
    func badInputIsNamed(arguments: [String], message: String) throws {
        let r = try CLI.run(["replay", "traces/dask/array_sum.json"] + arguments)
        #expect(r.status != 0)
        #expect(r.stderr.contains(message), "\(r.stderr)")
    }

    /// Every registered policy replays a real trace to completion.
    @Test func everyPolicyReplays() throws {
        for policy in ["dask", "random", "round-robin", "heft"] {
            let r = try CLI.run(["replay", "traces/dask/delayed_tree.json", "--cluster", "2x2", "--policy", policy, "--sample-interval", "0"])
            #expect(r.status == 0, "\(policy): \(r.stderr)")
            #expect(r.stdout.contains("policy \(policy);"), "\(policy): \(r.stdout)")
        }
    }

    @Test func failedRunExitsWithTwoAndSaysWhy() throws {
        // Killing the only worker early leaves nothing that could run the graph.
        let r = try CLI.run(["replay", "traces/dask/array_sum.json", "--cluster", "1x1", "--event", "kill:worker-0@0.01s"])
        #expect(r.status == 2)
        #expect(r.stdout.contains("outcome       stalled: nothing more can happen"))
    }
}

import Foundation
import Messages
import Recording
import Scheduler
@testable import Simulation
import Testing

/// The runtime model (Simulator+Runtime.swift, docs/runtime.md) on hand-computed
/// runs with the simple test scheduler: every message takes 1 ms, links carry 100 MB/s.
@Suite struct RuntimeModelTests {
    static let chain: [(String, Double, Int64, [String])] = [
        ("a", 1, 1_000_000, []), ("b", 2, 1_000_000, ["a"]), ("c", 3, 1_000_000, ["b"]),
    ]

    /// Dask's BatchedSend rule: idle → at once; within the interval of the last write →
    /// at the deadline, everything buffered by then in one batch.
    @Test func batchedStreamFollowsDasksRule() {
        var stream = BatchedStream<Int>()
        let interval: Int64 = 5_000_000
        #expect(stream.send(1, now: 0, interval: interval) == 0)
        #expect(stream.flush(now: 0) == [1])
        #expect(stream.send(2, now: 1_000_000, interval: interval) == 5_000_000)  // within 5 ms of the write at 0
        #expect(stream.send(3, now: 3_000_000, interval: interval) == nil)  // joins the pending batch
        #expect(stream.flush(now: 5_000_000) == [2, 3])
        #expect(stream.send(4, now: 20_000_000, interval: interval) == 20_000_000)  // idle again
    }

    /// a → b → c on one thread with only `worker-task` = 1 ms: each task's result is
    /// handled on the worker's loop for 1 ms before task-finished leaves, so each of the
    /// three tasks adds 1 ms to the chain: starts 0.002, 1.005, 3.008; makespan 6.019 + 0.003.
    @Test func workerTaskCostDelaysEachTaskFinished() throws {
        let workload = try Fixtures.workload(Self.chain)
        let result = Fixtures.run(workload, try Fixtures.cluster("1x1")) {
            $0.runtime.workerTask = .milliseconds(1)
        }
        #expect(result.outcome == .completed)
        #expect(result.taskRows.map(\.start) == [Fixtures.ns("0.002"), Fixtures.ns("1.005"), Fixtures.ns("3.008")])
        #expect(result.makespan.nanoseconds == Fixtures.ns("6.022"))
    }

    /// 1 MB results at 1 GB/s cost the worker loop 1 ms each: the same as worker-task = 1 ms.
    @Test func workerOutputBandwidthChargesEachResultsBytes() throws {
        let workload = try Fixtures.workload(Self.chain)
        let result = Fixtures.run(workload, try Fixtures.cluster("1x1")) {
            $0.runtime.workerOutputBandwidth = 1e9
        }
        #expect(result.outcome == .completed)
        #expect(result.taskRows.map(\.start) == [Fixtures.ns("0.002"), Fixtures.ns("1.005"), Fixtures.ns("3.008")])
        #expect(result.makespan.nanoseconds == Fixtures.ns("6.022"))
    }

    /// Batched streams change nothing on a chain: every message finds its stream idle.
    @Test func idleStreamsSendAtOnce() throws {
        let workload = try Fixtures.workload(Self.chain)
        let result = Fixtures.run(workload, try Fixtures.cluster("1x1")) {
            $0.runtime = RuntimeProfile.daskStreamsOnly
        }
        #expect(result.makespan.nanoseconds == Fixtures.ns("6.019"))
    }

    /// Two roots on one 2-thread worker end 1 ms apart: b's task-finished is sent 1 ms
    /// after a's write, within the 2 ms interval, so it waits for the deadline 1.004
    /// (arrives 1.005 instead of 1.004) and the client learns of b 1 ms later.
    @Test func aMessageWithinTheIntervalWaitsForTheDeadline() throws {
        let workload = try Fixtures.workload([("a", 1, 8, []), ("b", 1.001, 8, [])])
        let ideal = Fixtures.run(workload, try Fixtures.cluster("1x2"))
        let batched = Fixtures.run(workload, try Fixtures.cluster("1x2")) {
            $0.runtime.workerToSchedulerInterval = .milliseconds(2)
        }
        #expect(ideal.taskRows.map(\.end) == batched.taskRows.map(\.end))
        #expect(batched.makespan.nanoseconds - ideal.makespan.nanoseconds == 1_000_000)
    }

    /// A scheduler cost per message makes messages queue at the scheduler (the old
    /// `--scheduler-service-time`): with 10 ms per message the chain takes 6.068 s.
    @Test func schedulerMessageCostQueuesMessages() throws {
        let workload = try Fixtures.workload(Self.chain)
        let result = Fixtures.run(workload, try Fixtures.cluster("1x1")) {
            $0.runtime.schedulerMessage = .milliseconds(10)
            $0.balanceInterval = .zero
        }
        #expect(result.makespan.nanoseconds == Fixtures.ns("6.068"))
    }

    /// Serialisation: a 100 MB fetch pays `transfer-request` + bytes / `transfer-bandwidth`
    /// on top of the network: 1 ms + 1 s (network) + 2 ms + 100 MB / 1 GB/s = +0.102 s.
    @Test func transfersPaySerialisation() throws {
        let workload = try Fixtures.workload([
            ("r", 1, 100_000_000, []), ("x", 2, 1_000_000, ["r"]), ("y", 2, 1_000_000, ["r"]), ("j", 1, 8, ["x", "y"]),
        ])
        let ideal = Fixtures.run(workload, try Fixtures.cluster("2x1"))
        let costly = Fixtures.run(workload, try Fixtures.cluster("2x1")) {
            $0.runtime.transferRequest = .milliseconds(2)
            $0.runtime.transferBandwidth = 1e9
        }
        let fetch = costly.transferRows[0]
        #expect(fetch.bytes == 100_000_000)
        #expect(fetch.end - fetch.start == ideal.transferRows[0].end - ideal.transferRows[0].start + Fixtures.ns("0.102"))
    }

    /// Scale knobs multiply every cost of their side.
    @Test func scaleMultipliesCosts() throws {
        let workload = try Fixtures.workload(Self.chain)
        let result = Fixtures.run(workload, try Fixtures.cluster("1x1")) {
            $0.runtime.workerTask = .milliseconds(10)
            $0.runtime.workerScale = 0.1
        }
        #expect(result.makespan.nanoseconds == Fixtures.ns("6.022"))
    }

    /// The same run under a profile is byte-identical in its logs, twice.
    @Test func runsUnderTheDaskProfileAreDeterministic() throws {
        let workload = try Fixtures.workload([
            ("r", 0.01, 1_000_000, []), ("x", 0.002, 10, ["r"]), ("y", 0.003, 10, ["r"]), ("z", 0.001, 10, ["r"]), ("j", 0.001, 8, ["x", "y", "z"]),
        ])
        func once() throws -> [[UInt8]] {
            let result = Fixtures.run(workload, try Fixtures.cluster("3x1"), factory: .dask()!) { $0.runtime = .dask }
            let row = SummaryRow(trace: "t", policy: "dask", cluster: "3x1", seed: 1, backend: "sim", makespan: result.makespan.nanoseconds,
                                 tasks: result.tasksFinished, utilisation: result.utilisation, transfers: result.transfers,
                                 transferBytes: result.transferBytes, steals: result.steals, events: result.events, wallSeconds: nil,
                                 network: "simple", criticalPath: 0, workBound: 0, outcome: result.outcome.rawValue, detail: result.detail, runtime: "dask")
            return result.logFiles(summary: row).map(\.bytes)
        }
        #expect(try once() == once())
    }

    /// The scheduler's per-transition cost is charged whether or not transitions are recorded
    /// (compare runs without logs; replay with them: both must give the same makespan).
    @Test func transitionCostDoesNotDependOnRecording() throws {
        let workload = try Fixtures.workload([("a", 0.01, 8, []), ("b", 0.01, 8, ["a"]), ("c", 0.01, 8, ["a"]), ("d", 0.01, 8, ["b", "c"])])
        var quiet = SchedulerConfig()
        quiet.recordTransitions = false
        let recorded = MachineFactory.dask()!
        let unrecorded = MachineFactory.dask(scheduler: quiet)!
        let cost: (inout SimulationConfig) -> Void = { $0.runtime.schedulerTransition = .milliseconds(1) }
        let a = Fixtures.run(workload, try Fixtures.cluster("2x1"), factory: recorded, configure: cost)
        let b = Fixtures.run(workload, try Fixtures.cluster("2x1"), factory: unrecorded, configure: cost)
        let ideal = Fixtures.run(workload, try Fixtures.cluster("2x1"), factory: recorded)
        #expect(a.makespan == b.makespan)
        #expect(a.makespan > ideal.makespan)
    }
}

/// Profile files and the built-in `dask` profile.
@Suite struct RuntimeProfileFileTests {
    /// The built-in profile is exactly what `calibrate` wrote to profiles/dask.yaml.
    @Test func builtinDaskEqualsTheCommittedFit() throws {
        let file = try RuntimeProfile.load(file: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path + "/profiles/dask.yaml")
        for parameter in RuntimeProfile.parameters {
            #expect(file.text(of: parameter) == RuntimeProfile.dask.text(of: parameter), "\(parameter.name)")
        }
    }

    /// The built-in `executor` profile is exactly what `calibrate --executor` wrote to profiles/executor.yaml.
    @Test func builtinExecutorEqualsTheCommittedFit() throws {
        let file = try RuntimeProfile.load(file: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path + "/profiles/executor.yaml")
        for parameter in RuntimeProfile.parameters {
            #expect(file.text(of: parameter) == RuntimeProfile.executor.text(of: parameter), "\(parameter.name)")
        }
        #expect(RuntimeProfile.builtin(named: "executor") == RuntimeProfile.executor)
        #expect(RuntimeProfile.builtinNames.contains("executor"))
        // The executor writes every message at once: no stream batches.
        for name in ["scheduler-to-worker-interval", "worker-to-scheduler-interval", "scheduler-to-client-interval", "client-to-scheduler-interval"] {
            #expect(file.text(of: RuntimeProfile.parameter(named: name)!) == "0")
        }
    }

    @Test func yamlRoundTrips() throws {
        var profile = RuntimeProfile.dask
        profile.name = "round-trip"
        try profile.set("worker-scale", to: "0.25")
        try profile.set("transfer-bandwidth", to: "80MB/s")
        let path = "/tmp/schedsim-runtime-\(getpid()).yaml"
        try profile.yaml().write(toFile: path, atomically: true, encoding: .utf8)
        let back = try RuntimeProfile.load(file: path)
        #expect(back.settingsText == profile.settingsText)
        #expect(back.name == "round-trip")
    }

    @Test func badSettingsNameTheParameter() {
        var profile = RuntimeProfile.ideal
        #expect(throws: RuntimeProfileError.self) { try profile.set("worker-tsak", to: "1ms") }
        do { try profile.set("worker-task", to: "fast") } catch { #expect("\(error)".contains("runtime.worker-task")) }
        do { try profile.set("scheduler-scale", to: "1e308") } catch { #expect("\(error)".contains("scheduler-scale")) }
        #expect(profile.isIdeal)
    }
}

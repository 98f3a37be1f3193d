import Foundation
import Messages
import NIOCore
import Testing
import Workload
@testable import Executor

/// A scattered input whose only holder dies cannot be recomputed: the client counts
/// the key that needs it as failed (not waiting for the timeout), names the lost
/// scattered key, and the logs' outcome is `failed` in the simulator's words.
@Suite(.serialized)
struct LostScatteredTests {
    @Test(.timeLimit(.minutes(1)))
    func lostScatteredInputFailsTheRun() throws {
        var b = WorkloadBuilder(name: "lost", source: "test")
        b.add(TaskSpec(key: "x", kind: .data, outputBytes: 333), dependencies: [], origin: "x")
        b.add(TaskSpec(key: "t", duration: 3, outputBytes: 8), dependencies: ["x"], origin: "t")
        let workload = try b.build()

        let cluster = try LocalCluster(workers: 1, nthreads: 1)
        defer { try? cluster.shutdown() }
        var options = SubmitOptions(scheduler: cluster.address)
        options.waitForWorkers = 1
        options.timeout = .seconds(20)
        let client = SubmitClient(workload: workload, options: options, loop: cluster.group.next())
        let started = Date()
        let run = client.run()
        // `x` is scattered to the only worker at once; `t` runs for 3 s. Lose the worker in between.
        usleep(1_000_000)
        cluster.workers[0].stop("killed by the test")

        let result = try run.wait()
        if result.failed.isEmpty { for line in cluster.logLines.all { print("log: \(line)") } }
        let elapsed = Date().timeIntervalSince(started)
        #expect(elapsed < 10, "the run should end when the key fails, not at the timeout (\(elapsed) s)")
        #expect(result.gathered == 0)
        #expect(result.lostScattered == ["x"])
        #expect(result.unresolvedKeys == ["t"])
        #expect(result.failed.count == 1 && result.failed[0].hasPrefix("t: "), "\(result.failed)")
        #expect(result.wanted == 1)

        var logs = RunLogs(workload: workload, records: result.records, trace: "lost", policy: "dask",
                           cluster: "test", network: "loopback", wallSeconds: elapsed)
        logs.client = ClientOutcome(wanted: result.wanted, unresolvedKeys: result.unresolvedKeys,
                                    erred: result.erred.count, lostScattered: result.lostScattered)
        #expect(logs.outcome.outcome == "failed")
        #expect(logs.outcome.detail == "1 of 1 wanted results failed (0 erred): t; lost scattered data: x")
        #expect(logs.summaryRow.outcome == "failed")
    }
}

import Messages
import Recording
import Simulation
import Testing

@Suite struct FaultTests {
    /// A chain on two workers; worker-0 dies while b runs. b is rerun on worker-1,
    /// and a (whose only copy was on worker-0) is recomputed first.
    @Test func killedWorkerDataIsRecomputed() throws {
        let workload = try Fixtures.workload([("a", 1, 1_000_000, []), ("b", 5, 1_000_000, ["a"]), ("c", 1, 10, ["b"])])
        let cluster = try Fixtures.cluster("2x1")
        let result = Fixtures.run(workload, cluster) {
            $0.scenario = [ScenarioEvent(time: .seconds(3), action: .kill(worker: "worker-0"))]
        }
        #expect(result.outcome == .completed)
        #expect(result.taskRows.map(\.attempts) == [2, 2, 1])
        #expect(result.taskRows.map(\.worker) == ["worker-1", "worker-1", "worker-1"])
        // Timeline: kill at 3; remove-worker reaches the scheduler at 3.001; a reaches worker-1 at 3.002,
        // runs to 4.002; b 4.004 → 9.004; c 9.006 → 10.006; client 10.008; gather 10 bytes: 1 ms + 100 ns.
        #expect(result.makespan.nanoseconds == Fixtures.ns("10.009000100"))
        // The killed thread counts as busy until the kill: a 1 s + b 1.996 s there, then 1 + 5 + 1 on worker-1.
        #expect(result.busyTime == Fixtures.ns("9.996"))
        #expect(result.threadTime == Fixtures.ns("3") + result.makespan.nanoseconds)
    }

    /// One long task; every worker that runs it is killed. The fourth death exceeds
    /// allowed-failures (3): the task errs and the run ends as failed.
    @Test func taskErrsAfterAllowedFailures() throws {
        let workload = try Fixtures.workload([("long", 100, 8, [])])
        let result = Fixtures.run(workload, try Fixtures.cluster("5x1")) {
            $0.scenario = (0..<4).map { ScenarioEvent(time: .seconds(Double(10 * ($0 + 1))), action: .kill(worker: "worker-\($0)")) }
        }
        #expect(result.outcome == .failed)
        #expect(result.detail.contains("1 of 1 wanted results failed (1 erred): long"))
        #expect(result.taskRows[0].attempts == 4)
        #expect(result.taskRows[0].state == "erred")
        #expect(result.makespan.nanoseconds == Fixtures.ns("40.002"))
    }

    /// Scattered data lives only where it was put; killing that worker loses it for good.
    @Test func lostScatteredDataIsReported() throws {
        var builder = WorkloadBuilder(name: "scatter", source: "test")
        builder.add(TaskSpec(key: "data-1", kind: .data, outputBytes: 50_000_000), dependencies: [], origin: "data-1")
        builder.add(TaskSpec(key: "use", duration: 10, outputBytes: 8), dependencies: ["data-1"], origin: "use")
        let workload = try builder.build()
        let result = Fixtures.run(workload, try Fixtures.cluster("2x1")) {
            $0.scenario = [ScenarioEvent(time: .seconds(5), action: .kill(worker: "worker-0"))]
        }
        #expect(result.outcome == .failed)
        #expect(result.lostScatteredKeys == ["data-1"])
        #expect(result.detail.contains("lost scattered data: data-1"))
        // The scatter itself moved 50 MB from the client: 1 ms + 0.5 s after the scatter-to reply.
        let scatter = result.transferRows.first!
        #expect(scatter.from == "client-0" && scatter.to == "worker-0" && scatter.bytes == 50_000_000)
        #expect(scatter.end - scatter.start == Fixtures.ns("0.501"))
    }

    /// A task restricted to nothing that can run stalls; the run says why instead of hanging.
    @Test func stalledRunSaysWhy() throws {
        let workload = try Fixtures.workload([("a", 1, 8, [])])
        // Kill the only worker before anything is placed: nothing more can happen.
        let result = Fixtures.run(workload, try Fixtures.cluster("1x1")) {
            $0.scenario = [ScenarioEvent(time: .zero, action: .kill(worker: "worker-0"))]
        }
        #expect(result.outcome == .stalled)
        #expect(result.detail.contains("1 of 1 wanted results never reached the client (1 waiting); 0 worker(s) running: a"))
    }

    /// A paused worker starts nothing until unpaused; a worker added later takes waiting work;
    /// a slowed worker stretches durations.
    @Test func elasticityPauseAndSlowdown() throws {
        let workload = try Fixtures.workload([("a", 2, 8, []), ("b", 2, 8, [])])
        let added = Fixtures.run(workload, try Fixtures.cluster("1x1")) {
            $0.scenario = [
                ScenarioEvent(time: .zero, action: .pause(worker: "worker-0")),
                ScenarioEvent(time: .seconds(1), action: .addWorker(ClusterWorker(name: "late", host: "late-host", nthreads: 2))),
                ScenarioEvent(time: .seconds(5), action: .unpause(worker: "worker-0")),
            ]
        }
        #expect(added.outcome == .completed)
        // a goes to the paused worker-0 at 0.002 and waits there until the unpause at 5: 5 → 7.
        // b waits for a thread until late registers (joins at 1, scheduler knows at 1.001): 1.002 → 3.002.
        #expect(added.taskRows.map(\.worker) == ["worker-0", "late"])
        #expect(added.taskRows.map(\.start) == [Fixtures.ns("5"), Fixtures.ns("1.002")])
        #expect(added.makespan.nanoseconds == Fixtures.ns("7.003000080"))
        // worker-0 was there for 7.003000080 s with 1 thread, late for 6.003000080 s with 2.
        #expect(added.threadTime == Fixtures.ns("7.003000080") + 2 * Fixtures.ns("6.003000080"))

        let slowed = Fixtures.run(workload, try Fixtures.cluster("1x2")) {
            $0.scenario = [ScenarioEvent(time: .zero, action: .slow(worker: "worker-0", factor: 0.5))]
        }
        #expect(slowed.taskRows.map { $0.end! - $0.start! } == [Fixtures.ns("4"), Fixtures.ns("4")])
    }

    @Test func scenarioIssuesNameTheEvent() throws {
        let cluster = try Fixtures.cluster("2x1")
        let issues = Simulator.scenarioIssues([
            ScenarioEvent(time: .seconds(1), action: .kill(worker: "worker-9")),
            ScenarioEvent(time: .seconds(2), action: .slow(worker: "worker-1", factor: 0)),
        ], cluster: cluster)
        #expect(issues == [
            "event 1 (kill at 1.000000000s): unknown worker 'worker-9'",
            "event 2 (slow at 2.000000000s): factor must be a positive number",
        ])
    }
}

@Suite struct PeriodicTickTests {
    /// Heartbeats follow Dask's interval (0.5 s for up to 10 workers) and carry executing tasks.
    @Test func heartbeatsReachTheScheduler() throws {
        let workload = try Fixtures.workload([("a", 1.2, 8, [])])
        let result = Fixtures.run(workload, try Fixtures.cluster("1x1")) { $0.traceEvents = true }
        let text = String(decoding: result.eventLines?.bytes ?? [], as: UTF8.self)
        let heartbeats = text.split(separator: "\n").filter { $0.contains("\"direction\":\"in\",\"op\":\"heartbeat\"") }
        // Sent at 0.5 and 1.0 s (a runs 0.002 → 1.202), arriving 1 ms later; the run ends at 1.205000080.
        #expect(heartbeats.count == 2)
        #expect(heartbeats.first?.contains("\"time\":\"0.501000000\"") == true)
        #expect(heartbeats.first?.contains("elapsed: 0.498000000") == true)
    }

    /// Ticks never keep a stalled run alive, even when their messages queue at a slow scheduler.
    @Test func ticksStopWhenNothingElseCanHappen() throws {
        let workload = try Fixtures.workload([("a", 1, 8, [])])
        let result = Fixtures.run(workload, try Fixtures.cluster("4x1")) {
            $0.runtime.schedulerMessage = .seconds(2)
            $0.scenario = (0..<4).map { ScenarioEvent(time: .zero, action: .kill(worker: "worker-\($0)")) }
        }
        // Each removal reaches the busy scheduler 2 s apart; the task is placed and lost four
        // times and errs. Afterwards only ticks remain, and they stop.
        #expect(result.outcome == .failed)
        #expect(result.events < 200)
        #expect(result.makespan < .seconds(30))
    }
}

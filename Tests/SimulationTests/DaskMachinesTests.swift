import Messages
import Recording
import Simulation
import Testing

/// The simulator driving Dask's own scheduler and worker state machines.
@Suite struct DaskMachinesTests {
    static var dask: MachineFactory { MachineFactory.dask()! }

    /// A chain on one worker has no placement choice, so Dask's timing equals the
    /// hand computation of `HandComputedMakespanTests.chain`: 6.019 s.
    @Test(arguments: [NetworkModelKind.simple, .maxmin])
    func chainMatchesTheHandComputation(model: NetworkModelKind) throws {
        let workload = try Fixtures.workload([("a", 1, 1_000_000, []), ("b", 2, 1_000_000, ["a"]), ("c", 3, 1_000_000, ["b"])])
        let result = Fixtures.run(workload, try Fixtures.cluster("1x1", model), factory: Self.dask)
        #expect(result.outcome == .completed)
        #expect(result.makespan.nanoseconds == Fixtures.ns("6.019"))
        #expect(result.taskRows.map(\.state) == ["released", "released", "memory"])
        // Dask's transition log: each task waiting → processing → memory, a and b then released.
        let forA = result.transitionRows.filter { $0.task == 0 }.map { "\($0.from)→\($0.to)" }
        #expect(forA == ["released→waiting", "waiting→processing", "processing→memory", "memory→released"])
    }

    @Test(arguments: [NetworkModelKind.simple, .maxmin])
    func conservationWithDask(model: NetworkModelKind) throws {
        let workload = try ConservationTests.layeredGraph()
        let cluster = try Fixtures.cluster("3x2,1x1@2.0", model)
        let result = Fixtures.run(workload, cluster, factory: Self.dask)
        #expect(result.outcome == .completed)
        #expect(result.taskRows.allSatisfy { $0.attempts == 1 })
        #expect(result.tasksFinished == workload.count)
        #expect(result.transferRows.reduce(Int64(0)) { $0 + $1.bytes } == result.transferBytes)
        #expect(result.busyTime <= result.threadTime)
        for worker in cluster.workers {
            let rows = result.taskRows.filter { $0.worker == worker.name }
            let busy = rows.reduce(Int64(0)) { $0 + ($1.end! - $1.start!) }
            #expect(busy <= Int64(worker.nthreads) * result.makespan.nanoseconds)
        }
        let wanted = Set(workload.submissions[0].wanted.map { workload[$0].key })
        let gathered = Set(result.transferRows.filter { $0.to == "client-0" }.map { result.keys[Int($0.task)] })
        #expect(gathered == wanted)
        for (i, spec) in workload.tasks.enumerated() {
            for dep in spec.dependencies {
                #expect(result.taskRows[dep.index].end! <= result.taskRows[i].start!)
            }
        }
    }

    /// Killing a worker mid-run: the graph still completes, lost results are recomputed.
    @Test func killedWorkerStillCompletes() throws {
        let workload = try ConservationTests.layeredGraph()
        let result = Fixtures.run(workload, try Fixtures.cluster("4x2"), factory: Self.dask) {
            $0.scenario = [ScenarioEvent(time: .seconds(2), action: .kill(worker: "worker-1"))]
        }
        #expect(result.outcome == .completed)
        #expect(result.tasksFinished == workload.count)
        #expect(result.taskRows.contains { $0.attempts > 1 })
        #expect(!result.taskRows.contains { $0.worker == "worker-1" && $0.end! > Fixtures.ns("2") })
    }

    /// Dask's allowed-failures: the fourth worker death while the task runs makes it err.
    /// There is always exactly one worker, so the task must be on the one that dies.
    @Test func killedWorkerErrsAfterAllowedFailures() throws {
        let workload = try Fixtures.workload([("long", 100, 8, [])])
        var scenario: [ScenarioEvent] = []
        for round in 0..<4 {
            let victim = round == 0 ? "worker-0" : "spare-\(round)"
            scenario.append(ScenarioEvent(time: .seconds(Double(10 * (round + 1))), action: .kill(worker: victim)))
            scenario.append(ScenarioEvent(time: .seconds(Double(10 * (round + 1) + 1)),
                                          action: .addWorker(ClusterWorker(name: "spare-\(round + 1)", host: "spare-\(round + 1)", nthreads: 1))))
        }
        let result = Fixtures.run(workload, try Fixtures.cluster("1x1"), factory: Self.dask) {
            $0.scenario = scenario
        }
        #expect(result.outcome == .failed)
        #expect(result.taskRows[0].state == "erred")
        #expect(result.taskRows[0].attempts == 4)
    }

    /// Scattered data whose only holder dies is reported as lost.
    @Test func lostScatteredDataWithDask() throws {
        var builder = WorkloadBuilder(name: "scatter", source: "test")
        builder.add(TaskSpec(key: "data-1", kind: .data, outputBytes: 50_000_000), dependencies: [], origin: "data-1")
        builder.add(TaskSpec(key: "use", duration: 10, outputBytes: 8), dependencies: ["data-1"], origin: "use")
        let workload = try builder.build()
        let result = Fixtures.run(workload, try Fixtures.cluster("1x1"), factory: Self.dask) {
            $0.scenario = [ScenarioEvent(time: .seconds(5), action: .kill(worker: "worker-0"))]
        }
        #expect(result.outcome != .completed)
        #expect(result.lostScatteredKeys == ["data-1"])
    }

    /// Graceful retirement: the worker's results move elsewhere, then it closes; nothing is recomputed.
    @Test func retirementMovesDataAndClosesTheWorker() throws {
        let workload = try Fixtures.workload([("a", 1, 1_000_000, []), ("b", 1, 1_000_000, []), ("c", 5, 8, ["a", "b"])])
        let result = Fixtures.run(workload, try Fixtures.cluster("2x1"), factory: Self.dask) {
            $0.scenario = [ScenarioEvent(time: .seconds(2), action: .retire(worker: "worker-1"))]
        }
        #expect(result.outcome == .completed)
        #expect(result.taskRows.allSatisfy { $0.attempts == 1 })
        #expect(result.taskRows[2].worker == "worker-0")
    }
}

@Suite struct DaskActorAndWorkerClientTests {
    /// Dask places every call on the actor's worker; the simulator runs them one at a time.
    @Test func actorCallsAreSerialOnTheActorsWorker() throws {
        var builder = WorkloadBuilder(name: "actor", source: "test")
        builder.add(TaskSpec(key: "counter", duration: 0.5, outputBytes: 100, isActor: true), dependencies: [], origin: "counter")
        for i in 0..<3 {
            builder.add(TaskSpec(key: "increment-\(i)", duration: 1, outputBytes: 8), dependencies: ["counter"], actor: "counter", origin: "call \(i)")
        }
        let workload = try builder.build()
        let result = Fixtures.run(workload, try Fixtures.cluster("2x4"), factory: DaskMachinesTests.dask)
        #expect(result.outcome == .completed)
        let rows = result.taskRows
        #expect(Set(rows.map(\.worker)).count == 1)
        let calls = rows.dropFirst().sorted { $0.start! < $1.start! }
        for (earlier, later) in zip(calls, calls.dropFirst()) {
            #expect(earlier.end! <= later.start!)
        }
    }

    /// A seceding task that submits a sub-graph ends only after the sub-graph's result is back.
    @Test func workerClientTaskWithDask() throws {
        var builder = WorkloadBuilder(name: "worker-client", source: "test")
        builder.addSubmission(client: "client-0", time: 0, wanted: ["parent"], origin: "submission 0")
        builder.addSubmission(client: "client-0", time: 0.5, submitter: "parent", wanted: ["child"], origin: "submission 1")
        builder.add(TaskSpec(key: "parent", duration: 1, outputBytes: 8, secedes: true, submission: 0), dependencies: [], origin: "parent")
        builder.add(TaskSpec(key: "child", duration: 2, outputBytes: 1_000, submission: 1), dependencies: [], origin: "child")
        let workload = try builder.build()
        let result = Fixtures.run(workload, try Fixtures.cluster("1x1"), factory: DaskMachinesTests.dask)
        #expect(result.outcome == .completed)
        let rows = result.taskRows
        #expect(rows[1].start! >= rows[0].start! + Fixtures.ns("0.5"))
        #expect(rows[0].end! > rows[1].end!)
    }
}

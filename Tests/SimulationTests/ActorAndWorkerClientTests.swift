import Messages
import Recording
import Simulation
import Testing

@Suite struct ActorAndWorkerClientTests {
    /// Three 1 s method calls on one actor run one after another even though the
    /// actor's worker has four threads.
    @Test func actorCallsRunOneAtATime() throws {
        var builder = WorkloadBuilder(name: "actor", source: "test")
        builder.add(TaskSpec(key: "counter", duration: 0.5, outputBytes: 100, isActor: true), dependencies: [], origin: "counter")
        for i in 0..<3 {
            builder.add(TaskSpec(key: "increment-\(i)", duration: 1, outputBytes: 8), dependencies: ["counter"], actor: "counter", origin: "call \(i)")
        }
        let workload = try builder.build()
        let result = Fixtures.run(workload, try Fixtures.cluster("1x4"))
        #expect(result.outcome == .completed)
        // counter 0.002 → 0.502; calls reach the worker at 0.504 and run back to back.
        #expect(result.taskRows.map(\.start) == [Fixtures.ns("0.002"), Fixtures.ns("0.504"), Fixtures.ns("1.504"), Fixtures.ns("2.504")])
        #expect(result.taskRows.map(\.end) == [Fixtures.ns("0.502"), Fixtures.ns("1.504"), Fixtures.ns("2.504"), Fixtures.ns("3.504")])
    }

    /// A task that submits a sub-graph half a second after it starts, secedes, and
    /// finishes only when the sub-graph's result is back.
    @Test func workerClientTaskWaitsForItsSubgraph() throws {
        var builder = WorkloadBuilder(name: "worker-client", source: "test")
        builder.addSubmission(client: "client-0", time: 0, wanted: ["parent"], origin: "submission 0")
        builder.addSubmission(client: "client-0", time: 0.5, submitter: "parent", wanted: ["child"], origin: "submission 1")
        builder.add(TaskSpec(key: "parent", duration: 1, outputBytes: 8, secedes: true, submission: 0), dependencies: [], origin: "parent")
        builder.add(TaskSpec(key: "child", duration: 2, outputBytes: 1_000, submission: 1), dependencies: [], origin: "child")
        let workload = try builder.build()
        let result = Fixtures.run(workload, try Fixtures.cluster("1x1"))
        #expect(result.outcome == .completed)
        // parent starts at 0.002 and secedes, freeing the only thread; at 0.502 it submits child
        // (update-graph reaches the scheduler at 0.503, the worker at 0.504); child runs 0.504 → 2.504;
        // its result is on parent's own worker, so parent ends when key-in-memory arrives: 2.506.
        #expect(result.taskRows.map(\.start) == [Fixtures.ns("0.002"), Fixtures.ns("0.504")])
        #expect(result.taskRows.map(\.end) == [Fixtures.ns("2.506"), Fixtures.ns("2.504")])
        // task-finished 2.507, client 2.508, gather 8 bytes 1 ms + 80 ns.
        #expect(result.makespan.nanoseconds == Fixtures.ns("2.509000080"))
    }
}

import Messages
import Recording
import Simulation
import Testing

/// Invariants every fault-free run must satisfy, on a layered random DAG.
@Suite struct ConservationTests {
    /// A deterministic layered DAG: 6 layers of 12 tasks, each depending on 1–3 tasks of the layer above.
    static func layeredGraph() throws -> Workload {
        var state: UInt64 = 7
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33) % n
        }
        var tasks: [(String, Double, Int64, [String])] = []
        for layer in 0..<6 {
            for i in 0..<12 {
                var deps: [String] = []
                if layer > 0 {
                    for _ in 0..<(1 + next(3)) {
                        let dep = "t\(layer - 1)-\(next(12))"
                        if !deps.contains(dep) { deps.append(dep) }
                    }
                }
                tasks.append(("t\(layer)-\(i)", Double(1 + next(20)) / 10, Int64(1 + next(5)) * 1_000_000, deps))
            }
        }
        return try Fixtures.workload(tasks)
    }

    @Test(arguments: [NetworkModelKind.simple, .maxmin])
    func faultFreeRunConservesWorkAndBytes(model: NetworkModelKind) throws {
        let workload = try Self.layeredGraph()
        let cluster = try Fixtures.cluster("3x2,1x1@2.0", model)
        let result = Fixtures.run(workload, cluster) { $0.sampleInterval = .milliseconds(500) }
        #expect(result.outcome == .completed)
        // Every task runs exactly once.
        #expect(result.taskRows.allSatisfy { $0.attempts == 1 })
        #expect(result.tasksFinished == workload.count)
        // Bytes moved equal the sum over transfers.
        #expect(result.transferRows.reduce(Int64(0)) { $0 + $1.bytes } == result.transferBytes)
        // No worker is busy longer than its threads × the makespan; tasks do not overlap beyond nthreads.
        for (w, worker) in cluster.workers.enumerated() {
            let rows = result.taskRows.filter { $0.worker == worker.name }
            let busy = rows.reduce(Int64(0)) { $0 + ($1.end! - $1.start!) }
            #expect(busy <= Int64(worker.nthreads) * result.makespan.nanoseconds)
            var events: [(Int64, Int)] = rows.flatMap { [($0.start!, 1), ($0.end!, -1)] }
            events.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            var running = 0
            for (_, delta) in events {
                running += delta
                #expect(running <= worker.nthreads, "worker \(w) ran more tasks than threads")
            }
        }
        #expect(result.busyTime <= result.threadTime)
        // Durations honour worker speed: worker-3 runs at 2.0.
        for row in result.taskRows {
            let spec = workload[workload.id(forKey: row.key)!]
            let speed = row.worker == "worker-3" ? 2.0 : 1.0
            #expect(row.end! - row.start! == Time(seconds: spec.duration / speed).nanoseconds)
        }
        // Every wanted key ends at the client.
        let wanted = Set(workload.submissions[0].wanted.map { workload[$0].key })
        let gathered = Set(result.transferRows.filter { $0.to == "client-0" }.map { result.keys[Int($0.task)] })
        #expect(gathered == wanted)
        // A task starts only after its inputs exist.
        for (i, spec) in workload.tasks.enumerated() {
            for dep in spec.dependencies {
                #expect(result.taskRows[dep.index].end! <= result.taskRows[i].start!)
            }
        }
        // Samples never show more busy threads than a worker has.
        #expect(!result.workerRows.isEmpty)
        for row in result.workerRows {
            let worker = cluster.workers.first { $0.name == row.worker }!
            #expect(row.busyThreads >= 0 && row.busyThreads <= worker.nthreads)
        }
        // The lower bounds hold.
        let facts = workload.graphFacts()
        #expect(result.makespan.nanoseconds >= Time(seconds: facts.criticalPathLength / 2.0).nanoseconds)
    }

    @Test func maxminIsNeverFasterThanSimpleOnTheSameSchedule() throws {
        let workload = try Self.layeredGraph()
        let simple = Fixtures.run(workload, try Fixtures.cluster("4x1", .simple))
        let maxmin = Fixtures.run(workload, try Fixtures.cluster("4x1", .maxmin))
        #expect(maxmin.makespan >= simple.makespan)
        #expect(maxmin.tasksFinished == simple.tasksFinished)
    }
}

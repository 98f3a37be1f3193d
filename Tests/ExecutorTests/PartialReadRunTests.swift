import Messages
import Testing
import Workload
@testable import Executor

/// The real executor moves the same bytes as the simulator when partial reads
/// are split: only the parts remote consumers read, once per worker.
@Suite(.serialized)
struct PartialReadRunTests {
    /// `PartialReadTransferTests.fan` with the executor's worker names (w1…w4).
    static func fan() throws -> Workload {
        func on(_ w: Int) -> Restrictions { Restrictions(workers: ["w\(w + 1)"]) }
        var b = WorkloadBuilder(name: "fan", source: "test")
        b.add(TaskSpec(key: "P", duration: 0.02, outputBytes: 100, restrictions: on(0)), dependencies: [], origin: "P")
        b.add(TaskSpec(key: "x", duration: 0.01, outputBytes: 5, restrictions: on(3)), dependencies: [], origin: "x")
        b.add(TaskSpec(key: "a", duration: 0.01, dependencyBytes: [30], dependencyParts: [0], restrictions: on(1)),
              dependencies: ["P"], origin: "a")
        b.add(TaskSpec(key: "b", duration: 0.01, dependencyBytes: [30], dependencyParts: [0], restrictions: on(1)),
              dependencies: ["P"], origin: "b")
        b.add(TaskSpec(key: "c", duration: 0.01, dependencyBytes: [30], restrictions: on(2)), dependencies: ["P"], origin: "c")
        b.add(TaskSpec(key: "d", duration: 0.01, dependencyBytes: [100], restrictions: on(2)), dependencies: ["P"], origin: "d")
        b.add(TaskSpec(key: "e", duration: 0.01, dependencyBytes: [5, 70], dependencyParts: [0, 1], restrictions: on(3)),
              dependencies: ["x", "P"], origin: "e")
        return try b.build()
    }

    @Test func onlyThePartsMove() throws {
        let (workload, _) = try Self.fan().splittingPartialReads()
        let cluster = try LocalCluster(workers: 4, nthreads: 1)
        defer { try? cluster.shutdown() }
        let result = try cluster.submit(workload)
        #expect(result.erred.isEmpty)
        #expect(result.corrupt.isEmpty)
        let r = result.records
        let moves = r.transfers.map { "\(workload[$0.key].key) -> \(r.workerNames[Int($0.to)]): \($0.bytes)" }.sorted()
        #expect(moves == ["P -> w3: 100", "P-part-0 -> w2: 30", "P-part-1 -> w3: 30", "P-part-2 -> w4: 70"])
        #expect(r.transfers.reduce(Int64(0)) { $0 + $1.bytes } == 230)
        for (i, spec) in workload.tasks.enumerated() where spec.prefix == "part" {
            #expect(r.workerNames[Int(r.tasks[i].worker)] == "w1")
        }
    }
}

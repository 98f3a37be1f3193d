import Messages
import Recording
import Simulation
import Testing

/// What crosses the network when partial reads are split: exactly the parts the
/// remote consumers read, once per worker, with Dask's own machines.
@Suite struct PartialReadTransferTests {
    /// P (100 bytes, on worker-0) read five ways (see `PartialOutputsTests.fan`):
    /// a and b (worker-1) read the same 30-byte part, c (worker-2) another
    /// 30 bytes, d (worker-2) all of P, e (worker-3) 70 bytes of P and x (local).
    static func fan() throws -> Workload {
        func on(_ w: Int) -> Restrictions { Restrictions(workers: ["worker-\(w)"]) }
        var b = WorkloadBuilder(name: "fan", source: "test")
        b.add(TaskSpec(key: "P", duration: 2, outputBytes: 100, restrictions: on(0)), dependencies: [], origin: "P")
        b.add(TaskSpec(key: "x", duration: 1, outputBytes: 5, restrictions: on(3)), dependencies: [], origin: "x")
        b.add(TaskSpec(key: "a", duration: 1, dependencyBytes: [30], dependencyParts: [0], restrictions: on(1)),
              dependencies: ["P"], origin: "a")
        b.add(TaskSpec(key: "b", duration: 1, dependencyBytes: [30], dependencyParts: [0], restrictions: on(1)),
              dependencies: ["P"], origin: "b")
        b.add(TaskSpec(key: "c", duration: 1, dependencyBytes: [30], restrictions: on(2)), dependencies: ["P"], origin: "c")
        b.add(TaskSpec(key: "d", duration: 1, dependencyBytes: [100], restrictions: on(2)), dependencies: ["P"], origin: "d")
        b.add(TaskSpec(key: "e", duration: 1, dependencyBytes: [5, 70], dependencyParts: [0, 1], restrictions: on(3)),
              dependencies: ["x", "P"], origin: "e")
        return try b.build()
    }

    /// (key, receiving worker, bytes) of every transfer between workers, sorted.
    static func moves(_ result: SimulationResult) -> [String] {
        result.transferRows.filter { $0.to.hasPrefix("worker-") }
            .map { "\(result.keys[Int($0.task)]) -> \($0.to): \($0.bytes)" }.sorted()
    }

    @Test(arguments: [NetworkModelKind.simple, .maxmin])
    func onlyThePartsMove(model: NetworkModelKind) throws {
        let (workload, split) = try Self.fan().splittingPartialReads()
        let result = Fixtures.run(workload, try Fixtures.cluster("4x1", model), factory: MachineFactory.dask()!)
        #expect(result.outcome == .completed)
        // Each part runs where P is (worker-0), then only it moves.
        for row in result.taskRows where row.prefix == "part" { #expect(row.worker == "worker-0") }
        #expect(Self.moves(result) == [
            "P -> worker-2: 100",         // d reads all of P
            "P-part-0 -> worker-1: 30",   // a and b share one part: fetched once
            "P-part-1 -> worker-2: 30",   // c's part
            "P-part-2 -> worker-3: 70",   // e's part (x is local)
        ])
        let moved = result.transferRows.filter { $0.to.hasPrefix("worker-") }.reduce(Int64(0)) { $0 + $1.bytes }
        #expect(moved == 230)
        // Every read is remote here except x → e and b's second use of a's part.
        #expect(split.edgeBytes == 265 && moved == split.edgeBytes - 5 - 30)
    }

    @Test func theWholeModeMovesWholeOutputs() throws {
        let result = Fixtures.run(try Self.fan(), try Fixtures.cluster("4x1"), factory: MachineFactory.dask()!)
        #expect(result.outcome == .completed)
        #expect(Self.moves(result) == ["P -> worker-1: 100", "P -> worker-2: 100", "P -> worker-3: 100"])
    }
}

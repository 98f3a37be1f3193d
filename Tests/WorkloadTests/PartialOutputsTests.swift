import Testing
@testable import Workload

/// `Workload.splittingPartialReads()`: partial reads become Dask's multi-output
/// pattern, checked key by key, edge by edge and byte by byte on small graphs.
@Suite struct PartialOutputsTests {
    /// P (100 bytes) read five ways: a and b read part 0 (30 bytes, labelled
    /// alike, so they share a part), c reads 30 bytes without a label (a part of
    /// its own), d reads the whole output, e reads part 1 (70 bytes). x is
    /// another producer read whole by e.
    static func fan(order: Bool = false) throws -> Workload {
        var b = WorkloadBuilder(name: "fan", source: "test")
        b.add(TaskSpec(key: "P", duration: 2, outputBytes: 100, order: order ? 0 : nil), dependencies: [], origin: "P")
        b.add(TaskSpec(key: "x", duration: 1, outputBytes: 5, order: order ? 1 : nil), dependencies: [], origin: "x")
        b.add(TaskSpec(key: "a", duration: 1, dependencyBytes: [30], dependencyParts: [0], order: order ? 2 : nil),
              dependencies: ["P"], origin: "a")
        b.add(TaskSpec(key: "b", duration: 1, dependencyBytes: [30], dependencyParts: [0], order: order ? 3 : nil),
              dependencies: ["P"], origin: "b")
        b.add(TaskSpec(key: "c", duration: 1, dependencyBytes: [30], order: order ? 4 : nil), dependencies: ["P"], origin: "c")
        b.add(TaskSpec(key: "d", duration: 1, dependencyBytes: [100], order: order ? 5 : nil), dependencies: ["P"], origin: "d")
        b.add(TaskSpec(key: "e", duration: 1, dependencyBytes: [5, 70], dependencyParts: [0, 1], order: order ? 6 : nil),
              dependencies: ["x", "P"], origin: "e")
        return try b.build()
    }

    func keys(_ w: Workload, _ ids: [TaskID]) -> [String] { ids.map { w[$0].key } }

    @Test func partsAreAddedAfterTheirProducerAndConsumersReadThem() throws {
        let original = try Self.fan()
        let (w, split) = try original.splittingPartialReads()
        #expect(w.tasks.map(\.key) == ["P", "P-part-0", "P-part-1", "P-part-2", "x", "a", "b", "c", "d", "e"])
        // Parts in first-use order: a/b's labelled part, c's own part, e's part 1.
        #expect(w.tasks[1...3].map(\.outputBytes) == [30, 30, 70])
        for i in 1...3 {
            let part = w.tasks[i]
            #expect(keys(w, part.dependencies) == ["P"])
            #expect(part.duration == 0 && part.kind == .compute)
            // Dask's key_split and key_split_group of "P-part-N" (checked in Python):
            // one prefix and one group for all of P's parts, as Dask names them.
            #expect(part.prefix == "P-part" && part.group == "P-part")
            #expect(part.annotations == ["part_of": "P"])
        }
        func deps(_ key: String) -> [String] { keys(w, w[w.id(forKey: key)!].dependencies) }
        #expect(deps("a") == ["P-part-0"])
        #expect(deps("b") == ["P-part-0"])
        #expect(deps("c") == ["P-part-1"])
        #expect(deps("d") == ["P"])  // reads the whole output: no part
        #expect(deps("e") == ["x", "P-part-2"])
        // Every edge now reads its dependency whole, and the bytes read are unchanged.
        #expect(w.tasks.allSatisfy { $0.dependencyBytes == nil && $0.dependencyParts == nil })
        #expect(w[w.id(forKey: "P")!].outputBytes == 100 && w[w.id(forKey: "P")!].duration == 2)
        #expect(w.submissions[0].wanted.map { w[$0].key } == ["a", "b", "c", "d", "e"])
        var expected = PartialReadSplit()
        expected.partTasks = 3
        expected.producers = 1
        expected.redirectedEdges = 4
        expected.originalTasks = 7
        expected.originalEdges = 6
        expected.edgeBytes = 265  // 30 + 30 + 30 + 100 + 5 + 70
        expected.wholeOutputEdgeBytes = 505  // 5 × 100 + 5
        #expect(split == expected)
        // The graph's reads: Σ bytes over the new edges = the parts' reads + the producers' whole reads.
        var read: Int64 = 0
        for t in w.ids {
            for i in w[t].dependencies.indices { read += w.edgeBytes(consumer: t, dependencyIndex: i) }
        }
        #expect(read == 565)  // 3 × 100 (P to its parts) + the 265 bytes the consumers read
        // Work and critical path do not change: parts take no time.
        let before = original.graphFacts(), after = w.graphFacts()
        #expect(after.totalWork == before.totalWork && after.criticalPathLength == before.criticalPathLength)
        #expect(after.tasks == before.tasks + 3)
    }

    @Test func splittingIsIdempotentAndAGraphWithoutPartialReadsIsUnchanged() throws {
        let (w, _) = try Self.fan().splittingPartialReads()
        let (again, split) = try w.splittingPartialReads()
        #expect(again.tasks == w.tasks)
        #expect(split.partTasks == 0 && split.redirectedEdges == 0)
        #expect(!w.hasPartialReads)
        #expect(try Self.fan().hasPartialReads)
    }

    /// What the planners plan: parts folded back into the trace's edges and bytes.
    @Test func contractingPartsGivesBackTheTracesEdges() throws {
        let (w, _) = try Self.fan().splittingPartialReads()
        let (back, contracted) = try w.contractingParts()
        #expect(back.tasks.map(\.key) == ["P", "x", "a", "b", "c", "d", "e"])
        #expect(contracted == [0, 0, 0, 0, 1, 2, 3, 4, 5, 6])  // P's three parts map to P
        #expect(back.tasks.map { keys(back, $0.dependencies) } == [[], [], ["P"], ["P"], ["P"], ["P"], ["x", "P"]])
        #expect(back.tasks.map(\.dependencyBytes) == [nil, nil, [30], [30], [30], nil, [5, 70]])
        #expect(back.submissions[0].wanted.map { back[$0].key } == ["a", "b", "c", "d", "e"])
        #expect(w.producer(ofPart: TaskID(1)) == TaskID(0) && w.producer(ofPart: TaskID(0)) == nil)
    }

    @Test func staticOrdersAreRerankedWithEachPartRightAfterItsProducer() throws {
        let (w, _) = try Self.fan(order: true).splittingPartialReads()
        #expect(w.tasks.map(\.key) == ["P", "P-part-0", "P-part-1", "P-part-2", "x", "a", "b", "c", "d", "e"])
        #expect(w.tasks.map(\.order) == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    }

    @Test func tupleKeysGetTwoMoreElements() throws {
        var b = WorkloadBuilder(name: "t", source: "test")
        b.add(TaskSpec(key: "('map-ab', 3)", outputBytes: 10), dependencies: [], origin: "m")
        b.add(TaskSpec(key: "('x',)", outputBytes: 10), dependencies: [], origin: "x")
        b.add(TaskSpec(key: "r", dependencyBytes: [4, 6]), dependencies: ["('map-ab', 3)", "('x',)"], origin: "r")
        let (w, _) = try b.build().splittingPartialReads()
        #expect(w.tasks.map(\.key) == ["('map-ab', 3)", "('map-ab', 3, 'part', 0)", "('x',)", "('x', 'part', 0)", "r"])
        // A tuple producer's parts share its group and prefix, as Dask derives them
        // (key_split_group / key_split, checked in Python): group "map-ab", prefix "map".
        #expect(w.tasks[1].group == "map-ab" && w.tasks[1].prefix == "map")
        #expect(w.tasks[3].group == "x" && w.tasks[3].prefix == "x")
    }

    @Test func aPartKeyThatIsAlreadyATaskIsALocatedError() throws {
        var b = WorkloadBuilder(name: "t", source: "test")
        b.add(TaskSpec(key: "P", outputBytes: 10), dependencies: [], origin: "tasks[0]")
        b.add(TaskSpec(key: "P-part-0"), dependencies: [], origin: "tasks[1]")
        b.add(TaskSpec(key: "c", dependencyBytes: [4]), dependencies: ["P"], origin: "tasks[2]")
        #expect(throws: WorkloadValidationError.self) { try b.build().splittingPartialReads() }
        do {
            _ = try b.build().splittingPartialReads()
        } catch {
            #expect(error.issues.map(\.description) == [
                "tasks[0]: task 'P': the key 'P-part-0' for part 0 of this task's output is already a task of the trace; load it with --partial-reads whole [duplicate-key]",
            ])
        }
    }

    @Test func oneLabelWithTwoSizesIsALocatedError() throws {
        var b = WorkloadBuilder(name: "t", source: "test")
        b.add(TaskSpec(key: "P", outputBytes: 10), dependencies: [], origin: "tasks[0]")
        b.add(TaskSpec(key: "a", dependencyBytes: [4], dependencyParts: [7]), dependencies: ["P"], origin: "tasks[1]")
        b.add(TaskSpec(key: "b", dependencyBytes: [5], dependencyParts: [7]), dependencies: ["P"], origin: "tasks[2]")
        do {
            _ = try b.build().splittingPartialReads()
            Issue.record("expected an error")
        } catch {
            #expect(error.issues.map(\.description) == [
                "tasks[2]: task 'b': reads part 7 of 'P' as 5 bytes, but another task reads that part as 4 bytes [invalid-value]",
            ])
        }
    }

    @Test func edgeByteSumsThatOverflowAreALocatedError() throws {
        // 8,193 edges of 1 PiB each add up to more than Int64.max (2^63 − 1 ≈ 8,192 PiB).
        var b = WorkloadBuilder(name: "t", source: "test")
        let pib = WorkloadBuilder.maximumBytes
        b.add(TaskSpec(key: "P", outputBytes: pib), dependencies: [], origin: "tasks[0]")
        for i in 0..<8_193 {
            b.add(TaskSpec(key: "c\(i)", dependencyBytes: [pib - 1]), dependencies: ["P"], origin: "tasks[\(i + 1)]")
        }
        do {
            _ = try b.build().splittingPartialReads()
            Issue.record("expected an error")
        } catch {
            #expect(error.issues.count == 1)
            #expect(error.issues[0].key == "c8191" && error.issues[0].code == .invalidSize)
        }
    }

    @Test func partLabelsAreValidated() {
        var b = WorkloadBuilder(name: "t", source: "test")
        b.add(TaskSpec(key: "P", outputBytes: 10), dependencies: [], origin: "tasks[0]")
        b.add(TaskSpec(key: "a", dependencyBytes: [4], dependencyParts: [0, 1]), dependencies: ["P"], origin: "tasks[1]")
        b.add(TaskSpec(key: "b", dependencyBytes: [4], dependencyParts: [-1]), dependencies: ["P"], origin: "tasks[2]")
        do {
            _ = try b.build()
            Issue.record("expected an error")
        } catch {
            #expect(error.issues.map(\.description) == [
                "tasks[1]: task 'a': has 2 part labels for 1 dependencies [invalid-value]",
                "tasks[2]: task 'b': part label -1 is negative [invalid-value]",
            ])
        }
    }
}

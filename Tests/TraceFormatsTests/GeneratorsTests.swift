import Foundation
import Stochastics
import Testing
@testable import TraceFormats
import Workload

/// In-degree and out-degree histograms: a shape fingerprint that ignores key names.
private func degreeHistogram(_ w: Workload) -> [String: Int] {
    var histogram: [String: Int] = [:]
    for id in w.ids {
        histogram["in \(w[id].dependencies.count) out \(w.dependents[id.index].count)", default: 0] += 1
    }
    return histogram
}

/// The same fingerprint for the graph Dask's scheduler received in a capture.
private func captureHistogram(_ file: String) throws -> [String: Int] {
    let data = try Data(contentsOf: URL(fileURLWithPath: TraceFiles.path(file)))
    let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let graph = try #require(root["graph"] as? [[String: Any]])
    var dependents: [String: Int] = [:]
    for record in graph {
        for dep in record["dependencies"] as? [String] ?? [] { dependents[dep, default: 0] += 1 }
    }
    var histogram: [String: Int] = [:]
    for record in graph {
        let key = record["key"] as? String ?? ""
        let deps = (record["dependencies"] as? [String] ?? []).count
        histogram["in \(deps) out \(dependents[key] ?? 0)", default: 0] += 1
    }
    return histogram
}

private func generate(_ kind: String, seed: UInt64 = 7, duration: Distribution = .constant(1),
                      size: Distribution = .constant(1000), _ parameters: [(String, String)] = []) throws -> Workload {
    var request = GeneratorRequest(kind: kind, seed: seed, duration: duration, size: size)
    for (name, value) in parameters { request.parameters[name] = value }
    return try GeneratorCatalog.generate(request)
}

private func prefixCounts(_ w: Workload) -> [String: Int] {
    var counts: [String: Int] = [:]
    for spec in w.tasks { counts[spec.prefix, default: 0] += 1 }
    return counts
}

@Suite("Generators: dask-like graphs")
struct GeneratorsDaskTests {
    @Test func arraySumHasTheShapeDaskRan() throws {
        let w = try generate("array-sum")
        #expect(w.count == 150)
        #expect(w.edgeCount == 149)
        #expect(degreeHistogram(w) == (try captureHistogram("dask/array_sum.json")))
        #expect(prefixCounts(w) == ["random_sample": 64, "sum": 64, "sum-partial": 20, "sum-aggregate": 1, "finalize": 1])
        // Keys are Dask-style tuples; the group is the tuple's name, as in Dask.
        let root = w.tasks[0]
        #expect(root.key.hasPrefix("('random_sample-") && root.key.hasSuffix("', 0, 0)"))
        #expect(root.group == String(root.key.dropFirst(2).prefix { $0 != "'" }))
        // Constant durations: 149 tasks of 1 s (finalize is free); the chain is 5 tasks long.
        let facts = w.graphFacts()
        #expect(facts.totalWork == 149)
        #expect(facts.criticalPathLength == 5)
        #expect(facts.totalOutputBytes == 64 * 1000 + 86 * 8)
    }

    @Test func arrayMatmulHasTheShapeDaskRan() throws {
        let w = try generate("array-matmul")
        #expect(w.count == 769)
        #expect(w.edgeCount == 1664)
        #expect(degreeHistogram(w) == (try captureHistogram("dask/array_matmul.json")))
        #expect(prefixCounts(w) == ["random_sample": 64, "chunk_sum": 512, "chunk_sum-partial": 128,
                                    "chunk_sum-aggregate": 64, "finalize": 1])
    }

    @Test func transposeAddAndRechunk() throws {
        let t = try generate("array-transpose-add", [("blocks", "3")])
        #expect(t.count == 28)
        #expect(t.edgeCount == 9 + 18 + 9)
        let r = try generate("rechunk", size: .constant(1003), [("blocks", "4")])
        #expect(r.count == 4 + 16 + 4 + 1)
        #expect(r.edgeCount == 16 + 16 + 4)
        // Split pieces of a 1003-byte block: 251, 251, 251, 250; merges add up to the array.
        let merges = r.tasks.filter { $0.prefix == "rechunk-merge" }
        #expect(merges.map(\.outputBytes) == [1004, 1004, 1004, 1000])
        #expect(r.tasks.filter { $0.prefix == "rechunk-split" }.allSatisfy { $0.duration == 0 })
    }

    @Test func groupbyTree() throws {
        let w = try generate("groupby-tree")
        #expect(w.count == 30 + 30 + 4 + 1)
        #expect(w.edgeCount == 30 + 30 + 4)
        let final = w.tasks.last!
        #expect(final.key.hasSuffix("', 0)"))
        #expect(final.prefix == "decomposablegroupbyaggregation-tree")
        #expect(w.graphFacts().criticalPathLength == 4)
    }

    /// 16 partitions with branch 4: two rounds over 16 slots. Every output
    /// partition must depend on every input, and the bytes must be conserved.
    @Test func shuffleIsAllToAll() throws {
        let w = try generate("shuffle-tasks", size: .constant(1000), [("partitions", "16"), ("max-branch", "4")])
        #expect(w.count == 16 + 2 * (16 + 64 + 16))
        #expect(w.edgeCount == 2 * (16 + 64 + 64))
        let roots = w.ids.filter { w[$0].dependencies.isEmpty }
        let outputs = w.ids.filter { w.dependents[$0.index].isEmpty }
        #expect(roots.count == 16 && outputs.count == 16)
        for output in outputs {
            var reached = Set<TaskID>()
            var stack = [output]
            while let id = stack.popLast() {
                for dep in w[id].dependencies where reached.insert(dep).inserted { stack.append(dep) }
            }
            #expect(roots.allSatisfy { reached.contains($0) })
        }
        #expect(outputs.reduce(Int64(0)) { $0 + w[$1].outputBytes } == 16_000)
        // 20 partitions with branch 4: 3 rounds would pad to 64; 2 rounds of k = 5 pad to 25 slots.
        let padded = try generate("shuffle-tasks", [("partitions", "20"), ("max-branch", "5")])
        #expect(padded.tasks.filter { $0.prefix == "shuffle-join" }.count == 2 * 25)
    }
}

@Suite("Generators: random families and determinism")
struct GeneratorsFamilyTests {
    @Test func sameSeedSameWorkloadOtherSeedOtherDraws() throws {
        let spec = try Distribution.parse("lognormal:mean=1,cv=0.5")
        let a = try generate("layered", seed: 11, duration: spec, size: spec, [("tasks", "200")])
        let b = try generate("layered", seed: 11, duration: spec, size: spec, [("tasks", "200")])
        let c = try generate("layered", seed: 12, duration: spec, size: spec, [("tasks", "200")])
        #expect(a.tasks == b.tasks)
        #expect(a.tasks.map(\.duration) != c.tasks.map(\.duration))
        #expect(a.tasks.map(\.dependencies) != c.tasks.map(\.dependencies))
        // Changing only the size distribution leaves durations and shape alone (separate streams).
        let d = try generate("layered", seed: 11, duration: spec, size: .constant(5), [("tasks", "200")])
        #expect(d.tasks.map(\.duration) == a.tasks.map(\.duration))
        #expect(d.tasks.map(\.dependencies) == a.tasks.map(\.dependencies))
    }

    @Test func layeredEdgeProbabilityExtremes() throws {
        let full = try generate("layered", [("tasks", "12"), ("layers", "3"), ("edge-probability", "1")])
        #expect(full.edgeCount == 4 * 4 * 2)
        let sparse = try generate("layered", [("tasks", "10"), ("layers", "3"), ("edge-probability", "0")])
        #expect(sparse.edgeCount == 6)        // every task after the first layer gets one parent
        #expect(sparse.graphFacts().levelWidths == [4, 3, 3])
        let all = try generate("layered", [("tasks", "9"), ("layers", "3"), ("edge-probability", "1"), ("connect", "all")])
        #expect(all.edgeCount == 3 * 3 + 3 * 6)
    }

    @Test func forkJoinMapReduceBag() throws {
        let fj = try generate("fork-join", [("width", "3"), ("stages", "2")])
        #expect(fj.count == 9 && fj.edgeCount == 12)
        #expect(fj.graphFacts().criticalPathLength == 5)
        let mr = try generate("map-reduce", size: .constant(10), [("mappers", "3"), ("reducers", "4")])
        #expect(mr.edgeCount == 12)
        let reducers = mr.tasks.filter { $0.prefix == "reduce" }
        #expect(reducers.map { $0.dependencyBytes ?? [] } == [[3, 3, 3], [3, 3, 3], [2, 2, 2], [2, 2, 2]])
        let bag = try generate("bag", [("partitions", "5"), ("steps", "2")])
        #expect(bag.count == 15 && bag.edgeCount == 10)
        #expect(bag.graphFacts().criticalPathLength == 3)
    }

    @Test func esteeElementaryShapes() throws {
        let mib: Int64 = 1 << 20
        let triplets = try generate("elementary", [("graph", "triplets"), ("count", "2")])
        #expect(triplets.count == 6 && triplets.edgeCount == 4)
        #expect(triplets.tasks.map(\.prefix) == ["a", "b", "c", "a", "b", "c"])
        #expect(triplets.tasks[0].outputBytes == 40 * mib)
        #expect(triplets.tasks[1].annotations["cpus"] == "4")
        let fork2 = try generate("elementary", [("graph", "fork2"), ("count", "1")])
        #expect(fork2.tasks[0].outputBytes == 200 * mib)
        #expect(fork2.tasks[1].dependencyBytes == [100 * mib])
        #expect(fork2.tasks[2].dependencyBytes == [100 * mib])
        let conflux = try generate("elementary", [("graph", "conflux"), ("count", "3")])
        #expect(conflux.count == 15 && conflux.edgeCount == 14)
        let splitters = try generate("elementary", [("graph", "splitters"), ("count", "3")])
        #expect(splitters.count == 15 && splitters.edgeCount == 14)
        let grid = try generate("elementary", [("graph", "grid"), ("count", "3")])
        #expect(grid.count == 9 && grid.edgeCount == 12)
        let stairs = try generate("elementary", [("graph", "size_stairs"), ("count", "4")])
        #expect(stairs.tasks.dropFirst().map { $0.dependencyBytes ?? [] } == [[0], [mib], [2 * mib], [3 * mib]])
        #expect(stairs.graphFacts().totalWork == 80.1)
        let plain = try generate("elementary", [("graph", "plain1n")])
        #expect(plain.count == 380 && plain.edgeCount == 0)
    }

    @Test func esteeIrwShapes() throws {
        let crossv = try generate("irw", [("graph", "crossv"), ("count", "1")])
        #expect(crossv.count == 1 + 5 + 5 + 5 + 1)
        // A merge reads 4 of the generator's 5 chunk objects: one edge carrying 4 × 320 MiB.
        #expect(crossv.edgeCount == 5 + 5 + 10 + 5)
        #expect(crossv.tasks[1].dependencyBytes == [4 * 320 * (1 << 20)])
        let mapreduce = try generate("irw", [("graph", "mapreduce"), ("count", "3")])
        #expect(mapreduce.count == 7 && mapreduce.edgeCount == 3 + 9)
        #expect(mapreduce.tasks[0].outputBytes == Int64(3 * 2.5 * 1024 * 1024 * 1024))
        let gridcat = try generate("irw", [("graph", "gridcat"), ("count", "4")])
        #expect(gridcat.count == 4 + 6 * 2 + 1)
        let crossvx = try generate("irw", [("graph", "crossvx"), ("count", "1"), ("outer", "2")])
        #expect(crossvx.count == 34)
        let nested = try generate("irw", [("graph", "nestedcrossv"), ("count", "1")])
        #expect(nested.count == 1 + 5 * (4 + 8 + 1 + 1 + 3))
    }

    @Test func badRequestsNameTheProblem() {
        func message(_ body: () throws -> Workload) -> String {
            do { _ = try body() } catch { return "\(error)" }
            return "no error"
        }
        #expect(message { try generate("nope") }.contains("unknown generator 'nope'; known: array-sum"))
        #expect(message { try generate("array-sum", [("blcks", "3")]) } ==
                "array-sum: unknown parameter 'blcks'; it takes blocks, rows, columns, split-every")
        #expect(message { try generate("array-sum", [("split-every", "1")]) } ==
                "array-sum: parameter split-every=1 must be an integer in 2...1000000")
        #expect(message { try generate("layered", [("edge-probability", "nan")]) }.contains("must be a number in 0.0...1.0"))
        #expect(message { try generate("elementary", [("graph", "merge_triplets"), ("count", "4")]) }.contains("divisible by 3"))
        #expect(message { try generate("elementary", [("graph", "bogus")]) }.contains("must be one of plain1n"))
        #expect(message { try generate("bag", [("partitions", "20000000"), ("steps", "5")]) }.contains("more than the limit"))
        #expect(message { try generate("layered", [("tasks", "1000000"), ("layers", "2")]) }.contains("candidate edges"))
    }
}

@Suite("Generators: keys")
struct GeneratorsKeyTests {
    /// The shortcut the assembler takes for tuple keys gives Dask's answers.
    @Test func prefixAndGroupMatchKeyNames() throws {
        for kind in GeneratorCatalog.kinds {
            let w = try GeneratorCatalog.generate(GeneratorRequest(kind: kind, seed: 5))
            for spec in w.tasks where spec.key.hasPrefix("('") && spec.annotations["estee.name"] == nil {
                #expect(spec.group == KeyNames.keySplitGroup(spec.key), "\(kind): \(spec.key)")
                if spec.prefix != "finalize" {
                    #expect(spec.prefix == KeyNames.keySplit(spec.key), "\(kind): \(spec.key)")
                }
            }
        }
        #expect(GraphAssembler.tupleName("('sum-ab12', 0, 1)") == "sum-ab12")
        #expect(GraphAssembler.tupleName("finalize-ab") == nil)
    }
}

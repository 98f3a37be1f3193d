import Testing
@testable import Workload

/// Shapes and assertions of dask 2026.8.0's `dask/tests/test_order.py`, on
/// schedsim's port of `dask.order.order`. Each keeps Dask's test name, its
/// graph (in Dask's dict order) and its assertions; those that use Dask's
/// `abcde` fixture run with both letter orders. Exact equality with Dask's own
/// code on hundreds of graphs is checked by the bridge's `test_order.py`.
@Suite struct DaskOrderTests {
    typealias K = OrderCase

    @Test(arguments: letterOrders) func orderingKeepsGroupsTogether(_ l: [String]) throws {
        let (a, b) = (l[0], l[1])
        var g = OrderCase()
        for i in 0..<4 { g.task(K.key(a, i)) }
        g.task(K.key(b, 0), K.key(a, 0), K.key(a, 1))
        g.task(K.key(b, 1), K.key(a, 2), K.key(a, 3))
        var o = try g.order()
        #expect(abs(o[K.key(a, 0)]! - o[K.key(a, 1)]!) == 1)
        #expect(abs(o[K.key(a, 2)]! - o[K.key(a, 3)]!) == 1)

        var h = OrderCase()
        for i in 0..<4 { h.task(K.key(a, i)) }
        h.task(K.key(b, 0), K.key(a, 0), K.key(a, 2))
        h.task(K.key(b, 1), K.key(a, 1), K.key(a, 3))
        o = try h.order()
        #expect(abs(o[K.key(a, 0)]! - o[K.key(a, 2)]!) == 1)
        #expect(abs(o[K.key(a, 1)]! - o[K.key(a, 3)]!) == 1)
    }

    @Test(arguments: letterOrders) func avoidBrokerNodes(_ l: [String]) throws {
        let (a, b) = (l[0], l[1])
        var g = OrderCase()
        g.task(K.key(a, 0)); g.task(K.key(a, 1))
        g.task(K.key(b, 0), K.key(a, 0)); g.task(K.key(b, 1), K.key(a, 1)); g.task(K.key(b, 2), K.key(a, 1))
        let o = try g.order()
        #expect(o[K.key(a, 1)]! < o[K.key(b, 0)]! || (o[K.key(b, 1)]! < o[K.key(a, 0)]! && o[K.key(b, 2)]! < o[K.key(a, 0)]!))
    }

    /// With `c` a literal (a data root read by four tasks, which Dask takes out of the graph) and as a task.
    @Test(arguments: letterOrders, [true, false]) func baseOfReducePreferred(_ l: [String], dataRoot: Bool) throws {
        let (a, b, c) = (l[0], l[1], l[2])
        var g = OrderCase()
        for i in 1...3 { g.task(K.key(a, i), K.key(a, i - 1), K.key(b, i)) }
        g.task(K.key(a, 0), K.key(b, 0))
        for i in 0...3 { g.task(K.key(b, i), c) }
        if dataRoot { g.data(c) } else { g.task(c) }
        let o = try g.order()
        #expect(o[K.key(b, 0)]! <= 1)
        #expect(o[K.key(b, 1)]! <= 3)
    }

    @Test(arguments: letterOrders) func avoidUpwardsBranching(_ l: [String]) throws {
        let (a, b, c, d) = (l[0], l[1], l[2], l[3])
        var g = OrderCase()
        g.task(K.key(a, 1), K.key(a, 2)); g.task(K.key(a, 2), K.key(a, 3)); g.task(K.key(a, 3), K.key(b, 1), K.key(c, 1))
        g.task(K.key(b, 1), K.key(b, 2)); g.task(K.key(c, 1), K.key(c, 2)); g.task(K.key(c, 2), K.key(c, 3))
        g.task(K.key(d, 1), K.key(c, 1)); g.data(K.key(c, 3)); g.data(K.key(b, 2))
        let o = try g.order()
        #expect(o[K.key(d, 1)]! < o[K.key(b, 1)]!)
    }

    @Test(arguments: letterOrders) func avoidUpwardsBranchingComplex(_ l: [String]) throws {
        let (a, b, c, d, e) = (l[0], l[1], l[2], l[3], l[4])
        var g = OrderCase()
        g.task(K.key(a, 1), K.key(a, 2)); g.task(K.key(a, 2), K.key(a, 3)); g.task(K.key(a, 3), K.key(b, 1), K.key(c, 1))
        g.task(K.key(b, 1), K.key(b, 2)); g.task(K.key(b, 2))
        g.task(K.key(c, 1), K.key(c, 2)); g.task(K.key(c, 2), K.key(c, 3)); g.task(K.key(c, 3))
        g.task(K.key(d, 1), K.key(c, 1)); g.task(K.key(d, 2), K.key(d, 1)); g.task(K.key(d, 3), K.key(d, 1))
        g.task(K.key(e, 1), K.key(b, 1)); g.task(K.key(e, 2), K.key(e, 1))
        let o = try g.order()
        #expect(o[K.key(c, 1)]! < o[K.key(b, 1)]!)
        #expect(abs(o[K.key(d, 2)]! - o[K.key(d, 3)]!) == 1)
    }

    @Test(arguments: letterOrders) func deepBasesWinOverDependents(_ l: [String]) throws {
        let (a, b, c, d, e) = (l[0], l[1], l[2], l[3], l[4])
        var g = OrderCase()
        g.task(a, b, c, d); g.task(b, d, e); g.task(c, d); g.task(d); g.task(e)
        let o = try g.order()
        #expect(o[b]! < o[c]!)
    }

    @Test(arguments: letterOrders) func preferDeep(_ l: [String]) throws {
        let (a, b, c, d, e) = (l[0], l[1], l[2], l[3], l[4])
        var g = OrderCase()
        g.data(a); g.task(b, a); g.task(c, b); g.data(d); g.task(e, d)
        let o = try g.order()
        #expect(o[a]! < o[d]!)
        #expect(o[b]! < o[d]!)
    }

    /// Dask's `test_stacklimit` (a 10,000-task chain reading an external key), ordered whole.
    @Test func stackLimit() throws {
        var b = WorkloadBuilder(name: "chain", source: "test")
        b.add(TaskSpec(key: "x0", duration: 1, outputBytes: 1, submission: 0), dependencies: [], origin: "0")
        for i in 1...10_000 {
            b.add(TaskSpec(key: "x\(i)", duration: 1, outputBytes: 1, submission: 1), dependencies: ["x\(i - 1)"], origin: "\(i)")
        }
        b.addSubmission(client: "c", time: 0, wanted: nil, origin: "s0")
        b.addSubmission(client: "c", time: 1, wanted: nil, origin: "s1")
        let w = try b.build()
        let o = w.staticOrder()
        // x0 is its own update-graph; the chain x1 … x10000 (x0 external to it) runs in order.
        #expect(o[0] == 0)
        #expect(Array(o[1...]) == Array(0..<10_000))
    }

    @Test func breakTiesByStr() throws {
        var g = OrderCase()
        let xs = (0..<10).map { K.key("x", $0) }
        for x in xs { g.task(x) }
        var y = OrderCase()
        y = g
        y.entries.append(("y", xs, false))
        let o = try y.order()
        var expected: [String: Int] = ["y": 10]
        for (i, k) in xs.reversed().enumerated() { expected[k] = i }
        #expect(o == expected)
    }

    /// `sort_key` ends with `str(key)`: tuple keys compare as their text, so `('x', 10)` sorts before `('x', 9)`.
    @Test func tiesBreakOnTheKeyTextNotOnTupleParts() throws {
        var g = OrderCase()
        let xs = [K.key("x", 9), K.key("x", 10)]
        for x in xs { g.task(x) }
        g.entries.append(("y", xs, false))
        let o = try g.order()
        // As in breakTiesByStr the larger key runs first: "('x', 9)" > "('x', 10)" as text.
        #expect(o == [K.key("x", 9): 0, K.key("x", 10): 1, "y": 2])
    }

    @Test(arguments: letterOrders) func favorLongestCriticalPath(_ l: [String]) throws {
        let (a, b, c, d, e) = (l[0], l[1], l[2], l[3], l[4])
        var g = OrderCase()
        g.task(c); g.task(d, c); g.task(e, c); g.task(b, c); g.task(a, b)
        let o = try g.order()
        #expect(o[d]! > o[b]!)
        #expect(o[e]! > o[b]!)
    }

    @Test(arguments: letterOrders) func runSmallerSections(_ l: [String]) throws {
        let (a, b, c, d, e) = (l[0], l[1], l[2], l[3], l[4])
        let (aa, bb, cc, dd) = (a + a, b + b, c + c, d + d)
        var g = OrderCase()
        g.task(a); g.task(c); g.task(e); g.task(cc)
        g.task(b, a, c); g.task(d, c, e); g.task(bb, cc); g.task(aa, d, bb); g.task(dd, cc)
        let o = try g.order()
        #expect(g.pressure(o).max() == 3)
    }

    @Test(arguments: letterOrders) func localParentsOfReduction(_ l: [String]) throws {
        let (a, b, c) = (l[0], l[1], l[2])
        let (a1, a2, a3) = (a + "1", a + "2", a + "3")
        let (b1, b2, b3) = (b + "1", b + "2", b + "3")
        let (c1, c2, c3) = (c + "1", c + "2", c + "3")
        var g = OrderCase()
        g.task(a3); g.task(a2, a3); g.task(a1, a2)
        g.task(b3); g.task(b2, b3, a2); g.task(b1, b2)
        g.task(c3); g.task(c2, c3, b2); g.task(c1, c2)
        let o = try g.order()
        // Dask runs the graph with its sequential scheduler and checks the execution log.
        let ran = o.sorted { $0.value < $1.value }.map(\.key)
        #expect(ran == [a3, a2, a1, b3, b2, b1, c3, c2, c1])
    }

    @Test(arguments: letterOrders) func nearestNeighbor(_ l: [String]) throws {
        let (a, b) = (l[0], l[1])
        let ai = (1...9).map { a + "\($0)" }, bi = (1...4).map { b + "\($0)" }
        var g = OrderCase()
        for x in bi { g.task(x) }
        g.task(ai[0], bi[0]); g.task(ai[1], bi[0]); g.task(ai[2], bi[0], bi[1]); g.task(ai[3], bi[1])
        g.task(ai[4], bi[1], bi[2]); g.task(ai[5], bi[2]); g.task(ai[6], bi[2], bi[3]); g.task(ai[7], bi[3]); g.task(ai[8], bi[3])
        let o = try g.order()
        let half = Double(o.count) / 2
        let earlyA = ai.filter { Double(o[$0]!) < half }.count
        let earlyB = bi.filter { Double(o[$0]!) < half }.count
        #expect(3 < earlyA && earlyA < 7)
        #expect(1 < earlyB && earlyB < 4)
    }

    @Test func stringOrdering() throws {
        var g = OrderCase()
        g.task(K.key("a", 1)); g.task(K.key("a", 2)); g.task(K.key("a", 3))
        let o = try g.order()
        let up = [K.key("a", 1): 0, K.key("a", 2): 1, K.key("a", 3): 2]
        let down = [K.key("a", 1): 2, K.key("a", 2): 1, K.key("a", 3): 0]
        #expect(o == up || o == down)
    }

    @Test(arguments: letterOrders) func preferShortNarrow(_ l: [String]) throws {
        let (a, b, c) = (l[0], l[1], l[2])
        var g = OrderCase()
        g.data(K.key(a, 0)); g.data(K.key(b, 0)); g.data(K.key(c, 0))
        g.task(K.key(c, 1), K.key(c, 0), K.key(a, 0), K.key(b, 0))
        g.data(K.key(a, 1)); g.data(K.key(b, 1))
        g.task(K.key(c, 2), K.key(c, 1), K.key(a, 1), K.key(b, 1))
        let o = try g.order()
        #expect(o[K.key(b, 0)]! < o[K.key(b, 1)]!)
        #expect(o[K.key(b, 0)]! < o[K.key(c, 2)]!)
        #expect(o[K.key(c, 1)]! < o[K.key(c, 2)]!)
    }

    /// The common ancestor `ab` is a literal read by four tasks: Dask takes it out of the graph.
    @Test(arguments: letterOrders) func preferShortAncestor(_ l: [String]) throws {
        let (a, b, c) = (l[0], l[1], l[2])
        let ab = a + b
        var g = OrderCase()
        g.data(ab)
        g.task(K.key(a, 0), ab); g.task(K.key(b, 0), ab); g.data(K.key(c, 0))
        g.task(K.key(c, 1), K.key(c, 0), K.key(a, 0), K.key(b, 0))
        g.task(K.key(a, 1), ab); g.task(K.key(b, 1), ab)
        g.task(K.key(c, 2), K.key(c, 1), K.key(a, 1), K.key(b, 1))
        let o = try g.order()
        #expect(o[K.key(a, 0)]! < o[K.key(a, 1)]!)
        #expect(o[K.key(b, 0)]! < o[K.key(b, 1)]!)
        #expect(o[K.key(b, 0)]! < o[K.key(c, 2)]!)
        #expect(o[K.key(c, 1)]! < o[K.key(c, 2)]!)
        #expect(o[K.key(c, 1)]! < o[K.key(a, 1)]!)
    }

    @Test(arguments: letterOrders) func mapOverlap(_ l: [String]) throws {
        let (b, c, d, e) = (l[1], l[2], l[3], l[4])
        var g = OrderCase()
        g.task(K.key(e, 1)); g.task(K.key(d, 1), K.key(e, 1)); g.task(K.key(c, 1), K.key(d, 1)); g.task(K.key(b, 1), K.key(c, 1), K.key(c, 2))
        g.task(K.key(d, 2)); g.task(K.key(c, 2), K.key(d, 1), K.key(d, 2), K.key(d, 3))
        g.task(K.key(e, 3)); g.task(K.key(d, 3), K.key(e, 3)); g.task(K.key(c, 3), K.key(d, 3)); g.task(K.key(b, 3), K.key(c, 2), K.key(c, 3), K.key(c, 4))
        g.task(K.key(d, 4)); g.task(K.key(c, 4), K.key(d, 3), K.key(d, 4), K.key(d, 5))
        g.task(K.key(e, 5)); g.task(K.key(d, 5), K.key(e, 5)); g.task(K.key(c, 5), K.key(d, 5)); g.task(K.key(b, 5), K.key(c, 4), K.key(c, 5))
        let o = try g.order()
        #expect(o[K.key(b, 1)]! < o[K.key(e, 5)]! || o[K.key(b, 5)]! < o[K.key(e, 1)]!)
    }

    @Test(arguments: letterOrders) func useStructureNotKeys(_ l: [String]) throws {
        let (a, b) = (l[0], l[1])
        var g = OrderCase()
        for i in 0..<10 { g.task(K.key(a, i)) }
        let reads: [(Int, [Int])] = [(5, [2]), (7, [0, 2]), (9, [7, 0, 2]), (1, [4, 7, 0]), (2, [9, 4, 7]), (4, [6, 9, 4]),
                                     (3, [5, 6, 9]), (8, [1, 5, 6]), (6, [8, 1, 5]), (0, [3, 8, 1])]
        for (i, deps) in reads { g.entries.append((K.key(b, i), deps.map { K.key(a, $0) }, false)) }
        let o = try g.order()
        #expect(g.pressure(o).max() == 3)
        let As = (0..<10).map { o[K.key(a, $0)]! }.sorted(), Bs = (0..<10).map { o[K.key(b, $0)]! }.sorted()
        #expect([1, 3].contains(Bs[0]))
        if Bs[0] == 3 {
            #expect(As == [0, 1, 2, 4, 6, 8, 10, 12, 14, 16])
            #expect(Bs == [3, 5, 7, 9, 11, 13, 15, 17, 18, 19])
        } else {
            #expect(As == [0, 2, 4, 6, 8, 10, 12, 14, 16, 18])
            #expect(Bs == [1, 3, 5, 7, 9, 11, 13, 15, 17, 19])
        }
    }

    @Test(arguments: letterOrders) func dontRunAllDependentsTooEarly(_ l: [String]) throws {
        let (a, b, c, d) = (l[0], l[1], l[2], l[3])
        var g = OrderCase()
        g.task(K.key(a, 0)); g.task(K.key(b, 0)); g.task(K.key(c, 0)); g.task(K.key(d, 0), K.key(a, 0), K.key(b, 0), K.key(c, 0))
        for i in 1..<10 {
            g.task(K.key(b, i), K.key(b, 0)); g.task(K.key(c, i), K.key(c, 0)); g.task(K.key(d, i), K.key(d, i - 1), K.key(b, i), K.key(c, i))
        }
        let o = try g.order()
        #expect((0..<10).map { o[K.key(d, $0)]! }.sorted() == [3, 6, 9, 12, 15, 18, 21, 24, 27, 30])
    }

    @Test(arguments: letterOrders) func manyBranchesUseNdependencies(_ l: [String]) throws {
        let (a, b, c, d, e) = (l[0], l[1], l[2], l[3], l[4])
        let (dd, ee) = (d + d, e + e)
        var g = OrderCase()
        g.data(K.key(a, 0)); g.task(K.key(a, 1), K.key(a, 0)); g.task(K.key(a, 2), K.key(a, 1))
        g.task(K.key(b, 1), K.key(a, 0)); g.task(K.key(b, 2), K.key(b, 1)); g.task(K.key(c, 1), K.key(a, 0))
        g.task(K.key(d, 1), K.key(a, 0)); g.task(K.key(d, 2), K.key(d, 1))
        g.task(K.key(dd, 1), K.key(a, 0)); g.task(K.key(dd, 2), K.key(dd, 1)); g.task(K.key(dd, 3), K.key(d, 2), K.key(dd, 2))
        g.task(K.key(e, 1), K.key(a, 0)); g.task(K.key(e, 2), K.key(e, 1))
        g.task(K.key(ee, 1), K.key(a, 0)); g.task(K.key(ee, 2), K.key(ee, 1)); g.task(K.key(ee, 3), K.key(e, 2), K.key(ee, 2))
        g.task(K.key(a, 3), K.key(a, 2), K.key(b, 2), K.key(c, 1), K.key(dd, 3), K.key(ee, 3))
        let o = try g.order()
        let des = [d, dd, e, ee].flatMap { n in (1...3).map { K.key(n, $0) } }.compactMap { o[$0] }.sorted()
        #expect(des == Array(1...10))
        #expect(o[K.key(c, 1)]! == o[K.key(a, 3)]! - 1)
    }

    @Test func terminalNodeBacktrack() throws {
        var g = OrderCase()
        g.data(K.key("a", 0)); g.data(K.key("a", 1)); g.data(K.key("a", 2))
        g.task(K.key("b", 0), K.key("a", 0), K.key("a", 1)); g.task(K.key("b", 1), K.key("a", 1), K.key("a", 2))
        g.task(K.key("store", 0, 0), K.key("b", 0)); g.task(K.key("store", 1, 0), K.key("b", 1))
        g.data(K.key("a", 3)); g.data(K.key("a", 4)); g.data(K.key("a", 5))
        g.task(K.key("b", 2), K.key("a", 3), K.key("a", 4)); g.task(K.key("b", 3), K.key("a", 4), K.key("a", 5))
        g.task(K.key("store", 0, 1), K.key("b", 2)); g.task(K.key("store", 1, 1), K.key("b", 3))
        g.task("store", K.key("store", 0, 0), K.key("store", 1, 0), K.key("store", 0, 1), K.key("store", 1, 1))
        let o = try g.order()
        #expect(o[K.key("a", 2)]! < o[K.key("a", 3)]!)
    }

    /// `test_handle_out_of_graph_dependencies`: a key from an earlier update-graph is not numbered.
    @Test func outOfGraphDependenciesAreNotNumbered() throws {
        var b = WorkloadBuilder(name: "external", source: "test")
        b.add(TaskSpec(key: "a", duration: 1, outputBytes: 1, submission: 0), dependencies: [], origin: "0")
        b.add(TaskSpec(key: "b", duration: 1, outputBytes: 1, submission: 1), dependencies: ["a"], origin: "1")
        b.add(TaskSpec(key: "c", duration: 1, outputBytes: 1, submission: 1), dependencies: ["b"], origin: "2")
        b.addSubmission(client: "c", time: 0, wanted: nil, origin: "s0")
        b.addSubmission(client: "c", time: 1, wanted: nil, origin: "s1")
        #expect(try b.build().staticOrder() == [0, 0, 1])
    }

    /// The docstring example of `dask.order.order`.
    @Test func docstringExample() throws {
        var g = OrderCase()
        g.data("a"); g.data("b"); g.task("c", "a"); g.task("d", "b", "c")
        #expect(try g.order() == ["a": 0, "c": 1, "b": 2, "d": 3])
    }
}

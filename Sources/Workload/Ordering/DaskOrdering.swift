#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// One run of `dask.order.order` (dask 2026.8.0) on one `update-graph`'s graph.
///
/// A port of the algorithm, not of the code: the same normalisation (pure-data
/// roots with several dependents leave the graph and are numbered just before
/// the first task that reads them), the same per-node facts (`sort_key`:
/// total dependencies, dependencies, connected roots, −max dependents, the key
/// string), the same critical-path walk from a target leaf, the same
/// `process_runnables` that runs cheap branches eagerly or parks them at their
/// reducer, and the same leaf-degree bookkeeping that picks the next target.
/// Comments name the Python variable each field stands for.
///
/// Where Dask iterates a Python set its order follows `hash()`, which Python
/// randomises per process; here the stand-in documented in `OrderGraph`
/// (dependencies in listed order, dependents in id order, the earliest data
/// root popped first) makes the result a function of the trace alone.
final class DaskOrdering {
    let graph: ReducedOrderGraph
    let keys: KeyTable
    let isExternal: [Bool]

    // Per-node facts fixed before ordering.
    let totals: DependencyTotals              // total_dependencies
    let rootsConnected: ConnectedSets          // roots_connected, max_dependents
    let leafsConnected: ConnectedSets          // leafs_connected
    /// Pure-data roots each node needs first, earliest first (requires_data_task).
    let requiresData: [[Int32]]
    var requiresDataNext: [Int32]

    // State of the walk.
    var numNeeded: [Int32]                     // num_needed
    var result: [Int32]                        // result (-1: not yet)
    var resultCount = 0                        // len(result)
    let expectedCount: Int                     // expected_len
    var i: Int32 = 0
    var isRoot: [Bool]                         // root_nodes
    var isLeaf: [Bool]                         // leaf_nodes
    var runnableHull: [Bool]                   // runnable_hull
    var reachableHull: SparseNodeSet           // reachable_hull
    var runnable: [Int32] = []                 // runnable
    var knownRunnablePaths: [Int32: [[Int32]]] = [:]  // known_runnable_paths
    var criticalPath: [Int32] = []             // critical_path
    var leafDegree: [Int32]                    // leafs_degree (-1: none)
    var leafsPerDegree: DegreeBuckets          // leafs_per_degree
    var minLeafDegree: Int                     // min_leaf_degree
    let maxLeafDegree: Int                     // max_leaf_degree
    var leafNodesSorted: [Int32] = []          // leaf_nodes_sorted

    init(graph original: OrderGraph, keys: [String]) {
        let n = original.nodeCount
        self.keys = KeyTable(keys)
        isExternal = (0..<n).map { $0 >= original.taskCount }
        expectedCount = n
        // Normalisation: a pure-data root read by more than one task leaves the
        // graph; each reader numbers it just before itself. (Dask also drops
        // non-task leaves with several dependencies — aliases; pure data here
        // never has dependencies, so that case cannot arise.)
        var removed = [Bool](repeating: false, count: n)
        var requires = [[Int32]](repeating: [], count: n)
        for v in 0..<n {
            let deps = Int(original.depStart[v + 1] - original.depStart[v])
            let readers = Int(original.dependentStart[v + 1] - original.dependentStart[v])
            guard deps == 0, readers > 1, original.isData[v] else { continue }
            removed[v] = true
            for e in Int(original.dependentStart[v])..<Int(original.dependentStart[v + 1]) {
                requires[Int(original.dependents[e])].append(Int32(v))
            }
        }
        requiresData = requires
        requiresDataNext = [Int32](repeating: 0, count: n)
        let g = ReducedOrderGraph(original, removed: removed)
        graph = g
        let topo = g.topologicalOrder() ?? []
        var totals = DependencyTotals(count: n)
        for v32 in topo {
            let v = Int(v32)
            if g.dependencyCount(v) == 0 { totals.setOne(v) } else { totals.setOnePlusSum(v, of: g.dependencies(of: v).lazy.map { Int($0) }) }
        }
        self.totals = totals
        let noMembers = [Bool](repeating: false, count: n)
        let isRootNode = (0..<n).map { g.present[$0] && g.dependencyCount($0) == 0 }
        rootsConnected = ConnectedSets(graph: g, order: topo, forward: true, keepMembers: noMembers)
        leafsConnected = ConnectedSets(graph: g, order: topo, forward: false, keepMembers: isRootNode)
        numNeeded = (0..<n).map { Int32(g.dependencyCount($0)) }
        result = [Int32](repeating: -1, count: n)
        for v in 0..<n where removed[v] { result[v] = -1 }
        isRoot = isRootNode
        isLeaf = (0..<n).map { g.present[$0] && g.dependentCount($0) == 0 }
        runnableHull = [Bool](repeating: false, count: n)
        reachableHull = SparseNodeSet(capacity: n)
        leafDegree = [Int32](repeating: -1, count: n)
        // len(dsk) after the normalisation: both the start of min_leaf_degree and
        // (a quirk kept as is) max_leaf_degree, which no leaf degree reaches.
        let reducedCount = g.presentCount
        leafsPerDegree = DegreeBuckets(nodeCount: n, maxDegree: reducedCount)
        var minDegree = reducedCount
        for v in 0..<n where isLeaf[v] && !isRoot[v] {
            let degree = rootsConnected.count(v)
            minDegree = min(minDegree, degree)
            leafDegree[v] = Int32(degree)
            leafsPerDegree.insert(Int32(v), degree: degree)
        }
        minLeafDegree = minDegree
        maxLeafDegree = reducedCount
        self.cycleFree = topo.count == g.presentCount
    }

    /// Whether the graph had no cycle (the caller reports one otherwise, as Dask raises).
    let cycleFree: Bool

    // MARK: sort_key

    /// `sort_key(a) < sort_key(b)`: (total_dependencies, len(dependencies),
    /// len(roots_connected), -max_dependents, str(key)); strings by code point.
    @inline(__always) func sortsBefore(_ a: Int32, _ b: Int32) -> Bool {
        let x = Int(a), y = Int(b)
        if !totals.equal(x, y) { return totals.less(x, y) }
        let dx = graph.dependencyCount(x), dy = graph.dependencyCount(y)
        if dx != dy { return dx < dy }
        let rx = rootsConnected.count(x), ry = rootsConnected.count(y)
        if rx != ry { return rx < ry }
        let mx = rootsConnected.maxDependents[x], my = rootsConnected.maxDependents[y]
        if mx != my { return mx > my }
        return keys.precedes(x, y)
    }

    func sortedByKey<S: Sequence>(_ nodes: S) -> [Int32] where S.Element == Int32 {
        nodes.sorted(by: sortsBefore)
    }

    @inline(__always) func inResult(_ v: Int32) -> Bool { result[Int(v)] >= 0 }

    // MARK: add_to_result

    func addToResult(_ first: Int32) {
        var nextItems: [Int32] = [first]
        while let item = nextItems.popLast() {
            let v = Int(item)
            runnableHull[v] = false
            reachableHull.remove(item)
            isLeaf[v] = false
            if result[v] >= 0 { continue }
            while Int(requiresDataNext[v]) < requiresData[v].count {
                let data = requiresData[v][Int(requiresDataNext[v])]
                requiresDataNext[v] += 1
                addToResult(data)
            }
            result[v] = i
            resultCount += 1
            if !isExternal[v] { i += 1 }
            if isRoot[v] { loadRoot(v) }
            let readers = graph.dependents(of: v)
            for dep in readers {
                let d = Int(dep)
                numNeeded[d] -= 1
                reachableHull.insert(dep)
                if numNeeded[d] == 0 {
                    if readers.count == 1 { nextItems.append(dep) } else { runnable.append(dep) }
                }
            }
        }
    }

    /// A root entered the result: every leaf it leads to needs one root fewer.
    private func loadRoot(_ v: Int) {
        leafsConnected.forEachMember(v) { leaf in
            let l = Int(leaf)
            guard isLeaf[l] else { return }
            let degree = Int(leafDegree[l])
            guard degree >= 0 else { return }
            leafsPerDegree.remove(leaf, degree: degree)
            leafDegree[l] = -1
            let newDegree = degree - 1
            if newDegree > 0 {
                if newDegree < minLeafDegree { minLeafDegree = newDegree }
                leafsPerDegree.insert(leaf, degree: newDegree)
                leafDegree[l] = Int32(newDegree)
            } else if leafsPerDegree.isEmpty(degree) {
                while minLeafDegree != maxLeafDegree && leafsPerDegree.isEmpty(minLeafDegree) {
                    minLeafDegree += 1
                }
            }
        }
    }

    // MARK: get_target, use_longest_path

    func target() -> Int32? {
        let allLeafsAccessible = minLeafDegree == maxLeafDegree
        if !reachableHull.isEmpty && !allLeafsAccessible {
            let bucket = leafsPerDegree.members(minLeafDegree)
            var best: Int32? = nil
            // reachable_hull & leafs_per_degree[min_leaf_degree], walking the smaller side.
            if reachableHull.count < bucket.count {
                for v in reachableHull.members where leafDegree[Int(v)] == Int32(minLeafDegree) {
                    if best.map({ sortsBefore(v, $0) }) ?? true { best = v }
                }
            } else {
                for v in bucket where reachableHull.contains(v) {
                    if best.map({ sortsBefore(v, $0) }) ?? true { best = v }
                }
            }
            if best == nil {
                for v in bucket where best.map({ sortsBefore(v, $0) }) ?? true { best = v }
            }
            if let best { return best }
        }
        return leafNodesSorted.popLast()
    }

    /// Dask's choice between a "longest path first" and a "quickest path first" target order.
    func useLongestPath() -> Bool {
        let roots = (0..<graph.nodeCount).filter { isRoot[$0] }
        let leafCount = (0..<graph.nodeCount).reduce(0) { $0 + (isLeaf[$1] ? 1 : 0) }
        guard !roots.isEmpty else { return true }
        if Double(abs(roots.count - leafCount)) / Double(roots.count) < 0.8 {
            // Python's `if not size` skips roots connected to no leaf until a size is set.
            var size = 0
            for r in roots {
                let c = leafsConnected.count(r)
                if size == 0 { size = c } else if size != c { return false }
            }
        }
        return true
    }
}

/// A set of node ids with O(1) insert, remove and membership, iterable in insertion-then-swap order
/// (only ever used where Dask's result does not depend on the order: intersections and minima).
struct SparseNodeSet {
    private(set) var members: [Int32] = []
    private var position: [Int32]

    init(capacity: Int) { position = [Int32](repeating: -1, count: capacity) }

    var isEmpty: Bool { members.isEmpty }
    var count: Int { members.count }
    @inline(__always) func contains(_ v: Int32) -> Bool { position[Int(v)] >= 0 }

    @inline(__always) mutating func insert(_ v: Int32) {
        guard position[Int(v)] < 0 else { return }
        position[Int(v)] = Int32(members.count)
        members.append(v)
    }

    @inline(__always) mutating func remove(_ v: Int32) {
        let p = Int(position[Int(v)])
        guard p >= 0 else { return }
        let last = members.removeLast()
        if p < members.count {
            members[p] = last
            position[Int(last)] = Int32(p)
        }
        position[Int(v)] = -1
    }
}

/// `leafs_per_degree`: the leaves grouped by how many of their roots are still to be loaded.
struct DegreeBuckets {
    private var buckets: [[Int32]]
    private var position: [Int32]

    init(nodeCount: Int, maxDegree: Int) {
        buckets = [[Int32]](repeating: [], count: maxDegree + 1)
        position = [Int32](repeating: -1, count: nodeCount)
    }

    func members(_ degree: Int) -> [Int32] { degree < buckets.count ? buckets[degree] : [] }
    func isEmpty(_ degree: Int) -> Bool { degree >= buckets.count || buckets[degree].isEmpty }

    mutating func insert(_ v: Int32, degree: Int) {
        position[Int(v)] = Int32(buckets[degree].count)
        buckets[degree].append(v)
    }

    mutating func remove(_ v: Int32, degree: Int) {
        let p = Int(position[Int(v)])
        guard p >= 0 else { return }
        let last = buckets[degree].removeLast()
        if p < buckets[degree].count {
            buckets[degree][p] = last
            position[Int(last)] = Int32(p)
        }
        position[Int(v)] = -1
    }
}

/// Every node's key as UTF-8 bytes in one buffer, so the last tie-break of
/// `sort_key` (`str(key)`) is a byte comparison without reference counting.
/// UTF-8 byte order is code-point order, which is how Python compares `str`.
struct KeyTable {
    private var bytes: [UInt8] = []
    private var start: [Int] = [0]

    init(_ keys: [String]) {
        start.reserveCapacity(keys.count + 1)
        for key in keys {
            bytes.append(contentsOf: key.utf8)
            start.append(bytes.count)
        }
    }

    /// `str(key_a) < str(key_b)`.
    @inline(__always) func precedes(_ a: Int, _ b: Int) -> Bool {
        let a0 = start[a], a1 = start[a + 1], b0 = start[b], b1 = start[b + 1]
        let la = a1 - a0, lb = b1 - b0
        let c = bytes.withUnsafeBufferPointer { p in memcmp(p.baseAddress! + a0, p.baseAddress! + b0, min(la, lb)) }
        return c != 0 ? c < 0 : la < lb
    }
}

/// The graph after Dask's normalisation, and the per-node facts `dask.order`
/// derives from it before ordering (`ndependencies`, `_connecting_to_roots`).
struct ReducedOrderGraph {
    let nodeCount: Int
    /// Nodes still in the graph (Dask deletes pure-data roots with more than one dependent).
    let present: [Bool]
    let presentCount: Int
    let depStart: [Int32]
    let deps: [Int32]
    let dependentStart: [Int32]
    let dependents: [Int32]

    @inline(__always) func dependencies(of v: Int) -> ArraySlice<Int32> { deps[Int(depStart[v])..<Int(depStart[v + 1])] }
    @inline(__always) func dependents(of v: Int) -> ArraySlice<Int32> { dependents[Int(dependentStart[v])..<Int(dependentStart[v + 1])] }
    @inline(__always) func dependencyCount(_ v: Int) -> Int { Int(depStart[v + 1] - depStart[v]) }
    @inline(__always) func dependentCount(_ v: Int) -> Int { Int(dependentStart[v + 1] - dependentStart[v]) }

    /// `graph` without the nodes `removed` marks (and their edges); order of the remaining edges kept.
    init(_ graph: OrderGraph, removed: [Bool]) {
        nodeCount = graph.nodeCount
        present = removed.map { !$0 }
        presentCount = present.reduce(0) { $0 + ($1 ? 1 : 0) }
        var depStart = [Int32](repeating: 0, count: nodeCount + 1)
        var deps: [Int32] = []
        deps.reserveCapacity(graph.deps.count)
        for v in 0..<nodeCount {
            for e in Int(graph.depStart[v])..<Int(graph.depStart[v + 1]) where !removed[Int(graph.deps[e])] {
                deps.append(graph.deps[e])
            }
            depStart[v + 1] = Int32(deps.count)
        }
        var dependentStart = [Int32](repeating: 0, count: nodeCount + 1)
        var dependents: [Int32] = []
        dependents.reserveCapacity(graph.dependents.count)
        for v in 0..<nodeCount {
            if !removed[v] {
                for e in Int(graph.dependentStart[v])..<Int(graph.dependentStart[v + 1]) {
                    dependents.append(graph.dependents[e])
                }
            }
            dependentStart[v + 1] = Int32(dependents.count)
        }
        self.depStart = depStart
        self.deps = deps
        self.dependentStart = dependentStart
        self.dependents = dependents
    }

    /// Present nodes, each after all of its dependencies (Kahn's order; `nil` on a cycle).
    func topologicalOrder() -> [Int32]? {
        var needed = [Int32](repeating: 0, count: nodeCount)
        var order: [Int32] = []
        order.reserveCapacity(presentCount)
        for v in 0..<nodeCount where present[v] {
            needed[v] = Int32(dependencyCount(v))
            if needed[v] == 0 { order.append(Int32(v)) }
        }
        var head = 0
        while head < order.count {
            let v = Int(order[head])
            head += 1
            for d in dependents(of: v) {
                needed[Int(d)] -= 1
                if needed[Int(d)] == 0 { order.append(d) }
            }
        }
        return order.count == presentCount ? order : nil
    }
}

/// For every node, the set of roots it is connected to (Dask's
/// `_connecting_to_roots`), or — with the directions swapped — the set of
/// leaves. Sets are shared: a node whose inputs all reach the same roots reuses
/// their set, and equal unions are stored once (as Dask deduplicates its
/// frozensets), so dense graphs do not hold a copy per node.
struct ConnectedSets {
    /// Index into `pool` of each node's set; roots (sources of the walk) end with the empty set 0.
    private(set) var setOf: [Int32]
    /// Sorted node lists; `pool[0]` is empty.
    private(set) var pool: [[Int32]]
    /// `max(len(dependents[r]) for r in connected roots)`, Dask's `max_dependents`.
    private(set) var maxDependents: [Int32]

    func count(_ v: Int) -> Int { pool[Int(setOf[v])].count }
    func members(_ v: Int) -> [Int32] { pool[Int(setOf[v])] }

    /// `upstream(v)`: the nodes `v` is computed from in this walk's direction;
    /// `downstream(v)`: the nodes computed from `v`. `order` lists nodes upstream first.
    init(graph: ReducedOrderGraph, order: [Int32], forward: Bool) {
        let n = graph.nodeCount
        setOf = [Int32](repeating: 0, count: n)
        pool = [[]]
        maxDependents = [Int32](repeating: 0, count: n)
        var dedup: [[Int32]: Int32] = [:]
        var sources: [Int32] = []
        var distinct: [Int32] = []
        let walk: [Int32] = forward ? order : order.reversed()
        for v32 in walk {
            let v = Int(v32)
            let upstream = forward ? graph.dependencies(of: v) : graph.dependents(of: v)
            if upstream.isEmpty {
                pool.append([v32])
                setOf[v] = Int32(pool.count - 1)
                maxDependents[v] = Int32(forward ? graph.dependentCount(v) : graph.dependencyCount(v))
                sources.append(v32)
                continue
            }
            distinct.removeAll(keepingCapacity: true)
            var best: Int32 = 0
            for u in upstream {
                let s = setOf[Int(u)]
                if !distinct.contains(s) { distinct.append(s) }
                best = max(best, maxDependents[Int(u)])
            }
            maxDependents[v] = best
            if distinct.count == 1 {
                setOf[v] = distinct[0]
                continue
            }
            var union = pool[Int(distinct[0])]
            var largest = distinct[0]
            for s in distinct.dropFirst() {
                let other = pool[Int(s)]
                if other.count > pool[Int(largest)].count { largest = s }
                union = Self.merge(union, other)
            }
            if union.count == pool[Int(largest)].count {
                setOf[v] = largest  // every input's set is inside the largest one
            } else if let known = dedup[union] {
                setOf[v] = known
            } else {
                pool.append(union)
                let id = Int32(pool.count - 1)
                dedup[union] = id
                setOf[v] = id
            }
        }
        // Dask gives the roots themselves an empty set at the end.
        for r in sources { setOf[Int(r)] = 0 }
    }

    private static func merge(_ a: [Int32], _ b: [Int32]) -> [Int32] {
        var out: [Int32] = []
        out.reserveCapacity(max(a.count, b.count))
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if a[i] < b[j] { out.append(a[i]); i += 1 }
            else if b[j] < a[i] { out.append(b[j]); j += 1 }
            else { out.append(a[i]); i += 1; j += 1 }
        }
        if i < a.count { out.append(contentsOf: a[i...]) }
        if j < b.count { out.append(contentsOf: b[j...]) }
        return out
    }
}

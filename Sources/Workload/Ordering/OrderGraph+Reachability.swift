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

/// For every node, how many roots it is connected to (Dask's
/// `_connecting_to_roots`) and `max_dependents`, or — with the directions
/// swapped — how many leaves; the members themselves are kept only for the
/// nodes the ordering asks about (`keepMembers`: the roots, whose leaves
/// `add_to_result` visits).
///
/// Dask keeps every node's frozenset for the whole run (deduplicated). What it
/// reads from them later is only their sizes, and the members of the roots'
/// leaf sets, so a set is dropped here as soon as every node downstream has
/// read it: memory is the walk's frontier, not the graph. Sets are shared as
/// Dask shares them (a node whose inputs all reach the same set reuses it, and
/// a union equal to its largest input is that input), and a set is a sorted
/// list while small and a bitmap over the sources once the list would be
/// larger, so a union costs at most `sources / 64` words.
struct ConnectedSets {
    /// `len(roots_connected[v])`; 0 for the sources themselves, as Dask sets them to the empty set at the end.
    private(set) var counts: [Int32]
    /// `max(len(dependents[r]) for r in connected roots)`, Dask's `max_dependents`.
    private(set) var maxDependents: [Int32]
    /// The sets of the nodes `keepMembers` marked, by node (nil for every other node).
    private var kept: [SourceSet?]
    /// Node id of each source index (sources numbered in increasing node id, so bitmaps iterate in id order).
    private let sourceNode: [Int32]

    func count(_ v: Int) -> Int { Int(counts[v]) }

    /// Calls `body` with each member of a kept node's set, in increasing node id.
    @inline(__always) func forEachMember(_ v: Int, _ body: (Int32) -> Void) {
        guard let set = kept[v] else { return }
        set.forEach { body(sourceNode[Int($0)]) }
    }

    /// `upstream(v)`: the nodes `v` is computed from in this walk's direction;
    /// `downstream(v)`: the nodes computed from `v`. `order` lists nodes upstream first.
    init(graph: ReducedOrderGraph, order: [Int32], forward: Bool, keepMembers: [Bool]) {
        let n = graph.nodeCount
        @inline(__always) func upstream(_ v: Int) -> ArraySlice<Int32> { forward ? graph.dependencies(of: v) : graph.dependents(of: v) }
        @inline(__always) func downstreamCount(_ v: Int) -> Int { forward ? graph.dependentCount(v) : graph.dependencyCount(v) }
        var sourceIndex = [Int32](repeating: -1, count: n)
        var sourceNode: [Int32] = []
        for v in 0..<n where graph.present[v] && upstream(v).isEmpty {
            sourceIndex[v] = Int32(sourceNode.count)
            sourceNode.append(Int32(v))
        }
        let sourceCount = sourceNode.count
        counts = [Int32](repeating: 0, count: n)
        maxDependents = [Int32](repeating: 0, count: n)
        kept = [SourceSet?](repeating: nil, count: n)
        var live = [SourceSet?](repeating: nil, count: n)
        var unread = [Int32](repeating: 0, count: n)  // downstream nodes yet to read v's set
        var distinct: [SourceSet] = []
        let walk: [Int32] = forward ? order : order.reversed()
        for v32 in walk {
            let v = Int(v32)
            let set: SourceSet
            if sourceIndex[v] >= 0 {
                set = SourceSet(single: sourceIndex[v])
                maxDependents[v] = Int32(downstreamCount(v))
            } else {
                distinct.removeAll(keepingCapacity: true)
                var best: Int32 = 0
                for u32 in upstream(v) {
                    let u = Int(u32)
                    // Every upstream node precedes v in the walk, so its set is live.
                    let s = live[u]!
                    if !distinct.contains(where: { $0 === s }) { distinct.append(s) }
                    best = max(best, maxDependents[u])
                    unread[u] -= 1
                    if unread[u] == 0 { live[u] = nil }
                }
                maxDependents[v] = best
                set = distinct.count == 1 ? distinct[0] : SourceSet.union(distinct, sourceCount: sourceCount)
                counts[v] = Int32(set.count)
            }
            unread[v] = Int32(downstreamCount(v))
            if unread[v] > 0 { live[v] = set }
            if keepMembers[v] { kept[v] = sourceIndex[v] >= 0 ? nil : set }
        }
        self.sourceNode = sourceNode
    }
}

/// A set of source indices: a sorted list while it is small, a bitmap over
/// all sources once the list would take more room than the bitmap.
/// Immutable once built; shared between nodes by reference.
final class SourceSet {
    private let list: [Int32]
    private let bits: [UInt64]
    let count: Int

    private init(list: [Int32], bits: [UInt64], count: Int) {
        self.list = list
        self.bits = bits
        self.count = count
    }

    convenience init(single index: Int32) { self.init(list: [index], bits: [], count: 1) }

    private var isBitmap: Bool { !bits.isEmpty }

    /// Members in increasing order.
    @inline(__always) func forEach(_ body: (Int32) -> Void) {
        if !isBitmap {
            for x in list { body(x) }
            return
        }
        for (w, word) in bits.enumerated() {
            var rest = word
            while rest != 0 {
                body(Int32(w << 6 | rest.trailingZeroBitCount))
                rest &= rest - 1
            }
        }
    }

    /// Whether a set of `count` members is stored as a bitmap: when a list of
    /// Int32 would be larger than `sourceCount` bits.
    private static func wantsBitmap(_ count: Int, sourceCount: Int) -> Bool { count * 32 > sourceCount }

    /// The union of two or more distinct sets; the largest input itself when
    /// it contains all the others (Dask's `issubset` shortcut).
    static func union(_ sets: [SourceSet], sourceCount: Int) -> SourceSet {
        var largest = sets[0]
        var total = 0
        var anyBitmap = false
        for s in sets {
            if s.count > largest.count { largest = s }
            total += s.count
            anyBitmap = anyBitmap || s.isBitmap
        }
        if !anyBitmap && !wantsBitmap(total, sourceCount: sourceCount) {
            var merged = sets[0].list
            for s in sets.dropFirst() { merged = mergeSorted(merged, s.list) }
            return merged.count == largest.count ? largest : SourceSet(list: merged, bits: [], count: merged.count)
        }
        var words = largest.isBitmap ? largest.bits : [UInt64](repeating: 0, count: (sourceCount + 63) >> 6)
        words.withUnsafeMutableBufferPointer { w in
            for s in sets where s !== largest || !largest.isBitmap {
                if s.isBitmap {
                    s.bits.withUnsafeBufferPointer { b in for i in 0..<b.count { w[i] |= b[i] } }
                } else {
                    for x in s.list { w[Int(x) >> 6] |= 1 << UInt64(x & 63) }
                }
            }
        }
        var count = 0
        for word in words { count += word.nonzeroBitCount }
        if count == largest.count { return largest }
        if !wantsBitmap(count, sourceCount: sourceCount) {
            // Overlaps made the union small after all: store it as a list.
            let set = SourceSet(list: [], bits: words, count: count)
            var list: [Int32] = []
            list.reserveCapacity(count)
            set.forEach { list.append($0) }
            return SourceSet(list: list, bits: [], count: count)
        }
        return SourceSet(list: [], bits: words, count: count)
    }

    private static func mergeSorted(_ a: [Int32], _ b: [Int32]) -> [Int32] {
        var out: [Int32] = []
        out.reserveCapacity(a.count + b.count)
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

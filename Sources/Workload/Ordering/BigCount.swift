/// A non-negative integer of any size, with only what `dask.order` needs of
/// Python's `int`: addition and comparison.
///
/// `total_dependencies` counts a task's ancestors *with repetition* (one per
/// path), which grows exponentially with depth on layered graphs: a 20-layer
/// graph with 15 dependencies per task passes 2^63. Python's ints do not
/// overflow, so an exact port cannot either. Counts that fit stay in one word;
/// only the rest allocate limbs.
struct BigCount: Comparable {
    /// Little-endian 64-bit limbs, no trailing zero limb (empty is zero).
    private(set) var limbs: [UInt64]

    init(_ value: UInt64) { limbs = value == 0 ? [] : [value] }

    static func + (a: BigCount, b: BigCount) -> BigCount {
        var out = BigCount(0)
        let n = max(a.limbs.count, b.limbs.count)
        out.limbs.reserveCapacity(n + 1)
        var carry: UInt64 = 0
        for i in 0..<n {
            let x = i < a.limbs.count ? a.limbs[i] : 0
            let y = i < b.limbs.count ? b.limbs[i] : 0
            let (s1, o1) = x.addingReportingOverflow(y)
            let (s2, o2) = s1.addingReportingOverflow(carry)
            out.limbs.append(s2)
            carry = (o1 ? 1 : 0) + (o2 ? 1 : 0)
        }
        if carry != 0 { out.limbs.append(carry) }
        return out
    }

    static func < (a: BigCount, b: BigCount) -> Bool {
        if a.limbs.count != b.limbs.count { return a.limbs.count < b.limbs.count }
        var i = a.limbs.count - 1
        while i >= 0 {
            if a.limbs[i] != b.limbs[i] { return a.limbs[i] < b.limbs[i] }
            i -= 1
        }
        return false
    }
}

/// `total_dependencies` of every node: one machine word each, with the rare
/// counts past `UInt64.max` kept exactly beside them.
struct DependencyTotals {
    private var small: [UInt64]
    /// Nodes whose count does not fit a word (their `small` entry is `UInt64.max`).
    private var large: [Int32: BigCount] = [:]

    init(count: Int) { small = [UInt64](repeating: 0, count: count) }

    func big(_ v: Int) -> BigCount {
        if small[v] == .max, let b = large[Int32(v)] { return b }
        return BigCount(small[v])
    }

    /// Sets node `v` to `1 + Σ totals of children`.
    mutating func setOnePlusSum<S: Sequence>(_ v: Int, of children: S) where S.Element == Int {
        var sum: UInt64 = 1
        var overflowed = false
        for c in children {
            if small[c] == .max && large[Int32(c)] != nil { overflowed = true; break }
            let (s, o) = sum.addingReportingOverflow(small[c])
            if o || s == .max { overflowed = true; break }
            sum = s
        }
        if !overflowed { small[v] = sum; return }
        var exact = BigCount(1)
        for c in children { exact = exact + big(c) }
        small[v] = .max
        large[Int32(v)] = exact
    }

    mutating func setOne(_ v: Int) { small[v] = 1 }

    /// `totals[a] < totals[b]`, exactly.
    func less(_ a: Int, _ b: Int) -> Bool {
        let x = small[a], y = small[b]
        if x != .max && y != .max { return x < y }
        return big(a) < big(b)
    }

    func equal(_ a: Int, _ b: Int) -> Bool {
        let x = small[a], y = small[b]
        if x != .max && y != .max { return x == y }
        return big(a) == big(b)
    }
}

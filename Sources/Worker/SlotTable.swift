import Messages

/// `TaskID -> local slot`: an open-addressing hash table with linear probing and a
/// multiplicative hash. Task ids are dense integers, so Swift's `Dictionary` (seeded
/// SipHash per lookup, ~10% of a stimulus) is more than needed. Lookups only; the
/// table is never iterated to make a decision.
struct SlotTable {
    private var keys: [Int32]
    private var values: [Int32]
    private var mask: Int
    private var shift: UInt32
    private(set) var count = 0

    init() {
        keys = [Int32](repeating: -1, count: 16)
        values = [Int32](repeating: 0, count: 16)
        mask = 15
        shift = 28
    }

    @inline(__always)
    private func home(_ key: Int32) -> Int {
        Int((UInt32(bitPattern: key) &* 0x9E37_79B1) >> shift) & mask
    }

    subscript(_ id: TaskID) -> Int32? {
        get {
            let key = id.rawValue
            var i = home(key)
            while true {
                let k = keys[i]
                if k == key { return values[i] }
                if k < 0 { return nil }
                i = (i + 1) & mask
            }
        }
        set {
            if let newValue { insert(id.rawValue, newValue) } else { remove(id.rawValue) }
        }
    }

    private mutating func insert(_ key: Int32, _ value: Int32) {
        if (count + 1) * 2 > keys.count { grow() }
        var i = home(key)
        while true {
            let k = keys[i]
            if k == key {
                values[i] = value
                return
            }
            if k < 0 {
                keys[i] = key
                values[i] = value
                count += 1
                return
            }
            i = (i + 1) & mask
        }
    }

    /// Removes with backward shifting, so no tombstones are needed.
    private mutating func remove(_ key: Int32) {
        var i = home(key)
        while true {
            let k = keys[i]
            if k < 0 { return }
            if k == key { break }
            i = (i + 1) & mask
        }
        count -= 1
        var hole = i
        var j = (i + 1) & mask
        while keys[j] >= 0 {
            let h = home(keys[j])
            // Move keys[j] into the hole if its home is not cyclically in (hole, j].
            let inRange = hole <= j ? (h > hole && h <= j) : (h > hole || h <= j)
            if !inRange {
                keys[hole] = keys[j]
                values[hole] = values[j]
                hole = j
            }
            j = (j + 1) & mask
        }
        keys[hole] = -1
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldValues = values
        let capacity = oldKeys.count * 2
        keys = [Int32](repeating: -1, count: capacity)
        values = [Int32](repeating: 0, count: capacity)
        mask = capacity - 1
        shift -= 1
        count = 0
        for i in oldKeys.indices where oldKeys[i] >= 0 {
            insert(oldKeys[i], oldValues[i])
        }
    }

    /// Every (task, slot) pair, in table order; for invariant checks only.
    func forEach(_ body: (TaskID, Int32) -> Void) {
        for i in keys.indices where keys[i] >= 0 {
            body(TaskID(Int(keys[i])), values[i])
        }
    }
}

import Messages

/// `WorkerID -> peer slot`. Worker ids are dense (the order workers joined), so an
/// array indexed by id, grown to the largest peer seen, replaces a hashed lookup.
/// It holds one `Int32` per worker id up to the largest peer this worker met, not
/// per task. Ids outside a sane range (negative, or beyond a million) go to a dictionary.
struct PeerIndex {
    private var slots: [Int32] = []
    private var outliers: [WorkerID: Int32] = [:]
    private static let arrayLimit = 1 << 20

    subscript(_ worker: WorkerID) -> Int32? {
        get {
            let i = worker.index
            if i >= 0 && i < slots.count {
                let s = slots[i]
                return s >= 0 ? s : nil
            }
            return i >= 0 && i < Self.arrayLimit ? nil : outliers[worker]
        }
        set {
            let i = worker.index
            guard i >= 0 && i < Self.arrayLimit else {
                outliers[worker] = newValue
                return
            }
            if i >= slots.count { slots.append(contentsOf: repeatElement(-1, count: i + 1 - slots.count)) }
            slots[i] = newValue ?? -1
        }
    }
}

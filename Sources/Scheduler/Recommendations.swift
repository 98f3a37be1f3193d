import Workload

/// Dask's `recommendations` dict (task → recommended state) for one stimulus.
///
/// Python dict semantics: insertion-ordered; re-recommending a key keeps its
/// position and takes the new state; `_transitions` pops the *last* entry.
/// Stored as two parallel arrays plus each task's position (dense, by task
/// index), so a lookup is one array read instead of a hash probe — a
/// 1,000,000-task `update-graph` recommends every task at once.
struct Recommendations {
    private var keys: [TaskID] = []
    private var states: [UInt8] = []
    /// Index into `keys` of each task's entry, or -1 when it has none.
    private var position: [Int32]

    init(taskCount: Int) {
        position = [Int32](repeating: -1, count: taskCount)
    }

    var isEmpty: Bool { keys.isEmpty }
    var count: Int { keys.count }

    /// The recommended state of `t`; setting `nil` removes the entry.
    subscript(_ t: TaskID) -> UInt8? {
        get {
            let at = position[t.index]
            return at < 0 ? nil : states[Int(at)]
        }
        set {
            guard let newValue else {
                removeValue(forKey: t)
                return
            }
            let at = position[t.index]
            if at >= 0 {
                states[Int(at)] = newValue
            } else {
                position[t.index] = Int32(keys.count)
                keys.append(t)
                states.append(newValue)
            }
        }
    }

    /// Pops the most recently inserted entry (Python's `dict.popitem()`).
    mutating func removeLast() -> (TaskID, UInt8) {
        let t = keys.removeLast()
        let s = states.removeLast()
        position[t.index] = -1
        return (t, s)
    }

    /// Removes `t`'s entry, keeping the order of the others.
    @discardableResult
    mutating func removeValue(forKey t: TaskID) -> UInt8? {
        let at = Int(position[t.index])
        guard at >= 0 else { return nil }
        let s = states[at]
        keys.remove(at: at)
        states.remove(at: at)
        position[t.index] = -1
        for i in at..<keys.count { position[keys[i].index] = Int32(i) }
        return s
    }

    mutating func reserveCapacity(_ n: Int) {
        keys.reserveCapacity(n)
        states.reserveCapacity(n)
    }
}

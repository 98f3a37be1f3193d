/// One entry of a `SlotHeap`: a task (by local slot) with the priority it had when pushed.
struct SlotHeapEntry {
    var priority: WorkerPriority
    /// The stamp the task carried when it was pushed. An entry whose stamp no longer
    /// matches the task's current stamp is stale and skipped (lazy deletion). Stamps
    /// come from one increasing counter, so they also order equal priorities first in,
    /// first out, like Dask's `HeapSet` insertion counter.
    var stamp: UInt64
    var slot: Int32

    @inline(__always)
    func precedes(_ other: SlotHeapEntry) -> Bool {
        if priority != other.priority { return priority < other.priority }
        return stamp < other.stamp
    }
}

/// A binary min-heap of task slots ordered by (priority, stamp), with lazy deletion:
/// removing a task only changes its stamp; stale entries are dropped when they reach
/// the top. The owner decides what is stale (see `WorkerState`), so this type stays
/// a plain array heap with no per-task bookkeeping. Used for Dask's `ready` and
/// `constrained` heaps and for each peer's `data_needed` heap.
struct SlotHeap {
    private(set) var entries: [SlotHeapEntry] = []

    var isEmpty: Bool { entries.isEmpty }
    var count: Int { entries.count }

    @inline(__always)
    var top: SlotHeapEntry? { entries.first }

    mutating func push(_ entry: SlotHeapEntry) {
        entries.append(entry)
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            if entries[child].precedes(entries[parent]) {
                entries.swapAt(child, parent)
                child = parent
            } else {
                break
            }
        }
    }

    @discardableResult
    mutating func popTop() -> SlotHeapEntry? {
        guard !entries.isEmpty else { return nil }
        let last = entries.removeLast()
        guard !entries.isEmpty else { return last }
        let result = entries[0]
        entries[0] = last
        siftDown(from: 0)
        return result
    }

    mutating func removeAll() {
        entries.removeAll(keepingCapacity: true)
    }

    /// Keeps only the entries `isLive` accepts and restores the heap order; used when
    /// stale entries outnumber live ones, so memory stays proportional to live tasks.
    mutating func compact(_ isLive: (SlotHeapEntry) -> Bool) {
        entries.removeAll { !isLive($0) }
        var i = entries.count / 2 - 1
        while i >= 0 {
            siftDown(from: i)
            i -= 1
        }
    }

    private mutating func siftDown(from start: Int) {
        var parent = start
        let n = entries.count
        while true {
            let left = 2 * parent + 1
            if left >= n { return }
            var best = left
            let right = left + 1
            if right < n && entries[right].precedes(entries[left]) { best = right }
            if entries[best].precedes(entries[parent]) {
                entries.swapAt(best, parent)
                parent = best
            } else {
                return
            }
        }
    }
}

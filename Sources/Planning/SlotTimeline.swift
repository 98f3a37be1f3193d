/// The busy and idle time of one thread slot, for insertion-based planning
/// (HEFT, MCP): a task may go into an idle gap between two planned tasks if it
/// fits, not only after the last one.
///
/// Idle gaps before `end` are kept sorted by start in two parallel arrays;
/// from `end` on the slot is idle forever. Gaps are disjoint and sorted, so
/// both their starts and their ends increase, and the first gap that can hold a
/// task is found by binary search on the ends followed by a short forward scan
/// that stops as soon as a gap starts past the caller's limit.
struct SlotTimeline {
    private(set) var gapStart: [Int64] = []
    private(set) var gapEnd: [Int64] = []
    /// The slot is idle from here on.
    private(set) var end: Int64 = 0

    /// The earliest start `s >= ready` such that `[s, s + duration)` is idle,
    /// or `nil` if that start would be later than `limit`.
    @inline(__always)
    func earliestStart(ready: Int64, duration: Int64, limit: Int64) -> Int64? {
        if ready >= end { return ready <= limit ? ready : nil }
        // First gap whose end leaves room for the task after `ready`.
        let need = ready + duration
        var lo = 0
        var hi = gapEnd.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if gapEnd[mid] < need { lo = mid + 1 } else { hi = mid }
        }
        var i = lo
        while i < gapStart.count {
            let s = max(gapStart[i], ready)
            if s > limit { return nil }
            if s + duration <= gapEnd[i] { return s }
            i += 1
        }
        let s = max(end, ready)
        return s <= limit ? s : nil
    }

    /// Marks `[start, start + duration)` busy. The interval must be idle
    /// (as `earliestStart` returned it).
    mutating func occupy(start: Int64, duration: Int64) {
        let finish = start + duration
        if start >= end {
            if start > end {
                gapStart.append(end)
                gapEnd.append(start)
            }
            end = finish
            return
        }
        // The last gap starting at or before `start` holds the interval.
        var lo = 0
        var hi = gapStart.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if gapStart[mid] <= start { lo = mid + 1 } else { hi = mid }
        }
        let i = lo - 1
        precondition(i >= 0 && finish <= gapEnd[i], "SlotTimeline.occupy: interval is not idle")
        let (gs, ge) = (gapStart[i], gapEnd[i])
        gapStart.remove(at: i)
        gapEnd.remove(at: i)
        var at = i
        if gs < start {
            gapStart.insert(gs, at: at)
            gapEnd.insert(start, at: at)
            at += 1
        }
        if finish < ge {
            gapStart.insert(finish, at: at)
            gapEnd.insert(ge, at: at)
        }
    }
}

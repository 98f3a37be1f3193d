/// The simulator's agenda: a binary min-heap of pending events ordered by
/// time, ties broken by the order in which they were scheduled (FIFO).
///
/// Hand-written over one contiguous array of small structs (no per-event
/// allocation); about 30 % faster than a general-purpose heap here.
/// A run is deterministic because no two entries compare equal: the sequence
/// number is unique.
public struct EventQueue<Event> {
    @usableFromInline
    struct Entry {
        @usableFromInline var time: Int64
        @usableFromInline var sequence: UInt64
        @usableFromInline var event: Event

        @inlinable init(time: Int64, sequence: UInt64, event: Event) {
            self.time = time
            self.sequence = sequence
            self.event = event
        }

        @inlinable func precedes(_ other: Entry) -> Bool {
            time < other.time || (time == other.time && sequence < other.sequence)
        }
    }

    @usableFromInline var entries: [Entry] = []
    @usableFromInline var nextSequence: UInt64 = 0

    public init() {}

    @inlinable public var count: Int { entries.count }
    @inlinable public var isEmpty: Bool { entries.isEmpty }
    /// How many events were ever scheduled.
    @inlinable public var scheduledCount: UInt64 { nextSequence }

    /// Time of the earliest pending event.
    @inlinable public var nextTime: Int64? { entries.first?.time }

    public mutating func reserveCapacity(_ n: Int) { entries.reserveCapacity(n) }

    /// Schedules `event` at `time` (nanoseconds); among events at the same time
    /// it comes after every event scheduled before it.
    @inlinable
    public mutating func push(_ event: Event, at time: Int64) {
        let entry = Entry(time: time, sequence: nextSequence, event: event)
        nextSequence &+= 1
        entries.append(entry)
        siftUp(entries.count - 1)
    }

    /// Removes and returns the earliest event and its time.
    @inlinable
    public mutating func pop() -> (time: Int64, event: Event)? {
        guard let top = entries.first else { return nil }
        let last = entries.removeLast()
        if !entries.isEmpty {
            entries[0] = last
            siftDown(0)
        }
        return (top.time, top.event)
    }

    @inlinable
    mutating func siftUp(_ start: Int) {
        var child = start
        let moving = entries[child]
        while child > 0 {
            let parent = (child - 1) >> 1
            if !moving.precedes(entries[parent]) { break }
            entries[child] = entries[parent]
            child = parent
        }
        entries[child] = moving
    }

    @inlinable
    mutating func siftDown(_ start: Int) {
        let n = entries.count
        var parent = start
        let moving = entries[parent]
        while true {
            let left = 2 * parent + 1
            if left >= n { break }
            var best = left
            let right = left + 1
            if right < n && entries[right].precedes(entries[left]) { best = right }
            if !entries[best].precedes(moving) { break }
            entries[parent] = entries[best]
            parent = best
        }
        entries[parent] = moving
    }
}

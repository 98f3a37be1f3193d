/// Storage for event payloads: events in the queue carry a small slot number
/// instead of a whole message, which keeps heap entries small. Slots are
/// reused after `take`, so memory stays proportional to pending events.
struct Slab<Element> {
    private var items: [Element?] = []
    private var free: [Int32] = []

    mutating func put(_ item: Element) -> Int32 {
        if let slot = free.popLast() {
            items[Int(slot)] = item
            return slot
        }
        items.append(item)
        return Int32(items.count - 1)
    }

    mutating func take(_ slot: Int32) -> Element {
        guard let item = items[Int(slot)] else { preconditionFailure("slab slot \(slot) taken twice") }
        items[Int(slot)] = nil
        free.append(slot)
        return item
    }

    func peek(_ slot: Int32) -> Element? { items[Int(slot)] }
}

extension Slab {
    /// Occupied slots in increasing order (used on rare paths such as a worker dying).
    var occupiedSlots: [Int32] {
        var slots: [Int32] = []
        for i in items.indices where items[i] != nil { slots.append(Int32(i)) }
        return slots
    }

    /// Changes the element in `slot` in place.
    mutating func update(_ slot: Int32, _ body: (inout Element) -> Void) {
        guard var item = items[Int(slot)] else { return }
        items[Int(slot)] = nil
        body(&item)
        items[Int(slot)] = item
    }
}

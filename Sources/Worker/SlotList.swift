/// A small list of task slots (a task's dependencies, dependents, waiters, data it
/// waits for). Most tasks have one or two of each, so the first two live inline and
/// only longer lists allocate; creating and dropping tasks then costs no heap
/// traffic. Order is not kept on removal (the last element fills the hole).
struct SlotList: Sequence, Equatable {
    private var first: Int32 = -1
    private var second: Int32 = -1
    private var rest: [Int32] = []
    private(set) var count = 0

    init() {}

    var isEmpty: Bool { count == 0 }

    @inline(__always)
    private func element(_ i: Int) -> Int32 {
        i == 0 ? first : (i == 1 ? second : rest[i - 2])
    }

    @inline(__always)
    private mutating func set(_ i: Int, _ value: Int32) {
        if i == 0 { first = value } else if i == 1 { second = value } else { rest[i - 2] = value }
    }

    mutating func append(_ value: Int32) {
        if count == 0 { first = value } else if count == 1 { second = value } else { rest.append(value) }
        count += 1
    }

    func contains(_ value: Int32) -> Bool {
        if count > 0 && first == value { return true }
        if count > 1 && second == value { return true }
        return count > 2 && rest.contains(value)
    }

    /// Removes one occurrence; true if it was there.
    @discardableResult
    mutating func remove(_ value: Int32) -> Bool {
        var index = -1
        for i in 0..<count where element(i) == value {
            index = i
            break
        }
        guard index >= 0 else { return false }
        let last = count - 1
        set(index, element(last))
        if last >= 2 { rest.removeLast() } else if last == 1 { second = -1 } else { first = -1 }
        count -= 1
        return true
    }

    mutating func removeAll() {
        first = -1
        second = -1
        if !rest.isEmpty { rest.removeAll() }
        count = 0
    }

    struct Iterator: IteratorProtocol {
        let list: SlotList
        var i = 0
        mutating func next() -> Int32? {
            guard i < list.count else { return nil }
            defer { i += 1 }
            return list.element(i)
        }
    }

    func makeIterator() -> Iterator { Iterator(list: self) }

    var underestimatedCount: Int { count }

    static func == (a: SlotList, b: SlotList) -> Bool { a.elementsEqual(b) }
}

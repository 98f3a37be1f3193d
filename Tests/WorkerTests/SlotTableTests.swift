import Messages
import Testing
@testable import Worker

/// The task-id -> slot table and the inline slot list, each against a Swift
/// collection as the model.
@Suite struct SlotTableTests {
    @Test func slotListMatchesAnArrayAsAMultiset() {
        var rng = SplitMix64(state: 5)
        var list = SlotList()
        var model: [Int32] = []
        for _ in 0..<5000 {
            let v = Int32(rng.below(8))
            switch rng.below(10) {
            case 0..<5:
                list.append(v)
                model.append(v)
            case 5..<9:
                let removed = list.remove(v)
                if let i = model.firstIndex(of: v) {
                    model.remove(at: i)
                    #expect(removed)
                } else {
                    #expect(!removed)
                }
            default:
                list.removeAll()
                model.removeAll()
            }
            #expect(list.count == model.count)
            #expect(list.sorted() == model.sorted())
            #expect(list.contains(v) == model.contains(v))
        }
    }

    @Test func matchesADictionaryUnderRandomInsertsAndRemoves() {
        var rng = SplitMix64(state: 99)
        var table = SlotTable()
        var model: [Int: Int32] = [:]
        for step in 0..<20_000 {
            let key = rng.below(3000)
            if rng.chance(60) {
                table[TaskID(key)] = Int32(step)
                model[key] = Int32(step)
            } else {
                table[TaskID(key)] = nil
                model[key] = nil
            }
            if step % 997 == 0 {
                for k in 0..<3000 where table[TaskID(k)] != model[k] {
                    Issue.record("key \(k): table \(String(describing: table[TaskID(k)])) model \(String(describing: model[k]))")
                    return
                }
            }
        }
        #expect(table.count == model.count)
        var seen = 0
        table.forEach { id, slot in
            seen += 1
            #expect(model[id.index] == slot)
        }
        #expect(seen == model.count)
    }
}

import Simulation
import Testing

@Suite struct EventQueueTests {
    @Test func popsInTimeOrderWithFIFOTies() {
        var queue = EventQueue<String>()
        queue.push("c@5", at: 5)
        queue.push("a@1", at: 1)
        queue.push("d@5", at: 5)
        queue.push("b@3", at: 3)
        queue.push("e@5", at: 5)
        queue.push("z@0", at: 0)
        var popped: [String] = []
        while let (time, event) = queue.pop() {
            #expect(event.hasSuffix("@\(time)"))
            popped.append(event)
        }
        #expect(popped == ["z@0", "a@1", "b@3", "c@5", "d@5", "e@5"])
        #expect(queue.scheduledCount == 6)
    }

    @Test func matchesASortOnRandomisedInput() {
        // A fixed pseudo-random sequence (LCG), so the test is the same every run.
        var state: UInt64 = 12345
        var queue = EventQueue<Int>()
        var reference: [(time: Int64, seq: Int)] = []
        var popped: [Int] = []
        var expected: [Int] = []
        for i in 0..<5000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let time = Int64(state >> 54)  // many ties
            queue.push(i, at: time)
            reference.append((time, i))
            if i % 3 == 2, let (_, event) = queue.pop() {
                popped.append(event)
                reference.sort { ($0.time, $0.seq) < ($1.time, $1.seq) }
                expected.append(reference.removeFirst().seq)
            }
        }
        while let (_, event) = queue.pop() { popped.append(event) }
        reference.sort { ($0.time, $0.seq) < ($1.time, $1.seq) }
        expected.append(contentsOf: reference.map(\.seq))
        #expect(popped == expected)
    }
}

import Messages
import Testing
@testable import Worker

/// Reference scenarios S24 (execution order with priorities and resources) and S25
/// (resources as a worker-side concurrency limit).
@Suite struct ExecutionOrderTests {
    @Test func s24aConstrainedTasksRespectPriority() {
        let w = H.worker(resources: [("R", 1)])
        #expect(w.step(H.compute(1, resources: [("R", 1)])) == ["execute k1 run=1"])  // clog
        #expect(w.step(H.compute(2, order: 1, resources: [("R", 1)])) == [])
        #expect(w.step(H.compute(3, order: 2, resources: [("R", 1)])) == [])
        #expect(w.step(H.compute(4, order: 0, resources: [("R", 1)])) == [])
        #expect(w.constrainedCount == 3)
        #expect(w.step(H.success(1)).last == "execute k4 run=1")
        #expect(w.step(H.success(4)).last == "execute k2 run=1")
        #expect(w.step(H.success(2)).last == "execute k3 run=1")
    }

    @Test(arguments: [(1, 0, 3), (0, 1, 2)], [false, true])
    func s24bConstrainedVersusReady(orders: (Int32, Int32, Int), constrainedFirst: Bool) {
        let (pReady, pConstrained, expected) = orders
        let w = H.worker(resources: [("R", 1)])
        w.step(H.compute(1))  // clog without R
        let ready = H.compute(2, order: pReady)
        let constrained = H.compute(3, order: pConstrained, resources: [("R", 1)])
        if constrainedFirst {
            w.step(constrained)
            w.step(ready)
        } else {
            w.step(ready)
            w.step(constrained)
        }
        #expect(w.step(H.success(1)).last == "execute k\(expected) run=1")
    }

    @Test func s24cConstrainedHeadBlockedByResources() {
        let w = H.worker(threads: 2, resources: [("R", 1)])
        w.step(H.compute(1))                        // clog1
        w.step(H.compute(2, resources: [("R", 1)]))  // clog2 holds R
        #expect(w.executingCount == 2)
        w.step(H.compute(3, order: 1))                      // x
        w.step(H.compute(4, order: 0, resources: [("R", 1)]))  // y: more urgent but R is taken
        #expect(w.step(H.success(1)).last == "execute k3 run=1")
        #expect(w.st(4) == .constrained)
        #expect(w.step(H.success(2)).last == "execute k4 run=1")
    }

    @Test func s24dUserPriorityBeatsArrivalOrder() {
        let w = H.worker()
        w.step(H.compute(1))  // the blocker
        w.step(H.compute(2, user: -1))  // low
        w.step(H.compute(3, user: 0))   // clog
        w.step(H.compute(4, user: 1))   // high
        #expect(w.step(H.success(1)).last == "execute k4 run=1")
        #expect(w.step(H.success(4)).last == "execute k3 run=1")
        #expect(w.st(2) == .ready)  // low still waits behind the clog
    }

    @Test func s24eChainsRunLastInFirstOut() {
        // Chains x_i -> y_i -> z_i (keys 10+i, 20+i, 30+i); each next link arrives when
        // its dependency finished, as the scheduler would send it.
        let w = H.worker()
        w.step(H.compute(1))  // blocker
        for i in 0..<5 { w.step(H.compute(10 + i)) }
        var finished: [Int] = []
        var running = 1
        for _ in 0..<16 {
            let out = w.step(H.success(running))
            finished.append(running)
            var sent: [String] = []
            if running >= 10 && running < 30 {
                sent = w.step(H.compute(running + 10, deps: [(running, [0], 10)]))
            }
            guard let next = (out + sent).last(where: { $0.hasPrefix("execute") }) else { break }
            running = Int(next.dropFirst("execute k".count).prefix { $0.isNumber })!
        }
        let firstZ = finished.firstIndex { $0 >= 30 }!
        let lastX = finished.lastIndex { $0 >= 10 && $0 < 20 }!
        #expect(firstZ < lastX)
        // The worker starts the next ready task before the scheduler sends the next link.
        #expect(Array(finished.prefix(6)) == [1, 14, 13, 24, 23, 34])
    }

    @Test func s25bResourcesLimitConcurrency() {
        let a = H.worker(threads: 4, resources: [("A", 2)])
        var executing: [Int] = []
        for k in 1...10 {
            let out = a.step(H.compute(k, resources: [("A", 1)]))
            executing += out.compactMap { $0.hasPrefix("execute") ? Int($0.dropFirst(9).prefix { $0.isNumber }) : nil }
            #expect(a.executingCount <= 2)
        }
        #expect(executing == [1, 2])
        var done = 0
        while let k = executing.first {
            executing.removeFirst()
            let out = a.step(H.success(k))
            done += 1
            executing += out.compactMap { $0.hasPrefix("execute") ? Int($0.dropFirst(9).prefix { $0.isNumber }) : nil }
            #expect(a.executingCount <= 2)
        }
        #expect(done == 10)
        #expect(a.availableResourceAmounts.map(\.amount) == [2])
    }

    @Test func s25cTwoResourcesBothNeeded() {
        let w = H.worker(threads: 4, resources: [("A", 2), ("B", 1)])
        for k in 1...4 { w.step(H.compute(k, resources: [("A", 1), ("B", 1)])) }
        #expect(w.executingCount == 1)
        #expect(w.constrainedCount == 3)
        w.step(H.success(1))
        #expect(w.executingCount == 1)
        #expect(w.availableResourceAmounts.map(\.amount) == [1, 0])
    }

    @Test func resourceTheWorkerLacksNeverRuns() {
        let w = H.worker(threads: 2, resources: [("A", 1)])
        #expect(w.step(H.compute(1, resources: [("GPU", 1)])) == [])
        #expect(w.st(1) == .constrained)
        #expect(w.step(H.compute(2)) == ["execute k2 run=1"])
    }

    @Test func cancelledTaskKeepsItsResourcesUntilItEnds() {
        let w = H.worker(threads: 2, resources: [("R", 1)])
        w.step(H.compute(1, resources: [("R", 1)]))
        w.step(H.free(1))
        #expect(w.step(H.compute(2, resources: [("R", 1)])) == [])
        #expect(w.step(H.success(1)) == ["execute k2 run=1"])
    }
}

import Messages
import Testing
@testable import Worker

/// The remaining entries of Dask's worker transition table, one test each.
@Suite struct MoreTransitionTests {
    @Test func cancelledToErrorDropsTheFailure() {
        let w = H.worker()
        w.step(H.compute(1))
        w.step(H.free(1))
        #expect(w.step(H.failure(1)) == [])
        #expect(w.st(1) == nil)
    }

    @Test func cancelledToReleasedWaitsForTheEnd() {
        let w = H.worker()
        w.step(H.compute(1))
        w.step(H.free(1))
        #expect(w.step(H.free(1)) == [])
        #expect(w.st(1) == .cancelled)
        #expect(w.executingCount == 1)
    }

    @Test func resumedToLongRunningSendsNothing() {
        let w = H.worker()
        w.step(H.compute(1), at: 0)
        w.step(H.free(1), at: 0.1)
        w.step(H.compute(2, deps: [(1, [3], 10)]), at: 0.2)
        #expect(w.st(1) == .resumed)
        #expect(w.step(.secede(key: H.k(1)), at: 0.5) == [])
        #expect(w.st(1) == .resumed)
        #expect(w.longRunningCount == 1)
        #expect(w.executingCount == 0)
        #expect(w.step(H.success(1)) == ["add-keys [k1]", "execute k2 run=1"])
    }

    @Test func resumedToReleasedIsCancelledAgain() {
        let w = H.worker()
        w.step(H.compute(2, deps: [(1, [3], 100)]))
        w.step(H.free(2))
        w.step(H.compute(1, run: 7))
        #expect(w.st(1) == .resumed)
        #expect(w.step(H.free(1)) == [])
        #expect(w.st(1) == .cancelled)
        #expect(w.previousAndNext(of: H.k(1)).previous == .flight)
        #expect(w.step(H.received(3, [(1, 100)], requested: [1])) == [])
        #expect(w.st(1) == nil)
    }

    @Test func constrainedToReleasedOnSteal() {
        let w = H.worker(resources: [("R", 1)])
        w.step(H.compute(1, resources: [("R", 1)]))
        w.step(H.compute(2, resources: [("R", 1)]))
        #expect(w.step(.scheduler(.stealRequest(key: H.k(2), stimulusID: H.sid()))) == ["steal-response k2 constrained"])
        #expect(w.st(2) == nil)
        #expect(w.constrainedCount == 0)
        #expect(w.step(H.success(1)) == ["task-finished k1 run=1 nbytes=10 0.000000000-1.000000000"])
    }

    @Test func fetchToReleased() {
        let w = H.worker()
        w.step(H.compute(10, deps: [(1, [2], 10)]))
        #expect(w.step(H.compute(11, deps: [(2, [2], 10)])) == [])  // w2 is in flight
        #expect(w.st(2) == .fetch)
        #expect(w.dataNeeded(from: H.w(2)) == [H.k(2)])
        #expect(w.step(H.free(11)) == [])
        #expect(w.st(2) == nil)
        #expect(w.dataNeeded(from: H.w(2)) == [])
        #expect(w.hasWhat(H.w(2)) == [H.k(1)])
        // Only k1 comes from w2 next time.
        #expect(w.step(H.received(2, [(1, 10)], requested: [1])) == ["add-keys [k1]", "execute k10 run=1"])
    }

    @Test func longRunningToError() {
        let w = H.worker()
        w.step(H.compute(1))
        w.step(.secede(key: H.k(1)))
        #expect(w.step(H.failure(1)) == ["task-erred k1 run=1 ZeroDivisionError"])
        #expect(w.longRunningCount == 0)
    }

    @Test func releasedToMissingAndMissingToReleased() {
        let w = H.worker()
        // The only listed holder is this worker, which does not have it.
        #expect(w.step(H.compute(10, deps: [(1, [0], 10)])) == [])
        #expect(w.st(1) == .missing)
        #expect(w.missingCount == 1)
        #expect(w.step(.findMissing) == ["request-refresh-who-has [k1]"])
        #expect(w.step(H.free(10)) == [])
        #expect(w.st(1) == nil)
        #expect(w.step(.findMissing) == [])
    }

    @Test func sharedDependencyStaysWhileAnotherDependentWaits() {
        let w = H.worker()
        w.step(H.compute(10, deps: [(1, [2], 10)]))
        w.step(H.compute(11, deps: [(1, [2], 10)]))
        w.step(H.free(10))
        #expect(w.st(1) == .flight)
        #expect(w.step(H.received(2, [(1, 10)], requested: [1])) == ["add-keys [k1]", "execute k11 run=1"])
    }

    @Test func closingGracefullyKeepsWorking() {
        let w = H.worker()
        w.step(.scheduler(.workerStatusChange(status: .closingGracefully, stimulusID: H.sid())))
        #expect(w.status == .closingGracefully)
        #expect(w.step(H.compute(1)) == ["execute k1 run=1"])
        #expect(w.step(.scheduler(.close(reason: "retired"))) == [])
        #expect(w.status == .closed)
        #expect(w.step(H.compute(2)) == [])
    }
}

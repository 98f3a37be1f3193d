import Messages
import Testing
@testable import Worker

/// One test per transition of the compute path, with the exact instructions.
@Suite struct ComputeTransitionTests {
    @Test func releasedWaitingReadyExecutingMemory() {
        let w = H.worker()
        #expect(w.step(H.compute(1)) == ["execute k1 run=1"])
        #expect(w.st(1) == .executing)
        #expect(w.executingCount == 1)
        #expect(w.step(H.success(1, start: 0.25, stop: 1.5, nbytes: 10), at: 1.5)
            == ["task-finished k1 run=1 nbytes=10 0.250000000-1.500000000"])
        #expect(w.st(1) == .memory)
        #expect(w.memoryBytes == 10)
        #expect(w.executingCount == 0)
    }

    @Test func readyWaitsForAThread() {
        let w = H.worker(threads: 1)
        #expect(w.step(H.compute(1)) == ["execute k1 run=1"])
        #expect(w.step(H.compute(2)) == [])
        #expect(w.st(2) == .ready)
        #expect(w.readyCount == 1)
        #expect(w.step(H.success(1)) == ["task-finished k1 run=1 nbytes=10 0.000000000-1.000000000", "execute k2 run=1"])
        #expect(w.readyCount == 0)
    }

    @Test func waitingForALocalDependencyBecomesReady() {
        let w = H.worker()
        w.step(H.compute(1))
        w.step(H.success(1))
        // The scheduler lists this worker as the holder: nothing to fetch.
        #expect(w.step(H.compute(2, deps: [(1, [0], 10)])) == ["execute k2 run=1"])
    }

    @Test func executingToError() {
        let w = H.worker()
        w.step(H.compute(1, run: 4))
        #expect(w.step(H.failure(1, run: 4)) == ["task-erred k1 run=4 ZeroDivisionError"])
        #expect(w.st(1) == .error)
        #expect(w.executingCount == 0)
        // error -> released -> forgotten
        #expect(w.step(H.free(1)) == [])
        #expect(w.st(1) == nil)
    }

    @Test func memoryToReleasedTellsTheScheduler() {
        let w = H.worker()
        w.step(H.compute(1))
        w.step(H.success(1, nbytes: 42))
        #expect(w.memoryBytes == 42)
        #expect(w.step(H.free(1)) == ["release-worker-data k1"])
        #expect(w.st(1) == nil)
        #expect(w.memoryBytes == 0)
        #expect(w.knownTaskCount == 0)
    }

    @Test func readyToReleased() {
        let w = H.worker()
        w.step(H.compute(1))
        w.step(H.compute(2))
        #expect(w.step(H.free(2)) == [])
        #expect(w.st(2) == nil)
        #expect(w.readyCount == 0)
        #expect(w.step(H.success(1)) == ["task-finished k1 run=1 nbytes=10 0.000000000-1.000000000"])
    }

    @Test func waitingToReleasedReleasesItsFetch() {
        let w = H.worker()
        w.step(H.compute(1))  // occupies the thread
        #expect(w.step(H.compute(3, deps: [(2, [5], 100)])) == ["gather w5 [k2] 100"])
        #expect(w.st(3) == .waiting)
        #expect(w.step(H.free(3)) == [])
        #expect(w.st(3) == nil)
        #expect(w.st(2) == .cancelled)  // the transfer cannot be recalled
        #expect(w.step(H.received(5, [(2, 100)], requested: [2])) == [])
        #expect(w.st(2) == nil)
        #expect(w.incomingTransferBytes == 0)
    }

    @Test func executingToCancelledToReleased() {
        let w = H.worker()
        w.step(H.compute(1))
        #expect(w.step(H.free(1)) == [])
        #expect(w.st(1) == .cancelled)
        #expect(w.previousAndNext(of: H.k(1)).previous == .executing)
        #expect(w.executingCount == 1)  // the thread is still busy
        #expect(w.step(H.compute(2)) == [])
        #expect(w.st(2) == .ready)
        // The discarded result frees the thread; nothing is reported.
        #expect(w.step(H.success(1)) == ["execute k2 run=1"])
        #expect(w.st(1) == nil)
    }

    @Test func cancelledBackToExecuting() {
        let w = H.worker()
        w.step(H.compute(1, run: 1))
        w.step(H.free(1))
        #expect(w.step(H.compute(1, run: 2)) == [])
        #expect(w.st(1) == .executing)
        #expect(w.step(H.success(1, run: 2)) == ["task-finished k1 run=2 nbytes=10 0.000000000-1.000000000"])
    }

    @Test func executingToLongRunningFreesTheThread() {
        let w = H.worker()
        w.step(H.compute(1), at: 0)
        w.step(H.compute(2), at: 0)
        #expect(w.step(.secede(key: H.k(1)), at: 0.5) == ["long-running k1 run=1 0.500000000", "execute k2 run=1"])
        #expect(w.st(1) == .longRunning)
        #expect(w.executingCount == 1)
        #expect(w.longRunningCount == 1)
        #expect(w.step(H.success(1)) == ["task-finished k1 run=1 nbytes=10 0.000000000-1.000000000"])
        #expect(w.longRunningCount == 0)
    }

    @Test func cancelledLongRunningResentOnCompute() {
        let w = H.worker()
        w.step(H.compute(1, run: 1), at: 0)
        w.step(.secede(key: H.k(1)), at: 0.5)
        #expect(w.step(H.free(1), at: 1) == [])
        #expect(w.st(1) == .cancelled)
        #expect(w.step(H.compute(1, run: 2), at: 2) == ["long-running k1 run=2 2.000000000"])
        #expect(w.st(1) == .longRunning)
    }

    @Test func cancelledExecutingSecedesSilently() {
        let w = H.worker()
        w.step(H.compute(1), at: 0)
        w.step(H.compute(2), at: 0)
        w.step(H.free(1), at: 0.1)
        // cancelled -> long-running: no message (the scheduler forgot the task), thread freed.
        #expect(w.step(.secede(key: H.k(1)), at: 0.2) == ["execute k2 run=1"])
        #expect(w.st(1) == .cancelled)
        #expect(w.previousAndNext(of: H.k(1)).previous == .longRunning)
    }

    @Test func resumedExecutionReportsAddKeys() {
        let w = H.worker()
        w.step(H.compute(1))
        w.step(H.free(1))
        // The scheduler now wants k1 fetched for k2 (it was computed elsewhere).
        #expect(w.step(H.compute(2, deps: [(1, [3], 10)])) == [])
        #expect(w.st(1) == .resumed)
        #expect(w.previousAndNext(of: H.k(1)).next == .fetch)
        #expect(w.st(2) == .waiting)
        #expect(w.step(H.success(1, nbytes: 10)) == ["add-keys [k1]", "execute k2 run=1"])
        #expect(w.st(1) == .memory)
    }

    @Test func resumedExecutionFailureFetchesInstead() {
        let w = H.worker()
        w.step(H.compute(1))
        w.step(H.free(1))
        w.step(H.compute(2, deps: [(1, [3], 10)]))
        #expect(w.step(H.failure(1)) == ["gather w3 [k1] 10"])
        #expect(w.st(1) == .flight)
    }

    @Test func flightToMemoryReportsAddKeys() {
        let w = H.worker()
        #expect(w.step(H.compute(2, deps: [(1, [3], 100)])) == ["gather w3 [k1] 100"])
        #expect(w.st(1) == .flight)
        #expect(w.inFlightCount == 1)
        #expect(w.incomingTransferBytes == 100)
        #expect(w.step(H.received(3, [(1, 100)], requested: [1])) == ["add-keys [k1]", "execute k2 run=1"])
        #expect(w.st(1) == .memory)
        #expect(w.inFlightCount == 0)
        #expect(w.memoryBytes == 100)
    }

    @Test func resumedTransferReportsTaskFinished() {
        let w = H.worker()
        w.step(H.compute(2, deps: [(1, [3], 100)]))
        w.step(H.free(2))
        #expect(w.st(1) == .cancelled)
        // The scheduler now wants k1 computed here: the running transfer will do.
        #expect(w.step(H.compute(1, run: 7)) == [])
        #expect(w.st(1) == .resumed)
        #expect(w.step(H.received(3, [(1, 100)], requested: [1]))
            == ["task-finished k1 run=7 nbytes=100 0.000000000-0.000000000"])
        #expect(w.st(1) == .memory)
    }

    @Test func resumedTransferFailureComputesInstead() {
        let w = H.worker()
        w.step(H.compute(2, deps: [(1, [3], 100)]))
        w.step(H.free(2))
        w.step(H.compute(1, run: 7))
        #expect(w.step(.gatherDepNetworkFailure(peer: H.w(3), requested: [H.k(1)], totalBytes: 100)) == ["execute k1 run=7"])
    }

    @Test func cancelledTransferBackToFlight() {
        let w = H.worker()
        w.step(H.compute(2, deps: [(1, [3], 100)]))
        w.step(H.free(2))
        #expect(w.st(1) == .cancelled)
        // Needed again as a dependency before the transfer ended: just keep it.
        #expect(w.step(H.compute(4, deps: [(1, [3], 100)])) == [])
        #expect(w.st(1) == .flight)
        #expect(w.step(H.received(3, [(1, 100)], requested: [1])) == ["add-keys [k1]", "execute k4 run=1"])
    }

    @Test func computeTaskForAKeyInMemoryAnswersAtOnce() {
        let w = H.worker()
        w.step(H.compute(1))
        w.step(H.success(1, start: 2, stop: 3, nbytes: 10))
        #expect(w.step(H.compute(1, run: 5)) == ["task-finished k1 run=5 nbytes=10 2.000000000-3.000000000"])
    }

    @Test func computeTaskTwiceOnlyRefreshesRunID() {
        let w = H.worker()
        w.step(H.compute(1, run: 1))
        #expect(w.step(H.compute(1, run: 2)) == [])
        #expect(w.st(1) == .executing)
    }

    @Test func stealRequest() {
        let w = H.worker()
        w.step(H.compute(1))
        w.step(H.compute(2))
        #expect(w.step(.scheduler(.stealRequest(key: H.k(2), stimulusID: H.sid()))) == ["steal-response k2 ready"])
        #expect(w.st(2) == nil)
        #expect(w.step(.scheduler(.stealRequest(key: H.k(1), stimulusID: H.sid()))) == ["steal-response k1 executing"])
        #expect(w.st(1) == .executing)
        #expect(w.step(.scheduler(.stealRequest(key: H.k(9), stimulusID: H.sid()))) == ["steal-response k9 none"])
    }

    @Test func stealWaitingTaskCancelsItsTransfer() {
        let w = H.worker()
        w.step(H.compute(2, deps: [(1, [3], 100)]))
        #expect(w.step(.scheduler(.stealRequest(key: H.k(2), stimulusID: H.sid()))) == ["steal-response k2 waiting"])
        #expect(w.st(2) == nil)
        #expect(w.st(1) == .cancelled)
    }

    @Test func missingToWaitingWhenAskedToCompute() {
        let w = H.worker()
        w.step(H.compute(2, deps: [(1, [3], 100)]))
        #expect(w.step(.gatherDepNetworkFailure(peer: H.w(3), requested: [H.k(1)], totalBytes: 100)) == [])
        #expect(w.st(1) == .missing)
        #expect(w.step(H.compute(1)) == ["execute k1 run=1"])
        #expect(w.step(H.success(1)) == ["task-finished k1 run=1 nbytes=10 0.000000000-1.000000000", "execute k2 run=1"])
    }

    @Test func scatterReleasedToMemoryMakesDependentsReady() {
        let w = H.worker()
        w.step(H.compute(1))  // thread busy
        #expect(w.step(H.compute(3, deps: [(2, [4], 5)])) == ["gather w4 [k2] 5"])
        #expect(w.step(.updateData(keys: [ReceivedKey(key: H.k(5), nbytes: 7)])) == [])
        #expect(w.st(5) == .memory)
        #expect(w.memoryBytes == 7)
    }

    @Test func removeReplicasDropsOnlyMemory() {
        let w = H.worker()
        w.step(H.compute(1))
        w.step(H.success(1))
        w.step(H.compute(2))
        #expect(w.step(.scheduler(.removeReplicas(keys: [H.k(1), H.k(2)], stimulusID: H.sid()))) == ["release-worker-data k1"])
        #expect(w.st(1) == nil)
        #expect(w.st(2) == .executing)
    }

    @Test func lastInFirstOutAmongEqualPriorities() {
        let w = H.worker()
        w.step(H.compute(1))
        for k in 2...4 { w.step(H.compute(k)) }
        #expect(w.step(H.success(1)).last == "execute k4 run=1")
        #expect(w.step(H.success(4)).last == "execute k3 run=1")
        #expect(w.step(H.success(3)).last == "execute k2 run=1")
    }

    @Test func smallerPriorityRunsFirst() {
        let w = H.worker()
        w.step(H.compute(1))
        w.step(H.compute(2, order: 5))
        w.step(H.compute(3, order: 1))
        w.step(H.compute(4, order: 3))
        #expect(w.step(H.success(1)).last == "execute k3 run=1")
        #expect(w.step(H.success(3)).last == "execute k4 run=1")
        #expect(w.step(H.success(4)).last == "execute k2 run=1")
    }

    @Test func tasksReadyTogetherCompeteByPriority() {
        // Two dependents become ready on one transfer; the more urgent one gets the thread.
        let w = H.worker()
        w.step(H.compute(2, order: 9, deps: [(1, [3], 10)]))
        w.step(H.compute(4, order: 2, deps: [(1, [3], 10)]))
        #expect(w.step(H.received(3, [(1, 10)], requested: [1])) == ["add-keys [k1]", "execute k4 run=1"])
    }

    @Test func pausedWorkerStartsNothing() {
        let w = H.worker()
        #expect(w.step(.pause) == ["status paused"])
        #expect(w.step(H.compute(1)) == [])
        #expect(w.step(H.compute(3, deps: [(2, [4], 5)])) == [])
        #expect(w.st(2) == .fetch)
        #expect(w.step(.unpause) == ["gather w4 [k2] 5", "status running", "execute k1 run=1"])
    }

    @Test func staleExecuteResultIsIgnored() {
        let w = H.worker()
        #expect(w.step(H.success(1)) == [])
        w.step(H.compute(1))
        w.step(H.success(1))
        #expect(w.step(H.success(1)) == [])
        #expect(w.st(1) == .memory)
    }
}

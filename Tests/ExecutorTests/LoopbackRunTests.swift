import Messages
import NIOCore
import Testing
import Workload
@testable import Executor

/// Scheduler, workers and client in one process over loopback TCP.
@Suite(.serialized)
struct LoopbackRunTests {
    @Test func diamondRunsToCompletionWithVerifiedData() throws {
        let cluster = try LocalCluster(workers: 2)
        defer { try? cluster.shutdown() }
        let workload = try Fixtures.diamond(duration: 0.05, bytes: 1000)
        let result = try cluster.submit(workload)
        #expect(result.erred.isEmpty)
        #expect(result.corrupt.isEmpty)
        #expect(result.gathered == 1)  // the leaf d
        let r = result.records
        #expect(r.tasks.map(\.state) == ["released", "released", "released", "memory"]
                || r.tasks.map(\.state) == ["forgotten", "forgotten", "forgotten", "memory"])
        #expect(r.tasks.allSatisfy { $0.attempts == 1 })
        #expect(r.workerNames == ["w1", "w2"])
        // Each task ran for at least its 50 ms, and c started after a and b ended.
        for t in r.tasks { #expect(t.end - t.start >= Time.milliseconds(50)) }
        #expect(r.tasks[2].start >= r.tasks[0].end)
        #expect(r.tasks[2].start >= r.tasks[1].end)
        #expect(r.tasks[3].start >= r.tasks[2].end)
        // c needs a and b: if they ran on different workers, one of them was fetched.
        let placed = r.tasks.map(\.worker)
        let expectedTransfers = (placed[0] != placed[2] ? 1 : 0) + (placed[1] != placed[2] ? 1 : 0) + (placed[2] != placed[3] ? 1 : 0)
        #expect(r.transfers.count == expectedTransfers)
        for t in r.transfers {
            #expect(t.bytes == workload[t.key].outputBytes)
            #expect(t.to == placed[dependent(of: t.key, in: workload, placed: placed)])
        }
        // Transitions are in time order and every task reached memory once.
        #expect(zip(r.transitions, r.transitions.dropFirst()).allSatisfy { $0.time <= $1.time })
        #expect(r.transitions.filter { $0.to == "memory" }.count == 4)
    }

    /// The first dependent of `key` (for the diamond every key has one).
    func dependent(of key: TaskID, in w: Workload, placed: [Int32]) -> Int {
        w.dependents[key.index].first?.index ?? key.index
    }

    /// 1 MB/s links with 20 ms latency: every 200 kB transfer takes its 0.2 s plus the
    /// latency (once, not once per side), and `spin` work burns its duration.
    @Test func emulatedLinksPaceTransfersAndSpinWorks() throws {
        let cluster = try LocalCluster(workers: 2, nthreads: 1, work: .spin, bandwidth: 1_000_000, latency: .milliseconds(20))
        defer { try? cluster.shutdown() }
        let workload = try Fixtures.chains(width: 2, depth: 2, duration: 0.02, bytes: 200_000, scatter: false)
        let result = try cluster.submit(workload)
        #expect(result.erred.isEmpty)
        #expect(result.corrupt.isEmpty)
        let r = result.records
        #expect(!r.transfers.isEmpty)  // two chains on two single-thread workers: the sum reads a remote tail
        for t in r.transfers {
            let span = t.end - t.start
            #expect(span >= Time(seconds: 0.22), "transfer of \(t.bytes) B took \(span)")
            #expect(span < Time(seconds: 0.40), "transfer of \(t.bytes) B took \(span)")
        }
        for (i, t) in r.tasks.enumerated() where workload.tasks[i].kind == .compute {
            #expect(t.end - t.start >= Time(seconds: 0.02))
        }
    }

    @Test func chainsWithScatteredDataAndTransfers() throws {
        let cluster = try LocalCluster(workers: 3, nthreads: 2)
        defer { try? cluster.shutdown() }
        let workload = try Fixtures.chains(width: 6, depth: 4, duration: 0.01, bytes: 50_000)
        let result = try cluster.submit(workload)
        #expect(result.erred.isEmpty)
        #expect(result.corrupt.isEmpty)
        #expect(result.gathered == 1)
        let r = result.records
        let sum = workload.id(forKey: "sum")!
        let x = workload.id(forKey: "x")!
        #expect(r.tasks[sum.index].state == "memory")
        #expect(r.tasks[x.index].attempts == 0)  // scattered, never computed
        #expect(r.tasks.filter { $0.attempts == 1 }.count == 25)
        // The sum gathered every chain tail not already on its worker.
        let sumWorker = r.tasks[sum.index].worker
        let tails = workload[sum].dependencies
        let remote = tails.filter { r.tasks[$0.index].worker != sumWorker }
        let toSum = r.transfers.filter { $0.to == sumWorker && tails.contains($0.key) }
        #expect(Set(toSum.map(\.key)) == Set(remote))
    }
}

import Messages
import Stochastics
import Testing
import Workload
@testable import Scheduler

/// The order `balance()` walks one cost level in: Dask iterates a Python set
/// (per-process randomized key hash, "random selection"); we visit the level in
/// increasing `WorkStealing.orderHash(key:salt:)`. Expected orders below were
/// computed by hand (FNV-1a 64 over the key's UTF-8, xor `splitMix64(salt)`,
/// `splitMix64`) with an independent Python implementation.
@Suite struct StealingOrderTests {
    /// The rule's published values (salt 0 and 1), and that it is `SeedMixing.streamKey`.
    @Test func orderHashIsSaltedFNV1aThroughSplitMix() {
        #expect(WorkStealing.orderHash(key: "slow-3", salt: 0) == 0x2631_158e_540d_7b1d)
        #expect(WorkStealing.orderHash(key: "slow-0", salt: 0) == 0x2d0e_18b0_7339_1fda)
        #expect(WorkStealing.orderHash(key: "slow-5", salt: 1) == 0x243c_93a3_65e8_9f0f)
        for key in ["slow-0", "block-19", "('matmul-abc', 0, 1)", ""] {
            #expect(WorkStealing.orderHash(key: key, salt: 7)
                    == SeedMixing.splitMix64(SeedMixing.splitMix64(7) ^ SeedMixing.fnv1a64(key)))
        }
        #expect(SchedulerConfig().stealingOrderSalt == 0)
    }

    /// One worker `a` (1 thread) runs `slow-0` (the most urgent task: priority
    /// order would ask for it first, and it is executing) with `slow-1…5` queued
    /// on the worker; an idle `b` joins. Estimates: 2 × 10 s max exec time = 20 s,
    /// so `a` holds 120 s, the cluster average is 60 s per thread.
    /// Level 0 in hash order: slow-3 (0x2631…), slow-0 (0x2d0e…), slow-2, slow-5, slow-1, slow-4.
    /// * slow-3: 0 + 0 + 20 ≤ 120 − 20/2 → request; b holds 20 s < 60/2: still a thief.
    /// * slow-0: 20 + 20 ≤ 100 − 10 → request; b holds 40 s ≥ 30 s: no thief left.
    @Test func firstRequestGoesToTheHashChosenTaskNotTheExecutingOne() throws {
        // Priorities pinned to key order: slow-0 is the most urgent (dask.order would rank by descending key).
        let h = Harness((0..<6).map { (i: Int) in T("slow-\(i)", duration: 10, order: i) }) { $0.workerSaturation = .infinity }
        h.addWorker(0, name: "a")
        h.submit()
        #expect(h.processing(0).count == 6)
        let executing = h.id("slow-0")
        #expect(h.s.priority(of: executing) < h.s.priority(of: h.id("slow-3")))
        h.step(.heartbeatExecuting(WorkerID(0), bandwidth: 0, executing: [ExecutingTask(key: executing, elapsed: .seconds(10))]))
        #expect(h.s.durationEstimate(prefix: "slow") == .seconds(20))
        let stealing = try #require((h.s.policy as? DaskPolicy)?.stealing)
        #expect(h.keys(stealing.visitingOrder(victim: WorkerID(0), level: 0, in: h.s))
                == ["slow-3", "slow-0", "slow-2", "slow-5", "slow-1", "slow-4"])
        h.addWorker(1, name: "b")
        let out = h.step(.balance)
        #expect(h.stealRequests(out) == ["slow-3", "slow-0"])
        let moved = h.stealResponses(out) { $0 == executing ? .executing : .ready }
        #expect(h.computes(moved).map { "\($0.0):\($0.1)" } == ["1:slow-3"])
        #expect(h.s.counters.stealsConfirmed == 1 && h.s.counters.stealsRefused == 1)
        #expect(stealing.events.map(\.outcome) == [.request, .request, .confirm, .alreadyComputing])
        #expect(stealing.events.first.map { h.workload.tasks[$0.key.index].key } == "slow-3")
    }

    /// The order depends on the keys only: not on priorities, task ids or the
    /// order tasks were added to the level.
    @Test func orderIgnoresPriorityIdsAndInsertion() throws {
        let forward = (0..<6).map { T("slow-\($0)", priority: $0) }
        let backward = (0..<6).reversed().map { T("slow-\($0)", priority: -$0) }
        var orders: [[String]] = []
        for tasks in [forward, backward] {
            let h = Harness(tasks) { $0.workerSaturation = .infinity }
            h.addWorker(0)
            h.submit()
            let stealing = try #require((h.s.policy as? DaskPolicy)?.stealing)
            orders.append(h.keys(stealing.visitingOrder(victim: WorkerID(0), level: 0, in: h.s)))
        }
        #expect(orders[0] == ["slow-3", "slow-0", "slow-2", "slow-5", "slow-1", "slow-4"])
        #expect(orders[1] == orders[0])
    }

    /// `stealing-order-salt` gives another fixed order (hand-computed for salt 1).
    @Test func saltSelectsAnotherOrder() throws {
        let h = Harness((0..<6).map { T("slow-\($0)") }) {
            $0.workerSaturation = .infinity
            try? $0.set("stealing-order-salt", "1")
        }
        #expect(h.s.config.stealingOrderSalt == 1)
        h.addWorker(0)
        h.submit()
        let stealing = try #require((h.s.policy as? DaskPolicy)?.stealing)
        #expect(h.keys(stealing.visitingOrder(victim: WorkerID(0), level: 0, in: h.s))
                == ["slow-5", "slow-3", "slow-1", "slow-2", "slow-0", "slow-4"])
        var config = SchedulerConfig()
        #expect(throws: SchedulerConfigError.self) { try config.set("stealing-order-salt", "-1") }
    }

    /// A level of 200 tasks: the visiting order is the keys sorted by hash, and it
    /// is pinned (first keys and an FNV-1a digest of the "\n"-joined keys, both from
    /// the independent Python implementation), so every test process — each with
    /// its own random `Set` seed — must produce exactly this order.
    @Test func largeLevelOrderIsPinnedAcrossProcesses() throws {
        let h = Harness((0..<200).map { T("task-\($0)") }) { $0.workerSaturation = .infinity }
        h.addWorker(0)
        h.submit()
        let stealing = try #require((h.s.policy as? DaskPolicy)?.stealing)
        let order = h.keys(stealing.visitingOrder(victim: WorkerID(0), level: 0, in: h.s))
        #expect(order.count == 200)
        #expect(Array(order.prefix(8)) == ["task-20", "task-53", "task-84", "task-14", "task-3", "task-187", "task-191", "task-36"])
        #expect(order == order.sorted { WorkStealing.orderHash(key: $0, salt: 0) < WorkStealing.orderHash(key: $1, salt: 0) })
        #expect(SeedMixing.fnv1a64(order.joined(separator: "\n")) == 8_733_791_080_327_145_497)
    }
}

import Messages
import Planning
import Policies
import Simulation
import Stochastics
import Testing
import Workload

/// The dynamic baselines on graphs small enough to schedule by hand (see
/// `PolicyFixtures` for the timing rules).
@Suite struct BaselinePolicyTests {
    /// round-robin on a (4 s), b, c, d (1 s) over 2×1: a→w0, b→w1, c→w0, d→w1.
    /// w0 runs a 0.002→4.002 then c →5.002; w1 runs b 0.002→1.002 then d →2.002.
    /// The client learns of c at 5.004.
    @Test func roundRobinAlternates() throws {
        let result = try PolicyFixtures.run("round-robin", try PolicyFixtures.unevenBag(), try PolicyFixtures.cluster("2x1"))
        #expect(result.outcome == .completed)
        #expect(result.taskRows.map(\.worker) == ["worker-0", "worker-1", "worker-0", "worker-1"])
        #expect(result.taskRows.map(\.end) == ["4.002", "1.002", "5.002", "2.002"].map(PolicyFixtures.ns))
        #expect(result.makespan.nanoseconds == PolicyFixtures.ns("5.004"))
    }

    /// least-loaded (exact estimates) on the same bag: a→w0 (load 4 s); b→w1 (0 < 4);
    /// c→w1 (1 < 4); d→w1 (2 < 4). w1 runs b, c, d back to back: 1.002, 2.002, 3.002;
    /// a ends at 4.002, so the client learns at 4.004 — 1 s better than round-robin.
    @Test func leastLoadedBalancesEstimatedWork() throws {
        let result = try PolicyFixtures.run("least-loaded", try PolicyFixtures.unevenBag(), try PolicyFixtures.cluster("2x1"))
        #expect(result.outcome == .completed)
        #expect(result.taskRows.map(\.worker) == ["worker-0", "worker-1", "worker-1", "worker-1"])
        #expect(result.taskRows.map(\.end) == ["4.002", "1.002", "2.002", "3.002"].map(PolicyFixtures.ns))
        #expect(result.makespan.nanoseconds == PolicyFixtures.ns("4.004"))
    }

    /// least-loaded with `mean` estimates: all four tasks have different prefixes,
    /// so the means equal the true values and the schedule is the exact one.
    /// With `online` (Dask's learned averages, all unknown = 500 ms at the start)
    /// every task looks alike: a→w0, b→w1, c→w0, d→w1 as round-robin, 5.004.
    @Test func leastLoadedSeesOnlyItsInformation() throws {
        let bag = try PolicyFixtures.unevenBag()
        let mean = try PolicyFixtures.run("least-loaded", bag, try PolicyFixtures.cluster("2x1"), info: .mean)
        #expect(mean.makespan.nanoseconds == PolicyFixtures.ns("4.004"))
        let online = try PolicyFixtures.run("least-loaded", bag, try PolicyFixtures.cluster("2x1"), info: .online)
        #expect(online.taskRows.map(\.worker) == ["worker-0", "worker-1", "worker-0", "worker-1"])
        #expect(online.makespan.nanoseconds == PolicyFixtures.ns("5.004"))
    }

    /// locality on r1 (10 MB), r2 (100 MB) → x over 2×1: r1→w0, r2→w1 (earliest start);
    /// both end 1.002, the scheduler hears at 1.003; x goes to w1, which holds 100 MB
    /// of its inputs (w0 only 10 MB). compute-task reaches w1 at 1.004, get-data for r1
    /// reaches w0 at 1.005, 1 ms + 10 MB / 100 MB/s → 1.106; x runs to 2.106; client 2.108.
    @Test func localityMovesTheFewestBytes() throws {
        let result = try PolicyFixtures.run("locality", try PolicyFixtures.unevenJoin(), try PolicyFixtures.cluster("2x1"))
        #expect(result.outcome == .completed)
        #expect(result.taskRows.map(\.worker) == ["worker-0", "worker-1", "worker-1"])
        #expect(result.taskRows[2].start == PolicyFixtures.ns("1.106"))
        #expect(result.transferBytes == 10_000_000)
        #expect(result.makespan.nanoseconds == PolicyFixtures.ns("2.108"))
    }

    /// least-loaded ignores data: at 1.003 both workers are idle, so x goes to w0
    /// (lowest id) and fetches r2's 100 MB: 1.005 + 1 ms + 1 s → 2.006; x ends 3.006; client 3.008.
    @Test func leastLoadedIgnoresData() throws {
        let result = try PolicyFixtures.run("least-loaded", try PolicyFixtures.unevenJoin(), try PolicyFixtures.cluster("2x1"))
        #expect(result.taskRows.map(\.worker) == ["worker-0", "worker-1", "worker-0"])
        #expect(result.transferBytes == 100_000_000)
        #expect(result.makespan.nanoseconds == PolicyFixtures.ns("3.008"))
    }

    /// random: the k-th placement is the k-th draw `uniformInt(below: 3)` of the
    /// run's `policy/random` stream (tasks become runnable in static order).
    /// Same seed, same placement; the stream depends on nothing but the seed.
    @Test func randomFollowsTheSeededStream() throws {
        let tasks = (0..<12).map { ("t-\($0)", 1.0, Int64(0), [String]()) }
        let workload = try PolicyFixtures.workload(tasks)
        for seed: UInt64 in [1, 7] {
            let stream = RandomStream(seed: seed, name: "policy/random")
            let expected = (0..<12).map { _ in "worker-\(stream.uniformInt(below: 3))" }
            let result = try PolicyFixtures.run("random", workload, try PolicyFixtures.cluster("3x1"), seed: seed)
            #expect(result.outcome == .completed)
            #expect(result.taskRows.map(\.worker) == expected)
            // Each worker runs its tasks back to back from 0.002: the busiest one sets the makespan.
            let most = ["worker-0", "worker-1", "worker-2"].map { w in expected.filter { $0 == w }.count }.max() ?? 0
            #expect(result.makespan.nanoseconds == PolicyFixtures.ns("0.004") + Int64(most) * 1_000_000_000)
        }
        let one = try PolicyFixtures.run("random", workload, try PolicyFixtures.cluster("3x1"), seed: 1)
        let seven = try PolicyFixtures.run("random", workload, try PolicyFixtures.cluster("3x1"), seed: 7)
        #expect(one.taskRows.map(\.worker) != seven.taskRows.map(\.worker))
    }

    /// Restricted tasks: every baseline keeps to the allowed workers.
    @Test(arguments: ["random", "round-robin", "least-loaded", "locality"])
    func baselinesHonourRestrictions(policy: String) throws {
        var builder = WorkloadBuilder(name: "restricted", source: "test")
        for i in 0..<6 {
            builder.add(TaskSpec(key: "t-\(i)", duration: 1, restrictions: Restrictions(workers: ["worker-2"]), order: i),
                        dependencies: [], origin: "t-\(i)")
        }
        let workload = try builder.build()
        let result = try PolicyFixtures.run(policy, workload, try PolicyFixtures.cluster("3x1"))
        #expect(result.outcome == .completed)
        #expect(result.taskRows.allSatisfy { $0.worker == "worker-2" })
        #expect(result.makespan.nanoseconds == PolicyFixtures.ns("6.004"))
    }
}

import Messages
import Planning
import Policies
import Scheduler
import Simulation
import Testing
import Workload

/// The registry, Dask's variants, `--set`, the planned policies and `--info`.
@Suite struct RegistryTests {
    static let planners = Planner.allCases.map(\.rawValue)

    @Test func everyPolicyIsRegisteredOnceInOrder() {
        #expect(PolicyRegistry.names == [
            "dask", "dask-nosteal", "dask-noqueue", "random", "round-robin", "least-loaded", "locality",
            "heft", "blevel", "tlevel", "dls", "etf", "mcp",
        ])
        #expect(PolicyRegistry.entry(named: "heft")?.usesInformation == true)
        #expect(PolicyRegistry.entry(named: "dask")?.usesInformation == false)
    }

    static func context(_ workload: Workload, info: InformationMode = .exact) throws -> PolicyContext {
        PolicyContext(workload: workload, cluster: try PolicyFixtures.cluster("2x1"), seed: 1, info: info)
    }

    /// The three Dask variants differ only in their configuration; `--set` comes last.
    @Test func daskVariantsAndSet() throws {
        let ctx = try Self.context(try PolicyFixtures.unevenBag())
        let dask = try PolicyRegistry.prepare("dask", context: ctx).config
        #expect(dask.workerSaturation == 1.1 && dask.workStealing)
        let noSteal = try PolicyRegistry.prepare("dask-nosteal", context: ctx).config
        #expect(noSteal.workerSaturation == 1.1 && !noSteal.workStealing)
        let noQueue = try PolicyRegistry.prepare("dask-noqueue", context: ctx).config
        #expect(noQueue.workerSaturation == .infinity && noQueue.workStealing)
        let set = try PolicyRegistry.prepare(
            "dask-nosteal", context: ctx,
            settings: [("worker-saturation", "2.0"), ("work-stealing-interval", "100ms"), ("work-stealing", "true")]).config
        #expect(set.workerSaturation == 2.0 && set.workStealing && set.workStealingInterval == .milliseconds(100))
        #expect(throws: PolicyError.self) { try PolicyRegistry.prepare("dask", context: ctx, settings: [("worker-saturation", "lots")]) }
        do {
            _ = try PolicyRegistry.prepare("dask", context: ctx, settings: [("no-such-thing", "1")])
            Issue.record("an unknown setting was accepted")
        } catch {
            #expect("\(error)".contains("no-such-thing"))
        }
        do {
            _ = try PolicyRegistry.prepare("fastest", context: ctx)
            Issue.record("an unknown policy was accepted")
        } catch {
            #expect("\(error)" == "policy 'fastest': unknown policy; known: \(PolicyRegistry.names.joined(separator: ", "))")
        }
    }

    /// Every static planner on r1 (10 MB), r2 (100 MB) → x over 2×1 with exact
    /// information puts r1 and r2 on different workers and x with r2 (moving
    /// 10 MB instead of 100 MB). Simulated: both roots end at 1.002; x's worker
    /// fetches r1 (get-data at 1.005, +1 ms + 0.1 s → 1.106); x ends 2.106; client 2.108.
    /// That is optimal: keeping everything on one worker ends at 3.004.
    @Test(arguments: planners)
    func plannersFindTheOptimumOnAnUnevenJoin(planner: String) throws {
        let result = try PolicyFixtures.run(planner, try PolicyFixtures.unevenJoin(), try PolicyFixtures.cluster("2x1"))
        #expect(result.outcome == .completed)
        let workers = result.taskRows.map(\.worker)
        #expect(workers[0] != workers[1])
        #expect(workers[2] == workers[1])
        #expect(result.transferBytes == 10_000_000)
        #expect(result.makespan.nanoseconds == PolicyFixtures.ns("2.108"))
    }

    /// HEFT's own plan for that graph: r2 has the larger upward rank, so it is
    /// planned first on worker-0; r1 finishes earliest on worker-1; x on worker-0
    /// starts after r1's 10 MB arrive: 1 s + 1 ms + 0.1 s = 1.101, planned end 2.101.
    @Test func heftPlanOnTheUnevenJoin() throws {
        let result = try PolicyFixtures.run("heft", try PolicyFixtures.unevenJoin(), try PolicyFixtures.cluster("2x1"))
        #expect(result.taskRows.map(\.worker) == ["worker-1", "worker-0", "worker-0"])
        let prepared = try PolicyRegistry.prepare("heft", context: try Self.context(try PolicyFixtures.unevenJoin()))
        let policy = try #require(prepared.makePolicy() as? PlannedPolicy)
        #expect(policy.plan.makespan == Time(nanoseconds: PolicyFixtures.ns("2.101")))
    }

    /// b-level on the uneven bag (a 4 s, b, c, d 1 s) over 2×1 plans a on worker-0
    /// and b, c, d on worker-1: the simulated run matches least-loaded's 4.004.
    /// With `mean` information every task has its own prefix, so nothing changes;
    /// `user:0` is exact; `online` does not exist before the run and is refused.
    @Test func informationModes() throws {
        let bag = try PolicyFixtures.unevenBag()
        let cluster = try PolicyFixtures.cluster("2x1")
        for info in [InformationMode.exact, .mean, .user(error: 0)] {
            let result = try PolicyFixtures.run("blevel", bag, cluster, info: info)
            #expect(result.taskRows.map(\.worker) == ["worker-0", "worker-1", "worker-1", "worker-1"])
            #expect(result.makespan.nanoseconds == PolicyFixtures.ns("4.004"))
        }
        do {
            _ = try PolicyFixtures.run("heft", bag, cluster, info: .online)
            Issue.record("online information was accepted by a static planner")
        } catch {
            #expect("\(error)".hasPrefix("policy 'heft': information mode 'online' is not available"))
        }
        // A 100 % user error may change the plan, but the same seed always gives the same one.
        let a = try PolicyFixtures.run("heft", bag, cluster, info: .user(error: 1), seed: 3)
        let b = try PolicyFixtures.run("heft", bag, cluster, info: .user(error: 1), seed: 3)
        #expect(a.taskRows.map(\.worker) == b.taskRows.map(\.worker))
    }

    @Test func infoFlagParsing() throws {
        #expect(try InformationModeParsing.parse("exact") == .exact)
        #expect(try InformationModeParsing.parse("user:0.3") == .user(error: 0.3))
        #expect(try InformationModeParsing.parse("MEAN") == .mean)
        #expect(try InformationModeParsing.parse("online") == .online)
        #expect(InformationModeParsing.label(of: .user(error: 0.3)) == "user:0.3")
        #expect(throws: PolicyError.self) { try InformationModeParsing.parse("user:2") }
        #expect(throws: PolicyError.self) { try InformationModeParsing.parse("psychic") }
    }

    /// Dask itself on the uneven join: r1 and r2 go to different idle workers;
    /// x goes where the smaller fetch is (Dask's `worker_objective`: 0.1 s vs 1 s
    /// at its 100 MB/s bandwidth estimate), i.e. with r2: the same 2.108 as the optimum.
    @Test(arguments: ["dask", "dask-nosteal", "dask-noqueue"])
    func daskOnTheUnevenJoin(policy: String) throws {
        let result = try PolicyFixtures.run(policy, try PolicyFixtures.unevenJoin(), try PolicyFixtures.cluster("2x1"))
        #expect(result.outcome == .completed)
        let workers = result.taskRows.map(\.worker)
        #expect(workers[0] != workers[1] && workers[2] == workers[1])
        #expect(result.makespan.nanoseconds == PolicyFixtures.ns("2.108"))
    }
}

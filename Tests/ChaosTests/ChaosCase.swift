import Messages
import Policies
import Simulation
import Stochastics
import Workload

/// One seeded chaos run, in the spirit of TigerBeetle's simulator: a random graph,
/// cluster, policy, runtime and fault schedule, all drawn from one seed, so a
/// failing seed is a complete reproducer (`ChaosCase(seed:).description` prints it).
struct ChaosCase: CustomStringConvertible {
    let seed: UInt64
    let workload: Workload
    let cluster: Cluster
    let policy: String
    let runtime: RuntimeProfile
    let noiseCV: Double
    let scenario: [ScenarioEvent]
    /// Some worker is never killed or retired, and no live worker is paused at the end: the
    /// run must complete. (A worker paused for good keeps the tasks it was given, as in
    /// Dask, and a planner's task pinned to it waits for it: docs/policies.md.)
    let mustComplete: Bool
    /// The scenario kills a worker (only then may tasks err or scattered data be lost).
    let kills: Bool

    static let actions = ["kill", "pause", "unpause", "add", "retire", "slow"]

    init(seed: UInt64) {
        let random = RandomStream(seed: seed, name: "chaos")
        workload = Self.graph(random.derived("graph"))
        let draw = random.derived("cluster")
        let link = LinkParameters(latency: 1_000_000, bandwidth: 1e8)
        let model: NetworkModelKind = draw.uniformInt(below: 2) == 0 ? .simple : .maxmin
        let network = NetworkConfig(model: model, sameHost: link, sameRack: link, crossRack: link, hostUplink: 1e8, hostDownlink: 1e8)
        var workers: [ClusterWorker] = []
        for i in 0..<(1 + draw.uniformInt(below: 5)) {
            workers.append(ClusterWorker(
                name: "worker-\(i)", host: "host-\(i)", nthreads: 1 + draw.uniformInt(below: 3),
                speed: [0.5, 1, 1, 2][draw.uniformInt(below: 4)]))
        }
        cluster = Cluster(workers, label: "chaos-\(workers.count)", network: network)
        policy = PolicyRegistry.names[draw.uniformInt(below: PolicyRegistry.names.count)]
        runtime = draw.uniformInt(below: 3) == 0 ? .dask : .ideal
        noiseCV = draw.uniformInt(below: 3) == 0 ? 0.3 : 0
        let work = workload.tasks.reduce(0.0) { $0 + $1.duration }
        let horizon = max(1.0, work / Double(max(1, cluster.totalThreads)) * 1.5)
        (scenario, mustComplete, kills) = Self.faults(random.derived("faults"), names: workers.map(\.name), horizon: horizon)
        self.seed = seed
    }

    /// A random DAG of 2–40 tasks: each depends on up to three earlier ones; a quarter
    /// of the graphs start with up to three pure-data keys that the client scatters.
    static func graph(_ draw: RandomStream) -> Workload {
        var builder = WorkloadBuilder(name: "chaos", source: "chaos")
        var keys: [String] = []
        let sizes: [Int64] = [0, 8, 1_000, 1_000_000, 20_000_000]
        if draw.uniformInt(below: 4) == 0 {
            for d in 0..<(1 + draw.uniformInt(below: 3)) {
                let key = "data-\(d)"
                builder.add(TaskSpec(key: key, kind: .data, outputBytes: sizes[1 + draw.uniformInt(below: 4)]), dependencies: [], origin: key)
                keys.append(key)
            }
        }
        let n = 2 + draw.uniformInt(below: 39)
        let prefixes = ["load", "map", "sum", "join"]
        for i in 0..<n {
            var deps: [String] = []
            if !keys.isEmpty {
                for _ in 0..<draw.uniformInt(below: min(3, keys.count) + 1) {
                    let dep = keys[draw.uniformInt(below: keys.count)]
                    if !deps.contains(dep) { deps.append(dep) }
                }
            }
            let key = "\(prefixes[draw.uniformInt(below: prefixes.count)])-\(i)"
            let duration = [0, 0.01, 0.5, 1, 3][draw.uniformInt(below: 5)]
            builder.add(TaskSpec(key: key, duration: duration, outputBytes: sizes[draw.uniformInt(below: sizes.count)]),
                        dependencies: deps, origin: key)
            keys.append(key)
        }
        // Every key is distinct and every dependency is earlier: the build cannot fail.
        return try! builder.build()
    }

    /// Up to seven faults at random times within the run's likely length, each naming a
    /// worker that exists by then; sometimes a fresh worker joins after the last fault.
    static func faults(_ draw: RandomStream, names initial: [String], horizon: Double) -> ([ScenarioEvent], Bool, Bool) {
        let count = draw.uniformInt(below: 8)
        var times = (0..<count).map { (_: Int) in draw.uniform() * horizon }
        times.sort()
        var known = initial
        var gone = Set<String>()
        var paused = Set<String>()
        var events: [ScenarioEvent] = []
        var kills = false
        for (i, t) in times.enumerated() {
            let time = Time(nanoseconds: Time(seconds: t).nanoseconds / 1_000_000 * 1_000_000)  // whole milliseconds
            let action = actions[draw.uniformInt(below: actions.count)]
            let name = known[draw.uniformInt(below: known.count)]
            switch action {
            case "kill":
                events.append(ScenarioEvent(time: time, action: .kill(worker: name)))
                gone.insert(name)
                kills = true
            case "retire":
                events.append(ScenarioEvent(time: time, action: .retire(worker: name)))
                gone.insert(name)
            case "pause":
                events.append(ScenarioEvent(time: time, action: .pause(worker: name)))
                paused.insert(name)
            case "unpause":
                events.append(ScenarioEvent(time: time, action: .unpause(worker: name)))
                paused.remove(name)
            case "slow":
                events.append(ScenarioEvent(time: time, action: .slow(worker: name, factor: [0.25, 0.5, 2][draw.uniformInt(below: 3)])))
            default:
                let added = ClusterWorker(name: "added-\(i)", host: "added-host-\(i)", nthreads: 1 + draw.uniformInt(below: 2))
                events.append(ScenarioEvent(time: time, action: .addWorker(added)))
                known.append(added.name)
            }
        }
        if draw.uniformInt(below: 3) == 0 {
            let rescue = ClusterWorker(name: "rescue", host: "rescue-host", nthreads: 1)
            events.append(ScenarioEvent(time: Time(seconds: (times.last ?? 0).rounded(.up) + 1), action: .addWorker(rescue)))
            known.append(rescue.name)
        }
        // Sets are only looked up here, never iterated: the order cannot reach the run.
        let live = known.contains { !gone.contains($0) } && !known.contains { !gone.contains($0) && paused.contains($0) }
        return (events, live, kills)
    }

    var description: String {
        let faults = scenario.map { "\($0.name)@\(Time.format($0.time.nanoseconds))" }.joined(separator: ",")
        return "chaos seed \(seed): \(workload.count) tasks, \(cluster.workers.count) workers (\(cluster.network.model.rawValue)), "
            + "policy \(policy), runtime \(runtime.name), noise \(noiseCV), faults [\(faults)]"
    }

    /// Runs the case; `record` off is what a run without `--out` does.
    func run(validate: Bool = true, record: Bool = true) throws -> SimulationResult {
        var prepared = try PolicyRegistry.prepare(policy, context: PolicyContext(workload: workload, cluster: cluster, seed: seed))
        prepared.config.recordTransitions = record
        var config = SimulationConfig()
        config.seed = seed
        config.runtime = runtime
        config.durationNoiseCV = noiseCV
        config.scenario = scenario
        config.balanceInterval = prepared.config.workStealingInterval
        config.recordTransitions = record
        config.sampleInterval = record ? .seconds(1) : .zero
        config.validate = validate
        config.eventLimit = 3_000_000  // a livelock shows as event-limit, not as a hung test
        return Simulator(workload: prepared.workload, cluster: cluster, factory: .policy(prepared), config: config).run()
    }
}

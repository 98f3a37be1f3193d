import Messages
import Planning
import Policies
import Simulation
import Testing
import Workload

/// Small graphs on clusters whose every link takes 1 ms and carries 100 MB/s
/// (the simple network, so times are exact), run through the simulator with
/// Dask's scheduler and worker state machines and a registered policy.
///
/// Timing rules used in the hand computations: a message takes 1 ms; a task
/// runs for its duration from the moment the compute-task message reaches its
/// worker (or its inputs arrive); a fetch is get-data (1 ms) + 1 ms + bytes / 100 MB/s;
/// without gathering, the run ends when the client learns of the last wanted
/// result (task end + 2 ms: worker → scheduler → client).
enum PolicyFixtures {
    static func cluster(_ flag: String) throws -> Cluster {
        let link = LinkParameters(latency: 1_000_000, bandwidth: 1e8)
        let network = NetworkConfig(model: .simple, sameHost: link, sameRack: link, crossRack: link, hostUplink: 1e8, hostDownlink: 1e8)
        return try Cluster.parse(flag: flag, network: network)
    }

    /// `(key, duration s, output bytes, dependencies)`; each task's static order
    /// is its position, so the order in which tasks become runnable is pinned.
    static func workload(_ tasks: [(String, Double, Int64, [String])]) throws -> Workload {
        var builder = WorkloadBuilder(name: "fixture", source: "test")
        for (i, (key, duration, bytes, deps)) in tasks.enumerated() {
            builder.add(TaskSpec(key: key, duration: duration, outputBytes: bytes, order: i), dependencies: deps, origin: key)
        }
        return try builder.build()
    }

    /// Runs `policy` from the registry; `nil` with the error recorded if it cannot be prepared.
    static func run(
        _ policy: String, _ workload: Workload, _ cluster: Cluster, info: InformationMode = .exact, seed: UInt64 = 1,
        settings: [(name: String, value: String)] = []
    ) throws -> SimulationResult {
        let context = PolicyContext(workload: workload, cluster: cluster, seed: seed, info: info)
        let prepared = try PolicyRegistry.prepare(policy, context: context, settings: settings)
        var config = SimulationConfig()
        config.seed = seed
        config.gather = false
        config.sampleInterval = .zero
        config.balanceInterval = prepared.config.workStealingInterval
        return Simulator(workload: prepared.workload, cluster: cluster, factory: .policy(prepared), config: config).run()
    }

    /// Decimal seconds to nanoseconds ("1.106" → 1_106_000_000).
    static func ns(_ seconds: String) -> Int64 {
        let parts = seconds.split(separator: ".")
        let whole = (Int64(parts[0]) ?? 0) * 1_000_000_000
        guard parts.count == 2 else { return whole }
        return whole + (Int64(String(parts[1]).padding(toLength: 9, withPad: "0", startingAt: 0)) ?? 0)
    }

    /// Four independent tasks a (4 s), b, c, d (1 s each), no outputs.
    static func unevenBag() throws -> Workload {
        try workload([("a", 4, 0, []), ("b", 1, 0, []), ("c", 1, 0, []), ("d", 1, 0, [])])
    }

    /// r1 (10 MB) and r2 (100 MB), 1 s each, both inputs of x (1 s). x lists r2
    /// first: when x is submitted its dependencies are recommended in that order
    /// and, as in Dask, the last recommendation is handled first, so r1 is placed
    /// before r2.
    static func unevenJoin() throws -> Workload {
        try workload([("r1", 1, 10_000_000, []), ("r2", 1, 100_000_000, []), ("x", 1, 0, ["r2", "r1"])])
    }
}

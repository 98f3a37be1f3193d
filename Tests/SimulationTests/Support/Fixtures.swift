import Messages
import Simulation

/// Small graphs and clusters whose schedules are easy to follow by hand.
enum Fixtures {
    /// Every link: 1 ms latency, 100 MB/s; every host interface 100 MB/s each way.
    static func network(_ model: NetworkModelKind) -> NetworkConfig {
        let link = LinkParameters(latency: 1_000_000, bandwidth: 1e8)
        return NetworkConfig(model: model, sameHost: link, sameRack: link, crossRack: link, hostUplink: 1e8, hostDownlink: 1e8)
    }

    static func cluster(_ flag: String, _ model: NetworkModelKind = .simple) throws -> Cluster {
        try Cluster.parse(flag: flag, network: network(model))
    }

    /// `(key, duration s, output bytes, dependencies)`; one client wants the leaves.
    static func workload(_ tasks: [(String, Double, Int64, [String])]) throws -> Workload {
        var builder = WorkloadBuilder(name: "fixture", source: "test")
        for (key, duration, bytes, deps) in tasks {
            builder.add(TaskSpec(key: key, duration: duration, outputBytes: bytes), dependencies: deps, origin: key)
        }
        return try builder.build()
    }

    static func run(
        _ workload: Workload, _ cluster: Cluster, factory: MachineFactory = .simple,
        configure: (inout SimulationConfig) -> Void = { _ in }
    ) -> SimulationResult {
        var config = SimulationConfig()
        configure(&config)
        return Simulator(workload: workload, cluster: cluster, factory: factory, config: config).run()
    }

    static func ns(_ seconds: String) -> Int64 {
        let parts = seconds.split(separator: ".")
        let whole = Int64(parts[0])! * 1_000_000_000
        guard parts.count == 2 else { return whole }
        let frac = String(parts[1]).padding(toLength: 9, withPad: "0", startingAt: 0)
        return whole + Int64(frac)!
    }
}

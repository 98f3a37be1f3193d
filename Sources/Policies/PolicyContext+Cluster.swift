import Messages
import Planning
import Simulation
import Workload

extension PolicyContext {
    /// The context of a simulated run on `cluster`: its workers in id order with
    /// their speeds, and its network as one planner link. A planner models one
    /// host-to-host link class (the same-rack one) plus loopback within a host;
    /// contention and racks are left to the simulator.
    public init(workload: Workload, cluster: Cluster, seed: UInt64, info: InformationMode = .exact) {
        let net = cluster.network
        let network = PlanningCluster.Network(
            bandwidth: net.sameRack.bandwidth, latency: Double(net.sameRack.latency) / 1e9,
            sameHostBandwidth: net.sameHost.bandwidth, sameHostLatency: Double(net.sameHost.latency) / 1e9)
        self.init(
            workload: workload, workers: cluster.workers.indices.map { cluster.spec($0) },
            speeds: cluster.workers.map(\.speed), network: network, seed: seed, info: info)
    }
}

import Foundation
import Messages
import Planning
import Testing
import TraceFormats
import Workload

/// Every planner on the bundled real traces: feasible plans, never below the
/// simple lower bound max(critical path, work / threads) of the exact graph.
@Suite struct RealTraceTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let traces = [
        "traces/dask/delayed_tree.json", "traces/dask/array_sum.json", "traces/dask/dataframe_groupby.json",
        "traces/dax/CyberShake_30.xml", "traces/dax/Montage_25.xml", "traces/stg/robot.stg",
        "traces/wfcommons/montage-chameleon-2mass-01d-001.json", "traces/wfcommons/blast-chameleon-medium-001.json",
        "traces/native/diamond.json",
    ]

    @Test(arguments: traces)
    func plansOnRealTraces(_ path: String) throws {
        let workload = try TraceLoader.load(path: Self.root.appendingPathComponent(path).path).workload
        // 4 workers x 2 threads on 2 hosts, 1 GB/s inside a host, 100 MB/s between hosts.
        let cluster = try PlanningCluster(
            workers: (0..<4).map { .init(name: "worker-\($0)", host: "host-\($0 / 2)", nthreads: 2) },
            network: .init(bandwidth: 100e6, latency: 0.001, sameHostBandwidth: 1e9, sameHostLatency: 0.0001))
        let facts = workload.graphFacts()
        let bound = Time(seconds: facts.makespanLowerBound(threads: 8)).nanoseconds
        for mode in [InformationMode.exact, .mean] {
            let estimates = try Estimates.make(workload, mode: mode, seed: 1)
            for planner in Planner.allCases {
                let plan = try planner.plan(workload, on: cluster, estimates: estimates)
                #expect(plan.problems(workload, on: cluster, estimates: estimates) == [], "\(planner) \(mode) \(path)")
                #expect(plan.decisions.count == facts.computeTasks, "\(planner) \(mode) \(path)")
                if mode == .exact {
                    // Rounding each duration to whole nanoseconds can shave at most 1 ns per task.
                    #expect(plan.makespan.nanoseconds + Int64(facts.tasks) >= bound, "\(planner) \(path)")
                }
            }
        }
    }
}

import Executor
import Messages
import Recording
import Simulation
import TraceFormats
import Workload

/// The numbers `validate` reports: simulated against real, and both against a
/// recorded Dask run when the trace carries one.
struct Validation {
    var simMakespan: Double
    var realMakespan: Double
    var startErrorP50: Double
    var startErrorP95: Double
    /// Share of compute tasks whose (last) execution was on the same worker id.
    var placementAgreement: Double
    var comparedTasks: Int
    var simTransfers: Int
    var realTransfers: Int
    var simTransferBytes: Int64
    var realTransferBytes: Int64
    /// The Dask run's makespan (scaled by the time scale), if the trace recorded one.
    var daskMakespan: Double?

    static let header = "trace,policy,cluster,time_scale,sim_makespan,real_makespan,makespan_rel_error,start_error_p50,start_error_p95,placement_agreement,tasks_compared,sim_transfers,real_transfers,sim_transfer_bytes,real_transfer_bytes,dask_makespan,sim_vs_dask_rel_error,real_vs_dask_rel_error,runtime"

    /// (a − b) / b, or 0 when b is 0.
    static func relative(_ a: Double, _ b: Double) -> Double { b == 0 ? 0 : (a - b) / b }

    /// Nearest-rank percentile of sorted values.
    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((p * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    static func compare(sim: SimulationResult, simWorkerNames: [String], real: RunLogs, reference: ReferenceRun?,
                        timeScale: Double) -> Validation {
        let simRows = sim.taskRows
        var errors: [Double] = []
        var same = 0
        var compared = 0
        for (i, spec) in real.workload.tasks.enumerated() where spec.kind == .compute {
            let r = real.records.tasks[i]
            guard r.start != .never, i < simRows.count, let simStart = simRows[i].start else { continue }
            compared += 1
            let realStart = r.start.nanoseconds - real.records.runStart.nanoseconds
            errors.append(Double(abs(realStart - simStart)) / 1e9)
            if let w = simWorkerNames.firstIndex(of: simRows[i].worker), Int32(w) == r.worker { same += 1 }
        }
        errors.sort()
        return Validation(
            simMakespan: sim.makespan.seconds, realMakespan: Double(real.makespan) / 1e9,
            startErrorP50: percentile(errors, 0.5), startErrorP95: percentile(errors, 0.95),
            placementAgreement: compared > 0 ? Double(same) / Double(compared) : 0, comparedTasks: compared,
            simTransfers: sim.transfers, realTransfers: real.records.transfers.count,
            simTransferBytes: sim.transferBytes, realTransferBytes: real.records.transfers.reduce(Int64(0)) { $0 + $1.bytes },
            daskMakespan: reference.map { $0.makespan * timeScale })
    }

    func row(trace: String, policy: String, cluster: String, timeScale: Double, runtime: String) -> String {
        func f(_ x: Double) -> String { CSVTable.fixed(x, decimals: 9) }
        var fields = [trace, policy, cluster, CSVTable.fixed(timeScale, decimals: 6), f(simMakespan), f(realMakespan),
                      CSVTable.fixed(Self.relative(simMakespan, realMakespan), decimals: 6), f(startErrorP50), f(startErrorP95),
                      CSVTable.fixed(placementAgreement, decimals: 6), String(comparedTasks), String(simTransfers),
                      String(realTransfers), String(simTransferBytes), String(realTransferBytes)]
        if let dask = daskMakespan {
            fields += [f(dask), CSVTable.fixed(Self.relative(simMakespan, dask), decimals: 6),
                       CSVTable.fixed(Self.relative(realMakespan, dask), decimals: 6)]
        } else {
            fields += ["", "", ""]
        }
        fields.append(runtime)
        return fields.map { $0.contains(",") ? "\"\($0)\"" : $0 }.joined(separator: ",")
    }

    func text(trace: String, runtime: RuntimeProfile) -> String {
        func pct(_ x: Double) -> String { CSVTable.fixed(100 * x, decimals: 1) + "%" }
        func s(_ x: Double) -> String { CSVTable.fixed(x, decimals: 3) + " s" }
        var lines = [
            "validate \(trace) (simulated with runtime \(runtime.name)):",
            "  makespan        sim \(s(simMakespan))   real \(s(realMakespan))   error \(pct(Self.relative(simMakespan, realMakespan)))",
            "  start error     p50 \(s(startErrorP50))   p95 \(s(startErrorP95))   (\(comparedTasks) tasks)",
            "  placement       \(pct(placementAgreement)) of tasks on the same worker",
            "  transfers       sim \(simTransfers) (\(simTransferBytes) B)   real \(realTransfers) (\(realTransferBytes) B)",
        ]
        if let dask = daskMakespan {
            lines.append("  dask (recorded) \(s(dask))   sim error \(pct(Self.relative(simMakespan, dask)))   real error \(pct(Self.relative(realMakespan, dask)))")
        }
        return lines.joined(separator: "\n")
    }
}

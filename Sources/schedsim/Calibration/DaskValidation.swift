import Messages
import Recording
import Simulation

/// `validate --against dask`: each capture replayed on its recorded cluster with a
/// runtime profile, measured exactly as the real run is (`RunMeasures`).
enum DaskValidation {
    static let header = [
        "capture", "workload", "worker_saturation", "runtime", "real_span", "sim_span", "span_error",
        "real_gap_p50", "sim_gap_p50", "gap_p50_error", "real_gap_p95", "sim_gap_p95",
        "real_tasks_per_worker", "sim_tasks_per_worker", "real_transfer_bytes", "sim_transfer_bytes",
        "real_peak_memory", "sim_peak_memory", "peak_memory_error",
    ]

    struct Row {
        var capture: CaptureReplay
        var real: RunMeasures
        var sim: RunMeasures
        var saturation: String { capture.reference.workerSaturation.map { $0.isInfinite ? "inf" : CSVTable.fixed($0, decimals: 2) } ?? "" }
    }

    static func relative(_ a: Double, _ b: Double) -> Double { Validation.relative(a, b) }

    static func run(paths: [String], profile: RuntimeProfile, out: String, logs: Bool) throws(CaptureReplayError) -> (csv: String, text: String) {
        var rows: [Row] = []
        for path in paths {
            let capture = try CaptureReplay.load(path)
            let result = try capture.simulate(profile, logs: logs, transitions: true)
            if logs {
                let name = capture.workload.name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" }
                do { try LogTables.write(result.logFiles(summary: summaryRow(capture, result, profile)), to: out + "/sim/" + String(name)) } catch {
                    throw CaptureReplayError("\(error)")
                }
            }
            rows.append(Row(capture: capture, real: RunMeasures(reference: capture.reference, workload: capture.workload), sim: RunMeasures(simulation: result, cluster: capture.cluster)))
        }
        var table = CSVTable(header: header)
        var textRows: [[String]] = []
        for row in rows {
            let r = row.real, s = row.sim
            table.append(row.capture.path)
            table.append(row.capture.group)
            table.append(row.saturation)
            table.append(profile.name)
            table.append(fixed: r.span, decimals: 6)
            table.append(fixed: s.span, decimals: 6)
            table.append(fixed: relative(s.span, r.span), decimals: 4)
            table.append(fixed: r.gapP50, decimals: 6)
            table.append(fixed: s.gapP50, decimals: 6)
            table.append(fixed: relative(s.gapP50, r.gapP50), decimals: 4)
            table.append(fixed: r.gapP95, decimals: 6)
            table.append(fixed: s.gapP95, decimals: 6)
            table.append(r.tasksPerWorker.map(String.init).joined(separator: " "))
            table.append(s.tasksPerWorker.map(String.init).joined(separator: " "))
            table.append(r.transferBytes)
            table.append(s.transferBytes)
            if let real = r.peakMemory { table.append(real) } else { table.appendEmpty() }
            if let sim = s.peakMemory { table.append(sim) } else { table.appendEmpty() }
            if let real = r.peakMemory, let sim = s.peakMemory, real > 0 {
                table.append(fixed: relative(Double(sim), Double(real)), decimals: 4)
            } else {
                table.appendEmpty()
            }
            table.endRow()
            textRows.append([
                row.capture.path.split(separator: "/").last.map(String.init) ?? row.capture.path, row.saturation,
                CSVTable.fixed(r.span, decimals: 3), CSVTable.fixed(s.span, decimals: 3), CalibrateCommand.percent(relative(s.span, r.span)),
                CSVTable.fixed(r.gapP50 * 1e3, decimals: 2), CSVTable.fixed(s.gapP50 * 1e3, decimals: 2),
                r.peakMemory.map { CSVTable.fixed(Double($0) / 1e6, decimals: 1) } ?? "—",
                s.peakMemory.map { CSVTable.fixed(Double($0) / 1e6, decimals: 1) } ?? "—",
            ])
        }
        var text = "runtime \(profile.name) (\(profile.source))\n"
        text += TextTable.render(header: ["capture", "saturation", "real span s", "sim span s", "error", "real gap p50 ms", "sim gap p50 ms", "real peak MB", "sim peak MB"], rows: textRows) + "\n"
        let spanErrors = rows.map { abs(relative($0.sim.span, $0.real.span)) }
        let gapErrors = rows.filter { $0.real.gapP50 > 0 }.map { abs(relative($0.sim.gapP50, $0.real.gapP50)) }
        func pct(_ x: Double?) -> String { x.map { CSVTable.fixed(100 * $0, decimals: 1) + " %" } ?? "—" }
        let peakErrors = rows.compactMap { row -> Double? in
            guard let real = row.real.peakMemory, let sim = row.sim.peakMemory, real > 0 else { return nil }
            return abs(relative(Double(sim), Double(real)))
        }
        text += "median |span error| \(pct(RunMeasures.median(spanErrors))), max \(pct(spanErrors.max())); median |gap p50 error| \(pct(RunMeasures.median(gapErrors))); median |peak memory error| \(pct(RunMeasures.median(peakErrors)))\n"
        text += queuingRanking(rows)
        return (table.text, text)
    }

    /// Queuing on (finite saturation) against off (`inf`), per workload: does the
    /// simulation rank them as real Dask does, where Dask's difference exceeds its band?
    static func queuingRanking(_ rows: [Row]) -> String {
        var groups: [String] = []
        for row in rows where !groups.contains(row.capture.group) { groups.append(row.capture.group) }
        var lines: [String] = []
        for group in groups {
            let on = rows.filter { $0.capture.group == group && $0.saturation != "inf" && !$0.saturation.isEmpty }
            let off = rows.filter { $0.capture.group == group && $0.saturation == "inf" }
            guard !on.isEmpty, !off.isEmpty else { continue }
            func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(max(1, xs.count)) }
            func band(_ xs: [Double]) -> Double { xs.count > 1 ? (xs.max()! - xs.min()!) / mean(xs) : 0 }
            let realOn = mean(on.map(\.real.span)), realOff = mean(off.map(\.real.span))
            let simOn = mean(on.map(\.sim.span)), simOff = mean(off.map(\.sim.span))
            let realDiff = relative(realOff, realOn), simDiff = relative(simOff, simOn)
            let noise = max(band(on.map(\.real.span)), band(off.map(\.real.span)))
            let verdict = abs(realDiff) <= noise ? "within Dask's band" : ((realDiff < 0) == (simDiff < 0) ? "same ranking" : "RANKING DIFFERS")
            var line = "  \(group): off vs on real \(CalibrateCommand.percent(realDiff)) (band \(CSVTable.fixed(100 * noise, decimals: 1)) %), sim \(CalibrateCommand.percent(simDiff)): \(verdict)"
            if let ratio = peakRatio(on: on, off: off) {
                let agreement = abs(ratio.sim / ratio.real - 1) <= 0.3 ? "within 30 %" : "BEYOND 30 %"
                line += "; peak memory off/on real \(CSVTable.fixed(ratio.real, decimals: 2)), sim \(CSVTable.fixed(ratio.sim, decimals: 2)): \(agreement)"
            }
            lines.append(line)
        }
        return lines.isEmpty ? "" : "queuing off (worker-saturation inf) vs on:\n" + lines.joined(separator: "\n") + "\n"
    }

    /// Peak memory with queuing off over on (means over the runs), real and simulated;
    /// nil when a run lacks the measure.
    static func peakRatio(on: [Row], off: [Row]) -> (real: Double, sim: Double)? {
        func mean(_ rows: [Row], _ pick: (Row) -> Int64?) -> Double? {
            let values = rows.compactMap(pick)
            guard values.count == rows.count, !values.isEmpty else { return nil }
            return values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
        }
        guard let realOn = mean(on, { $0.real.peakMemory }), let realOff = mean(off, { $0.real.peakMemory }),
              let simOn = mean(on, { $0.sim.peakMemory }), let simOff = mean(off, { $0.sim.peakMemory }),
              realOn > 0, simOn > 0, realOff > 0 else { return nil }
        return (realOff / realOn, simOff / simOn)
    }

    static func summaryRow(_ capture: CaptureReplay, _ result: SimulationResult, _ profile: RuntimeProfile) -> SummaryRow {
        let facts = capture.workload.graphFacts()
        let threads = max(1, capture.cluster.totalThreads)
        return SummaryRow(
            trace: capture.workload.name, policy: "dask", cluster: capture.cluster.label, seed: 1, backend: "sim",
            makespan: result.makespan.nanoseconds, tasks: result.tasksFinished, utilisation: result.utilisation,
            transfers: result.transfers, transferBytes: result.transferBytes, steals: result.steals, events: result.events,
            wallSeconds: nil, network: capture.cluster.network.model.rawValue,
            criticalPath: Time(seconds: facts.criticalPathLength).nanoseconds,
            workBound: Time(seconds: facts.totalWork / Double(threads)).nanoseconds,
            outcome: result.outcome.rawValue, detail: result.detail, runtime: profile.name)
    }
}

import ArgumentParser
import Executor
import Foundation
import Messages
import Recording
import Simulation

/// `schedsim calibrate`: fits a runtime profile to real Dask captures.
struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Fit a runtime-cost profile to real Dask captures (or, with --executor, to schedsim's own executor); print the fit and its residuals.",
        discussion: """
            Measures, pooled over the captures: the worker's per-task cost (idle gaps before tasks \
            that were already on a 1-thread worker), the scheduler's time per transition (gaps between \
            transitions of one stimulus), the transfer request cost and serialisation throughput \
            (transfer_incoming_log), the update-graph cost per task (submit to first start). Then fits \
            scheduler-message by replaying every capture on its own cluster and minimising the mean \
            |log(simulated / real span)|. Dask's BatchedSend intervals are constants, not fitted. \
            With --leave-one-out (default) each workload (all runs of one meta.workload) is also \
            predicted by a fit on the others. Deterministic: the same captures give the same file. \
            See docs/runtime.md.

            With --executor (no captures) it runs a fixed micro-benchmark set on schedsim's own \
            executor (`run`, --cluster, default 2x1): a no-op bag, independent 2 ms tasks, two chains, \
            a tree reduction and transfers of 1 kB to 10 MB. It measures worker-task (gaps on 1-thread \
            workers), scheduler-message and worker-message (the two legs of each chain hand-off), the \
            submission costs and the transfer request cost and throughput, then fits \
            scheduler-transition by minimising the benchmarks' makespan error. The runs' logs and \
            OUT/measurements.json go to --runs; --measurements FILE refits from such a file without \
            running anything (deterministic). See docs/runtime.md, "The executor profile".

            Examples:
              schedsim calibrate traces/dask/*.json traces/dask/suite/*.json -o my-dask.yaml
              schedsim replay trace.json --runtime my-dask.yaml
              schedsim calibrate --executor --cluster 2x1 -o executor.yaml
              schedsim calibrate --executor --measurements executor-runs/measurements.json -o executor.yaml
            """
    )

    @Argument(help: ArgumentHelp("Dask captures (dask-trace files).", valueName: "capture"))
    var captures: [String] = []

    @Option(name: .shortAndLong, help: ArgumentHelp("Profile file to write (YAML).", valueName: "file"))
    var output: String

    @Option(help: ArgumentHelp("Profile name recorded in the file (default: the file name).", valueName: "name"))
    var name: String?

    @Flag(inversion: .prefixedNo, help: "Also fit without each workload and predict it (leave-one-workload-out).")
    var leaveOneOut = true

    @Flag(help: "Calibrate schedsim's own executor with the built-in micro-benchmarks instead of fitting Dask captures.")
    var executor = false

    @Option(name: .long, help: ArgumentHelp("With --executor: the cluster the benchmarks run on (COUNTxTHREADS, as for run; default 2x1, or the one the --measurements were taken on).", valueName: "spec"))
    var cluster: String?

    @Option(name: .long, help: ArgumentHelp("With --executor: directory for the benchmarks' logs and measurements.json (default: the output's name + -runs).", valueName: "dir"))
    var runs: String?

    @Option(name: .long, help: ArgumentHelp("With --executor: refit from this measurements.json instead of running the benchmarks.", valueName: "file"))
    var measurements: String?

    func validate() throws {
        if executor {
            if !captures.isEmpty { throw ValidationError("--executor runs its own benchmarks; it takes no captures") }
        } else {
            if captures.isEmpty { throw ValidationError("give at least one Dask capture (or --executor)") }
            if measurements != nil || runs != nil || cluster != nil { throw ValidationError("--cluster, --measurements and --runs are for --executor") }
        }
        if !(output.hasSuffix(".yaml") || output.hasSuffix(".yml")) { throw ValidationError("-o '\(output)': the profile is written as YAML; name it .yaml") }
    }

    func run() throws {
        if executor {
            try ExecutorCalibrateRun(command: self).run()
            return
        }
        var loaded: [CaptureReplay] = []
        for path in captures {
            do { loaded.append(try CaptureReplay.load(path)) } catch {
                printError("\(error)")
                throw ExitStatus.badInput.code
            }
        }
        let stats = loaded.map(CaptureStatistics.init)
        // Captures submitted in several steps teach the direct measures (gaps, transfers) but
        // cannot be replayed as one graph: they stay out of the span fit and its residuals.
        let replayable = loaded.indices.filter { loaded[$0].reference.updateGraphs <= 1 }
        for i in loaded.indices where !replayable.contains(i) {
            printError("calibrate: \(loaded[i].path): \(loaded[i].reference.updateGraphs) update-graphs (submitted in steps): used for the measured parameters only")
        }
        guard !replayable.isEmpty else {
            printError("calibrate: no capture is a single update-graph; nothing to fit scheduler-message and worker-batch on")
            throw ExitStatus.badInput.code
        }
        let link = loaded[0].cluster.network.parameters(.sameHost)
        let calibration = Calibration(linkLatency: Double(link.latency) / 1e9, linkBandwidth: link.bandwidth, base: RuntimeProfile.daskStreamsOnly)
        var profile: RuntimeProfile
        do {
            printError("calibrate: fitting on \(loaded.count) captures")
            profile = try calibration.fit(replayable.map { loaded[$0] }, stats: stats) { printError("calibrate:   \($0)") }
        } catch {
            printError("\(error)")
            throw ExitStatus.other.code
        }
        profile.name = name ?? URL(fileURLWithPath: output).deletingPathExtension().lastPathComponent
        profile.source = "schedsim calibrate on \(loaded.count) captures (\(Set(loaded.map(\.group)).count) workloads); procedure in docs/runtime.md"

        // Residuals: in-sample, and leave-one-workload-out.
        let groups = replayable.map { loaded[$0].group }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        var heldOut: [Double?] = Array(repeating: nil, count: loaded.count)
        if leaveOneOut && groups.count > 1 {
            for (g, group) in groups.enumerated() {
                printError("calibrate: leave-one-out \(g + 1)/\(groups.count): without \(group)")
                let train = loaded.indices.filter { loaded[$0].group != group }
                do {
                    var fitted = try calibration.fit(train.filter(replayable.contains).map { loaded[$0] }, stats: train.map { stats[$0] })
                    fitted.name = profile.name
                    for i in replayable where loaded[i].group == group {
                        heldOut[i] = RunMeasures(simulation: try loaded[i].simulate(fitted), cluster: loaded[i].cluster).span
                    }
                } catch {
                    printError("\(error)")
                    throw ExitStatus.other.code
                }
            }
        }
        var rows: [[String]] = []
        var fitLines = ["fit:", "  procedure: \"docs/runtime.md#fitting\"", "  captures:"]
        var inErrors: [Double] = []
        var outErrors: [Double] = []
        for i in replayable {
            let capture = loaded[i]
            let real = RunMeasures(reference: capture.reference, workload: capture.workload).span
            let sim: Double
            do { sim = RunMeasures(simulation: try capture.simulate(profile), cluster: capture.cluster).span } catch {
                printError("\(error)")
                throw ExitStatus.other.code
            }
            let inError = real > 0 ? (sim - real) / real : 0
            inErrors.append(abs(inError))
            var held = ""
            var heldText = "null"
            if let h = heldOut[i], real > 0 {
                let e = (h - real) / real
                outErrors.append(abs(e))
                held = Self.percent(e)
                heldText = CSVTable.fixed(e, decimals: 4)
            }
            rows.append([capture.path, capture.group, CSVTable.fixed(real, decimals: 3), CSVTable.fixed(sim, decimals: 3), Self.percent(inError), held])
            fitLines.append("    - {path: \(RuntimeProfile.quoted(capture.path)), workload: \(RuntimeProfile.quoted(capture.group)), real_span: \(CSVTable.fixed(real, decimals: 6)), simulated_span: \(CSVTable.fixed(sim, decimals: 6)), in_sample_error: \(CSVTable.fixed(inError, decimals: 4)), held_out_error: \(heldText)}")
        }
        do { try AtomicFile.write(profile.yaml(extra: fitLines), to: output) } catch {
            printError("\(error)")
            throw ExitStatus.other.code
        }
        print("profile \(profile.name):")
        for parameter in RuntimeProfile.parameters { print("  \(parameter.name) = \(profile.text(of: parameter))") }
        print("")
        print(TextTable.render(header: ["capture", "workload", "real span s", "sim span s", "in-sample", "held-out"], rows: rows))
        func magnitude(_ x: Double?) -> String { x.map { CSVTable.fixed(100 * $0, decimals: 1) + " %" } ?? "—" }
        print("median |error|: in-sample \(magnitude(RunMeasures.median(inErrors))), held-out \(magnitude(RunMeasures.median(outErrors))); max |error|: in-sample \(magnitude(inErrors.max())), held-out \(magnitude(outErrors.max()))")
        print("wrote \(output)")
    }

    static func percent(_ x: Double) -> String { (x >= 0 ? "+" : "") + CSVTable.fixed(100 * x, decimals: 1) + " %" }
}

/// A plain aligned text table (first column left-aligned, the others right-aligned).
enum TextTable {
    static func render(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        var widths = [Int](repeating: 0, count: header.count)
        for row in all { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        return all.map { row in
            row.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return i < 2 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}

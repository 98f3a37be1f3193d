import ArgumentParser
import Executor
import Foundation
import Messages
import Recording
import Simulation

/// `schedsim calibrate --executor`: runs the micro-benchmarks on the real executor
/// (or reads their measurements), fits the profile, prints the fit and residuals.
struct ExecutorCalibrateRun {
    let command: CalibrateCommand

    func run() throws {
        var clusterFlag = command.cluster ?? "2x1"
        var recorded: [ExecutorMeasurement]?
        if let path = command.measurements {
            let file = try Self.readMeasurements(path)
            if let given = command.cluster, given != file.cluster {
                printError("calibrate: --cluster \(given) differs from the cluster the measurements were taken on (\(file.cluster))")
                throw ExitStatus.usage.code
            }
            clusterFlag = file.cluster
            recorded = file.runs
        }
        let realCluster = try RealCluster.load(flag: clusterFlag, file: nil)
        // The benchmarks run on unshaped loopback; the simulations see it as validate does.
        let cluster = ExecutorSimulation.loopback(realCluster)
        let benchmarks: [ExecutorBenchmarks.Benchmark]
        do { benchmarks = try ExecutorBenchmarks.all() } catch {
            printError("calibrate: building the benchmarks: \(error)")
            throw ExitStatus.other.code
        }
        let measured = try recorded ?? runBenchmarks(benchmarks, cluster: realCluster, flag: clusterFlag)
        var pairs: [(ExecutorMeasurement, ExecutorBenchmarks.Benchmark)] = []
        for benchmark in benchmarks {
            guard let m = measured.first(where: { $0.benchmark == benchmark.name }) else {
                printError("calibrate: the measurements have no run of benchmark '\(benchmark.name)' (known: \(measured.map(\.benchmark).joined(separator: ", ")))")
                throw ExitStatus.badInput.code
            }
            guard m.tasks.count == benchmark.workload.count else {
                printError("calibrate: benchmark '\(benchmark.name)' has \(m.tasks.count) tasks in the measurements but \(benchmark.workload.count) in this schedsim; rerun the benchmarks")
                throw ExitStatus.badInput.code
            }
            guard m.makespan > 0 else {
                printError("calibrate: benchmark '\(benchmark.name)' has no makespan (did the run fail?)")
                throw ExitStatus.badInput.code
            }
            pairs.append((m, benchmark))
        }
        let calibration = ExecutorCalibration(cluster: cluster)
        printError("calibrate: fitting on \(pairs.count) executor benchmarks (cluster \(cluster.label))")
        var (profile, notes) = calibration.fit(pairs) { printError("calibrate:   \($0)") }
        profile.name = command.name ?? URL(fileURLWithPath: command.output).deletingPathExtension().lastPathComponent
        profile.source = "schedsim calibrate --executor --cluster \(clusterFlag): \(pairs.count) micro-benchmarks on schedsim's executor; procedure in docs/runtime.md"

        // Held out: each benchmark predicted by a fit on the others.
        var heldOut: [Double?] = Array(repeating: nil, count: pairs.count)
        if command.leaveOneOut {
            for i in pairs.indices {
                var train = pairs
                train.remove(at: i)
                let (fitted, _) = calibration.fit(train)
                heldOut[i] = ExecutorSimulation.simulate(pairs[i].1.workload, cluster: cluster, profile: fitted).makespan.seconds
            }
        }
        var rows: [[String]] = []
        var lines = ["fit:", "  procedure: \"docs/runtime.md#the-executor-profile\"", "  cluster: \(RuntimeProfile.quoted(clusterFlag))", "  measures:"]
        for note in notes {
            lines.append("    - {parameter: \(RuntimeProfile.quoted(note.parameter)), samples: \(note.samples), rule: \(RuntimeProfile.quoted(note.rule))}")
        }
        lines.append("  benchmarks:")
        var idealErrors: [Double] = [], inErrors: [Double] = [], outErrors: [Double] = []
        for (i, (m, benchmark)) in pairs.enumerated() {
            let ideal = ExecutorSimulation.simulate(benchmark.workload, cluster: cluster, profile: .ideal).makespan.seconds
            let sim = ExecutorSimulation.simulate(benchmark.workload, cluster: cluster, profile: profile).makespan.seconds
            let idealError = (ideal - m.makespan) / m.makespan
            let inError = (sim - m.makespan) / m.makespan
            idealErrors.append(abs(idealError))
            inErrors.append(abs(inError))
            var held = "—", heldText = "null"
            if let h = heldOut[i] {
                let e = (h - m.makespan) / m.makespan
                outErrors.append(abs(e))
                held = CalibrateCommand.percent(e)
                heldText = CSVTable.fixed(e, decimals: 4)
            }
            rows.append([benchmark.name, String(benchmark.workload.count), CSVTable.fixed(m.makespan, decimals: 3), CSVTable.fixed(ideal, decimals: 3),
                         CSVTable.fixed(sim, decimals: 3), CalibrateCommand.percent(idealError), CalibrateCommand.percent(inError), held])
            lines.append("    - {benchmark: \(RuntimeProfile.quoted(benchmark.name)), tasks: \(benchmark.workload.count), real_makespan: \(CSVTable.fixed(m.makespan, decimals: 6)), ideal_makespan: \(CSVTable.fixed(ideal, decimals: 6)), simulated_makespan: \(CSVTable.fixed(sim, decimals: 6)), in_sample_error: \(CSVTable.fixed(inError, decimals: 4)), held_out_error: \(heldText)}")
        }
        do { try AtomicFile.write(profile.yaml(extra: lines), to: command.output) } catch {
            printError("\(error)")
            throw ExitStatus.other.code
        }
        print("profile \(profile.name):")
        for parameter in RuntimeProfile.parameters { print("  \(parameter.name) = \(profile.text(of: parameter))") }
        print("")
        for note in notes { print("  \(note.parameter): \(note.rule) (\(note.samples) samples)") }
        print("")
        print(TextTable.render(header: ["benchmark", "tasks", "real s", "ideal s", "fitted s", "ideal error", "in-sample", "held-out"], rows: rows))
        func magnitude(_ x: Double?) -> String { x.map { CSVTable.fixed(100 * $0, decimals: 1) + " %" } ?? "—" }
        print("median |makespan error|: ideal \(magnitude(RunMeasures.median(idealErrors))), fitted in-sample \(magnitude(RunMeasures.median(inErrors))), held-out \(magnitude(RunMeasures.median(outErrors)))")
        print("wrote \(command.output)")
    }

    /// Runs every benchmark on a fresh loopback cluster; writes each run's logs and measurements.json.
    func runBenchmarks(_ benchmarks: [ExecutorBenchmarks.Benchmark], cluster: Cluster, flag: String) throws -> [ExecutorMeasurement] {
        let dir = command.runs ?? (URL(fileURLWithPath: command.output).deletingPathExtension().path + "-runs")
        var out: [ExecutorMeasurement] = []
        for (i, benchmark) in benchmarks.enumerated() {
            printError("calibrate: benchmark \(i + 1)/\(benchmarks.count): \(benchmark.name) (\(benchmark.workload.count) tasks) on \(cluster.label)")
            let options = try RealRunOptions.parse(["--out", dir + "/" + benchmark.name, "--timeout", "300"])
            let logs = try LoopbackCluster(cluster: cluster, work: "sleep", bandwidth: 0, latency: 0, token: randomToken(), frameLimit: WireCodec.defaultFrameLimit)
                .run(trace: LoadedTraceWorkload(path: benchmark.name, workload: benchmark.workload), options: options).logs
            out.append(ExecutorMeasurement(benchmark: benchmark.name, logs: logs))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            let data = try encoder.encode(MeasurementsFile(cluster: flag, runs: out))
            try AtomicFile.write(String(decoding: data, as: UTF8.self) + "\n", to: dir + "/measurements.json")
        } catch {
            printError("calibrate: writing \(dir)/measurements.json: \(error)")
            throw ExitStatus.other.code
        }
        printError("calibrate: measurements in \(dir)/measurements.json")
        return out
    }

    struct MeasurementsFile: Codable {
        var format = "schedsim-executor-measurements/1"
        var cluster: String
        var runs: [ExecutorMeasurement]
    }

    static func readMeasurements(_ path: String) throws -> MeasurementsFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            printError("calibrate: \(path): cannot read the file")
            throw ExitStatus.badInput.code
        }
        let file: MeasurementsFile
        do { file = try JSONDecoder().decode(MeasurementsFile.self, from: data) } catch {
            printError("calibrate: \(path): not a measurements file written by calibrate --executor (\(error))")
            throw ExitStatus.badInput.code
        }
        guard file.format == "schedsim-executor-measurements/1" else {
            printError("calibrate: \(path): format '\(file.format)' is not supported; expected schedsim-executor-measurements/1")
            throw ExitStatus.badInput.code
        }
        return file
    }
}

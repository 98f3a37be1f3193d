import ArgumentParser
import Executor
import Messages
import Recording
import Scheduler
import Simulation
import TraceFormats
import Workload

/// `schedsim validate`: the same configuration simulated and run for real, compared.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Simulate a trace and run it on the real executor (or, with --against dask, compare with the real Dask run a capture recorded).",
        discussion: """
            Runs the simulator (with --runtime, default executor: the profile fitted to this \
            executor by `calibrate --executor`; on a loopback network, as the unshaped real run has, \
            unless --sim-network cluster or --emulate-network) and then the real executor (`run`, child processes \
            on loopback) with the same trace, cluster, policy and --time-scale, and reports the makespan of each and \
            the relative error, the per-task start-time error (p50, p95), placement agreement (share \
            of tasks computed on the same worker id), and transfer counts and bytes. Writes \
            OUT/validation.csv, the simulated logs in OUT/sim and the real logs in OUT/real. For a \
            Dask capture it also compares both against the real Dask run the capture recorded.

            With --against dask the arguments are Dask captures: each is replayed on the cluster it \
            recorded (its workers and threads on one host, its worker-saturation and work-stealing) \
            with --runtime (default dask), and OUT/validation.csv compares real and simulated span \
            (first start to last stop), inter-task gaps (p50, p95), tasks per worker and bytes moved; \
            the simulated logs go to OUT/sim/<capture>/ with --logs. See docs/runtime.md.

            Examples:
              schedsim validate traces/dask/array_sum.json --cluster 4x2 --policy dask --time-scale 1 --out runs/val
              schedsim validate traces/dask/array_sum.json --runtime ideal --out runs/val-ideal
              schedsim validate traces/dask/*.json --against dask --out runs/fidelity
            """
    )

    @Argument(help: ArgumentHelp("Trace to run (with --against dask: one or more Dask captures).", valueName: "trace"))
    var trace: String

    @Argument(help: ArgumentHelp("More Dask captures (--against dask only).", valueName: "capture"))
    var moreCaptures: [String] = []

    @Option(name: .long, help: ArgumentHelp("What to compare the simulation with: executor (run schedsim's real executor) or dask (the real run recorded in each capture).", valueName: "backend"))
    var against: String = "executor"

    @OptionGroup var runtimeOptions: RuntimeOptions

    @Option(name: .customLong("set"), help: ArgumentHelp("runtime.NAME=VALUE overrides of the --runtime profile, repeatable.", valueName: "name=value"))
    var settings: [String] = []

    @Flag(help: "With --against dask, also write each capture's simulated logs to OUT/sim/<capture>/.")
    var logs = false

    @Option(name: .long, help: ArgumentHelp("Workers as the simulator takes them: COUNTxTHREADS[@SPEED][:mem=SIZE][:perhost=K], comma-separated groups.", valueName: "spec"))
    var cluster: String = "4x2"

    @Option(name: .customLong("cluster-file"), help: ArgumentHelp("A JSON cluster file, as for replay.", valueName: "file"))
    var clusterFile: String?

    @Flag(name: .customLong("emulate-network"), help: "Shape each real worker's link with the cluster description's bandwidth and latency.")
    var emulateNetwork = false

    @Option(name: .customLong("sim-network"), help: ArgumentHelp("The network the simulation sees: loopback (no latency or bandwidth limit, what the unshaped real run has; the default without --emulate-network) or cluster (the cluster description's network; the default with --emulate-network).", valueName: "kind"))
    var simNetwork: String?

    @Option(name: .long, help: ArgumentHelp("Scheduling policy (dask).", valueName: "name"))
    var policy: String = "dask"

    @Option(name: .long, help: ArgumentHelp("How task time is spent on the real workers: sleep or spin.", valueName: "mode"))
    var work: String = "sleep"

    @OptionGroup var runOptions: RealRunOptions
    @OptionGroup var formatOption: TraceFormatOption
    @OptionGroup var security: ExecutorSecurityOptions

    func validate() throws {
        guard against == "executor" || against == "dask" else { throw ValidationError("--against '\(against)': expected executor or dask") }
        if against == "executor" && !moreCaptures.isEmpty { throw ValidationError("validate against the executor takes one trace; several are for --against dask") }
        if against == "dask" {
            if !RuntimeOptions.schedulerSettings(settings).isEmpty { throw ValidationError("--set takes only runtime.NAME=VALUE here: the captures' own Dask settings are used") }
            _ = try runtimeOptions.profiles(settings: settings)
        } else {
            if !RuntimeOptions.schedulerSettings(settings).isEmpty { throw ValidationError("--set takes only runtime.NAME=VALUE here: against the executor both runs use Dask's default scheduler settings") }
            _ = try runtimeOptions.profiles(settings: settings, fallback: "executor")
        }
        if let simNetwork, simNetwork != "loopback" && simNetwork != "cluster" { throw ValidationError("--sim-network '\(simNetwork)': expected loopback or cluster") }
        if policy != "dask" { throw ValidationError("--policy '\(policy)': validate supports: dask") }
        if WorkMode(rawValue: work) == nil { throw ValidationError("--work '\(work)': expected sleep or spin") }
        if against == "executor" { try RealCluster.checkFlag(cluster, file: clusterFile) }
    }

    func run() throws {
        if against == "dask" {
            let profile = try runtimeOptions.profiles(settings: settings)[0]
            do {
                let (csv, text) = try DaskValidation.run(paths: [trace] + moreCaptures, profile: profile, out: runOptions.out, logs: logs)
                try AtomicFile.makeDirectory(runOptions.out)
                try AtomicFile.write(csv, to: runOptions.out + "/validation.csv")
                print(text, terminator: "")
                print("wrote \(runOptions.out)/validation.csv")
            } catch {
                printError("\(error)")
                throw ExitStatus.badInput.code
            }
            return
        }
        let loaded = try TraceInput.loadOrExit(trace, format: formatOption.format, partialReads: formatOption.partialReadsMode(), maxInputBytes: formatOption.maxInputBytesValue)
        let scaled = try WorkloadScaling.scaled(loaded.workload, path: trace, timeScale: runOptions.timeScale, sizeScale: runOptions.sizeScale)

        // The simulation, on a cluster of the same shape (worker i = WorkerID i in both).
        let profile = try runtimeOptions.profiles(settings: settings, fallback: "executor")[0]
        let described = try RealCluster.load(flag: cluster, file: clusterFile)
        let simCluster = (simNetwork ?? (emulateNetwork ? "cluster" : "loopback")) == "loopback" ? ExecutorSimulation.loopback(described) : described
        let sim = ExecutorSimulation.simulate(scaled, cluster: simCluster, profile: profile, recordTransitions: true)
        let facts = scaled.graphFacts()
        let summary = SummaryRow(
            trace: scaled.name, policy: policy, cluster: simCluster.label, seed: 1, backend: "sim",
            makespan: sim.makespan.nanoseconds, tasks: sim.tasksFinished, utilisation: sim.utilisation,
            transfers: sim.transfers, transferBytes: sim.transferBytes, steals: sim.steals, events: sim.events,
            wallSeconds: nil, network: simCluster.network.model.rawValue,
            criticalPath: Time(seconds: facts.criticalPathLength).nanoseconds,
            workBound: Time(seconds: facts.totalWork / Double(max(1, simCluster.totalThreads))).nanoseconds,
            outcome: sim.outcome.rawValue, detail: sim.detail, runtime: profile.name)
        do { try LogTables.write(sim.logFiles(summary: summary), to: runOptions.out + "/sim") } catch {
            printError("\(error)")
            throw ExitStatus.other.code
        }

        // The real run.
        var realOptions = runOptions
        realOptions.out = runOptions.out + "/real"
        let net = LoopbackCluster.network(for: described, emulate: emulateNetwork, bandwidth: 0, latency: 0)
        let real = try LoopbackCluster(
            cluster: described, work: work, bandwidth: net.bandwidth, latency: net.latency,
            token: security.clusterToken, frameLimit: security.frameLimit,
            handshakeTimeout: security.handshakeTimeout, stallTimeout: security.stallTimeout
        ).run(trace: LoadedTraceWorkload(path: trace, workload: loaded.workload), options: realOptions)

        let comparison = Validation.compare(
            sim: sim, simWorkerNames: simCluster.workers.map(\.name), real: real.logs,
            reference: loaded.reference, timeScale: runOptions.timeScale)
        let row = comparison.row(trace: scaled.name, policy: policy, cluster: simCluster.label, timeScale: runOptions.timeScale, runtime: profile.name)
        do { try AtomicFile.write(Validation.header + "\n" + row + "\n", to: runOptions.out + "/validation.csv") } catch {
            printError("\(error)")
            throw ExitStatus.other.code
        }
        print(comparison.text(trace: scaled.name, runtime: profile))
    }
}

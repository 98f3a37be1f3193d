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
        abstract: "Simulate a trace and run it on the real executor with the same configuration; compare the two.",
        discussion: """
            Runs the simulator and then the real executor (`run`, child processes on loopback) with \
            the same trace, cluster, policy and --time-scale, and reports the makespan of each and \
            the relative error, the per-task start-time error (p50, p95), placement agreement (share \
            of tasks computed on the same worker id), and transfer counts and bytes. Writes \
            OUT/validation.csv, the simulated logs in OUT/sim and the real logs in OUT/real. For a \
            Dask capture it also compares both against the real Dask run the capture recorded.

            Example:
              schedsim validate traces/dask/array_sum.json --cluster 4x2 --policy dask --time-scale 1 --out runs/val
            """
    )

    @Argument(help: ArgumentHelp("Trace to run.", valueName: "trace"))
    var trace: String

    @Option(name: .long, help: ArgumentHelp("Workers as the simulator takes them: COUNTxTHREADS[@SPEED][:mem=SIZE][:perhost=K], comma-separated groups.", valueName: "spec"))
    var cluster: String = "4x2"

    @Option(name: .customLong("cluster-file"), help: ArgumentHelp("A JSON cluster file, as for replay.", valueName: "file"))
    var clusterFile: String?

    @Flag(name: .customLong("emulate-network"), help: "Shape each real worker's link with the cluster description's bandwidth and latency.")
    var emulateNetwork = false

    @Option(name: .long, help: ArgumentHelp("Scheduling policy (dask).", valueName: "name"))
    var policy: String = "dask"

    @Option(name: .long, help: ArgumentHelp("How task time is spent on the real workers: sleep or spin.", valueName: "mode"))
    var work: String = "sleep"

    @OptionGroup var runOptions: RealRunOptions
    @OptionGroup var formatOption: TraceFormatOption
    @OptionGroup var security: ExecutorSecurityOptions

    func validate() throws {
        if policy != "dask" { throw ValidationError("--policy '\(policy)': validate supports: dask") }
        if WorkMode(rawValue: work) == nil { throw ValidationError("--work '\(work)': expected sleep or spin") }
    }

    func run() throws {
        let loaded = try TraceInput.loadOrExit(trace, format: formatOption.format, partialReads: formatOption.partialReadsMode())
        let scaled: Workload
        do { scaled = try loaded.workload.timeScaled(by: runOptions.timeScale, sizes: runOptions.sizeScale) } catch {
            printError("\(trace): \(error)")
            throw ExitCode.failure
        }

        // The simulation, on a cluster of the same shape (worker i = WorkerID i in both).
        let simCluster = try loadCluster(flag: cluster, file: clusterFile)
        var schedulerConfig = SchedulerConfig()
        schedulerConfig.recordTransitions = true
        guard let factory = MachineFactory.dask(policy: policy, scheduler: schedulerConfig) else {
            throw ValidationError("unknown policy '\(policy)'")
        }
        let sim = Simulator(workload: scaled, cluster: simCluster, factory: factory, config: SimulationConfig()).run()
        let facts = scaled.graphFacts()
        let summary = SummaryRow(
            trace: scaled.name, policy: policy, cluster: simCluster.label, seed: 1, backend: "sim",
            makespan: sim.makespan.nanoseconds, tasks: sim.tasksFinished, utilisation: sim.utilisation,
            transfers: sim.transfers, transferBytes: sim.transferBytes, steals: sim.steals, events: sim.events,
            wallSeconds: nil, network: simCluster.network.model.rawValue,
            criticalPath: Time(seconds: facts.criticalPathLength).nanoseconds,
            workBound: Time(seconds: facts.totalWork / Double(max(1, simCluster.totalThreads))).nanoseconds,
            outcome: sim.outcome.rawValue, detail: sim.detail)
        do { try LogTables.write(sim.logFiles(summary: summary), to: runOptions.out + "/sim") } catch {
            printError("\(error)")
            throw ExitCode.failure
        }

        // The real run.
        var realOptions = runOptions
        realOptions.out = runOptions.out + "/real"
        let net = LoopbackCluster.network(for: simCluster, emulate: emulateNetwork, bandwidth: 0, latency: 0)
        let real = try LoopbackCluster(
            cluster: simCluster, work: work, bandwidth: net.bandwidth, latency: net.latency,
            token: security.resolvedToken, frameLimit: security.frameLimit
        ).run(trace: LoadedTraceWorkload(path: trace, workload: loaded.workload), options: realOptions)

        let comparison = Validation.compare(
            sim: sim, simWorkerNames: simCluster.workers.map(\.name), real: real.logs,
            reference: loaded.reference, timeScale: runOptions.timeScale)
        let row = comparison.row(trace: scaled.name, policy: policy, cluster: simCluster.label, timeScale: runOptions.timeScale)
        do { try AtomicFile.write(Validation.header + "\n" + row + "\n", to: runOptions.out + "/validation.csv") } catch {
            printError("\(error)")
            throw ExitCode.failure
        }
        print(comparison.text(trace: scaled.name))
    }
}

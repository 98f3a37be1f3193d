#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Messages
import Policies
import Recording
import Scheduler
import Simulation
import TraceFormats
import Workload

/// `schedsim replay`: simulate a trace on a cluster and write the logs.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a trace on a simulated cluster with the Dask scheduler and write CSV logs.",
        discussion: """
            Runs the scheduler and worker state machines against a discrete-event model of the \
            cluster and network. Prints a progress line on stderr for runs longer than a second \
            and a summary at the end: makespan, utilisation, bytes moved, transfers, steals and \
            the two lower bounds (critical path; total work / total threads).

            With --out DIR it writes tasks.csv, transitions.csv, transfers.csv, workers.csv and \
            summary.csv (and events.jsonl with --trace-events); see docs/logs.md. The same inputs \
            and seed give byte-identical files.

            Exit status: 0 when the client got every wanted result; 2 when the run failed \
            (erred or lost keys), stalled, stopped at --event-limit or --sample-limit, or \
            broke an invariant; 64 for bad flags; 65 for a bad trace, cluster or scenario \
            file; 1 otherwise (docs/cli.md#exit-status).

            Examples:
              schedsim replay traces/dask/delayed_tree.json --cluster 2x1 --out out
              schedsim replay trace.json --cluster 4x8@2.0,4x8 --network maxmin --seed 1 --out out
              schedsim replay trace.json --cluster-file cluster.json --event kill:worker-1@10s
            """
    )

    @Argument(help: ArgumentHelp("The trace file.", valueName: "trace"))
    var trace: String

    @OptionGroup var formatOption: TraceFormatOption
    @OptionGroup var orderOption: OrderOption

    @Option(help: ArgumentHelp("Workers: COUNTxTHREADS[@SPEED][:mem=SIZE][:perhost=K][:rack=NAME], comma-separated groups (docs/cluster.md). Default: 4x4.", valueName: "spec"))
    var cluster: String?

    @Option(name: .customLong("cluster-file"), help: ArgumentHelp("A JSON or YAML cluster file (heterogeneous workers, racks, network).", valueName: "file"))
    var clusterFile: String?

    @Option(help: ArgumentHelp("Scheduling policy: \(PolicyRegistry.names.joined(separator: ", ")) (static planners with exact information; docs/policies.md).", valueName: "name"))
    var policy = "dask"

    @Option(help: ArgumentHelp("Network model: simple (latency + bytes/bandwidth) or maxmin (flow sharing). Default: the cluster file's, else simple.", valueName: "model"))
    var network: String?

    // `.unconditional`: `--seed -1` is read as a value (and refused by UInt64) rather than as an unknown flag.
    @Option(parsing: .unconditional, help: "Run seed, 0...2^64-1 (duration noise and any randomised policy).", transform: SimulationFlags.seed)
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Folder for the logs (created if missing).", valueName: "dir"))
    var out: String?

    @OptionGroup var runtimeOptions: RuntimeOptions

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a Dask scheduler setting (name=value, e.g. worker-saturation=inf) or a runtime parameter (runtime.NAME=VALUE, e.g. runtime.scheduler-scale=0.1), repeatable.", valueName: "name=value"))
    var settings: [String] = []

    @Option(name: .customLong("scheduler-service-time"), parsing: .unconditional, help: ArgumentHelp("Shorthand for --set runtime.scheduler-message=DURATION: scheduler loop time per message on top of the profile.", valueName: "duration"))
    var schedulerServiceTime = "0"

    @Option(name: .customLong("noise-cv"), parsing: .unconditional, help: ArgumentHelp("Coefficient of variation of lognormal duration noise, 0...10 (0 = none).", valueName: "cv"))
    var noiseCV = 0.0

    @Option(name: .customLong("event"), help: ArgumentHelp("Scenario event, repeatable: kill:W@T, retire:W@T, pause:W@T, unpause:W@T, slow:W@T*F, add:NxT@T.", valueName: "event"))
    var events: [String] = []

    @Option(help: ArgumentHelp("A JSON scenario file (docs/cluster.md).", valueName: "file"))
    var scenario: String?

    @Flag(name: .customLong("no-gather"), help: "Do not gather wanted results to the client; the run ends when they are in memory.")
    var noGather = false

    @Flag(name: .customLong("no-heartbeats"), help: "Do not send worker heartbeats (bandwidth and executing-task reports).")
    var noHeartbeats = false

    @Flag(name: .customLong("trace-events"), help: "Also write events.jsonl with every stimulus and instruction.")
    var traceEvents = false

    @Option(name: .customLong("sample-interval"), parsing: .unconditional, help: ArgumentHelp("Period of workers.csv samples, at least 1us (0 = off).", valueName: "duration"))
    var sampleInterval = "1s"

    @Flag(name: .customLong("wall-time"), help: "Record wall-clock seconds in summary.csv (makes it differ between runs).")
    var wallTime = false

    @Option(name: .customLong("event-limit"), parsing: .unconditional, help: SimulationFlags.eventLimitHelp)
    var eventLimit = SimulationLimits.defaultEventLimit

    @Option(name: .customLong("sample-limit"), parsing: .unconditional, help: SimulationFlags.sampleLimitHelp)
    var sampleLimit = SimulationLimits.defaultSampleLimit

    @Flag(name: .customLong("check-invariants"),
          help: "Recompute the scheduler's and every worker's invariants when the run ends; print broken ones and exit 2 (a stalled run is always checked).")
    var checkInvariants = false

    @Flag(name: .customLong("validate"), help: "Check the scheduler's and every worker's invariants after every stimulus (Dask's validate=True; slow). Broken ones are printed and the exit status is 2. Same as --set validate=true.")
    var validateEveryStimulus = false

    func validate() throws {
        if cluster != nil && clusterFile != nil { throw ValidationError("give either --cluster or --cluster-file, not both") }
        if let network, NetworkModelKind(rawValue: network) == nil {
            throw ValidationError("unknown network model '\(network)'; known: simple, maxmin")
        }
        if PolicyRegistry.entry(named: policy) == nil {
            throw ValidationError("unknown policy '\(policy)'; known: \(PolicyRegistry.names.joined(separator: ", "))")
        }
        if Units.duration(schedulerServiceTime) == nil {
            throw ValidationError("--scheduler-service-time '\(schedulerServiceTime)' is not a duration like 200us")
        }
        try SimulationFlags.sampleInterval(sampleInterval)
        try SimulationFlags.checkNoiseCV(noiseCV)
        try SimulationFlags.checkLimit(eventLimit, flag: "--event-limit")
        try SimulationFlags.checkLimit(sampleLimit, flag: "--sample-limit")
        _ = try runtimeOptions.profiles(settings: settings, serviceTime: schedulerServiceTime)
        _ = try CompareCommand.checkedSchedulerSettings(RuntimeOptions.schedulerSettings(settings))
    }

    func run() throws {
        let loaded = try TraceInput.loadOrExit(trace, format: formatOption.format, partialReads: formatOption.partialReadsMode(), maxInputBytes: formatOption.maxInputBytesValue)
        let workload = orderOption.applied(to: loaded.workload)
        var theCluster = try loadCluster()
        if let network, let model = NetworkModelKind(rawValue: network) { theCluster.network.model = model }
        let restrictionProblems = workload.restrictionIssues(workerNames: theCluster.workers.map(\.name))
        if !restrictionProblems.isEmpty {
            for issue in restrictionProblems { printError("\(trace): \(issue)") }
            throw ExitStatus.badInput.code
        }
        var config = SimulationConfig()
        config.seed = seed
        config.runtime = try runtimeOptions.profiles(settings: settings, serviceTime: schedulerServiceTime)[0]
        config.sampleInterval = Time(nanoseconds: Units.duration(sampleInterval) ?? 0)
        config.gather = !noGather
        config.heartbeats = !noHeartbeats
        config.traceEvents = traceEvents
        config.recordTransitions = out != nil
        config.durationNoiseCV = noiseCV
        config.eventLimit = eventLimit
        config.sampleLimit = sampleLimit
        config.checkInvariantsAtEnd = checkInvariants
        config.scenario = try loadScenario(cluster: theCluster)
        // Any registered policy (Policies/PolicyRegistry.swift); a planner plans here, before the run.
        var prepared: PreparedPolicy
        let schedulerSettings = try CompareCommand.checkedSchedulerSettings(RuntimeOptions.schedulerSettings(settings))
        do { prepared = try PolicyRegistry.prepare(policy, context: PolicyContext(workload: workload, cluster: theCluster, seed: seed), settings: schedulerSettings) } catch {
            printError("\(trace): \(error)")
            throw ExitStatus.badInput.code
        }
        prepared.config.recordTransitions = out != nil
        // --set validate=true means the same as --validate: the simulator runs the checks
        // (for the workers too) and reports them; the scheduler need not repeat them.
        config.validate = validateEveryStimulus || prepared.config.validate
        prepared.config.validate = false
        config.balanceInterval = prepared.config.workStealingInterval

        let simulator = Simulator(workload: prepared.workload, cluster: theCluster, factory: .policy(prepared), config: config)
        let started = WallClock.now()
        var progressShown = false
        let result = simulator.run { progress in
            let elapsed = WallClock.now() - started
            guard elapsed > 1 else { return }
            progressShown = true
            let percent = progress.totalTasks > 0 ? 100 * progress.tasksFinished / progress.totalTasks : 100
            printErrorInline("replay: simulated \(Time.format(progress.now.nanoseconds)) s, \(progress.tasksFinished)/\(progress.totalTasks) tasks (\(percent)%), \(progress.events) events, \(Int(elapsed)) s wall")
        }
        let wall = WallClock.now() - started
        if progressShown { printErrorInline(nil) }

        let facts = workload.graphFacts()
        let threads = theCluster.totalThreads
        let summary = SummaryRow(
            trace: workload.name, policy: policy, cluster: theCluster.label, seed: seed, backend: "sim",
            makespan: result.makespan.nanoseconds, tasks: result.tasksFinished, utilisation: result.utilisation,
            transfers: result.transfers, transferBytes: result.transferBytes, steals: result.steals, events: result.events,
            wallSeconds: wallTime ? wall : nil, network: theCluster.network.model.rawValue,
            criticalPath: Time(seconds: facts.criticalPathLength).nanoseconds,
            workBound: threads > 0 ? Time(seconds: facts.totalWork / Double(threads)).nanoseconds : 0,
            outcome: result.outcome.rawValue, detail: result.detail, runtime: config.runtime.name)
        if let out {
            do {
                try LogTables.write(result.logFiles(summary: summary), to: out)
            } catch {
                printError("\(error)")
                throw ExitStatus.other.code
            }
        }
        print(ReplaySummary(workload: workload, facts: facts, cluster: theCluster, row: summary, result: result, wall: wall, out: out).text, terminator: "")
        for problem in result.invariantViolations { printError("invariant broken: \(problem)") }
        if result.outcome != .completed || !result.invariantViolations.isEmpty { throw ExitStatus.runFailed.code }
    }

    func loadCluster() throws -> Cluster {
        do {
            if let clusterFile { return try Cluster.load(file: clusterFile) }
            return try Cluster.parse(flag: cluster ?? "4x4")
        } catch {
            printError("\(error)")
            // A bad --cluster is a bad flag (64); a bad cluster file is bad input (65).
            throw clusterFile == nil ? ExitStatus.usage.code : ExitStatus.badInput.code
        }
    }

    func loadScenario(cluster: Cluster) throws -> [ScenarioEvent] {
        var all: [ScenarioEvent] = []
        do {
            if let scenario { all += try ScenarioEvent.load(file: scenario) }
        } catch {
            printError("\(error)")
            throw ExitStatus.badInput.code
        }
        do {
            for flag in events {
                let added = all.filter { if case .addWorker = $0.action { true } else { false } }.count
                all += try ScenarioEvent.parse(flag: flag, existing: cluster.workers.count + added)
            }
        } catch {
            printError("\(error)")
            throw ExitStatus.usage.code  // a bad --event is a bad flag
        }
        let issues = Simulator.scenarioIssues(all, cluster: cluster)
        if !issues.isEmpty {
            for issue in issues { printError("scenario: \(issue)") }
            throw ExitStatus.badInput.code
        }
        return all
    }
}

/// Wall-clock seconds, for the progress line and `--wall-time` only (never inside the simulator).
enum WallClock {
    static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}

/// Rewrites the progress line on standard error (`nil` clears it).
func printErrorInline(_ line: String?) {
    let text = line.map { "\r" + $0 + "\u{1B}[K" } ?? "\r\u{1B}[K"
    var bytes = Array(text.utf8)
    bytes.withUnsafeMutableBytes { buffer in
        _ = write(2, buffer.baseAddress, buffer.count)
    }
}

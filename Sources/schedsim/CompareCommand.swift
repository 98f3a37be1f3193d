#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Messages
import Planning
import Policies
import Recording
import Scheduler
import Simulation
import Workload

/// `schedsim compare`: every trace × policy × information mode × seed on one
/// cluster, in parallel, with one summary row per run.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Replay traces under several policies and seeds; print a comparison table per trace and write summary.csv.",
        discussion: """
            Runs the grid trace × policy × information mode × seed (in that order; run_id counts \
            from 1 in it) on --jobs threads. Every run builds its own scheduler, workers, policy \
            and random streams from its seed, so results — and summary.csv — are identical for \
            any --jobs. A run that fails (a policy that cannot plan, a stalled graph, logs that \
            cannot be written) keeps its row with the outcome and the reason; the other rows are kept.

            --info applies to the policies that use estimates (least-loaded, locality and the \
            static planners); Dask's variants learn durations online, random and round-robin use \
            none. See docs/compare.md and docs/policies.md.

            Exit status: 0 when every run completed; 2 when some run did not (or stopped at \
            --event-limit / --sample-limit); 64 for bad flags; 65 for a bad trace or cluster file.

            Examples:
              schedsim compare traces/dask/array_sum.json --policies dask,heft,random --cluster 8x4 --seeds 1-3
              schedsim compare traces/wfcommons/*.json --policies all --info exact,user:0.3 --jobs 2 --out cmp --logs
            """
    )

    @Argument(help: ArgumentHelp("Trace files.", valueName: "trace"))
    var traces: [String]

    @OptionGroup var formatOption: TraceFormatOption
    @OptionGroup var orderOption: OrderOption

    @Option(help: ArgumentHelp("Comma-separated policies, or 'all': \(PolicyRegistry.names.joined(separator: ", ")).", valueName: "list"))
    var policies = "all"

    @Option(help: ArgumentHelp("Comma-separated information modes for the policies that use estimates: exact, user:ERROR, mean, online.", valueName: "list"))
    var info = "exact"

    @Option(parsing: .unconditional, help: ArgumentHelp("Seeds: N, A-B, or a comma-separated list of both (e.g. 1-3,7).", valueName: "seeds"))
    var seeds = "1"

    @Option(help: ArgumentHelp("Workers: COUNTxTHREADS[@SPEED][:mem=SIZE][:perhost=K][:rack=NAME] groups (docs/cluster.md).", valueName: "spec"))
    var cluster: String?

    @Option(name: .customLong("cluster-file"), help: ArgumentHelp("A JSON or YAML cluster file.", valueName: "file"))
    var clusterFile: String?

    @Option(help: ArgumentHelp("Network model: simple or maxmin. Default: the cluster file's, else simple.", valueName: "model"))
    var network: String?

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a Dask scheduler setting (name=value, e.g. worker-saturation=2.0) or a runtime parameter (runtime.NAME=VALUE) for every run, repeatable.", valueName: "name=value"))
    var settings: [String] = []

    @OptionGroup var runtimeOptions: RuntimeOptions

    @Option(parsing: .unconditional, help: ArgumentHelp("Runs at the same time (default: the number of cores).", valueName: "n"))
    var jobs: Int?

    @Option(help: ArgumentHelp("Output folder for summary.csv, table.txt and (with --logs) runs/.", valueName: "dir"))
    var out = "compare-out"

    @Flag(help: "Also write every run's logs (tasks, transitions, transfers, workers, summary) to OUT/runs/<run>/.")
    var logs = false

    @Option(name: .customLong("scheduler-service-time"), parsing: .unconditional, help: ArgumentHelp("Shorthand for --set runtime.scheduler-message=DURATION on top of every profile.", valueName: "duration"))
    var schedulerServiceTime = "0"

    @Option(name: .customLong("noise-cv"), parsing: .unconditional, help: ArgumentHelp("Coefficient of variation of lognormal duration noise, 0...10 (0 = none).", valueName: "cv"))
    var noiseCV = 0.0

    @Option(name: .customLong("event-limit"), parsing: .unconditional, help: SimulationFlags.eventLimitHelp)
    var eventLimit = SimulationLimits.defaultEventLimit

    @Option(name: .customLong("sample-limit"), parsing: .unconditional, help: SimulationFlags.sampleLimitHelp)
    var sampleLimit = SimulationLimits.defaultSampleLimit

    @Flag(name: .customLong("validate"), help: "Check the scheduler's and every worker's invariants after every stimulus of every run (Dask's validate=True; slow). A run with broken ones counts as failed. Same as --set validate=true.")
    var validateEveryStimulus = false

    @Flag(name: .customLong("no-progress"), help: "Do not draw the progress bar on standard error.")
    var noProgress = false

    @Option(help: ArgumentHelp("Run only shard I of N of the grid: the runs whose run_id - 1 is I - 1 modulo N (keeping their run_id); join the shards with `schedsim merge`.", valueName: "I/N"))
    var shard: String?

    func validate() throws {
        if traces.isEmpty { throw ValidationError("give at least one trace") }
        if cluster != nil && clusterFile != nil { throw ValidationError("give either --cluster or --cluster-file, not both") }
        if let network, NetworkModelKind(rawValue: network) == nil {
            throw ValidationError("unknown network model '\(network)'; known: simple, maxmin")
        }
        _ = try policyList()
        _ = try infoModes()
        _ = try seedList()
        _ = try settingPairs()
        _ = try runtimeOptions.profiles(settings: settings, serviceTime: schedulerServiceTime, allowList: true)
        if let jobs, jobs < 1 || jobs > 256 { throw ValidationError("--jobs must be between 1 and 256") }
        if Units.duration(schedulerServiceTime) == nil {
            throw ValidationError("--scheduler-service-time '\(schedulerServiceTime)' is not a duration like 200us")
        }
        try SimulationFlags.checkNoiseCV(noiseCV)
        try SimulationFlags.checkLimit(eventLimit, flag: "--event-limit")
        try SimulationFlags.checkLimit(sampleLimit, flag: "--sample-limit")
        _ = try shardSpec()
    }

    /// `--shard I/N` as (I, N), 1 <= I <= N; nil without the option.
    func shardSpec() throws -> (index: Int, count: Int)? {
        guard let shard else { return nil }
        let parts = shard.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1, index >= 1, index <= count else {
            throw ValidationError("--shard '\(shard)': expected I/N with 1 <= I <= N, e.g. 2/4")
        }
        return (index, count)
    }

    func run() throws {
        // Load everything before the first run, so bad input stops the command early.
        var theCluster: Cluster
        do {
            theCluster = try clusterFile.map { try Cluster.load(file: $0) } ?? Cluster.parse(flag: cluster ?? "4x4")
        } catch {
            printError("\(error)")
            throw clusterFile == nil ? ExitStatus.usage.code : ExitStatus.badInput.code
        }
        if let network, let model = NetworkModelKind(rawValue: network) { theCluster.network.model = model }
        var loaded: [CompareTrace] = []
        for path in traces {
            let workload = orderOption.applied(to: try TraceInput.loadOrExit(path, format: formatOption.format, partialReads: formatOption.partialReadsMode(), maxInputBytes: formatOption.maxInputBytesValue).workload)
            let problems = workload.restrictionIssues(workerNames: theCluster.workers.map(\.name)).map { "\($0)" }
            loaded.append(CompareTrace(path: path, workload: workload, facts: workload.graphFacts(), problems: problems))
        }
        let policyNames = try policyList()
        let modes = try infoModes()
        for name in policyNames {
            guard let entry = PolicyRegistry.entry(named: name), entry.usesInformation else { continue }
            let skipped = modes.filter { !entry.acceptedModes.contains(InformationModeParsing.name(of: $0)) }
            if !skipped.isEmpty {
                printError("compare: \(name) does not take --info \(skipped.map(InformationModeParsing.label).joined(separator: ", ")); those runs are skipped")
            }
        }
        let profiles = try runtimeOptions.profiles(settings: settings, serviceTime: schedulerServiceTime, allowList: true)
        var runs = CompareSetup.grid(traces: loaded.count, policies: policyNames, infos: modes, runtimes: profiles, seeds: try seedList())
        if runs.isEmpty {
            printError("compare: nothing to run: no policy in --policies takes any mode in --info")
            throw ExitStatus.usage.code
        }
        if let (index, count) = try shardSpec() {
            // Round-robin over run_id: deterministic, and shards get similar mixes of traces and policies.
            runs = runs.filter { ($0.id - 1) % count == index - 1 }
        }
        if logs {
            do { try AtomicFile.makeDirectory(out + "/runs") } catch {
                printError("\(error)")
                throw ExitStatus.other.code
            }
        }
        let setup = CompareSetup(
            traces: loaded, cluster: theCluster, settings: try settingPairs(),
            runtimes: profiles,
            noiseCV: noiseCV, eventLimit: eventLimit, sampleLimit: sampleLimit, sampleInterval: .seconds(1), validate: validateEveryStimulus,
            logsDirectory: logs ? out + "/runs" : nil)
        let workers = jobs ?? max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        let started = WallClock.now()
        let results = CompareRunner(setup: setup, runs: runs, jobs: workers, showProgress: !noProgress && isatty(2) != 0).run()
        let wall = WallClock.now() - started

        let tables = CompareReport.tables(results, runs: runs, traces: loaded, clusterText: "\(theCluster.label) (\(theCluster.workers.count) workers, \(theCluster.totalThreads) threads), network \(theCluster.network.model.rawValue)")
        do {
            try AtomicFile.makeDirectory(out)
            try AtomicFile.write(CompareReport.summaryCSV(results, runs: runs).bytes, to: out + "/summary.csv")
            try AtomicFile.write(tables, to: out + "/table.txt")
        } catch {
            printError("\(error)")
            throw ExitStatus.other.code
        }
        print(tables, terminator: "")
        let failures = zip(runs, results).filter { $0.1.row.outcome != "completed" }
        for (run, result) in failures {
            printError("run \(run.id) (\(loaded[run.trace].path), policy \(run.policyLabel), seed \(run.seed)): \(result.row.outcome): \(result.row.detail)")
        }
        print("\(runs.count) runs (\(runs.count - failures.count) completed) in \(CSVTable.fixed(wall, decimals: 2)) s wall on \(min(workers, max(runs.count, 1))) thread(s); wrote \(out)/summary.csv, \(out)/table.txt\(logs ? ", \(out)/runs/" : "")")
        if !failures.isEmpty { throw ExitStatus.runFailed.code }
    }

    func policyList() throws -> [String] {
        if policies.trimmingCharacters() == "all" { return PolicyRegistry.names }
        var names: [String] = []
        for raw in policies.split(separator: ",") {
            let name = raw.trimmingCharacters()
            guard PolicyRegistry.entry(named: name) != nil else {
                throw ValidationError("unknown policy '\(name)' in --policies; known: \(PolicyRegistry.names.joined(separator: ", ")), or all")
            }
            if !names.contains(name) { names.append(name) }
        }
        if names.isEmpty { throw ValidationError("--policies is empty") }
        return names
    }

    func infoModes() throws -> [InformationMode] {
        var modes: [InformationMode] = []
        for raw in info.split(separator: ",") {
            do {
                let mode = try InformationModeParsing.parse(raw.trimmingCharacters())
                if !modes.contains(mode) { modes.append(mode) }
            } catch {
                throw ValidationError("--info: \(error.message)")
            }
        }
        if modes.isEmpty { throw ValidationError("--info is empty") }
        return modes
    }

    func seedList() throws -> [UInt64] {
        var list: [UInt64] = []
        // `seen` only answers "already listed?" (the list keeps the order): a quadratic
        // `contains` over a few ranges of 100,000 seeds took minutes.
        var seen: Set<UInt64> = []
        for raw in seeds.split(separator: ",") {
            let part = raw.trimmingCharacters()
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
            guard bounds.count <= 2, let low = UInt64(bounds[0]), let high = UInt64(bounds.count == 2 ? bounds[1] : bounds[0]),
                  low <= high, high - low < 100_000
            else {
                throw ValidationError("--seeds: '\(part)' is not a seed (N) or a range (A-B with A <= B)")
            }
            for seed in low...high where seen.insert(seed).inserted { list.append(seed) }
            if list.count > 100_000 { throw ValidationError("--seeds: more than 100000 seeds") }
        }
        if list.isEmpty { throw ValidationError("--seeds is empty") }
        return list
    }

    func settingPairs() throws -> [(name: String, value: String)] {
        try Self.checkedSchedulerSettings(RuntimeOptions.schedulerSettings(settings))
    }

    /// `name=value` Dask scheduler settings, each checked against `SchedulerConfig`.
    static func checkedSchedulerSettings(_ settings: [String]) throws -> [(name: String, value: String)] {
        try settings.map { text in
            let parts = text.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { throw ValidationError("--set '\(text)': expected name=value, e.g. worker-saturation=2.0") }
            var probe = SchedulerConfig()
            do { try probe.set(String(parts[0]), String(parts[1])) } catch { throw ValidationError("--set: \(error)") }
            return (String(parts[0]), String(parts[1]))
        }
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces.
    func trimmingCharacters() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}

import Messages
import Planning
import Policies
import Recording
import Simulation
import Workload

/// One cell of `compare`'s grid: which trace, policy, information mode and seed.
struct CompareRun: Sendable {
    /// 1-based position in grid order (trace, then policy, then information mode, then seed).
    var id: Int
    var trace: Int
    var policy: String
    /// The information mode, for policies that use estimates; `nil` for the others.
    var info: InformationMode?
    /// Index into `CompareSetup.runtimes`.
    var runtime: Int = 0
    /// The profile's name, shown in tables when the grid has several profiles.
    var runtimeLabel: String?
    var seed: UInt64

    /// The policy as the summary and tables name it: `heft/exact`, `dask`.
    var policyLabel: String {
        guard let info else { return policy }
        return policy + "/" + InformationModeParsing.label(of: info)
    }

    /// A table line's label: the policy, and the runtime profile when the grid varies it.
    var lineLabel: String {
        guard let runtimeLabel else { return policyLabel }
        return policyLabel + " [" + runtimeLabel + "]"
    }
}

/// A trace loaded once and shared (read-only) by every run of it.
struct CompareTrace: Sendable {
    var path: String
    var workload: Workload
    var facts: GraphFacts
    /// Restriction problems against the cluster; when not empty every run of the trace fails with them.
    var problems: [String]
}

/// What one run produced: its summary row, and the error text when it could not run.
struct CompareResult: Sendable {
    var row: SummaryRow
    var error: String?
}

/// Everything a run needs, shared read-only by the worker threads. Each run
/// builds its own policy, state machines and simulator, and seeds its own
/// streams from its seed, so a run's result does not depend on which thread
/// ran it, in which order, or how many ran at once.
struct CompareSetup: Sendable {
    var traces: [CompareTrace]
    var cluster: Cluster
    var settings: [(name: String, value: String)]
    /// The runtime-cost profiles of the grid (one or more).
    var runtimes: [RuntimeProfile]
    var noiseCV: Double
    var eventLimit: Int
    var sampleLimit: Int
    var sampleInterval: Time
    /// `--validate`: invariant checks after every stimulus; a run that breaks one is `invariants-broken`.
    var validate = false
    /// Folder for per-run logs, or `nil` without `--logs`.
    var logsDirectory: String?

    /// The grid in order: for each trace, each policy, each information mode
    /// (only for policies that use one, and only the modes they accept: a
    /// static planner has no `online` mode), each runtime profile, each seed.
    static func grid(traces: Int, policies: [String], infos: [InformationMode], runtimes: [RuntimeProfile] = [.ideal], seeds: [UInt64]) -> [CompareRun] {
        var runs: [CompareRun] = []
        for trace in 0..<traces {
            for policy in policies {
                guard let entry = PolicyRegistry.entry(named: policy) else { continue }
                let accepted = infos.filter { entry.acceptedModes.contains(InformationModeParsing.name(of: $0)) }
                let modes: [InformationMode?] = entry.usesInformation ? accepted.map { $0 } : [nil]
                for info in modes {
                    for (r, profile) in runtimes.enumerated() {
                        for seed in seeds {
                            runs.append(CompareRun(
                                id: runs.count + 1, trace: trace, policy: policy, info: info, runtime: r,
                                runtimeLabel: runtimes.count > 1 ? profile.name : nil, seed: seed))
                        }
                    }
                }
            }
        }
        return runs
    }

    /// Runs one cell. Never throws: a policy that cannot be prepared, a trace
    /// that does not fit the cluster or logs that cannot be written give a row
    /// with outcome `error` and the reason in `detail`.
    func execute(_ run: CompareRun) -> CompareResult {
        let trace = traces[run.trace]
        let threads = cluster.totalThreads
        var row = SummaryRow(
            trace: trace.workload.name, policy: run.policyLabel, cluster: cluster.label, seed: run.seed, backend: "sim",
            makespan: 0, tasks: 0, utilisation: 0, transfers: 0, transferBytes: 0, steals: 0, events: 0,
            wallSeconds: nil, network: cluster.network.model.rawValue,
            criticalPath: Time(seconds: trace.facts.criticalPathLength).nanoseconds,
            workBound: threads > 0 ? Time(seconds: trace.facts.totalWork / Double(threads)).nanoseconds : 0,
            outcome: "error", detail: "", runtime: runtimes[run.runtime].name)
        func failure(_ message: String) -> CompareResult {
            row.detail = message
            return CompareResult(row: row, error: message)
        }
        if let first = trace.problems.first {
            return failure("\(trace.path): \(first)" + (trace.problems.count > 1 ? " (and \(trace.problems.count - 1) more)" : ""))
        }
        let context = PolicyContext(workload: trace.workload, cluster: cluster, seed: run.seed, info: run.info ?? .exact)
        var prepared: PreparedPolicy
        do {
            prepared = try PolicyRegistry.prepare(run.policy, context: context, settings: settings)
        } catch {
            return failure("\(error)")
        }
        let logs = logsDirectory != nil
        prepared.config.recordTransitions = logs
        var config = SimulationConfig()
        config.seed = run.seed
        config.runtime = runtimes[run.runtime]
        config.balanceInterval = prepared.config.workStealingInterval
        config.recordTransitions = logs
        config.sampleInterval = logs ? sampleInterval : .zero
        config.durationNoiseCV = noiseCV
        config.eventLimit = eventLimit
        config.sampleLimit = sampleLimit
        // --set validate=true means --validate: the simulator checks every machine and reports.
        config.validate = validate || prepared.config.validate
        prepared.config.validate = false
        let simulator = Simulator(workload: prepared.workload, cluster: cluster, factory: .policy(prepared), config: config)
        let result = simulator.run()
        row.makespan = result.makespan.nanoseconds
        row.tasks = result.tasksFinished
        row.utilisation = result.utilisation
        row.transfers = result.transfers
        row.transferBytes = result.transferBytes
        row.steals = result.steals
        row.events = result.events
        row.outcome = result.outcome.rawValue
        row.detail = result.detail
        if !result.invariantViolations.isEmpty {
            // Whatever the run's end, a broken invariant is the news (the detail says which).
            row.outcome = "invariants-broken"
        }
        if let logsDirectory {
            do {
                try LogTables.write(result.logFiles(summary: row), to: logsDirectory + "/" + Self.folderName(run, trace: trace))
            } catch {
                return failure("logs: \(error)")
            }
        }
        return CompareResult(row: row, error: nil)
    }

    /// `0007-montage-heft_exact-s2`: run id first so folders sort in grid order.
    static func folderName(_ run: CompareRun, trace: CompareTrace) -> String {
        let safe = { (text: String) in
            String(text.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "_" })
        }
        let id = String(run.id)
        let padded = String(repeating: "0", count: max(0, 4 - id.count)) + id
        let runtime = run.runtimeLabel.map { "-" + safe($0) } ?? ""
        return "\(padded)-\(safe(trace.workload.name))-\(safe(run.policyLabel))\(runtime)-s\(run.seed)"
    }
}

import Messages
import Recording
import Simulation
import Workload

/// The one-screen summary `replay` prints at the end of a run.
struct ReplaySummary {
    let workload: Workload
    let facts: GraphFacts
    let cluster: Cluster
    let row: SummaryRow
    let result: SimulationResult
    let wall: Double
    let out: String?

    var text: String {
        let bound = max(row.criticalPath, row.workBound)
        let ratio = bound > 0 ? CSVTable.fixed(Double(row.makespan) / Double(bound), decimals: 2) + "×" : "n/a"
        var lines: [(String, String)] = [
            ("trace", "\(workload.name) (\(facts.tasks) tasks, \(facts.edges) edges)"),
            ("cluster", "\(cluster.label): \(cluster.workers.count) workers, \(cluster.totalThreads) threads, \(cluster.hosts.count) hosts; network \(row.network); policy \(row.policy); seed \(row.seed)"),
            ("outcome", "\(row.outcome): \(row.detail)"),
            ("makespan", "\(Time.format(row.makespan)) s  (\(ratio) the larger lower bound)"),
            ("lower bounds", "critical path \(Time.format(row.criticalPath)) s; work / threads \(Time.format(row.workBound)) s"),
            ("utilisation", CSVTable.fixed(row.utilisation * 100, decimals: 1) + " % of thread time"),
            ("bytes moved", "\(Self.bytes(row.transferBytes)) in \(row.transfers) transfers"),
            ("steals", "\(row.steals)"),
            ("tasks run", "\(row.tasks) of \(facts.computeTasks) compute tasks"),
            ("events", "\(row.events) in \(CSVTable.fixed(wall, decimals: 2)) s wall (\(wall > 0 ? Int(Double(row.events) / wall) : 0) events/s, \(wall > 0 ? Int(Double(row.tasks) / wall) : 0) tasks/s)"),
        ]
        if result.validatedStimuli > 0 {
            let broken = result.invariantViolations.isEmpty ? "none broken" : "\(result.invariantViolations.count) broken (on standard error)"
            lines.append(("invariants", "checked after each of \(result.validatedStimuli) stimuli (--validate): \(broken)"))
        }
        if let out { lines.append(("logs", "\(out)/ (tasks.csv, transitions.csv, transfers.csv, workers.csv, summary.csv\(result.eventLines != nil ? ", events.jsonl" : ""))")) }
        let width = lines.map(\.0.count).max() ?? 0
        return lines.map { $0.0 + String(repeating: " ", count: width - $0.0.count) + "  " + $0.1 }.joined(separator: "\n") + "\n"
    }

    static func bytes(_ n: Int64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var value = Double(n)
        var unit = 0
        while value >= 1000 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(n) B" : CSVTable.fixed(value, decimals: 1) + " " + units[unit]
    }
}

import Messages
import Recording

/// `compare`'s outputs: `summary.csv` (one row per run, grid order) and the
/// per-trace comparison tables.
enum CompareReport {
    /// `run_id` followed by DESIGN.md's summary columns.
    static func summaryCSV(_ results: [CompareResult], runs: [CompareRun]) -> CSVTable {
        var table = CSVTable(header: ["run_id"] + LogTables.summaryColumns)
        for (run, result) in zip(runs, results) {
            table.append(run.id)
            LogTables.appendFields(of: result.row, to: &table)
            table.endRow()
        }
        return table
    }

    /// One table per trace: a line per policy (label), averaged over the seeds
    /// of its completed runs. `vs best` divides by the best policy's mean
    /// makespan on that trace; `vs bound` by the larger lower bound
    /// (critical path, total work / threads).
    static func tables(_ results: [CompareResult], runs: [CompareRun], traces: [CompareTrace], clusterText: String) -> String {
        var text = ""
        for (t, trace) in traces.enumerated() {
            var labels: [String] = []
            var byLabel: [String: [SummaryRow]] = [:]
            for (run, result) in zip(runs, results) where run.trace == t {
                if byLabel[run.lineLabel] == nil { labels.append(run.lineLabel) }
                byLabel[run.lineLabel, default: []].append(result.row)
            }
            guard let first = byLabel[labels.first ?? ""]?.first else { continue }
            let bound = max(first.criticalPath, first.workBound)
            struct Line { var label: String; var ok: Int; var total: Int; var makespan: Double?; var bytes: Double; var util: Double; var steals: Double }
            var lines: [Line] = []
            for label in labels {
                let rows = byLabel[label] ?? []
                let ok = rows.filter { $0.outcome == "completed" }
                let n = Double(max(ok.count, 1))
                lines.append(Line(
                    label: label, ok: ok.count, total: rows.count,
                    makespan: ok.isEmpty ? nil : ok.reduce(0.0) { $0 + Double($1.makespan) } / n,
                    bytes: ok.reduce(0.0) { $0 + Double($1.transferBytes) } / n,
                    util: ok.reduce(0.0) { $0 + $1.utilisation } / n,
                    steals: ok.reduce(0.0) { $0 + Double($1.steals) } / n))
            }
            let best = lines.compactMap(\.makespan).min()
            let header = ["policy", "runs ok", "makespan s", "vs best", "vs bound", "bytes moved", "util %", "steals"]
            var cells: [[String]] = []
            for line in lines {
                guard let makespan = line.makespan else {
                    cells.append([line.label, "\(line.ok)/\(line.total)", "—", "—", "—", "—", "—", "—"])
                    continue
                }
                cells.append([
                    line.label, "\(line.ok)/\(line.total)",
                    CSVTable.fixed(makespan / 1e9, decimals: 3),
                    best.map { $0 > 0 ? CSVTable.fixed(makespan / $0, decimals: 3) : "—" } ?? "—",
                    bound > 0 ? CSVTable.fixed(makespan / Double(bound), decimals: 2) : "—",
                    ReplaySummary.bytes(Int64(line.bytes.rounded())),
                    CSVTable.fixed(line.util * 100, decimals: 1),
                    CSVTable.fixed(line.steals, decimals: line.steals == line.steals.rounded() ? 0 : 1),
                ])
            }
            let facts = trace.facts
            text += "\(trace.workload.name) (\(facts.tasks) tasks, \(facts.edges) edges) on \(clusterText); "
            text += "lower bound \(Time.format(bound)) s (critical path \(Time.format(first.criticalPath)) s, work/threads \(Time.format(first.workBound)) s)\n"
            text += render(header: header, rows: cells) + "\n"
        }
        return text
    }

    /// Left-aligned first column, right-aligned numbers, two spaces between columns.
    static func render(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        var widths = [Int](repeating: 0, count: header.count)
        for row in all { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ row: [String]) -> String {
            row.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return i == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n") + "\n"
    }
}

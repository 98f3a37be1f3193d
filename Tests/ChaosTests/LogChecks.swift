import Messages
import Recording
import Simulation

/// Checks on a run's logs, watching from outside as a user reading the CSV files
/// would: nothing here asks the state machines anything.
enum LogChecks {
    /// Every problem found, each naming the key or row; empty for sound logs.
    static func problems(_ result: SimulationResult) -> [String] {
        var problems: [String] = []
        let keys = result.keys
        // Each key's transitions are continuous: every row starts where the previous one ended.
        var last = [String?](repeating: nil, count: keys.count)
        for row in result.transitionRows {
            let i = Int(row.task)
            if let previous = last[i], previous != row.from {
                problems.append("transitions: \(keys[i]) \(row.from) -> \(row.to) at \(Time.format(row.time)) after -> \(previous)")
            } else if last[i] == nil && row.from != "released" {
                problems.append("transitions: \(keys[i]) starts with \(row.from) -> \(row.to)")
            }
            last[i] = row.to
        }
        for (i, row) in result.taskRows.enumerated() where row.state != "" && row.state != (last[i] ?? "") {
            problems.append("tasks: \(row.key) ends \(row.state) but its last transition is to \(last[i] ?? "nothing")")
        }
        // submit <= ready <= start <= end, where known.
        for row in result.taskRows {
            let times = [("submit", row.submit), ("ready", row.ready), ("start", row.start), ("end", row.end)]
                .compactMap { name, t in t.map { (name, $0) } }
            for (a, b) in zip(times, times.dropFirst()) where a.1 > b.1 {
                problems.append("tasks: \(row.key) \(a.0) \(Time.format(a.1)) > \(b.0) \(Time.format(b.1))")
            }
            if row.end != nil && row.start == nil { problems.append("tasks: \(row.key) has an end but no start") }
        }
        // Bytes add up: the summary's totals are the transfer rows', and each row carries its key's output.
        let rows = result.transferRows
        let total = rows.reduce(Int64(0)) { $0 + $1.bytes }
        if total != result.transferBytes {
            problems.append("transfers: rows carry \(total) bytes, the summary says \(result.transferBytes)")
        }
        for row in rows {
            let output = result.workload.tasks[Int(row.task)].outputBytes
            if row.bytes != output { problems.append("transfers: \(keys[Int(row.task)]) moved \(row.bytes) bytes of \(output)") }
            if row.end < row.start { problems.append("transfers: \(keys[Int(row.task)]) ends before it starts") }
        }
        for sample in result.workerRows where sample.memoryBytes < 0 || sample.busyThreads < 0 || sample.queued < 0 {
            problems.append("workers: \(sample.worker) at \(Time.format(sample.time)) has a negative count")
        }
        if result.busyTime > result.threadTime { problems.append("summary: busy time exceeds thread time") }
        return problems
    }

    /// The bytes of every log file, for the determinism check.
    static func bytes(_ result: SimulationResult) -> [[UInt8]] {
        let summary = SummaryRow(
            trace: "chaos", policy: "", cluster: "", seed: 0, backend: "sim", makespan: result.makespan.nanoseconds,
            tasks: result.tasksFinished, utilisation: result.utilisation, transfers: result.transfers,
            transferBytes: result.transferBytes, steals: result.steals, events: result.events, wallSeconds: nil,
            network: "", criticalPath: 0, workBound: 0, outcome: result.outcome.rawValue, detail: result.detail)
        return result.logFiles(summary: summary).map(\.bytes)
    }
}

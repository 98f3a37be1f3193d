import Foundation

extension RunLogs {
    /// Reads a run folder. tasks.csv is required; transfers.csv, workers.csv, transitions.csv and
    /// summary.csv are read when present (their absence is listed in `missingFiles`).
    public static func load(directory: String, name: String? = nil) throws -> RunLogs {
        let folder = URL(fileURLWithPath: directory)
        let label = name ?? folder.lastPathComponent
        func path(_ file: String) -> String { folder.appendingPathComponent(file).path }
        func exists(_ file: String) -> Bool { FileManager.default.fileExists(atPath: path(file)) }

        let tasks = try loadTasks(CSVTable.load(path: path("tasks.csv")))
        var missing: [String] = []
        var transfers: [TransferRecord] = []
        var samples: [WorkerSample] = []
        var transitions: [TransitionRecord] = []
        var summary: [[(column: String, value: String)]] = []
        if exists("transfers.csv") { transfers = try loadTransfers(CSVTable.load(path: path("transfers.csv"))) } else { missing.append("transfers.csv") }
        if exists("workers.csv") { samples = try loadSamples(CSVTable.load(path: path("workers.csv"))) } else { missing.append("workers.csv") }
        if exists("transitions.csv") { transitions = try loadTransitions(CSVTable.load(path: path("transitions.csv"))) } else { missing.append("transitions.csv") }
        if exists("summary.csv") { summary = loadSummary(try CSVTable.load(path: path("summary.csv"))) } else { missing.append("summary.csv") }
        return RunLogs(
            name: label, tasks: tasks, transfers: transfers, samples: samples,
            transitions: transitions, summary: summary, missingFiles: missing)
    }

    /// tasks.csv: requires key, prefix, worker, start, end; reads output_bytes, bytes_fetched,
    /// state and attempts when present.
    public static func loadTasks(_ table: CSVTable) throws -> [TaskRecord] {
        let key = try table.column("key"), prefix = try table.column("prefix"), worker = try table.column("worker")
        let start = try table.column("start"), end = try table.column("end")
        let output = table.optionalColumn("output_bytes"), fetched = table.optionalColumn("bytes_fetched")
        let state = table.optionalColumn("state"), attempts = table.optionalColumn("attempts")
        var result: [TaskRecord] = []
        result.reserveCapacity(table.rows.count)
        for row in table.rows.indices {
            let fields = table.rows[row]
            result.append(TaskRecord(
                key: fields[key], prefix: fields[prefix], worker: fields[worker],
                start: try table.double(row: row, column: start), end: try table.double(row: row, column: end),
                outputBytes: try output.map { try table.integer(row: row, column: $0) } ?? 0,
                bytesFetched: try fetched.map { try table.integer(row: row, column: $0) } ?? 0,
                state: state.map { fields[$0] } ?? "",
                attempts: try attempts.map { try table.integer(row: row, column: $0) } ?? 1))
        }
        return result
    }

    /// transfers.csv: requires key, from_worker, to_worker, bytes, start, end.
    public static func loadTransfers(_ table: CSVTable) throws -> [TransferRecord] {
        let key = try table.column("key"), from = try table.column("from_worker"), to = try table.column("to_worker")
        let bytes = try table.column("bytes"), start = try table.column("start"), end = try table.column("end")
        var result: [TransferRecord] = []
        result.reserveCapacity(table.rows.count)
        for row in table.rows.indices {
            let fields = table.rows[row]
            result.append(TransferRecord(
                key: fields[key], from: fields[from], to: fields[to],
                bytes: try table.integer(row: row, column: bytes),
                start: try table.requiredDouble(row: row, column: start),
                end: try table.requiredDouble(row: row, column: end)))
        }
        return result
    }

    /// workers.csv: requires time, worker, busy_threads, queued, memory_bytes; reads occupancy when present.
    public static func loadSamples(_ table: CSVTable) throws -> [WorkerSample] {
        let time = try table.column("time"), worker = try table.column("worker"), busy = try table.column("busy_threads")
        let queued = try table.column("queued"), memory = try table.column("memory_bytes")
        let occupancy = table.optionalColumn("occupancy")
        var result: [WorkerSample] = []
        result.reserveCapacity(table.rows.count)
        for row in table.rows.indices {
            result.append(WorkerSample(
                time: try table.requiredDouble(row: row, column: time), worker: table.rows[row][worker],
                busyThreads: try table.integer(row: row, column: busy), queued: try table.integer(row: row, column: queued),
                memoryBytes: try table.integer(row: row, column: memory),
                occupancy: try occupancy.flatMap { try table.double(row: row, column: $0) } ?? 0))
        }
        return result
    }

    /// transitions.csv: requires time, key, from, to.
    public static func loadTransitions(_ table: CSVTable) throws -> [TransitionRecord] {
        let time = try table.column("time"), key = try table.column("key")
        let from = try table.column("from"), to = try table.column("to")
        var result: [TransitionRecord] = []
        result.reserveCapacity(table.rows.count)
        for row in table.rows.indices {
            let fields = table.rows[row]
            result.append(TransitionRecord(
                time: try table.requiredDouble(row: row, column: time), key: fields[key], from: fields[from], to: fields[to]))
        }
        return result
    }

    /// summary.csv: every column as text, in file order (the report shows them all).
    public static func loadSummary(_ table: CSVTable) -> [[(column: String, value: String)]] {
        table.rows.map { row in Array(zip(table.header, row)).map { (column: $0.0, value: $0.1) } }
    }
}
